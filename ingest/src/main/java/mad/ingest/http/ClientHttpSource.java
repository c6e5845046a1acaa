package mad.ingest.http;

import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import mad.engine.metrics.CounterVisitor;
import mad.engine.config.Settings;
import mad.ingest.IngestContext;
import mad.ingest.Source;

/**
 * MAD's HTTP sources with a fixed path ({@code ClientHttpSourceV1/V2/V3}, and later Prometheus and collectd): start
 * registers the path on the shared HTTP server, close removes it. Requests to the path before start or after close
 * are answered 404, as MAD does when no pipeline declares the source.
 *
 * <p>Settings: {@code name} (required, non-empty); MAD's {@code actorName} and {@code poolSize} are accepted and
 * ignored (the path is fixed and every event loop decodes).
 *
 * <p>Thread ownership: start and close from the wiring thread.
 */
public final class ClientHttpSource implements Source
{
    public static final String V1_PATH = "/metrics/v1/application";
    public static final String V2_PATH = "/metrics/v2/application";
    public static final String V3_PATH = "/metrics/v3/application";

    private static final Logger LOGGER = LoggerFactory.getLogger(ClientHttpSource.class);
    /** A decode can wait up to 5 s for ring space; allow that and a little more. */
    private static final long CLOSE_WAIT_NS = java.util.concurrent.TimeUnit.SECONDS.toNanos(6);

    private final String name;
    private final String path;
    private final Supplier<? extends HttpBodyDecoder> decoderSupplier;
    private final IngestContext context;
    private HttpRoute route;

    /**
     * @param name the source's name.
     * @param path the fixed path.
     * @param decoderSupplier makes one decoder per event-loop thread.
     * @param context the pipeline's context.
     */
    public ClientHttpSource(
        final String name,
        final String path,
        final Supplier<? extends HttpBodyDecoder> decoderSupplier,
        final IngestContext context)
    {
        this.name = name;
        this.path = path;
        this.decoderSupplier = decoderSupplier;
        this.context = context;
    }

    /**
     * @param settings the source's settings.
     * @param context the pipeline's context.
     * @param path the fixed path of this source type.
     * @param decoderSupplier the protocol's decoder constructor.
     * @return the source, not started.
     */
    public static ClientHttpSource create(
        final Settings settings,
        final IngestContext context,
        final String path,
        final Supplier<? extends HttpBodyDecoder> decoderSupplier)
    {
        return new ClientHttpSource(requiredName(settings), path, decoderSupplier, context);
    }

    /**
     * @param settings a source's settings.
     * @return its {@code name}.
     * @throws mad.engine.config.ConfigException when absent or empty.
     */
    public static String requiredName(final Settings settings)
    {
        if (!settings.has("name") || settings.string("name").isEmpty())
        {
            throw settings.error("name", "required, non-empty");
        }
        return settings.string("name");
    }

    @Override
    public String name()
    {
        return name;
    }

    /**
     * @return the path this source serves.
     */
    public String path()
    {
        return path;
    }

    /**
     * @return the route's counters once started, else null.
     */
    public synchronized HttpRouteCounters counters()
    {
        return route == null ? null : route.counters();
    }

    /**
     * Registers the path.
     *
     * @throws IllegalStateException when another pipeline's source serves the path (MAD: actor name in use).
     */
    @Override
    public synchronized void start()
    {
        if (route != null)
        {
            return;
        }
        route = context.httpRoutes().register(path, name, decoderSupplier, context.writerFactory());
        LOGGER.info("source {} of pipeline {} serving POST {}", name, context.pipelineName(), path);
    }

    /**
     * Removes the path. Requests being decoded finish, and everything they wrote is in the engine, since decoders
     * publish every record before answering.
     */
    @Override
    public synchronized void close()
    {
        if (route != null)
        {
            context.httpRoutes().unregister(route);
            if (!route.awaitIdle(CLOSE_WAIT_NS))
            {
                LOGGER.warn("source {}: requests still being decoded after close", name);
            }
            route = null;
        }
    }

    @Override
    public void visitCounters(final CounterVisitor visitor)
    {
        final HttpRouteCounters counters = counters();
        if (counters == null)
        {
            return;
        }
        visitor.counter("source_requests", counters.requests());
        visitor.counter("source_requests_accepted", counters.accepted());
        for (final HttpRouteCounters.Rejection reason : HttpRouteCounters.Rejection.values())
        {
            visitor.counter("source_requests_rejected", counters.rejected(reason),
                "reason", reason.name().toLowerCase(java.util.Locale.ROOT));
        }
    }
}
