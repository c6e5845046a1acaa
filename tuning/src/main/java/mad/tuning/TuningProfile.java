package mad.tuning;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * A named deployment shape, as data: thread counts, ring size, how idle agents wait, which CPUs each thread role runs
 * on, and the GC/JVM flags per JDK that {@code bin/mad} applies before the JVM starts. Profiles are properties files
 * ({@code mad/tuning/profiles/<name>.properties} in this module, readable by the shell too); see
 * {@code tuning/README.md} for when to use which.
 *
 * <ul>
 *   <li>{@code shared-2core} (default): never spins, no pinning, Shenandoah with a small heap.</li>
 *   <li>{@code shared-2core-g1}: the same with G1 (less CPU and memory, longer pauses).</li>
 *   <li>{@code low-latency-4core}: a small box of its own without isolated cores: short backoff, light pinning.</li>
 *   <li>{@code dedicated}: isolated cores: aggregators busy-spin pinned one per CPU, ZGC on JDK 21+.</li>
 * </ul>
 *
 * <p>Selected by the {@code tuningProfile} key of config.conf or {@code -Dmadx.tuning=NAME} (a name, or the path of
 * a {@code .properties} file); any key may be overridden with {@code -Dmadx.tuning.<key>=value}, for example
 * {@code -Dmadx.tuning.cpus.aggregator=4-5}.
 *
 * <p>Thread ownership: immutable, read once by the wiring thread and shared freely.
 *
 * @param name profile name.
 * @param aggregatorShards aggregator threads per pipeline (power of two).
 * @param ringSize slots per shard ring (power of two).
 * @param ingestThreads Netty event-loop threads shared by every source.
 * @param ioUring prefer io_uring over epoll where the kernel allows it.
 * @param aggregatorIdle how aggregator threads wait (a supplier of fresh strategies).
 * @param emitterIdle how emitter threads wait.
 * @param cpus CPU set per role; empty = not pinned.
 * @param spread roles whose threads are pinned one CPU each (round robin over the set) rather than to the whole set.
 * @param jvmFlags GC/JVM flags by the lowest JDK feature version they apply to.
 */
public record TuningProfile(
    String name, int aggregatorShards, int ringSize, int ingestThreads, boolean ioUring, IdleSpec aggregatorIdle,
    IdleSpec emitterIdle, Map<ThreadRole, CpuSet> cpus, Set<ThreadRole> spread, SortedMap<Integer, List<String>> jvmFlags)
{
    /** The profile used when none is named. */
    public static final String DEFAULT_NAME = "shared-2core";
    /** The profiles shipped in this module. */
    public static final List<String> KNOWN =
        List.of("shared-2core", "shared-2core-g1", "low-latency-4core", "dedicated");
    /** System property prefix of per-key overrides. */
    public static final String OVERRIDE_PREFIX = "madx.tuning.";
    private static final String RESOURCE_DIR = "/mad/tuning/profiles/";
    private static final int MAX_SHARDS = 64;
    private static final int MIN_RING = 64;
    private static final int MAX_RING = 1 << 24;
    private static final int MAX_INGEST_THREADS = 256;
    private static final Set<String> FIXED_KEYS = Set.of("ingest.threads", "aggregator.shards", "ring.size", "io.uring",
        "idle.aggregator", "idle.emitter", "cpus.ingest", "cpus.aggregator", "cpus.emitter", "cpus.other", "cpus.spread");

    public TuningProfile
    {
        cpus = Collections.unmodifiableMap(new EnumMap<>(cpus));
        spread = spread.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(spread));
        jvmFlags = Collections.unmodifiableSortedMap(new TreeMap<>(jvmFlags));
    }

    /**
     * Loads a shipped profile by name, or a profile file by path, with {@code -Dmadx.tuning.<key>} overrides from
     * the system properties.
     *
     * @param name a profile name (case-insensitive) or a path ending in {@code .properties}.
     * @return the profile.
     * @throws IllegalArgumentException for an unknown name (listing the known ones) or an invalid profile.
     */
    public static TuningProfile byName(final String name)
    {
        return byName(name, System.getProperties());
    }

    /**
     * @param name a profile name (case-insensitive) or a path ending in {@code .properties}.
     * @param overrides properties whose {@code madx.tuning.<key>} entries replace the profile's.
     * @return the profile.
     * @throws IllegalArgumentException for an unknown name (listing the known ones) or an invalid profile.
     */
    public static TuningProfile byName(final String name, final Properties overrides)
    {
        final String trimmed = name == null ? "" : name.trim();
        final Properties properties = new Properties();
        final String profileName;
        if (trimmed.endsWith(".properties") || trimmed.indexOf('/') >= 0)
        {
            final Path file = Path.of(trimmed);
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
            {
                properties.load(reader);
            }
            catch (final IOException ex)
            {
                throw new IllegalArgumentException("cannot read tuning profile file " + file + ": " + ex);
            }
            final String fileName = file.getFileName().toString();
            profileName = fileName.substring(0, fileName.length() - (fileName.endsWith(".properties") ? 11 : 0));
        }
        else
        {
            profileName = trimmed.toLowerCase(Locale.ROOT);
            try (InputStream in = profileName.matches("[a-z0-9][a-z0-9.-]*") ?
                openBuiltIn(RESOURCE_DIR + profileName + ".properties") : null)
            {
                if (in == null)
                {
                    throw new IllegalArgumentException("unknown tuning profile '" + name + "' (known: " +
                        String.join(", ", KNOWN) + "; or the path of a .properties file)");
                }
                properties.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            }
            catch (final IOException ex)
            {
                throw new IllegalArgumentException("cannot read tuning profile " + profileName + ": " + ex);
            }
        }
        for (final String key : overrides.stringPropertyNames())
        {
            if (key.startsWith(OVERRIDE_PREFIX))
            {
                properties.setProperty(key.substring(OVERRIDE_PREFIX.length()), overrides.getProperty(key));
            }
        }
        return parse(profileName, properties);
    }

    /**
     * Validates and builds a profile from its properties (see the shipped files for every key).
     *
     * @param name profile name.
     * @param properties the profile's keys.
     * @return the profile.
     * @throws IllegalArgumentException naming the profile, the key and the reason.
     */
    public static TuningProfile parse(final String name, final Properties properties)
    {
        final Set<String> unknown = new TreeSet<>();
        for (final String key : properties.stringPropertyNames())
        {
            if (!FIXED_KEYS.contains(key) && !key.matches("jvm\\.[0-9]{1,3}"))
            {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty())
        {
            throw bad(name, unknown.iterator().next(), "unknown key (known: " + new TreeSet<>(FIXED_KEYS) +
                " and jvm.<JDK feature version>)");
        }
        final String ingestText = required(name, properties, "ingest.threads");
        final int ingestThreads = "auto".equalsIgnoreCase(ingestText) ?
            Math.max(2, Runtime.getRuntime().availableProcessors() / 2) :
            number(name, "ingest.threads", ingestText, 1, MAX_INGEST_THREADS, false);
        final int shards = number(name, "aggregator.shards", required(name, properties, "aggregator.shards"), 1,
            MAX_SHARDS, true);
        final int ringSize = number(name, "ring.size", required(name, properties, "ring.size"), MIN_RING, MAX_RING,
            true);
        final String ioUringText = properties.getProperty("io.uring", "false").trim();
        if (!"true".equalsIgnoreCase(ioUringText) && !"false".equalsIgnoreCase(ioUringText))
        {
            throw bad(name, "io.uring", "expected true or false, got '" + ioUringText + "'");
        }
        final IdleSpec aggregatorIdle = idle(name, properties, "idle.aggregator");
        final IdleSpec emitterIdle = idle(name, properties, "idle.emitter");
        final Map<ThreadRole, CpuSet> cpus = new EnumMap<>(ThreadRole.class);
        for (final ThreadRole role : ThreadRole.values())
        {
            final String key = "cpus." + role.key();
            try
            {
                cpus.put(role, CpuSet.parse(properties.getProperty(key, "")));
            }
            catch (final IllegalArgumentException ex)
            {
                throw bad(name, key, ex.getMessage());
            }
        }
        final Set<ThreadRole> spread = EnumSet.noneOf(ThreadRole.class);
        for (final String roleName : properties.getProperty("cpus.spread", "").split(","))
        {
            if (!roleName.isBlank())
            {
                spread.add(role(name, roleName.trim()));
            }
        }
        final SortedMap<Integer, List<String>> jvmFlags = new TreeMap<>();
        for (final String key : properties.stringPropertyNames())
        {
            if (key.startsWith("jvm."))
            {
                final String value = properties.getProperty(key).trim();
                jvmFlags.put(Integer.parseInt(key.substring(4)),
                    value.isEmpty() ? List.of() : List.of(value.split("\\s+")));
            }
        }
        if (!jvmFlags.isEmpty() && jvmFlags.firstKey() > 17)
        {
            throw bad(name, "jvm." + jvmFlags.firstKey(), "the lowest jvm.<N> key must be at most 17 (madx runs on 17+)");
        }
        return new TuningProfile(name, shards, ringSize, ingestThreads, Boolean.parseBoolean(ioUringText),
            aggregatorIdle, emitterIdle, cpus, spread, jvmFlags);
    }

    /**
     * @return true when aggregators busy-spin or yield (keep a core busy while idle).
     */
    public boolean spinning()
    {
        return aggregatorIdle.spinning();
    }

    /**
     * @param role a thread role.
     * @return its CPU set, empty when that role is not pinned.
     */
    public CpuSet cpus(final ThreadRole role)
    {
        return cpus.getOrDefault(role, CpuSet.EMPTY);
    }

    /**
     * The same choice {@code bin/mad} makes: the {@code jvm.<N>} entry with the highest N not above the feature
     * version.
     *
     * @param feature the JDK feature version (17, 21, 25...).
     * @return the GC/JVM flags for that JDK.
     */
    public List<String> jvmFlags(final int feature)
    {
        final SortedMap<Integer, List<String>> upTo = jvmFlags.headMap(feature + 1);
        return upTo.isEmpty() ? List.of() : upTo.get(upTo.lastKey());
    }

    /**
     * @return a one-line description for the start-up log.
     */
    public String describe()
    {
        final List<String> pinned = new ArrayList<>();
        for (final ThreadRole role : ThreadRole.values())
        {
            if (!cpus(role).isEmpty())
            {
                pinned.add(role.key() + "=" + cpus(role) + (spread.contains(role) ? "(spread)" : ""));
            }
        }
        return name + ": ingest " + ingestThreads + ", shards " + aggregatorShards + ", ring " + ringSize +
            ", idle aggregator " + aggregatorIdle + " emitter " + emitterIdle + ", cpus " +
            (pinned.isEmpty() ? "unpinned" : String.join(" ", pinned));
    }

    private static ThreadRole role(final String name, final String roleName)
    {
        for (final ThreadRole role : ThreadRole.values())
        {
            if (role.key().equals(roleName.toLowerCase(Locale.ROOT)))
            {
                return role;
            }
        }
        throw bad(name, "cpus.spread", "unknown thread role '" + roleName + "' (known: " +
            Arrays.toString(ThreadRole.values()).toLowerCase(Locale.ROOT) + ")");
    }

    private static IdleSpec idle(final String name, final Properties properties, final String key)
    {
        try
        {
            return IdleSpec.parse(required(name, properties, key));
        }
        catch (final IllegalArgumentException ex)
        {
            throw bad(name, key, ex.getMessage());
        }
    }

    private static String required(final String name, final Properties properties, final String key)
    {
        final String value = properties.getProperty(key);
        if (value == null || value.isBlank())
        {
            throw bad(name, key, "missing");
        }
        return value.trim();
    }

    private static int number(final String name, final String key, final String text, final int min, final int max,
        final boolean powerOfTwo)
    {
        final int value;
        try
        {
            value = Integer.parseInt(text);
        }
        catch (final NumberFormatException ex)
        {
            throw bad(name, key, "'" + text + "' is not a whole number");
        }
        if (value < min || value > max || (powerOfTwo && Integer.bitCount(value) != 1))
        {
            throw bad(name, key, value + " is not " + (powerOfTwo ? "a power of two " : "") + "in " + min + ".." + max);
        }
        return value;
    }

    private static IllegalArgumentException bad(final String name, final String key, final String reason)
    {
        return new IllegalArgumentException("tuning profile " + name + ": " + key + ": " + reason);
    }

    /**
     * Opens a profile shipped with this module, from this class's own jar or class folder.
     *
     * <p>Why not {@code Class.getResourceAsStream}: the class loader searches the class path in order and opens every
     * jar before the one holding the resource (~20 of them, ~20 ms of start-up on a 2-core box, while every class
     * comes from the class-data archive without opening a jar). It stays the fallback when the code source is not a
     * local file.
     */
    private static InputStream openBuiltIn(final String resource) throws IOException
    {
        final CodeSource source = TuningProfile.class.getProtectionDomain().getCodeSource();
        final URL location = source == null ? null : source.getLocation();
        if (location != null && "file".equals(location.getProtocol()))
        {
            final Path path;
            try
            {
                path = Path.of(location.toURI());
            }
            catch (final URISyntaxException | IllegalArgumentException ex)
            {
                return TuningProfile.class.getResourceAsStream(resource);
            }
            final String entryName = resource.substring(1);
            if (Files.isDirectory(path))
            {
                final Path file = path.resolve(entryName);
                return Files.isRegularFile(file) ? Files.newInputStream(file) : null;
            }
            try (JarFile jar = new JarFile(path.toFile(), false))
            {
                final JarEntry entry = jar.getJarEntry(entryName);
                if (entry == null)
                {
                    return null;
                }
                try (InputStream in = jar.getInputStream(entry))
                {
                    return new ByteArrayInputStream(in.readAllBytes());
                }
            }
        }
        return TuningProfile.class.getResourceAsStream(resource);
    }
}
