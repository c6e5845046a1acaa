package mad.emit.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

/**
 * Loopback HTTP peer for sink tests: records each request body and content type, answers with a scripted status,
 * can hold requests behind a gate, and tracks the highest number of requests handled at once. Public for the
 * self-metrics tests of {@code mad.emit.self}.
 */
public final class TestServer implements AutoCloseable
{
    static
    {
        // The JDK server writes headers and body separately; without TCP_NODELAY each response waits ~40 ms for
        // the client's delayed ACK (Nagle), which makes sequential posts crawl. Read once, at first server use.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    final BlockingQueue<byte[]> bodies = new LinkedBlockingQueue<>();
    public final BlockingQueue<String> contentTypes = new LinkedBlockingQueue<>();
    final BlockingQueue<Integer> statuses = new LinkedBlockingQueue<>();
    final AtomicInteger current = new AtomicInteger();
    final AtomicInteger maximum = new AtomicInteger();
    public volatile int defaultStatus = 200;
    volatile CountDownLatch gate = new CountDownLatch(0);
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(6);

    public TestServer() throws IOException
    {
        this(0);
    }

    /**
     * @param port the port to bind (0 = any); a restarted peer binds the port of the one it replaces.
     */
    public TestServer(final int port) throws IOException
    {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.setExecutor(executor);
        server.createContext("/", exchange ->
        {
            final int now = current.incrementAndGet();
            maximum.accumulateAndGet(now, Math::max);
            try (InputStream in = exchange.getRequestBody())
            {
                // Content type first: tests poll it without waiting once they have the body.
                contentTypes.add(String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")));
                bodies.add(in.readAllBytes());
                gate.await(10, TimeUnit.SECONDS);
                final Integer scripted = statuses.poll();
                final int status = scripted == null ? defaultStatus : scripted;
                final byte[] response = status == 204 ? new byte[0] : "ok".getBytes();
                current.decrementAndGet();
                exchange.sendResponseHeaders(status, status == 204 ? -1 : response.length);
                try (OutputStream out = exchange.getResponseBody())
                {
                    out.write(response);
                }
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
            finally
            {
                exchange.close();
            }
        });
        server.start();
    }

    public int port()
    {
        return server.getAddress().getPort();
    }

    public String uri()
    {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/metrics/v1/data/persist";
    }

    /**
     * @return the next received body (waits up to 5 s, fails with null otherwise).
     */
    public byte[] next() throws InterruptedException
    {
        return bodies.poll(5, TimeUnit.SECONDS);
    }

    @Override
    public void close()
    {
        server.stop(0);
        executor.shutdownNow();
    }
}
