package mad.engine.sample;

import org.agrona.DirectBuffer;

import mad.engine.model.MetricType;
import mad.engine.model.Unit;

/**
 * What a decoder writes records into. {@link SamplePublisher} is the terminal implementation (ring events); wrapping
 * sources (MAD's MappingSource, TimeStampingSource, ...) implement it by decorating another writer, so a decoder
 * never knows whether it feeds the engine directly. Call order and results are described on {@link SamplePublisher}.
 *
 * <p>Two optional fast paths have safe defaults, so a decorator that does not forward them only loses speed:
 * {@link #beginBatch(int)}/{@link #endBatch()} bracket the records of one transport unit (a datagram) so the
 * terminal writer can hand them to the engine together, and {@link #dimensionsId()}/{@link #beginRecordRepeating}
 * let a decoder reuse the canonical dimension key of the previous record instead of re-sending its dimensions.
 *
 * <p>Thread ownership: one instance per producing thread.
 */
public interface SampleWriter
{
    void beginRecord(long timestampMs, long requestTimeMs);

    void dimension(
        DirectBuffer nameBuffer, int nameOffset, int nameLength,
        DirectBuffer valueBuffer, int valueOffset, int valueLength);

    void dimension(CharSequence name, CharSequence value);

    int endDimensions();

    int beginMetric(DirectBuffer nameBuffer, int nameOffset, int nameLength, MetricType type, Unit unit);

    int beginMetric(CharSequence name, MetricType type, Unit unit);

    int sample(double value);

    int clientStatistics(double min, double max, double sum, long count);

    int clientHistogramEntry(long packedKey, long count);

    void endMetric();

    /**
     * Starts a batch: the records written until {@link #endBatch()} may be handed to the engine together (ring slots
     * claimed and published per shard range instead of one by one). Order per series is unchanged. Batches do not
     * nest; the default ignores it.
     *
     * @param expectedRecords how many records (one metric with samples each) the batch probably holds: a hint.
     */
    default void beginBatch(final int expectedRecords)
    {
    }

    /**
     * Ends the batch: everything written since {@link #beginBatch(int)} is visible to the engine when this returns.
     */
    default void endBatch()
    {
    }

    /**
     * @return an id of the dimensions of the current record, valid after {@link #endDimensions()} returned OK, for
     *         {@link #beginRecordRepeating}; {@link PublishResult#NOT_REPEATABLE} (the default) when unsupported.
     */
    default long dimensionsId()
    {
        return PublishResult.NOT_REPEATABLE;
    }

    /**
     * Starts a record with the same dimensions as the record whose {@link #dimensionsId()} was {@code dimensionsId},
     * which is then ended already: go on with {@code beginMetric}. Works only when no other record was begun since.
     *
     * @return {@link PublishResult#OK}, or {@link PublishResult#NOT_REPEATABLE} (nothing was started: write the
     *         record the usual way, {@code beginRecord}, dimensions, {@code endDimensions}).
     */
    default int beginRecordRepeating(final long timestampMs, final long requestTimeMs, final long dimensionsId)
    {
        return PublishResult.NOT_REPEATABLE;
    }
}
