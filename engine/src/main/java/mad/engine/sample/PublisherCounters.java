package mad.engine.sample;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What one source handed to the engine: samples published and samples dropped because a ring stayed full.
 * Several publishers (one per ingest thread) of the same source share one instance, so updates are atomic adds;
 * they happen once per event, not per sample.
 */
public final class PublisherCounters
{
    private final String source;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    /**
     * @param source the name of the source, for logs and self-metrics.
     */
    public PublisherCounters(final String source)
    {
        this.source = source;
    }

    public String source()
    {
        return source;
    }

    void addPublished(final long samples)
    {
        published.getAndAdd(samples);
    }

    void addDropped(final long samples)
    {
        dropped.getAndAdd(samples);
    }

    public long published()
    {
        return published.get();
    }

    public long dropped()
    {
        return dropped.get();
    }
}
