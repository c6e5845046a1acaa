package mad.compat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.agrona.CloseHelper;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import mad.compat.config.ConfigLoader;
import mad.compat.config.DaemonConfig;
import mad.compat.config.PipelineFiles;
import mad.emit.http.HttpFacility;
import mad.emit.self.HttpSelfMetrics;
import mad.emit.telemetry.TelemetryConnection;
import mad.emit.telemetry.TelemetryHub;
import mad.engine.config.ConfigException;
import mad.ingest.IngestThreads;
import mad.ingest.http.HttpRoutes;
import mad.ingest.http.HttpServer;
import mad.ingest.http.HttpServerConfig;
import mad.ingest.http.TlsContexts;
import mad.ingest.http.WebSocketEndpoint;
import mad.tuning.ThreadPinning;
import mad.tuning.ThreadRole;
import mad.tuning.TuningProfile;

/**
 * The wiring class: the one place that decides the thread topology and creates components. From MAD's
 * {@code config.conf} it builds the shared pieces (Netty event loops, the HTTP server, the HTTP client for sinks),
 * then one {@link PipelineRuntime} per pipeline file, and binds the HTTP listener last so that {@code /ping} answers
 * only once every listener is bound (readiness).
 *
 * <pre>
 *   ingest-N (Netty, shared)  --ring per shard-->  aggregator-P-S (per pipeline)  --hand-off-->  emitter-P  --> sinks
 * </pre>
 *
 * <p>Thread ownership: built, started and closed by one thread (main); {@link #close()} is idempotent and may run
 * from the shutdown hook.
 */
public final class Appliance implements AutoCloseable
{
    /** MAD's telemetry stream paths (mad-spec 2.1). */
    static final String TELEMETRY_V1_PATH = "/telemetry/v1/stream";
    static final String TELEMETRY_V2_PATH = "/telemetry/v2/stream";
    private static final Logger LOG = LoggerFactory.getLogger(Appliance.class);
    /** madx only: every counter in Prometheus text format (MAD has no GET route there). */
    static final String PROMETHEUS_PATH = "/metrics";

    private final Shared shared;
    private final HttpServer httpServer;
    /** MAD's optional HTTPS listener ({@code enableHttps}), or null. */
    private final HttpServer httpsServer;
    /** Running pipelines by file, with the fingerprint they were built from. Guarded by this. */
    private final Map<Path, Loaded> pipelines;
    /** Files whose current content failed to load: not retried until the content changes. Guarded by this. */
    private final Map<Path, String> rejected = new HashMap<>();
    private final ScheduledExecutorService watcher;
    /** The running pipelines as readers off the wiring threads see them (never blocked by a reload). */
    private volatile List<PipelineRuntime> running = List.of();
    private boolean closed;

    private record Loaded(String fingerprint, PipelineRuntime runtime)
    {
    }

    /**
     * What every pipeline shares.
     *
     * @param daemon the daemon configuration.
     * @param profile the tuning profile.
     * @param threads Netty event loops for every source.
     * @param routes the HTTP routes table.
     * @param http the HTTP client facility of the sinks.
     * @param selfMetrics the self-instrumentation facility (closed after the pipelines, before {@code http}).
     * @param clock wall clock.
     * @param aggregatorThreads makes the aggregator agents' daemon threads (pinned per the profile).
     * @param emitterThreads makes the emitter agents' daemon threads (pinned per the profile).
     * @param telemetry the telemetry hub behind every {@code TelemetrySink} and both WebSocket streams.
     */
    record Shared(DaemonConfig daemon, TuningProfile profile, IngestThreads threads, HttpRoutes routes,
        HttpFacility http, HttpSelfMetrics selfMetrics, EpochClock clock, ThreadFactory aggregatorThreads,
        ThreadFactory emitterThreads, TelemetryHub telemetry)
    {
    }

    private Appliance(final Shared shared, final HttpServer httpServer, final HttpServer httpsServer,
        final Map<Path, Loaded> pipelines, final Duration reloadInterval)
    {
        this.shared = shared;
        this.httpServer = httpServer;
        this.httpsServer = httpsServer;
        this.pipelines = pipelines;
        this.watcher = Executors.newSingleThreadScheduledExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, "pipeline-watcher");
            thread.setDaemon(true);
            return thread;
        });
        final long intervalMs = reloadInterval.toMillis();
        watcher.scheduleWithFixedDelay(this::reload, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
        publishRunning();
    }

    private void publishRunning()
    {
        final List<PipelineRuntime> snapshot = new ArrayList<>();
        for (final Loaded loaded : pipelines.values())
        {
            snapshot.add(loaded.runtime());
        }
        running = List.copyOf(snapshot);
    }

    /**
     * Reads the configuration and starts everything.
     *
     * @param configFile MAD's daemon configuration file.
     * @return the running appliance.
     * @throws ConfigException when the daemon file or a pipeline file is invalid (nothing is left running): at start
     *         every file must load; later, on reload, a bad file is only reported.
     * @throws Exception when a listener cannot bind.
     */
    public static Appliance start(final Path configFile) throws Exception
    {
        return start(configFile, DaemonConfig.from(ConfigLoader.load(configFile)));
    }

    /**
     * Starts the appliance on an already parsed configuration (Main parses it beside logging initialisation).
     *
     * @param configFile the daemon configuration file {@code daemon} was read from (for error messages).
     * @param daemon the parsed configuration.
     * @return the running appliance.
     * @throws Exception when the configuration is invalid or a component fails to start.
     */
    public static Appliance start(final Path configFile, final DaemonConfig daemon) throws Exception
    {
        return start(configFile, daemon, null);
    }

    /**
     * Starts the appliance on an already parsed configuration with the local host name already resolved.
     *
     * @param configFile the daemon configuration file {@code daemon} was read from (for error messages).
     * @param daemon the parsed configuration.
     * @param resolvedHostName the local host name for the self-metrics' host dimension, or {@code null} to resolve
     *     it here (only used when the configuration names no {@code monitoringHost}).
     * @return the running appliance.
     * @throws Exception when the configuration is invalid or a component fails to start.
     */
    public static Appliance start(final Path configFile, final DaemonConfig daemon, final String resolvedHostName)
        throws Exception
    {
        if (!daemon.unusedKeys().isEmpty())
        {
            LOG.info("Configuration keys accepted for MAD compatibility but not used by madx: {}", daemon.unusedKeys());
        }
        final TuningProfile profile;
        try
        {
            profile = TuningProfile.byName(System.getProperty("madx.tuning", daemon.tuningProfile()));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ConfigException(configFile.toString(), "tuningProfile", ex.getMessage());
        }
        LOG.info("Tuning profile {}", profile.describe());
        final String launcherProfile = System.getProperty("madx.launcher.tuning");
        if (launcherProfile != null && !launcherProfile.equals(profile.name()))
        {
            LOG.warn("bin/mad applied the JVM flags of tuning profile {} but the daemon runs profile {}: pass "
                + "-Dmadx.tuning={} to bin/mad", launcherProfile, profile.name(), profile.name());
        }
        // Thread topology: each role's threads pin themselves when their loop starts; the wiring thread takes the
        // 'other' set first, so every helper thread it creates later inherits that set.
        final ThreadPinning pinning = ThreadPinning.of(profile);
        pinning.pinCurrentThread(ThreadRole.OTHER);
        createDirectory(daemon.logDirectory(), configFile, "logDirectory");
        createDirectory(daemon.pipelinesDirectory(), configFile, "pipelinesDirectory");

        final HttpFacility http = HttpFacility.defaults();
        final HttpSelfMetrics selfMetrics = HttpSelfMetrics.create(daemon.selfMetricsSinks(),
            daemon.selfMetricsDimensions(daemon.monitoringHost().isPresent() ? ""
                : resolvedHostName != null ? resolvedHostName : localHostName()), http,
            SystemEpochClock.INSTANCE::time, daemon.jvmMetricsCollectionInterval());
        final IngestThreads threads = new IngestThreads(profile.ingestThreads(),
            profile.ioUring() ? IngestThreads.Transport.IO_URING : IngestThreads.Transport.AUTO,
            pinning.decorator(ThreadRole.INGEST));
        final HttpRoutes routes = new HttpRoutes();
        final TelemetryHub telemetry = new TelemetryHub();
        registerTelemetry(routes, telemetry);
        final Shared shared = new Shared(daemon, profile, threads, routes, http, selfMetrics,
            SystemEpochClock.INSTANCE, pinning.threadFactory(ThreadRole.AGGREGATOR, daemonThreads()),
            pinning.threadFactory(ThreadRole.EMITTER, daemonThreads()), telemetry);
        final Map<Path, Loaded> pipelines = new LinkedHashMap<>();
        HttpServer server = null;
        HttpServer httpsServer = null;
        try
        {
            selfMetrics.start();
            for (final PipelineFiles.Entry entry : PipelineFiles.scan(daemon.pipelinesDirectory()))
            {
                if (isPipelineFile(entry.path()))
                {
                    pipelines.put(entry.path(),
                        new Loaded(entry.fingerprint(), PipelineRuntime.build(entry.path(), shared)));
                }
            }
            for (final Loaded pipeline : pipelines.values())
            {
                pipeline.runtime().start(shared);
            }
            final int maxContentLength = (int)Math.min(daemon.maxContentLength(),
                HttpServerConfig.INFINITE_MAX_CONTENT_LENGTH);
            server = new HttpServer(new HttpServerConfig(daemon.httpHost(), daemon.httpPort(),
                daemon.httpHealthCheckPath(), daemon.httpStatusPath(), maxContentLength, Version.VERSION,
                Version.SHA), threads, routes);
            if (daemon.enableHttps())
            {
                httpsServer = new HttpServer(new HttpServerConfig(daemon.httpsHost(), daemon.httpsPort(),
                    daemon.httpHealthCheckPath(), daemon.httpStatusPath(), maxContentLength, Version.VERSION,
                    Version.SHA), threads, routes, tlsContext(daemon, configFile));
                httpsServer.start();
            }
            server.start();
        }
        catch (final Exception ex)
        {
            CloseHelper.quietClose(httpsServer);
            CloseHelper.quietClose(server);
            for (final Loaded pipeline : pipelines.values())
            {
                CloseHelper.quietClose(pipeline.runtime());
            }
            CloseHelper.quietCloseAll(selfMetrics, http, threads);
            throw ex;
        }
        LOG.info("madx ready: http {}:{} ({}), profile {}, {} pipeline(s)", daemon.httpHost(), daemon.httpPort(),
            threads.transportName(), profile.name(), pipelines.size());
        final Appliance appliance = new Appliance(shared, server, httpsServer, pipelines, reloadInterval());
        final PrometheusCounterPage counterPage = new PrometheusCounterPage(() -> appliance.running);
        routes.registerText(PROMETHEUS_PATH,
            new HttpRoutes.TextRoute(PrometheusCounterPage.CONTENT_TYPE, counterPage::render));
        return appliance;
    }

    private static io.netty.handler.ssl.SslContext tlsContext(final DaemonConfig daemon, final Path configFile)
    {
        try
        {
            return TlsContexts.server(daemon.httpsKeyPath(), daemon.httpsCertificatePath());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ConfigException(configFile.toString(), "httpsKeyPath/httpsCertificatePath", ex.getMessage());
        }
    }

    /**
     * MAD's default {@code host} dimension of self-metrics: the local host name, or {@code localhost} when it cannot
     * be resolved.
     */
    /**
     * @return the local host name, or {@code null} when it cannot be resolved (no logging: start-up may call this
     *     before logging is initialised).
     */
    static String resolveLocalHostName()
    {
        try
        {
            return InetAddress.getLocalHost().getHostName();
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    private static String localHostName()
    {
        final String name = resolveLocalHostName();
        if (name == null)
        {
            LOG.warn("Cannot resolve the local host name for self-metrics, using localhost");
            return "localhost";
        }
        return name;
    }

    private static Duration reloadInterval()
    {
        return Duration.parse(System.getProperty("madx.pipelineReloadInterval", "PT5S"));
    }

    /**
     * Directories and hidden files (editor swap files, {@code .#x}) in the pipelines directory are not pipelines.
     * MAD tries to parse them and logs a failure; madx skips them with one log line.
     */
    private static boolean isPipelineFile(final Path path)
    {
        final String name = path.getFileName().toString();
        if (Files.isDirectory(path) || name.startsWith(".") || name.endsWith("~"))
        {
            LOG.info("Skipping {}: not a pipeline file", path);
            return false;
        }
        return true;
    }

    /**
     * One scan of the pipelines directory (MAD: every 60 s; madx: {@code -Dmadx.pipelineReloadInterval}, default
     * PT5S): starts new files, replaces changed ones, stops removed ones. A file that fails to load is reported with
     * file, key path and reason; the pipeline it would replace keeps running, and the file is not retried until its
     * content changes. Pipelines whose files did not change are not touched.
     */
    synchronized void reload()
    {
        try
        {
            reloadOnce();
        }
        finally
        {
            publishRunning();
        }
    }

    private void reloadOnce()
    {
        if (closed)
        {
            return;
        }
        final Map<Path, String> present = new LinkedHashMap<>();
        try
        {
            for (final PipelineFiles.Entry entry : PipelineFiles.scan(shared.daemon().pipelinesDirectory()))
            {
                if (!Files.isDirectory(entry.path()) && !entry.path().getFileName().toString().startsWith(".") &&
                    !entry.path().getFileName().toString().endsWith("~"))
                {
                    present.put(entry.path(), entry.fingerprint());
                }
            }
        }
        catch (final RuntimeException ex)
        {
            LOG.error("Cannot scan the pipelines directory {}: {}", shared.daemon().pipelinesDirectory(), ex.toString());
            return;
        }
        for (final Path gone : new ArrayList<>(pipelines.keySet()))
        {
            if (!present.containsKey(gone))
            {
                LOG.info("Pipeline file {} removed: stopping pipeline {}", gone, pipelines.get(gone).runtime().name());
                CloseHelper.quietClose(pipelines.remove(gone).runtime());
            }
        }
        rejected.keySet().retainAll(present.keySet());
        for (final Map.Entry<Path, String> entry : present.entrySet())
        {
            final Path file = entry.getKey();
            final String fingerprint = entry.getValue();
            final Loaded current = pipelines.get(file);
            if ((current != null && current.fingerprint().equals(fingerprint)) || fingerprint.equals(rejected.get(file)))
            {
                continue;
            }
            final PipelineRuntime replacement;
            try
            {
                replacement = PipelineRuntime.build(file, shared);
            }
            catch (final RuntimeException ex)
            {
                rejected.put(file, fingerprint);
                LOG.error("Pipeline file {} not loaded{}: {}", file,
                    current == null ? "" : "; pipeline " + current.runtime().name() + " keeps running", ex.getMessage());
                continue;
            }
            if (current != null)
            {
                LOG.info("Pipeline file {} changed: replacing pipeline {}", file, current.runtime().name());
                // The old pipeline flushes every open bucket to its sinks before the new one binds the same ports.
                CloseHelper.quietClose(current.runtime());
                pipelines.remove(file);
            }
            try
            {
                replacement.start(shared);
                pipelines.put(file, new Loaded(fingerprint, replacement));
                rejected.remove(file);
            }
            catch (final Exception ex)
            {
                rejected.put(file, fingerprint);
                LOG.error("Pipeline {} from {} failed to start: {}", replacement.name(), file, ex.toString());
            }
        }
    }

    private static void createDirectory(final Path directory, final Path configFile, final String key)
    {
        try
        {
            Files.createDirectories(directory);
        }
        catch (final IOException ex)
        {
            throw new ConfigException(configFile.toString(), key, "cannot create directory " + directory + ": " + ex);
        }
    }

    private static ThreadFactory daemonThreads()
    {
        final AtomicInteger unnamed = new AtomicInteger();
        return runnable ->
        {
            final Thread thread = new Thread(runnable);
            thread.setDaemon(true);
            if (thread.getName().startsWith("Thread-"))
            {
                thread.setName("madx-" + unnamed.incrementAndGet());
            }
            return thread;
        };
    }

    /**
     * @return the running pipelines (for tests and self-instrumentation).
     */
    synchronized List<PipelineRuntime> pipelines()
    {
        final List<PipelineRuntime> running = new ArrayList<>();
        for (final Loaded loaded : pipelines.values())
        {
            running.add(loaded.runtime());
        }
        return running;
    }

    /**
     * @return the bound HTTPS port, or -1 when HTTPS is off.
     */
    public int httpsPort()
    {
        return httpsServer == null ? -1 : httpsServer.port();
    }

    /**
     * @return the bound HTTP port.
     */
    public int httpPort()
    {
        return httpServer.port();
    }

    /**
     * Stops everything without losing accepted data (see {@link PipelineRuntime#close()}), then the listeners and
     * the shared threads. Idempotent.
     */
    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        watcher.shutdownNow();
        CloseHelper.quietClose(httpsServer);
        CloseHelper.quietClose(httpServer);
        for (final Loaded pipeline : pipelines.values())
        {
            CloseHelper.quietClose(pipeline.runtime());
        }
        // After the pipelines, whose sinks record their last units; before the HTTP facility that posts them.
        CloseHelper.quietCloseAll(shared.selfMetrics(), shared.http(), shared.threads());
    }

    /**
     * Serves MAD's telemetry streams ({@code /telemetry/v1/stream}, {@code /telemetry/v2/stream}) from the hub on
     * the shared HTTP server(s).
     *
     * @param routes the HTTP routes table.
     * @param hub the process-wide telemetry hub.
     */
    static void registerTelemetry(final HttpRoutes routes, final TelemetryHub hub)
    {
        routes.registerWebSocket(TELEMETRY_V1_PATH, telemetryEndpoint(hub, TelemetryHub.Protocol.V1));
        routes.registerWebSocket(TELEMETRY_V2_PATH, telemetryEndpoint(hub, TelemetryHub.Protocol.V2));
    }

    private static WebSocketEndpoint telemetryEndpoint(final TelemetryHub hub, final TelemetryHub.Protocol protocol)
    {
        return peer ->
        {
            final TelemetryConnection connection = hub.connect(protocol, peer::send);
            return new WebSocketEndpoint.Session()
            {
                @Override
                public void onText(final String text)
                {
                    connection.onText(text);
                }

                @Override
                public void onBinary(final int length)
                {
                    connection.onBinary(length);
                }

                @Override
                public void onClose()
                {
                    connection.close();
                }
            };
        };
    }
}
