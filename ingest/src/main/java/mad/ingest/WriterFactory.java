package mad.ingest;

import mad.engine.sample.SamplePublisher;
import mad.engine.sample.SampleWriter;

/**
 * Makes the {@link SampleWriter} an ingest thread writes into: the pipeline's engine publisher, possibly wrapped by
 * MAD's wrapping sources (MappingSource, TimeStampingSource, ...), which implement this by decorating another factory.
 *
 * <p>Thread safety: {@link #create} may be called from any thread; each returned writer belongs to the caller.
 */
@FunctionalInterface
public interface WriterFactory
{
    /**
     * @param backpressure what a full ring does to this writer's thread.
     * @return a writer owned by the calling thread.
     */
    SampleWriter create(SamplePublisher.Backpressure backpressure);
}
