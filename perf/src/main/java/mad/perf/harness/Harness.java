package mad.perf.harness;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The side-by-side load harness: starts MAD 1.20.1 and madx in turn on the unchanged reference configuration, drives
 * the same workloads (StatsD 1k / 100k series, ClientV3, Prometheus remote write, Graphite), counts what reaches the
 * PT1S sink (posted to the harness's own {@link CaptureReceiver}, a separate process), searches the highest offered
 * rate with &lt; 0.1 % loss and writes JSON plus a Markdown table.
 * A third daemon, {@code collectd} (Debian's collectd-core, its C statsd plugin), runs the StatsD workloads without
 * DogStatsD tags (it rejects them); its loss is the kernel's receive-buffer drops on 8125/udp, since the plugin never
 * drops a datagram after reading it. Runs on the main thread; one generator thread per client and an RSS sampler.
 *
 * <pre>
 * java -cp perf/target/benchmarks.jar mad.perf.harness.Harness [--quick] [--home DIR] [--mad-ref DIR]
 *      [--daemons mad,madx,collectd] [--workloads statsd-1k,statsd-100k,clientv3,prometheus,graphite] [--out DIR]
 *      [--receiver harness|capture-server]
 * </pre>
 * Without {@code --out} the JSON goes to {@code perf/results/} and the table to {@code perf/RESULTS.md}; with it, both
 * go to DIR (so a trial run does not overwrite the committed table). {@code MAD_JVM_OPTS} / {@code MADX_JVM_OPTS} of
 * the harness's environment are appended to the daemons' options (after its {@code -Xlog:gc}).
 */
public final class Harness
{
    private static final int HTTP = 7090;
    private static final int STATSD = 8125;
    private static final int GRAPHITE = 2003;
    private static final int CAPTURE = 7066;
    private static final double MAX_LOSS = 0.001;
    private static final double MIN_ACHIEVED = 0.97;
    private static final String COLLECTD = "collectd";
    private static final String COLLECTD_BIN = "/usr/sbin/collectd";

    private final boolean _quick;
    private final Path _home;
    private final Path _madRef;
    private final Path _work;
    private final List<String> _workloadNames;
    private final long _trialMs;
    private final double _startRate;
    private final double _capRate;
    private final double _httpCapRate;
    private final boolean _refReceiver;
    private final int _bisect;
    private final int _maxTrials;
    private final AtomicLong _rssMax = new AtomicLong();
    private volatile long _rssPid = -1;
    private long _receiverPid = -1;

    private Harness(final boolean quick, final Path home, final Path madRef, final Path work,
            final List<String> workloads, final boolean refReceiver)
    {
        _quick = quick;
        _home = home;
        _madRef = madRef;
        _work = work;
        _workloadNames = workloads;
        _trialMs = quick ? 2000 : 5000;
        _startRate = quick ? 50_000 : 25_000;
        _capRate = quick ? 3_200_000 : 6_400_000;
        // closed-loop HTTP (ClientV3, Prometheus): madx passed 6.4 M/s without loss, so the cap hid its ceiling
        _httpCapRate = quick ? 12_800_000 : 25_600_000;
        _refReceiver = refReceiver;
        _bisect = quick ? 1 : 3;
        // doubling from the start rate to the HTTP cap, then the bisection steps
        _maxTrials = quick ? 10 : 15;
    }

    public static void main(final String[] args) throws Exception
    {
        boolean quick = false;
        Path home = Paths.get(".").toAbsolutePath().normalize();
        Path madRef = null;
        // collectd's statsd plugin is the third row where it is installed (bin/install-test-peers installs it)
        String daemons = Files.isExecutable(Paths.get(COLLECTD_BIN)) ? "mad,madx,collectd" : "mad,madx";
        String workloads = "statsd-1k,statsd-100k,clientv3,prometheus,graphite";
        Path out = null;
        boolean refReceiver = false;
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--quick" -> quick = true;
                case "--home" -> home = Paths.get(args[++i]).toAbsolutePath().normalize();
                case "--mad-ref" -> madRef = Paths.get(args[++i]).toAbsolutePath().normalize();
                case "--daemons" -> daemons = args[++i];
                case "--workloads" -> workloads = args[++i];
                case "--out" -> out = Paths.get(args[++i]).toAbsolutePath().normalize();
                case "--receiver" -> refReceiver = switch (args[++i])
                {
                    case "harness" -> false;
                    case "capture-server" -> true;
                    default -> throw new IllegalArgumentException("--receiver harness|capture-server");
                };
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (madRef == null)
        {
            madRef = home.resolve("../shared/mad-ref").normalize();
        }
        // With --out, everything (JSON and RESULTS.md) goes there and the committed perf/RESULTS.md is left alone.
        final Path markdown = out == null ? home.resolve("perf/RESULTS.md") : out.resolve("RESULTS.md");
        if (out == null)
        {
            out = home.resolve("perf/results");
        }
        final Path work = home.resolve("perf/target/harness");
        final Harness h = new Harness(quick, home, madRef, work, List.of(workloads.split(",")), refReceiver);
        final Map<String, Map<String, Object>> results = new LinkedHashMap<>();
        final long t0 = System.currentTimeMillis();
        for (final String d : daemons.split(","))
        {
            results.put(d, h.runDaemon(d));
        }
        final long minutes = (System.currentTimeMillis() - t0) / 60_000;
        h.report(results, out, markdown, minutes);
    }

    // ------------------------------------------------------------------------------------------------- daemon

    private Map<String, Object> runDaemon(final String daemon) throws Exception
    {
        final Map<String, Object> r = new LinkedHashMap<>();
        final Path dir = _work.resolve(daemon);
        deleteTree(dir);
        Files.createDirectories(dir.resolve("capture"));
        waitPorts();
        final Process capture = startReceiver(dir.resolve("capture"), dir.resolve("capture.log"));
        _receiverPid = capture.pid();
        try
        {
            if (!waitPing(CAPTURE, 30_000))
            {
                throw new IllegalStateException("sink receiver did not start");
            }
            // warm start (page cache; madx writes its class-data archive on the first exit), then the measured one
            final boolean collectd = COLLECTD.equals(daemon);
            final Process warm = startDaemon(daemon, dir.resolve("warm"));
            waitUp(collectd, 60_000);
            stop(warm);
            waitPorts(HTTP, STATSD, GRAPHITE);
            final long exec = System.nanoTime();
            final Process p = startDaemon(daemon, dir.resolve("run"));
            final long pid = p.pid();
            try
            {
                if (!waitUp(collectd, 60_000))
                {
                    throw new IllegalStateException(daemon + (collectd ? " did not bind 8125/udp" : " did not answer /ping"));
                }
                final double startupMs = (System.nanoTime() - exec) / 1e6;
                final long bindDeadline = System.currentTimeMillis() + 30_000;
                while (!collectd && (!Proc.bound(STATSD, true) || !Proc.bound(GRAPHITE, false))
                        && System.currentTimeMillis() < bindDeadline)
                {
                    Thread.sleep(100);
                }
                Thread.sleep(5000);
                final long idleCpu0 = Proc.cpuMicros(pid);
                Thread.sleep(2000);
                final double idleCpuPerMs = (Proc.cpuMicros(pid) - idleCpu0) / 2000.0;
                r.put("startup_ms", round(startupMs));
                r.put("idle_rss_kb", Proc.statusKb(pid, "VmRSS"));
                r.put("idle_cpu_pct", round(idleCpuPerMs / 10.0));
                System.out.printf(Locale.ROOT, "harness: %s up in %.0f ms, idle RSS %d kB, idle CPU %.1f%%%n", daemon,
                        startupMs, (Long) r.get("idle_rss_kb"), idleCpuPerMs / 10.0);
                final Thread sampler = rssSampler(pid);
                final Path gcLog = dir.resolve("run/gc.log");
                final SinkCounter sink = new SinkCounter(dir.resolve("capture/metrics_v1_data_persist_1s.frames"),
                        List.of("hs1k.", "hs100k.", "hv3.", "hprom_", "hgr."));
                final Map<String, Object> wl = new LinkedHashMap<>();
                for (final String w : _workloadNames)
                {
                    if (collectd && !w.startsWith("statsd"))
                    {
                        wl.put(w, Map.of("limit", "n/a (collectd has no such source)"));
                        continue;
                    }
                    wl.put(w, search(workload(w, !collectd), pid, collectd ? null : sink, gcLog, idleCpuPerMs));
                }
                r.put("workloads", wl);
                r.put("peak_rss_kb_hwm", Proc.statusKb(pid, "VmHWM"));
                sampler.interrupt();
            }
            finally
            {
                stop(p);
            }
        }
        finally
        {
            stop(capture);
        }
        return r;
    }

    /**
     * The sink receiver on 7066: by default this module's {@link CaptureReceiver} (one Netty loop, buffered frame
     * writes; madref's CaptureServer, a com.sun.net.httpserver with one write per request, served ~7-9 k POSTs/s at
     * concurrency 1, the rate both daemons stopped at on statsd-100k), or with {@code --receiver capture-server} that
     * CaptureServer, for A/B runs. Both write the same frames files.
     */
    private Process startReceiver(final Path captureDir, final Path log) throws IOException
    {
        if (_refReceiver)
        {
            return start(List.of("java", "-Xmx512m", "-cp",
                    _madRef.resolve("tools/target/classes") + ":" + _madRef.resolve("tools/target/lib") + "/*",
                    "madref.tools.CaptureServer", "--port", Integer.toString(CAPTURE), "--dir", captureDir.toString(),
                    "--threads", "2"), captureDir.getParent(), Map.of(), log);
        }
        // the harness's own class path, absolute (the receiver runs in the daemon's directory)
        final StringBuilder cp = new StringBuilder();
        for (final String e : System.getProperty("java.class.path").split(File.pathSeparator))
        {
            cp.append(cp.length() == 0 ? "" : File.pathSeparator).append(Paths.get(e).toAbsolutePath());
        }
        return start(List.of("java", "-Xmx256m", "-XX:+UseSerialGC", "-cp", cp.toString(),
                CaptureReceiver.class.getName(),
                "--port", Integer.toString(CAPTURE), "--dir", captureDir.toString()), captureDir.getParent(), Map.of(),
                log);
    }

    private Process startDaemon(final String daemon, final Path run) throws IOException
    {
        Files.createDirectories(run);
        final String gc = "-Xlog:gc:file=" + run.resolve("gc.log");
        if ("mad".equals(daemon))
        {
            return start(List.of(_madRef.resolve("run-mad.sh").toString(), run.toString()), run,
                    Map.of("MAD_JVM_OPTS", withInherited(gc, "MAD_JVM_OPTS")), run.resolve("stdout.log"));
        }
        if (COLLECTD.equals(daemon))
        {
            final Path conf = run.resolve("collectd.conf");
            Files.writeString(conf, collectdConfig(run));
            return start(List.of(COLLECTD_BIN, "-f", "-C", conf.toString()), run, Map.of(), run.resolve("stdout.log"));
        }
        copyTree(_madRef.resolve("config"), run.resolve("config"));
        return start(List.of(_home.resolve("bin/mad").toString(), "config/config.conf"), run,
                Map.of("MADX_JVM_OPTS", withInherited(gc, "MADX_JVM_OPTS")), run.resolve("stdout.log"));
    }

    /** The harness's own JVM options plus what the caller set (perf/profile.sh passes an agent this way). */
    private static String withInherited(final String own, final String variable)
    {
        final String inherited = System.getenv(variable);
        return inherited == null || inherited.isBlank() ? own : own + " " + inherited;
    }

    /**
     * collectd with its statsd plugin on 8125/udp, a 1 s interval (like the PT1S period) and write_http posting JSON
     * to the sink receiver, so it pays for aggregation and output as the other two daemons do.
     */
    private static String collectdConfig(final Path run)
    {
        return "Hostname \"harness\"\nFQDNLookup false\nInterval 1\nBaseDir \"" + run + "\"\nPIDFile \""
                + run.resolve("collectd.pid") + "\"\nPluginDir \"/usr/lib/collectd\"\n"
                + "TypesDB \"/usr/share/collectd/types.db\"\n"
                // a bounded write queue: at 100 k series write_http falls behind and would grow without limit
                + "WriteQueueLimitHigh 1000000\nWriteQueueLimitLow 800000\n"
                + "LoadPlugin logfile\n<Plugin logfile>\n  LogLevel \"info\"\n  File STDOUT\n</Plugin>\n"
                + "LoadPlugin statsd\n<Plugin statsd>\n  Host \"127.0.0.1\"\n  Port \"" + STATSD + "\"\n"
                + "  TimerCount true\n  TimerPercentile 90\n</Plugin>\n"
                + "LoadPlugin write_http\n<Plugin write_http>\n  <Node \"capture\">\n    URL \"http://127.0.0.1:"
                + CAPTURE + "/collectd\"\n    Format \"JSON\"\n    BufferSize 1048576\n  </Node>\n</Plugin>\n";
    }

    /** Up: madx and MAD answer /ping; collectd (no HTTP) has bound 8125/udp. */
    private static boolean waitUp(final boolean collectd, final long timeoutMs) throws InterruptedException
    {
        if (!collectd)
        {
            return waitPing(HTTP, timeoutMs);
        }
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline)
        {
            if (Proc.bound(STATSD, true))
            {
                return true;
            }
            Thread.sleep(5);
        }
        return false;
    }

    private Workload workload(final String name, final boolean dogStatsdTags)
    {
        return switch (name)
        {
            case "statsd-1k" -> Workload.statsd(name, "hs1k.", 1000, STATSD, dogStatsdTags);
            case "statsd-100k" -> Workload.statsd(name, "hs100k.", 100_000, STATSD, dogStatsdTags);
            case "clientv3" -> Workload.clientV3(name, "hv3.", 1000, HTTP, 4);
            case "prometheus" -> Workload.prometheus(name, "hprom_", 1000, HTTP, 2);
            case "graphite" -> Workload.graphite(name, "hgr.", 1000, GRAPHITE);
            default -> throw new IllegalArgumentException("unknown workload " + name);
        };
    }

    // ------------------------------------------------------------------------------------------------- rate search

    private Map<String, Object> search(final Workload w, final long pid, final SinkCounter sink, final Path gcLog,
            final double idleCpuPerMs) throws Exception
    {
        System.out.println("harness: workload " + w.name());
        final double[] gc0 = Proc.gcPauses(gcLog, 0);
        _rssMax.set(Proc.statusKb(pid, "VmRSS"));
        final List<Map<String, Object>> trials = new ArrayList<>();
        Map<String, Object> best = null;
        Map<String, Object> firstFail = null;
        double pass = 0;
        double fail = 0;
        double rate = _startRate;
        final double cap = capRate(w);
        int bisected = 0;
        while (trials.size() < _maxTrials)
        {
            final Map<String, Object> t = trial(w, rate, pid, sink, idleCpuPerMs);
            trials.add(t);
            final boolean ok = (Boolean) t.get("pass");
            if (ok)
            {
                pass = rate;
                best = t;
            }
            else
            {
                fail = rate;
                if (firstFail == null || rate < (Double) firstFail.get("offered"))
                {
                    firstFail = t;
                }
            }
            if (fail == 0)
            {
                if (rate * 2 > cap)
                {
                    break;
                }
                rate *= 2;
            }
            else if (pass == 0)
            {
                if (rate < _startRate / 8)
                {
                    break;
                }
                rate /= 2;
            }
            else
            {
                if (bisected++ >= _bisect)
                {
                    break;
                }
                rate = (pass + fail) / 2;
            }
        }
        final double[] gc1 = Proc.gcPauses(gcLog, (long) gc0[3]);
        final Map<String, Object> r = new LinkedHashMap<>();
        r.put("series", w.series());
        r.put("max_rate", best == null ? 0 : best.get("offered"));
        r.put("achieved_at_max", best == null ? 0 : best.get("achieved"));
        r.put("cpu_us_per_sample", best == null ? null : best.get("cpu_us_per_sample"));
        r.put("sink_requests_per_period", best == null ? null : best.get("sink_requests_per_period"));
        r.put("receiver_cpu_pct", best == null ? null : best.get("receiver_cpu_pct"));
        r.put("limit", fail == 0 ? "cap (" + (long) cap + "/s not exceeded)" : firstFail.get("reason"));
        r.put("cap", cap);
        r.put("peak_rss_kb", _rssMax.get());
        r.put("gc_pauses", (long) gc1[0]);
        r.put("gc_pause_total_ms", round(gc1[1]));
        r.put("gc_pause_max_ms", round(gc1[2]));
        r.put("trials", trials);
        return r;
    }

    /** The search's upper bound: higher for the closed-loop HTTP workloads, whose generator is pre-encoded. */
    private double capRate(final Workload w)
    {
        return w.name().equals("clientv3") || w.name().equals("prometheus") ? _httpCapRate : _capRate;
    }

    private Map<String, Object> trial(final Workload w, final double rate, final long pid, final SinkCounter sink,
            final double idleCpuPerMs) throws Exception
    {
        quiesce(pid);
        final long drops0 = Proc.udpDrops(STATSD);
        final long cpu0 = Proc.cpuMicros(pid);
        final long self = ProcessHandle.current().pid();
        final long gen0 = Proc.cpuMicros(self);
        final long receiver0 = Proc.cpuMicros(_receiverPid);
        final long startMs = System.currentTimeMillis();
        final Workload.Sent sent = w.run(rate, _trialMs);
        final long endMs = System.currentTimeMillis();
        final double genCpuPct = (Proc.cpuMicros(self) - gen0) / 10.0 / Math.max(1, endMs - startMs);
        final long fromSec = startMs / 1000 - 1;
        // a backlogged daemon may stamp samples (StatsD, Graphite) after the trial: count every period up to the
        // moment the count stops growing (the next trial starts later than that)
        long toSec = endMs / 1000 + 2;
        Thread.sleep(2500);
        // the sink receiver's CPU over the trial and the 2.5 s after it (the sinks' posts of the trial's periods):
        // shows whether it could have been the limit
        final long receiverMs = System.currentTimeMillis() - startMs;
        final double receiverCpuPct = (Proc.cpuMicros(_receiverPid) - receiver0) / 10.0 / Math.max(1, receiverMs);
        double accepted;
        if (sink == null)
        {
            // kernel count (collectd): every datagram not dropped by the socket was read and aggregated
            accepted = sent.samples() - (double) (Proc.udpDrops(STATSD) - drops0) * w.samplesPerUnit();
        }
        else
        {
            sink.poll();
            accepted = sink.count(w.prefix(), fromSec, Long.MAX_VALUE);
        }
        for (int i = 0; sink != null && i < 15; i++)
        {
            Thread.sleep(1000);
            sink.poll();
            final double now = sink.count(w.prefix(), fromSec, Long.MAX_VALUE);
            if (now == accepted && accepted >= sent.samples())
            {
                break;
            }
            if (now == accepted && i >= 2)
            {
                break;
            }
            accepted = now;
        }
        final long settledMs = System.currentTimeMillis();
        toSec = Math.max(toSec, settledMs / 1000);
        final double cpu = Proc.cpuMicros(pid) - cpu0 - idleCpuPerMs * (settledMs - startMs);
        final double loss = sent.samples() == 0 ? 1 : 1 - accepted / sent.samples();
        final double achieved = sent.achievedRate();
        final boolean short_ = achieved < MIN_ACHIEVED * rate;
        final boolean pass = !short_ && loss < MAX_LOSS && sent.rejected() == 0;
        final Map<String, Object> t = new LinkedHashMap<>();
        t.put("offered", rate);
        t.put("achieved", round(achieved));
        t.put("sent", sent.samples());
        t.put("rejected", sent.rejected());
        t.put("accepted", (long) accepted);
        t.put("loss", round6(loss));
        t.put("cpu_us_per_sample", accepted > 0 ? round(cpu / accepted) : null);
        t.put("sink_requests_per_period", sink == null ? null : round(sink.requestsPerPeriod(fromSec, toSec)));
        t.put("generator_cpu_pct", round(genCpuPct));
        t.put("receiver_cpu_pct", round(receiverCpuPct));
        t.put("pass", pass);
        t.put("reason", pass ? "" : short_
                ? (w.closedLoop() ? "back-pressure (achieved " + (long) achieved + "/s)"
                        : "generator-bound (achieved " + (long) achieved + "/s)")
                        + String.format(Locale.ROOT, ", generator %.0f%% CPU", genCpuPct)
                : sent.rejected() > 0 ? "rejected " + sent.rejected() : String.format(Locale.ROOT, "loss %.3f%%", loss * 100));
        System.out.printf(Locale.ROOT, "harness:   offered %,.0f/s achieved %,.0f/s sent %,d accepted %,.0f loss %.4f%% gen %.0f%% %s%n",
                rate, achieved, sent.samples(), accepted, loss * 100, genCpuPct, pass ? "PASS" : "FAIL " + t.get("reason"));
        return t;
    }

    /** Waits until the daemon's CPU falls under 25 % of a core over 500 ms (at most 12 s): a backlog is drained. */
    private static void quiesce(final long pid) throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + 12_000;
        while (System.currentTimeMillis() < deadline)
        {
            final long c0 = Proc.cpuMicros(pid);
            Thread.sleep(500);
            if (Proc.cpuMicros(pid) - c0 < 125_000)
            {
                return;
            }
        }
    }

    private Thread rssSampler(final long pid)
    {
        _rssPid = pid;
        final Thread t = new Thread(() ->
        {
            while (!Thread.currentThread().isInterrupted())
            {
                final long rss = Proc.statusKb(_rssPid, "VmRSS");
                _rssMax.accumulateAndGet(rss, Math::max);
                try
                {
                    Thread.sleep(100);
                }
                catch (final InterruptedException e)
                {
                    return;
                }
            }
        }, "rss-sampler");
        t.setDaemon(true);
        t.start();
        return t;
    }

    // ------------------------------------------------------------------------------------------------- processes

    private static void waitPorts(final int... tcp) throws InterruptedException
    {
        final boolean statsd = tcp.length == 0 || contains(tcp, STATSD);
        final int[] t = tcp.length == 0 ? new int[] {HTTP, GRAPHITE, CAPTURE} : tcpOnly(tcp);
        if (!Proc.waitFree(180_000, t, statsd ? new int[] {STATSD} : new int[0]))
        {
            throw new IllegalStateException("ports 7090/8125/2003/7066 still busy after 3 min");
        }
    }

    private static int[] tcpOnly(final int[] ports)
    {
        return java.util.Arrays.stream(ports).filter(p -> p != STATSD).toArray();
    }

    private static boolean contains(final int[] ports, final int port)
    {
        return java.util.Arrays.stream(ports).anyMatch(p -> p == port);
    }

    private static Process start(final List<String> cmd, final Path cwd, final Map<String, String> env,
            final Path log) throws IOException
    {
        final ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    private static void stop(final Process p) throws InterruptedException
    {
        if (!p.isAlive())
        {
            return;
        }
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS))
        {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static boolean waitPing(final int port, final long timeoutMs) throws InterruptedException
    {
        final byte[] get = ("GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline)
        {
            try (HttpConn c = new HttpConn("127.0.0.1", port))
            {
                if (c.exchange(get, null) == 200)
                {
                    return true;
                }
            }
            Thread.sleep(10);
        }
        return false;
    }

    private static void copyTree(final Path from, final Path to) throws IOException
    {
        try (Stream<Path> s = Files.walk(from))
        {
            for (final Path p : (Iterable<Path>) s::iterator)
            {
                final Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p))
                {
                    Files.createDirectories(target);
                }
                else
                {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(final Path dir) throws IOException
    {
        if (!Files.exists(dir))
        {
            return;
        }
        try (Stream<Path> s = Files.walk(dir))
        {
            for (final Path p : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator)
            {
                Files.delete(p);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------- report

    private void report(
            final Map<String, Map<String, Object>> results, final Path out, final Path markdown, final long minutes)
            throws IOException, InterruptedException
    {
        final String date = LocalDate.now().toString();
        final String jdk = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
        final String commit = git("rev-parse", "--short", "HEAD") + (git("status", "--porcelain").isBlank() ? "" : "+dirty");
        final Map<String, Object> all = new LinkedHashMap<>();
        all.put("date", date);
        all.put("jdk", jdk);
        all.put("commit", commit);
        all.put("profile", _quick ? "quick" : "full");
        all.put("trial_ms", _trialMs);
        all.put("cores", Runtime.getRuntime().availableProcessors());
        all.put("daemons", results);
        Files.createDirectories(out);
        final String stem = "harness-" + date + (_quick ? "-quick" : "");
        Files.writeString(out.resolve(stem + ".json"), Json.write(all) + "\n");

        final Map<String, Object> cd = results.get(COLLECTD);
        final boolean third = cd != null;
        final StringBuilder md = new StringBuilder();
        md.append("# Side-by-side results: MAD 1.20.1 vs madx").append(third ? " (and collectd's statsd plugin)" : "")
                .append("\n\n");
        md.append("Produced by `perf/run-harness.sh").append(_quick ? " --quick" : "").append("` (see perf/README.md).\n\n");
        md.append("- date: ").append(date).append("\n- JDK: ").append(jdk).append("\n- commit: ").append(commit)
                .append("\n- box: ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, generator and daemon on the same box, loopback only")
                .append("\n- profile: ").append(_quick ? "quick" : "full").append(", ").append(_trialMs / 1000)
                .append(" s trials, doubling from ").append((long) _startRate).append(" samples/s then ")
                .append(_bisect).append(" bisection step(s); whole run ").append(minutes).append(" min\n")
                .append("- raw data: perf/results/").append(stem).append(".json (every trial)\n\n");
        final Map<String, Object> mad = results.get("mad");
        final Map<String, Object> madx = results.get("madx");
        md.append("| workload | measure | MAD 1.20.1 | madx | madx/MAD |")
                .append(third ? " collectd statsd | madx/collectd |" : "").append("\n| --- | --- | ---: | ---: | ---: |")
                .append(third ? " ---: | ---: |" : "").append("\n");
        row(md, "daemon", "startup to /ping 200 (ms)", mad, madx, cd, third, "startup_ms");
        row(md, "daemon", "idle RSS (MB)", mad, madx, cd, third, "idle_rss_kb");
        row(md, "daemon", "idle CPU (% of a core)", mad, madx, cd, third, "idle_cpu_pct");
        row(md, "daemon", "VmHWM at end (MB)", mad, madx, cd, third, "peak_rss_kb_hwm");
        for (final String w : _workloadNames)
        {
            final Map<String, Object> a = wl(mad, w);
            final Map<String, Object> b = wl(madx, w);
            final Map<String, Object> c = wl(cd, w);
            row(md, w, "max rate < 0.1 % loss (samples/s)", a, b, c, third, "max_rate");
            row(md, w, "CPU-µs per accepted sample", a, b, c, third, "cpu_us_per_sample");
            row(md, w, "peak RSS (MB)", a, b, c, third, "peak_rss_kb");
            row(md, w, "GC pauses (count)", a, b, c, third, "gc_pauses");
            row(md, w, "GC pause total / max (ms)", a, b, c, third, "gc_pause_total_ms", "gc_pause_max_ms");
            row(md, w, "sink requests per PT1S period", a, b, c, third, "sink_requests_per_period");
            row(md, w, "sink receiver CPU (% of a core)", a, b, c, third, "receiver_cpu_pct");
            md.append("| ").append(w).append(" | limit | ").append(str(a, "limit")).append(" | ")
                    .append(str(b, "limit")).append(" | |").append(third ? " " + str(c, "limit") + " | |" : "")
                    .append("\n");
        }
        md.append("\nMeasures: max rate = highest offered rate whose trial delivered ≥ 99.9 % of the sent samples to the "
                + "PT1S sink (sum of `count` over the trial's periods) with the generator reaching ≥ 97 % of the offered "
                + "rate; CPU-µs = (utime+stime of the daemon over the trial and its flush) minus the idle CPU, divided by "
                + "accepted samples, at that rate; peak RSS = highest VmRSS sampled every 100 ms during the workload; GC = "
                + "`-Xlog:gc` pauses during the workload (all trials); sink requests = PT1S POSTs per period at that rate; sink "
                + "receiver CPU = the receiver process's CPU over that trial and the 2.5 s after it. "
                + "`limit` says what stopped the search: loss, back-pressure (HTTP/TCP daemon could not take the rate), "
                + "generator-bound (UDP sender could not reach the rate on this box), or the cap.\n\n"
                + "Notes: startup is measured from exec of the launcher (`run-mad.sh` / `bin/mad`) to the first /ping 200, "
                + "after one warm start/stop of the same daemon. " + receiverNote() + " The reference configuration's "
                + "PT1S sink (AggregationServerHttpSink) posts one record per request with `maximumConcurrency` 1 and "
                + "`maximumQueueSize` 25000 (MAD's defaults, which madx keeps): statsd-100k (up to 100 k records per "
                + "period) is therefore bounded by how fast each daemon's sink client gets its one-record POSTs answered "
                + "(records of one period beyond the queue are dropped), not by ingestion, and its CPU-µs per sample is "
                + "dominated by the per-record POSTs. Peak RSS per workload includes what earlier "
                + "workloads left on the heap (one daemon process for all workloads, -Xmx1g for both).\n");
        if (third)
        {
            md.append("\ncollectd (Debian collectd-core 5.12, C statsd plugin, `Interval 1`, write_http JSON "
                    + "in 1 MB posts to the sink receiver, write queue bounded at 1 M value lists): StatsD workloads only, sent **without** DogStatsD tags (the plugin rejects lines "
                    + "with `|#`); its startup is exec to 8125/udp bound (it has no /ping); its accepted samples are the "
                    + "sent ones minus the kernel's receive-buffer drops on 8125/udp (`/proc/net/udp`), since the plugin "
                    + "aggregates every datagram it reads; no GC.\n");
        }
        Files.writeString(markdown, md.toString());
        System.out.println(md);
    }

    private String receiverNote()
    {
        return _refReceiver
                ? "Sinks post to madref's CaptureServer (`--receiver capture-server`: com.sun.net.httpserver, 2 threads, "
                        + "one file write per request; it serves ~7-9 k POSTs/s at concurrency 1 on this box, so "
                        + "statsd-100k measures it, not the daemons)."
                : "Sinks post to the harness's own receiver (`mad.perf.harness.CaptureReceiver`: one Netty event loop, "
                        + "buffered frame writes, same frames files as madref's CaptureServer), a separate process "
                        + "well above the daemons' POST rates (perf/README.md, *Sink receiver*).";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> wl(final Map<String, Object> d, final String w)
    {
        if (d == null || !(d.get("workloads") instanceof Map))
        {
            return null;
        }
        return (Map<String, Object>) ((Map<String, Object>) d.get("workloads")).get(w);
    }

    private static void row(final StringBuilder md, final String w, final String what, final Map<String, Object> a,
            final Map<String, Object> b, final Map<String, Object> c, final boolean third, final String... keys)
    {
        md.append("| ").append(w).append(" | ").append(what).append(" | ").append(fmt(a, keys)).append(" | ")
                .append(fmt(b, keys)).append(" | ").append(ratio(b, a, keys[0])).append(" |");
        if (third)
        {
            md.append(' ').append(fmt(c, keys)).append(" | ").append(ratio(b, c, keys[0])).append(" |");
        }
        md.append('\n');
    }

    private static String ratio(final Map<String, Object> over, final Map<String, Object> under, final String key)
    {
        final Double x = num(under, key);
        final Double y = num(over, key);
        return x != null && y != null && x != 0 ? String.format(Locale.ROOT, "%.2f", y / x) : "";
    }

    private static String fmt(final Map<String, Object> m, final String... keys)
    {
        final StringBuilder sb = new StringBuilder();
        for (final String k : keys)
        {
            if (sb.length() > 0)
            {
                sb.append(" / ");
            }
            final Double v = num(m, k);
            if (v == null)
            {
                sb.append("–");
            }
            else if (k.endsWith("_kb") || k.endsWith("_kb_hwm"))
            {
                sb.append(String.format(Locale.ROOT, "%.0f", v / 1024));
            }
            else if (v >= 1000 || v == Math.rint(v))
            {
                sb.append(String.format(Locale.ROOT, "%,.0f", v));
            }
            else
            {
                sb.append(String.format(Locale.ROOT, "%.2f", v));
            }
        }
        return sb.toString();
    }

    private static Double num(final Map<String, Object> m, final String k)
    {
        return m != null && m.get(k) instanceof Number ? ((Number) m.get(k)).doubleValue() : null;
    }

    private static String str(final Map<String, Object> m, final String k)
    {
        return m == null || m.get(k) == null ? "–" : m.get(k).toString();
    }

    private String git(final String... args) throws IOException, InterruptedException
    {
        final List<String> cmd = new ArrayList<>(List.of("git", "-C", _home.toString()));
        cmd.addAll(List.of(args));
        final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor();
        return out;
    }

    private static double round(final double v)
    {
        return Math.round(v * 100) / 100.0;
    }

    private static double round6(final double v)
    {
        return Math.round(v * 1e6) / 1e6;
    }
}
