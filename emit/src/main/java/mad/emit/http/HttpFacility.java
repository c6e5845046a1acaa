package mad.emit.http;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP client shared by every HTTP sink of the process: one {@link HttpClient} (HTTP/1.1, keep-alive, connect
 * timeout 5 s as MAD's async-http-client) running its callbacks on a small explicit executor, plus one timer thread
 * for spread delays and retry backoff. Created lazily, so a configuration without HTTP sinks starts no thread.
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

    private final int threads;
    private final Duration requestTimeout;
    private HttpClient client;
    private ExecutorService executor;
    private ScheduledExecutorService scheduler;

    /**
     * @param threads callback threads of the client (2 is plenty: sinks post a few bodies per period).
     * @param requestTimeout timeout of one request, response included.
     */
    public HttpFacility(final int threads, final Duration requestTimeout)
    {
        this.threads = threads;
        this.requestTimeout = requestTimeout;
    }

    /**
     * @return a facility with MAD's timeouts and two callback threads.
     */
    public static HttpFacility defaults()
    {
        return new HttpFacility(2, REQUEST_TIMEOUT);
    }

    /**
     * @return the shared client (created on first use).
     */
    public synchronized HttpClient client()
    {
        if (client == null)
        {
            executor = Executors.newFixedThreadPool(threads, daemonThreads("madx-sink-http-"));
            client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
        }
        return client;
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

    /**
     * @return the client's callback executor (created with the client).
     */
    public synchronized ExecutorService executor()
    {
        client();
        return executor;
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
        if (executor != null)
        {
            executor.shutdownNow();
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
