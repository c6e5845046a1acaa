package mad.ingest.http;

import java.util.Locale;

/**
 * Settings of the HTTP listener: MAD's {@code httpHost}, {@code httpPort}, {@code httpHealthCheckPath},
 * {@code httpStatusPath}, the body limit MAD takes from {@code akka.http.server.parsing.max-content-length}, and what
 * {@code /status} reports.
 *
 * <p>Thread safety: immutable.
 */
public final class HttpServerConfig
{
    /** akka-http's default body limit (8m). */
    public static final int DEFAULT_MAX_CONTENT_LENGTH = 8 * 1024 * 1024;
    /** What {@code "infinite"} becomes: a body must fit one aggregated buffer. */
    public static final int INFINITE_MAX_CONTENT_LENGTH = 64 * 1024 * 1024;

    private final String host;
    private final int port;
    private final String healthCheckPath;
    private final String statusPath;
    private final int maxContentLength;
    private final String version;
    private final String sha;

    /**
     * @param host bind address.
     * @param port bind port (0 = ephemeral, for tests).
     * @param healthCheckPath GET path answering {@code {"status":"HEALTHY"}}.
     * @param statusPath GET path answering the build status.
     * @param maxContentLength largest accepted body in bytes.
     * @param version version reported by the status path.
     * @param sha git sha reported by the status path ("unknown" when not known).
     */
    public HttpServerConfig(
        final String host,
        final int port,
        final String healthCheckPath,
        final String statusPath,
        final int maxContentLength,
        final String version,
        final String sha)
    {
        if (port < 0 || port > 65535)
        {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (maxContentLength < 0)
        {
            throw new IllegalArgumentException("maxContentLength must not be negative: " + maxContentLength);
        }
        this.host = host;
        this.port = port;
        this.healthCheckPath = healthCheckPath;
        this.statusPath = statusPath;
        this.maxContentLength = maxContentLength;
        this.version = version == null ? "unknown" : version;
        this.sha = sha == null ? "unknown" : sha;
    }

    /**
     * @param host bind address.
     * @param port bind port.
     * @return a configuration with MAD's default paths, the 8 MiB limit and this build's version.
     */
    public static HttpServerConfig defaults(final String host, final int port)
    {
        final String implementation = HttpServerConfig.class.getPackage().getImplementationVersion();
        return new HttpServerConfig(
            host, port, "/ping", "/status", DEFAULT_MAX_CONTENT_LENGTH,
            implementation == null ? "unknown" : implementation, "unknown");
    }

    /**
     * Reads akka's {@code http.server.parsing.max-content-length} value: {@code "infinite"} becomes
     * {@link #INFINITE_MAX_CONTENT_LENGTH}; otherwise a HOCON memory size ({@code 8388608}, {@code 8m}, {@code 8MiB},
     * {@code 8MB} = 8,000,000); absent means akka's default 8 MiB. Values beyond an int are capped.
     *
     * @param value the configured value, or null.
     * @return the limit in bytes.
     * @throws IllegalArgumentException when the value is not a size.
     */
    public static int parseMaxContentLength(final String value)
    {
        if (value == null)
        {
            return DEFAULT_MAX_CONTENT_LENGTH;
        }
        final String text = value.trim();
        if ("infinite".equalsIgnoreCase(text))
        {
            return INFINITE_MAX_CONTENT_LENGTH;
        }
        int split = 0;
        while (split < text.length() && (Character.isDigit(text.charAt(split)) || text.charAt(split) == '.'))
        {
            split++;
        }
        if (split == 0)
        {
            throw new IllegalArgumentException("not a memory size: " + value);
        }
        final double number = Double.parseDouble(text.substring(0, split));
        final String unit = text.substring(split).trim();
        final double bytes = number * multiplier(unit, value);
        return bytes >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int)bytes;
    }

    private static double multiplier(final String unit, final String value)
    {
        switch (unit)
        {
            case "":
            case "b":
            case "B":
            case "byte":
            case "bytes":
                return 1;
            case "kB":
            case "kilobyte":
            case "kilobytes":
                return 1e3;
            case "MB":
            case "megabyte":
            case "megabytes":
                return 1e6;
            case "GB":
            case "gigabyte":
            case "gigabytes":
                return 1e9;
            default:
                break;
        }
        switch (unit.toLowerCase(Locale.ROOT))
        {
            case "k":
            case "ki":
            case "kib":
            case "kibibyte":
            case "kibibytes":
                return 1024;
            case "m":
            case "mi":
            case "mib":
            case "mebibyte":
            case "mebibytes":
                return 1024 * 1024;
            case "g":
            case "gi":
            case "gib":
            case "gibibyte":
            case "gibibytes":
                return 1024.0 * 1024 * 1024;
            default:
                throw new IllegalArgumentException("not a memory size: " + value);
        }
    }

    public String host()
    {
        return host;
    }

    public int port()
    {
        return port;
    }

    public String healthCheckPath()
    {
        return healthCheckPath;
    }

    public String statusPath()
    {
        return statusPath;
    }

    public int maxContentLength()
    {
        return maxContentLength;
    }

    public String version()
    {
        return version;
    }

    public String sha()
    {
        return sha;
    }

    /**
     * @param newPort another port.
     * @return a copy bound to that port.
     */
    public HttpServerConfig withPort(final int newPort)
    {
        return new HttpServerConfig(host, newPort, healthCheckPath, statusPath, maxContentLength, version, sha);
    }

    /**
     * @param newMaxContentLength another body limit.
     * @return a copy with that limit.
     */
    public HttpServerConfig withMaxContentLength(final int newMaxContentLength)
    {
        return new HttpServerConfig(host, port, healthCheckPath, statusPath, newMaxContentLength, version, sha);
    }
}
