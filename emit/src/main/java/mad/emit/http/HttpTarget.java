package mad.emit.http;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import mad.engine.config.Settings;

/**
 * One parsed {@code http://} or {@code https://} sink URI: host, port (80/443 by default), request target (raw path
 * and query, {@code /} when empty), the {@code Host} header value and whether TLS is used. It also builds the
 * constant head of every POST to it ({@link #requestHead}), so a request costs no header objects at all.
 *
 * <p>Thread ownership: immutable, safe for any thread.
 */
public final class HttpTarget
{
    private final URI uri;
    private final boolean secure;
    private final String host;
    private final int port;
    private final String requestTarget;
    private final String hostHeader;

    private HttpTarget(final URI uri)
    {
        this.uri = uri;
        this.secure = "https".equalsIgnoreCase(uri.getScheme());
        final String rawHost = uri.getHost();
        // IPv6 literals come bracketed from URI.getHost(); sockets want them bare, the Host header bracketed.
        this.host = rawHost.startsWith("[") ? rawHost.substring(1, rawHost.length() - 1) : rawHost;
        final int defaultPort = secure ? 443 : 80;
        this.port = uri.getPort() < 0 ? defaultPort : uri.getPort();
        final String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        this.requestTarget = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        this.hostHeader = port == defaultPort ? rawHost : rawHost + ":" + port;
    }

    /**
     * @param uri an absolute {@code http} or {@code https} URI with a host.
     * @return the target.
     * @throws IllegalArgumentException for another scheme or a missing host.
     */
    public static HttpTarget of(final URI uri)
    {
        if (!isHttp(uri))
        {
            throw new IllegalArgumentException("'" + uri + "' must be an absolute http:// or https:// URI");
        }
        return new HttpTarget(uri);
    }

    /**
     * Reads the text of an HTTP sink's {@code uri} key: it must parse and be an absolute {@code http} or
     * {@code https} URI with a host (what {@link #of} accepts).
     *
     * @param settings the sink's settings (errors name their {@code uri} key).
     * @param text the key's value.
     * @return the URI.
     * @throws mad.engine.config.ConfigException when the text is not such a URI.
     */
    public static URI parseUri(final Settings settings, final String text)
    {
        final URI parsed;
        try
        {
            parsed = URI.create(text);
        }
        catch (final IllegalArgumentException e)
        {
            throw settings.error("uri", "'" + text + "' is not a valid URI: " + e.getMessage());
        }
        if (!isHttp(parsed))
        {
            throw settings.error("uri", "'" + text + "' must be an absolute http:// or https:// URI");
        }
        return parsed;
    }

    public URI uri()
    {
        return uri;
    }

    public boolean secure()
    {
        return secure;
    }

    /**
     * @return the host name or address literal (IPv6 without brackets).
     */
    public String host()
    {
        return host;
    }

    public int port()
    {
        return port;
    }

    public String requestTarget()
    {
        return requestTarget;
    }

    public String hostHeader()
    {
        return hostHeader;
    }

    /**
     * The bytes of a POST up to and including {@code Content-Length: } (the length digits, the blank line and the
     * body follow per request). HTTP/1.1 keep-alive is the default, so no {@code Connection} header is sent.
     *
     * @param contentType the {@code Content-Type} of every body.
     * @return US-ASCII bytes.
     */
    public byte[] requestHead(final String contentType)
    {
        return ("POST " + requestTarget + " HTTP/1.1\r\n"
            + "Host: " + hostHeader + "\r\n"
            + "User-Agent: madx\r\n"
            + "Content-Type: " + contentType + "\r\n"
            + "Content-Length: ").getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String toString()
    {
        return uri.toString();
    }

    private static boolean isHttp(final URI uri)
    {
        final String scheme = uri.getScheme();
        return ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) && uri.getHost() != null;
    }
}
