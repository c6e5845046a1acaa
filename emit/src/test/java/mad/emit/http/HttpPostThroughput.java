package mad.emit.http;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import mad.emit.EmitContext;
import mad.emit.MapSettings;
import mad.engine.config.Settings;
import mad.engine.output.PeriodicData;

/**
 * Throwaway measurement (not a test): posts N bodies through an {@link HttpPostSink} at {@code maximumConcurrency}
 * 1 to an in-process raw-socket HTTP/1.1 server and prints POSTs/s, client bytes allocated per POST and client CPU
 * per POST (process CPU minus the server threads' CPU; allocation summed over every other live thread).
 * Usage: {@code java -cp ... mad.emit.http.HttpPostThroughput [posts] [bodyBytes] [rounds]}.
 */
public final class HttpPostThroughput
{
    private static final byte[] RESPONSE =
        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final Set<Long> SERVER_THREADS = ConcurrentHashMap.newKeySet();

    private HttpPostThroughput()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final int posts = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        final int bodyBytes = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        final int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final Thread acceptor = new Thread(() -> accept(listener), "bench-server-accept");
        acceptor.setDaemon(true);
        SERVER_THREADS.add(acceptor.getId());
        acceptor.start();
        final HttpFacility http = HttpFacility.defaults();
        final EmitContext context = new EmitContext("bench", System::currentTimeMillis, http);
        final Sink sink = new Sink(MapSettings.of("name", "bench", "uri",
            "http://127.0.0.1:" + listener.getLocalPort() + "/metrics/v1/data/persist", "maximumQueueSize",
            posts + 1), context);
        final byte[] body = new byte[bodyBytes];
        // Cold: the first POST pays for the client's initialisation (classes, threads, connect).
        final long cold0 = System.nanoTime();
        sink.post(body);
        while (sink.accepted() + sink.rejected() + sink.transportErrors() < 1)
        {
            Thread.sleep(0, 100_000);
        }
        System.out.printf("first POST (cold, client init included): %.1f ms%n", (System.nanoTime() - cold0) / 1e6);
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean();
        for (int round = 0; round < rounds; round++)
        {
            final long target = sink.accepted() + posts;
            final long cpu0 = os.getProcessCpuTime();
            final long server0 = serverCpu(threads);
            final long alloc0 = clientAllocated(threads);
            final long t0 = System.nanoTime();
            for (int i = 0; i < posts; i++)
            {
                sink.post(body);
            }
            while (sink.accepted() + sink.rejected() + sink.transportErrors() < target)
            {
                Thread.sleep(1);
            }
            final long elapsed = System.nanoTime() - t0;
            final long clientCpu = os.getProcessCpuTime() - cpu0 - (serverCpu(threads) - server0);
            final long allocated = clientAllocated(threads) - alloc0;
            System.out.printf("round %d: %d POSTs in %.2f s = %.0f POSTs/s, %.0f B/POST, %.1f us CPU/POST"
                    + " (errors %d)%n", round, posts, elapsed / 1e9, posts / (elapsed / 1e9),
                (double)allocated / posts, clientCpu / 1e3 / posts, sink.transportErrors() + sink.rejected());
        }
        sink.close();
        http.close();
        listener.close();
    }

    private static long serverCpu(final com.sun.management.ThreadMXBean threads)
    {
        long total = 0;
        for (final long id : SERVER_THREADS)
        {
            total += Math.max(0, threads.getThreadCpuTime(id));
        }
        return total;
    }

    /** Allocated bytes of every live thread except the server's (the posting main thread included). */
    private static long clientAllocated(final com.sun.management.ThreadMXBean threads)
    {
        final Set<Long> ids = new HashSet<>();
        for (final long id : threads.getAllThreadIds())
        {
            if (!SERVER_THREADS.contains(id))
            {
                ids.add(id);
            }
        }
        long total = 0;
        for (final long id : ids)
        {
            total += Math.max(0, threads.getThreadAllocatedBytes(id));
        }
        return total;
    }

    private static void accept(final ServerSocket listener)
    {
        try
        {
            while (true)
            {
                final Socket socket = listener.accept();
                socket.setTcpNoDelay(true);
                final Thread thread = new Thread(() -> serve(socket), "bench-server-conn");
                thread.setDaemon(true);
                SERVER_THREADS.add(thread.getId());
                thread.start();
            }
        }
        catch (final IOException e)
        {
            // closed
        }
    }

    /** Minimal HTTP/1.1 keep-alive responder: reads the head, skips Content-Length bytes, answers 200. */
    private static void serve(final Socket socket)
    {
        try (socket; InputStream in = new BufferedInputStream(socket.getInputStream(), 65536);
            OutputStream out = socket.getOutputStream())
        {
            final StringBuilder line = new StringBuilder();
            while (true)
            {
                int contentLength = 0;
                while (true)
                {
                    line.setLength(0);
                    int c;
                    while ((c = in.read()) != '\n')
                    {
                        if (c < 0)
                        {
                            return;
                        }
                        if (c != '\r')
                        {
                            line.append((char)c);
                        }
                    }
                    if (line.length() == 0)
                    {
                        break;
                    }
                    if (line.length() > 15 && line.substring(0, 15).equalsIgnoreCase("content-length:"))
                    {
                        contentLength = Integer.parseInt(line.substring(15).trim());
                    }
                }
                in.skipNBytes(contentLength);
                out.write(RESPONSE);
                out.flush();
            }
        }
        catch (final IOException e)
        {
            // client went away
        }
    }

    /** Posts raw bodies. */
    private static final class Sink extends HttpPostSink
    {
        Sink(final Settings settings, final EmitContext context)
        {
            super(settings, context, "application/protobuf");
        }

        void post(final byte[] body)
        {
            enqueue(body, 0, body.length);
        }

        @Override
        public void recordAggregateData(final PeriodicData data)
        {
        }
    }
}
