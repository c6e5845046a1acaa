package mad.compat.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mad.engine.config.ConfigException;

/**
 * Loads a daemon or pipeline file exactly as MAD picks and parses it (mad-spec §1.1):
 * <ul>
 *   <li>a name ending {@code .conf} (any case) is HOCON: Typesafe {@code parseFile}, then the JVM system properties as
 *       root fallback, then {@code resolve()} with environment variables, so {@code include}, {@code ${var}},
 *       {@code ${?ENV}}, concatenation, path keys and {@code null} behave as in MAD; relative includes resolve
 *       against the including file;</li>
 *   <li>any other name is strict JSON (no comments, no substitutions, no system-property fallback).</li>
 * </ul>
 * Relative paths resolve against the working directory. Every failure (missing file, syntax error, unresolved
 * substitution) becomes a {@link ConfigException} naming the file and, when Typesafe reports one, the line.
 *
 * <p>Thread ownership: stateless; called by the thread that (re)loads configuration.
 */
public final class ConfigLoader
{
    private static final Pattern LINE_PREFIX = Pattern.compile("^(\\d+): (.*)$", Pattern.DOTALL);

    private ConfigLoader()
    {
    }

    /**
     * @param file a file name.
     * @return true when MAD parses it as HOCON (name ends {@code .conf}, case-insensitive).
     */
    public static boolean isHocon(final Path file)
    {
        final Path name = file.getFileName();
        return name != null && name.toString().toLowerCase(Locale.ROOT).endsWith(".conf");
    }

    /**
     * Loads and resolves a file.
     *
     * @param file the file, relative paths against the working directory.
     * @return the root object of the file.
     * @throws ConfigException when the file is missing, unreadable, malformed or has an unresolved substitution.
     */
    public static HoconSettings load(final Path file)
    {
        final Path absolute = file.toAbsolutePath().normalize();
        final String name = absolute.toString();
        if (!Files.exists(absolute))
        {
            throw new ConfigException(name, "", "file not found");
        }
        if (Files.isDirectory(absolute))
        {
            throw new ConfigException(name, "", "is a directory, not a configuration file");
        }
        if (!Files.isReadable(absolute))
        {
            throw new ConfigException(name, "", "file cannot be read");
        }
        try
        {
            if (isHocon(absolute))
            {
                final Config parsed = ConfigFactory.parseFile(
                        absolute.toFile(),
                        ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setAllowMissing(false));
                final Set<String> declared = new LinkedHashSet<>(parsed.root().keySet());
                final Config resolved = parsed.withFallback(systemProperties()).resolve(ConfigResolveOptions.defaults());
                return new HoconSettings(resolved.root(), name, "", KeyOrder.RENDERED, declared);
            }
            final ConfigObject root = ConfigFactory.parseFile(
                    absolute.toFile(),
                    ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON).setAllowMissing(false))
                    .resolve()
                    .root();
            return new HoconSettings(root, name, "", KeyOrder.FILE, null);
        }
        catch (final com.typesafe.config.ConfigException e)
        {
            throw new ConfigException(name, "", reason(name, e));
        }
    }

    /**
     * A fresh snapshot of the JVM system properties as a Config, like {@code ConfigFactory.systemProperties()} but
     * not cached, so a property set after the first load is seen on reload (and in tests).
     */
    private static Config systemProperties()
    {
        final Properties copy = (Properties) System.getProperties().clone();
        return ConfigFactory.parseProperties(copy, ConfigParseOptions.defaults().setOriginDescription("system properties"));
    }

    /**
     * Turns Typesafe's "{@code /abs/file.conf: 12: message}" into "{@code line 12: message}" for errors in the file
     * itself; errors inside an included file keep that file's name.
     */
    static String reason(final String file, final com.typesafe.config.ConfigException e)
    {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        final ConfigOrigin origin = e.origin();
        final String prefix = file + ": ";
        if (message.startsWith(prefix))
        {
            message = message.substring(prefix.length());
            final Matcher matcher = LINE_PREFIX.matcher(message);
            if (matcher.matches())
            {
                return "line " + matcher.group(1) + ": " + matcher.group(2);
            }
            if (origin != null && origin.lineNumber() > 0)
            {
                return "line " + origin.lineNumber() + ": " + message;
            }
            return message;
        }
        return message;
    }
}
