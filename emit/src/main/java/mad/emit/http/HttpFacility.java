package mad.emit.http;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.handler.ssl.SslContext;

/**
 * The HTTP client shared by every HTTP sink of the process: one {@link HttpClientLoop} (the {@code madx-http-client}
 * Netty event loop owning every sink's HTTP/1.1 keep-alive connections; connect timeout 5 s and request timeout 60 s
 * as MAD's async-http-client), plus one timer thread for spread delays and retry backoff. Both are created lazily,
 * so a configuration without HTTP sinks starts no thread. Proxies ({@code http.proxyHost}, ...) are ignored, as
 * MAD's client does.
 *
 * <p>Thread ownership: safe for any thread. The owner (the daemon's runtime) calls {@link #close()} once, after
 * every sink has been closed.
 */
public final class HttpFacility implements AutoCloseable
{
    /** MAD (async-http-client default): connect timeout. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** MAD (async-http-client default): request timeout. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final Duration requestTimeout;
    private final SslContext tls;
    private HttpClientLoop client;
    private ScheduledExecutorService scheduler;

    /**
     * @param requestTimeout timeout of one request, from hand-over to the end of the response.
     * @param tls client TLS context for {@code https} targets, or {@code null} for the JVM's default trust.
     */
    public HttpFacility(final Duration requestTimeout, final SslContext tls)
    {
        this.requestTimeout = requestTimeout;
        this.tls = tls;
    }

    /**
     * @return a facility with MAD's timeouts and the JVM's default trust store.
     */
    public static HttpFacility defaults()
    {
        return new HttpFacility(REQUEST_TIMEOUT, null);
    }

    /**
     * @return the shared client loop (created on first use).
     */
    public synchronized HttpClientLoop client()
    {
        if (client == null)
        {
            client = new HttpClientLoop(CONNECT_TIMEOUT.toMillis(), tls);
        }
        return client;
    }

    /**
     * @param target where to post.
     * @param contentType the {@code Content-Type} of every body.
     * @return a new keep-alive connection on the shared loop, with this facility's request timeout.
     */
    public HttpConnection connection(final HttpTarget target, final String contentType)
    {
        return client().connection(target, contentType, requestTimeout.toMillis());
    }

    /**
     * @return the shared timer (created on first use); tasks must be short and must not block.
     */
    public synchronized ScheduledExecutorService scheduler()
    {
        if (scheduler == null)
        {
            final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, daemonThreads("madx-sink-timer-"));
            timer.setRemoveOnCancelPolicy(true);
            scheduler = timer;
        }
        return scheduler;
    }

    public Duration requestTimeout()
    {
        return requestTimeout;
    }

    /**
     * Stops the threads. In-flight requests are abandoned: sinks have drained before this is called.
     */
    @Override
    public synchronized void close()
    {
        if (scheduler != null)
        {
            scheduler.shutdownNow();
        }
        if (client != null)
        {
            client.close();
        }
    }

    private static ThreadFactory daemonThreads(final String prefix)
    {
        final AtomicInteger number = new AtomicInteger();
        return runnable ->
        {
            final Thread thread = new Thread(runnable, prefix + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
