package mad.engine.sample;

import org.agrona.DirectBuffer;

import mad.engine.model.MetricType;
import mad.engine.model.Unit;

/**
 * What a decoder writes records into. {@link SamplePublisher} is the terminal implementation (ring events); wrapping
 * sources (MAD's MappingSource, TimeStampingSource, ...) implement it by decorating another writer, so a decoder
 * never knows whether it feeds the engine directly. Call order and results are described on {@link SamplePublisher}.
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
}
