package mad.ingest;

import java.util.function.LongSupplier;

import mad.engine.config.ConfigException;
import mad.engine.config.Settings;
import mad.ingest.http.HttpRoutes;

/**
 * What a source factory gets from the pipeline it belongs to: the pipeline's name, where HTTP routes are registered,
 * the shared event loops, the factory of writers into the pipeline's engine, and the clock (epoch ms) for sources
 * that stamp records with their arrival time.
 *
 * <p>Wrapping sources (MappingSource, ...) build their inner source with {@link #withWriterFactory(WriterFactory)}
 * and a decorating factory.
 *
 * <p>Thread safety: immutable.
 */
public final class IngestContext
{
    private final String pipelineName;
    private final HttpRoutes httpRoutes;
    private final IngestThreads threads;
    private final WriterFactory writerFactory;
    private final LongSupplier clock;

    /**
     * @param pipelineName the pipeline's {@code name}.
     * @param httpRoutes the HTTP server's POST routes.
     * @param threads the shared event loops.
     * @param writerFactory writers into the pipeline's engine.
     * @param clock epoch milliseconds ({@code System::currentTimeMillis} outside tests).
     */
    public IngestContext(
        final String pipelineName,
        final HttpRoutes httpRoutes,
        final IngestThreads threads,
        final WriterFactory writerFactory,
        final LongSupplier clock)
    {
        this.pipelineName = pipelineName;
        this.httpRoutes = httpRoutes;
        this.threads = threads;
        this.writerFactory = writerFactory;
        this.clock = clock;
    }

    public String pipelineName()
    {
        return pipelineName;
    }

    public HttpRoutes httpRoutes()
    {
        return httpRoutes;
    }

    public IngestThreads threads()
    {
        return threads;
    }

    public WriterFactory writerFactory()
    {
        return writerFactory;
    }

    /**
     * @return epoch-millisecond clock.
     */
    public LongSupplier clock()
    {
        return clock;
    }

    /**
     * @param decorated another writer factory (a wrapping source's).
     * @return a copy of this context writing through it.
     */
    public IngestContext withWriterFactory(final WriterFactory decorated)
    {
        return new IngestContext(pipelineName, httpRoutes, threads, decorated, clock);
    }

    /**
     * Looks up a source's {@code type}.
     *
     * @param settings the source's settings (for the error's file and path).
     * @param type MAD's class name.
     * @return the source type.
     * @throws ConfigException when MAD has no such source (or madx does not support it yet).
     */
    public SourceType sourceType(final Settings settings, final String type)
    {
        final SourceType sourceType = SourceType.of(type);
        if (sourceType == null)
        {
            throw settings.error("type", "unknown source type: " + type);
        }
        return sourceType;
    }

    /**
     * Creates a source from its settings: reads {@code type}, looks it up and calls its factory.
     *
     * @param settings the source's settings.
     * @return the source (not started).
     * @throws ConfigException when the type is missing or unknown or the factory rejects the settings.
     */
    public Source createSource(final Settings settings)
    {
        if (!settings.has("type"))
        {
            throw settings.error("type", "missing source type");
        }
        return sourceType(settings, settings.string("type")).create(settings, this);
    }
}
