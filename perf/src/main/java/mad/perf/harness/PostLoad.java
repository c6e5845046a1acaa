package mad.perf.harness;

import java.util.Arrays;
import java.util.Locale;

/**
 * Measures an HTTP capture receiver's ceiling the way the daemons' PT1S sink loads it: {@code --connections}
 * keep-alive clients (default 1), each posting one {@code --body}-byte request at a time (concurrency 1, as
 * {@code AggregationServerHttpSink} with {@code maximumConcurrency} 1), as fast as the answers come back, for
 * {@code --seconds}. Prints requests/s and, with {@code --pid}, the receiver's CPU (utime+stime from
 * {@code /proc/<pid>/stat}) per second and per request; the client's own CPU is printed too.
 *
 * <pre>
 * java -cp perf/target/benchmarks.jar mad.perf.harness.PostLoad --port 7066 [--path /metrics/v1/data/persist_1s]
 *      [--body 200] [--seconds 10] [--connections 1] [--pid PID]
 * </pre>
 * A tool, not part of a harness run. Runs on the main thread plus one thread per extra connection.
 */
public final class PostLoad
{
    private PostLoad()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        int port = 7066;
        String path = "/metrics/v1/data/persist_1s";
        int bodyBytes = 200;
        int seconds = 10;
        int connections = 1;
        long pid = -1;
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--path" -> path = args[++i];
                case "--body" -> bodyBytes = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--pid" -> pid = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        final byte[] body = new byte[bodyBytes];
        Arrays.fill(body, (byte) 'x');
        // head and body in one array: one write per request, so the client costs the receiver as little as it can
        final byte[] head = HttpConn.postHead(path, "application/octet-stream", body.length);
        final byte[] request = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        // one second of warm-up (JIT on both sides), then the measured interval
        run(port, request, bodyBytes, 1, connections, -1);
        run(port, request, bodyBytes, seconds, connections, pid);
    }

    private static void run(final int port, final byte[] request, final int bodyBytes, final int seconds,
            final int connections, final long pid) throws InterruptedException
    {
        final long[] counts = new long[connections];
        final long[] errors = new long[connections];
        final Thread[] threads = new Thread[connections];
        final long self = ProcessHandle.current().pid();
        final long selfCpu0 = Proc.cpuMicros(self);
        final long cpu0 = pid > 0 ? Proc.cpuMicros(pid) : 0;
        final long start = System.nanoTime();
        final long end = start + seconds * 1_000_000_000L;
        for (int c = 0; c < connections; c++)
        {
            final int index = c;
            threads[c] = new Thread(() ->
            {
                try (HttpConn conn = new HttpConn("127.0.0.1", port))
                {
                    while (System.nanoTime() < end)
                    {
                        if (conn.exchange(request, null) == 200)
                        {
                            counts[index]++;
                        }
                        else
                        {
                            errors[index]++;
                        }
                    }
                }
            }, "post-" + c);
            threads[c].start();
        }
        long requests = 0;
        long failed = 0;
        for (int c = 0; c < connections; c++)
        {
            threads[c].join();
            requests += counts[c];
            failed += errors[c];
        }
        final double elapsed = (System.nanoTime() - start) / 1e9;
        if (pid <= 0)
        {
            return;
        }
        final double serverCpuUs = Proc.cpuMicros(pid) - cpu0;
        final double clientCpuUs = Proc.cpuMicros(self) - selfCpu0;
        System.out.printf(Locale.ROOT,
                "postload: %d connection(s), %d B bodies, %.1f s: %,.0f requests/s, %d errors; receiver CPU %.0f%% of a "
                        + "core, %.1f us/request; client CPU %.0f%%%n",
                connections, bodyBytes, elapsed, requests / elapsed, failed, serverCpuUs / elapsed / 1e4,
                serverCpuUs / Math.max(1, requests), clientCpuUs / elapsed / 1e4);
    }
}
