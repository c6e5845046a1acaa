package mad.compat.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import mad.engine.config.Settings;

/**
 * The daemon file ({@code config.conf}, mad-spec §1.2) bound with MAD 1.20.1's defaults, required keys and range
 * checks. Keys we read but do not act on, and keys MAD ignores, are listed by {@link #unusedKeys()} for the caller to
 * log once at INFO.
 *
 * <p>{@code akkaConfiguration} (1.20.1) or {@code pekkoConfiguration} (HEAD) must be present as an object: each MAD
 * version requires its own, we accept either. Only {@code *.http.server.parsing.max-content-length} is taken from it.
 *
 * <p>Thread ownership: immutable; built by the loading thread, then shared read-only.
 *
 * @param monitoringCluster cluster dimension of self-metrics (required, non-empty).
 * @param monitoringService service dimension of self-metrics (default {@code mad}).
 * @param monitoringHost host dimension override (HEAD only key; empty means the local host name).
 * @param monitoringSinks the self-metrics client sinks; when the file has none, MAD's default: one
 *        {@code com.arpnetworking.metrics.impl.ApacheHttpSink} with client defaults (path {@code monitoringSinks[0]}).
 * @param monitoringSinksDefaulted true when {@code monitoringSinks} was absent and the default was synthesized.
 * @param metricsClientHost deprecated; when it or the port is set MAD ignores {@code monitoringSinks}.
 * @param metricsClientPort deprecated, 1..65535.
 * @param jvmMetricsCollectionInterval JVM self-metrics period (default PT1S).
 * @param logDirectory created at start (required; relative to the working directory).
 * @param pipelinesDirectory every entry is a pipeline file (required; relative to the working directory).
 * @param httpHost HTTP bind address (required).
 * @param httpPort HTTP port 1..65535 (required).
 * @param httpsHost HTTPS bind address (required even when HTTPS is off).
 * @param httpsPort HTTPS port 1..65535 (required even when HTTPS is off).
 * @param enableHttps serve HTTPS too (default false).
 * @param httpsKeyPath PKCS#8 PEM key (default {@code /opt/mad/tls/key.pem}).
 * @param httpsCertificatePath PEM certificate (default {@code /opt/mad/tls/cert.pem}).
 * @param httpHealthCheckPath default {@code /ping}.
 * @param httpStatusPath default {@code /status}.
 * @param maxContentLength largest accepted HTTP body in bytes, {@link #INFINITE} for no limit (default 8 MiB).
 * @param tuningProfile ours: the name of the tuning profile (default {@code shared-2core}).
 * @param unusedKeys top-level keys of the file that have no effect here, in file (rendered) order.
 */
public record DaemonConfig(
        String monitoringCluster,
        String monitoringService,
        Optional<String> monitoringHost,
        List<Settings> monitoringSinks,
        boolean monitoringSinksDefaulted,
        Optional<String> metricsClientHost,
        OptionalInt metricsClientPort,
        Duration jvmMetricsCollectionInterval,
        Path logDirectory,
        Path pipelinesDirectory,
        String httpHost,
        int httpPort,
        String httpsHost,
        int httpsPort,
        boolean enableHttps,
        String httpsKeyPath,
        String httpsCertificatePath,
        String httpHealthCheckPath,
        String httpStatusPath,
        long maxContentLength,
        String tuningProfile,
        List<String> unusedKeys)
{
    /** {@link #maxContentLength()} when the actor-system configuration says {@code "infinite"}. */
    public static final long INFINITE = Long.MAX_VALUE;
    /** akka-http's default {@code max-content-length}: 8m. */
    public static final long DEFAULT_MAX_CONTENT_LENGTH = 8L * 1024 * 1024;
    /** The only client sink class on MAD's class path, used by the default monitoring sink. */
    public static final String APACHE_HTTP_SINK = "com.arpnetworking.metrics.impl.ApacheHttpSink";
    /** Our tuning profile when the file names none. */
    public static final String DEFAULT_TUNING_PROFILE = "shared-2core";

    private static final String AKKA = "akkaConfiguration";
    private static final String PEKKO = "pekkoConfiguration";
    private static final String MAX_CONTENT_LENGTH = "http.server.parsing.max-content-length";
    /** Keys we bind and act on; everything else in the file is reported by {@link #unusedKeys()}. */
    private static final Set<String> USED_KEYS = Set.of(
            "monitoringCluster", "monitoringService", "monitoringHost", "monitoringSinks", "metricsClientHost",
            "metricsClientPort", "jvmMetricsCollectionInterval", "logDirectory", "pipelinesDirectory", "httpHost",
            "httpPort", "httpsHost", "httpsPort", "enableHttps", "httpsKeyPath", "httpsCertificatePath",
            "httpHealthCheckPath", "httpStatusPath", "tuningProfile");

    /**
     * Canonical constructor: defensive copies.
     */
    public DaemonConfig
    {
        monitoringSinks = List.copyOf(monitoringSinks);
        unusedKeys = List.copyOf(unusedKeys);
    }

    /**
     * Binds and validates the daemon file.
     *
     * @param settings the root of the daemon file (from {@link ConfigLoader#load(Path)}).
     * @return the configuration.
     * @throws mad.engine.config.ConfigException naming the key for a missing, mistyped or out-of-range value.
     */
    public static DaemonConfig from(final Settings settings)
    {
        final String monitoringCluster = nonEmpty(settings, "monitoringCluster");
        final String monitoringService = nonEmptyOr(settings, "monitoringService", "mad");
        final Optional<String> monitoringHost = Optional.ofNullable(settings.string("monitoringHost", null));
        final boolean sinksDefaulted = !settings.has("monitoringSinks");
        final List<Settings> monitoringSinks = sinksDefaulted
                ? List.of(defaultMonitoringSink(settings))
                : settings.children("monitoringSinks");
        for (int i = 0; i < monitoringSinks.size(); i++)
        {
            if (!monitoringSinks.get(i).has("class"))
            {
                throw settings.error("monitoringSinks[" + i + "].class", "is required (the client sink class name, "
                        + "e.g. " + APACHE_HTTP_SINK + ")");
            }
        }
        final Optional<String> metricsClientHost = settings.has("metricsClientHost")
                ? Optional.of(nonEmpty(settings, "metricsClientHost"))
                : Optional.empty();
        final OptionalInt metricsClientPort = settings.has("metricsClientPort")
                ? OptionalInt.of(port(settings, "metricsClientPort"))
                : OptionalInt.empty();
        final Duration jvmInterval = settings.duration("jvmMetricsCollectionInterval", Duration.ofSeconds(1));
        if (jvmInterval.isNegative() || jvmInterval.isZero())
        {
            throw settings.error("jvmMetricsCollectionInterval", "must be positive but is " + jvmInterval);
        }
        final Path logDirectory = Path.of(settings.string("logDirectory"));
        final Path pipelinesDirectory = Path.of(settings.string("pipelinesDirectory"));
        final String httpHost = nonEmpty(settings, "httpHost");
        final int httpPort = port(settings, "httpPort");
        final String httpsHost = nonEmpty(settings, "httpsHost");
        final int httpsPort = port(settings, "httpsPort");
        final boolean enableHttps = settings.bool("enableHttps", false);
        final String httpsKeyPath = nonEmptyOr(settings, "httpsKeyPath", "/opt/mad/tls/key.pem");
        final String httpsCertificatePath = nonEmptyOr(settings, "httpsCertificatePath", "/opt/mad/tls/cert.pem");
        final String healthPath = nonEmptyOr(settings, "httpHealthCheckPath", "/ping");
        final String statusPath = nonEmptyOr(settings, "httpStatusPath", "/status");
        final long maxContentLength = maxContentLength(settings);
        final String tuningProfile = nonEmptyOr(settings, "tuningProfile", DEFAULT_TUNING_PROFILE);
        return new DaemonConfig(monitoringCluster, monitoringService, monitoringHost, monitoringSinks, sinksDefaulted,
                metricsClientHost, metricsClientPort, jvmInterval, logDirectory, pipelinesDirectory, httpHost, httpPort,
                httpsHost, httpsPort, enableHttps, httpsKeyPath, httpsCertificatePath, healthPath, statusPath,
                maxContentLength, tuningProfile, unused(settings));
    }

    /**
     * @return true when the deprecated {@code metricsClientHost}/{@code metricsClientPort} replace
     *         {@link #monitoringSinks()} (MAD then posts to {@link #metricsClientUri()}).
     */
    public boolean usesMetricsClient()
    {
        return metricsClientHost.isPresent() || metricsClientPort.isPresent();
    }

    /**
     * @return {@code http://{host or localhost}:{port or 7090}/metrics/v3/application}, MAD's deprecated target.
     */
    public String metricsClientUri()
    {
        return "http://" + metricsClientHost.orElse("localhost") + ":" + metricsClientPort.orElse(7090)
                + "/metrics/v3/application";
    }

    /**
     * @return the client sinks self-metrics go to: one {@code ApacheHttpSink} posting to {@link #metricsClientUri()}
     *         when the deprecated {@code metricsClientHost}/{@code metricsClientPort} are set (MAD then ignores
     *         {@code monitoringSinks}), else {@link #monitoringSinks()}.
     */
    public List<Settings> selfMetricsSinks()
    {
        if (!usesMetricsClient())
        {
            return monitoringSinks;
        }
        final ConfigObject object = ConfigValueFactory.fromMap(Map.of("class", APACHE_HTTP_SINK,
                "uri", metricsClientUri()), "deprecated metricsClientHost/metricsClientPort");
        final String file = monitoringSinks.isEmpty() ? "" : monitoringSinks.get(0).file();
        return List.of(HoconSettings.of(object, file,
                metricsClientHost.isPresent() ? "metricsClientHost" : "metricsClientPort"));
    }

    /**
     * @param localHostName the resolved local host name, used when {@code monitoringHost} is absent.
     * @return the base dimensions of every self-metrics record: {@code cluster}, {@code service}, {@code host}.
     */
    public Map<String, String> selfMetricsDimensions(final String localHostName)
    {
        final Map<String, String> dimensions = new LinkedHashMap<>();
        dimensions.put("cluster", monitoringCluster);
        dimensions.put("service", monitoringService);
        dimensions.put("host", monitoringHost.orElse(localHostName));
        return Collections.unmodifiableMap(dimensions);
    }

    private static Settings defaultMonitoringSink(final Settings settings)
    {
        final ConfigObject object = ConfigValueFactory.fromMap(Map.of("class", APACHE_HTTP_SINK),
                "default monitoring sink");
        final String path = settings.path().isEmpty() ? "monitoringSinks[0]" : settings.path() + ".monitoringSinks[0]";
        return HoconSettings.of(object, settings.file(), path);
    }

    private static String nonEmpty(final Settings settings, final String key)
    {
        final String value = settings.string(key);
        if (value.isEmpty())
        {
            throw settings.error(key, "must not be empty");
        }
        return value;
    }

    private static String nonEmptyOr(final Settings settings, final String key, final String defaultValue)
    {
        return settings.has(key) ? nonEmpty(settings, key) : defaultValue;
    }

    private static int port(final Settings settings, final String key)
    {
        final int port = settings.integer(key);
        if (port < 1 || port > 65535)
        {
            throw settings.error(key, "must be a port in 1..65535 but is " + port);
        }
        return port;
    }

    /**
     * akka-http reads {@code max-content-length} with {@code getPossiblyInfiniteBytes}: "infinite" or a HOCON size.
     * 1.20.1 reads the akka block, HEAD the pekko block; the akka one wins when both are present.
     */
    private static long maxContentLength(final Settings settings)
    {
        final String actorKey;
        final String root;
        if (settings.has(AKKA))
        {
            actorKey = AKKA;
            root = "akka";
        }
        else if (settings.has(PEKKO))
        {
            actorKey = PEKKO;
            root = "pekko";
        }
        else
        {
            throw settings.error(AKKA, "is required (or " + PEKKO + " for MAD 1.22+): the actor-system "
                    + "configuration object");
        }
        if (!(settings instanceof HoconSettings))
        {
            return DEFAULT_MAX_CONTENT_LENGTH;
        }
        final ConfigValue block = ((HoconSettings) settings).object().get(actorKey);
        if (block.valueType() != ConfigValueType.OBJECT)
        {
            throw settings.error(actorKey, "expected an object but found " + block.valueType().name().toLowerCase());
        }
        final Config config = ((ConfigObject) block).toConfig();
        final String path = root + "." + MAX_CONTENT_LENGTH;
        final String keyPath = actorKey + "." + path;
        try
        {
            if (!config.hasPath(path))
            {
                return DEFAULT_MAX_CONTENT_LENGTH;
            }
            final ConfigValue value = config.getValue(path);
            if (value.valueType() == ConfigValueType.STRING && "infinite".equals(value.unwrapped()))
            {
                return INFINITE;
            }
            final long bytes = config.getBytes(path);
            if (bytes < 0)
            {
                throw settings.error(keyPath, "must not be negative but is " + bytes);
            }
            return bytes;
        }
        catch (final com.typesafe.config.ConfigException e)
        {
            throw settings.error(keyPath, "expected \"infinite\" or a size such as 8m or 8388608 ("
                    + e.getMessage() + ")");
        }
    }

    private static List<String> unused(final Settings settings)
    {
        if (!(settings instanceof HoconSettings))
        {
            return List.of();
        }
        final List<String> unused = new ArrayList<>();
        for (final String key : ((HoconSettings) settings).keys())
        {
            if (!USED_KEYS.contains(key))
            {
                unused.add(key);
            }
        }
        return Collections.unmodifiableList(unused);
    }
}
