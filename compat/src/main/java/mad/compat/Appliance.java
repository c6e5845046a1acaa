package mad.compat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
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
import mad.engine.config.ConfigException;
import mad.ingest.IngestThreads;
import mad.ingest.http.HttpRoutes;
import mad.ingest.http.HttpServer;
import mad.ingest.http.HttpServerConfig;
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
    private static final Logger LOG = LoggerFactory.getLogger(Appliance.class);

    private final Shared shared;
    private final HttpServer httpServer;
    private final List<PipelineRuntime> pipelines;
    private boolean closed;

    /**
     * What every pipeline shares.
     *
     * @param daemon the daemon configuration.
     * @param profile the tuning profile.
     * @param threads Netty event loops for every source.
     * @param routes the HTTP routes table.
     * @param http the HTTP client facility of the sinks.
     * @param clock wall clock.
     * @param threadFactory makes named daemon threads for agents.
     */
    record Shared(DaemonConfig daemon, TuningProfile profile, IngestThreads threads, HttpRoutes routes,
        HttpFacility http, EpochClock clock, ThreadFactory threadFactory)
    {
    }

    private Appliance(final Shared shared, final HttpServer httpServer, final List<PipelineRuntime> pipelines)
    {
        this.shared = shared;
        this.httpServer = httpServer;
        this.pipelines = pipelines;
    }

    /**
     * Reads the configuration and starts everything.
     *
     * @param configFile MAD's daemon configuration file.
     * @return the running appliance.
     * @throws ConfigException when the daemon file or a pipeline file is invalid (nothing is left running).
     * @throws Exception when a listener cannot bind.
     */
    public static Appliance start(final Path configFile) throws Exception
    {
        final DaemonConfig daemon = DaemonConfig.from(ConfigLoader.load(configFile));
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
        createDirectory(daemon.logDirectory(), configFile, "logDirectory");
        createDirectory(daemon.pipelinesDirectory(), configFile, "pipelinesDirectory");

        final IngestThreads threads = new IngestThreads(profile.ingestThreads(),
            profile.ioUring() ? IngestThreads.Transport.IO_URING : IngestThreads.Transport.AUTO);
        final HttpRoutes routes = new HttpRoutes();
        final HttpFacility http = HttpFacility.defaults();
        final Shared shared = new Shared(daemon, profile, threads, routes, http, SystemEpochClock.INSTANCE,
            daemonThreads());
        final List<PipelineRuntime> pipelines = new ArrayList<>();
        HttpServer server = null;
        try
        {
            for (final Path file : PipelineFiles.list(daemon.pipelinesDirectory()))
            {
                pipelines.add(PipelineRuntime.build(file, shared));
            }
            for (final PipelineRuntime pipeline : pipelines)
            {
                pipeline.start(shared);
            }
            final int maxContentLength = (int)Math.min(daemon.maxContentLength(),
                HttpServerConfig.INFINITE_MAX_CONTENT_LENGTH);
            server = new HttpServer(new HttpServerConfig(daemon.httpHost(), daemon.httpPort(),
                daemon.httpHealthCheckPath(), daemon.httpStatusPath(), maxContentLength, Version.VERSION,
                Version.SHA), threads, routes);
            server.start();
        }
        catch (final Exception ex)
        {
            CloseHelper.quietClose(server);
            for (final PipelineRuntime pipeline : pipelines)
            {
                CloseHelper.quietClose(pipeline);
            }
            CloseHelper.quietCloseAll(http, threads);
            throw ex;
        }
        LOG.info("madx ready: http {}:{} ({}), profile {}, {} pipeline(s)", daemon.httpHost(), daemon.httpPort(),
            threads.transportName(), profile.name(), pipelines.size());
        return new Appliance(shared, server, pipelines);
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
    List<PipelineRuntime> pipelines()
    {
        return pipelines;
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
        CloseHelper.quietClose(httpServer);
        for (final PipelineRuntime pipeline : pipelines)
        {
            CloseHelper.quietClose(pipeline);
        }
        CloseHelper.quietCloseAll(shared.http(), shared.threads());
    }
}
