package mad.ingest.decode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.agrona.DirectBuffer;

import mad.engine.model.MetricType;
import mad.engine.model.Unit;
import mad.engine.sample.PublishResult;
import mad.engine.sample.SampleWriter;

/**
 * Test writer that keeps every record it is given as plain objects. Optionally answers RING_FULL after a number of
 * samples.
 */
public final class RecordingWriter implements SampleWriter
{
    /** One record as written. */
    public static final class Rec
    {
        public long time;
        public long requestTime;
        public final Map<String, String> dimensions = new TreeMap<>();
        public final List<Met> metrics = new ArrayList<>();

        @Override
        public String toString()
        {
            return "Rec{time=" + time + ", dims=" + dimensions + ", metrics=" + metrics + "}";
        }
    }

    /** One metric as written. */
    public static final class Met
    {
        public String name;
        public MetricType type;
        public Unit unit;
        public final List<Double> values = new ArrayList<>();
        public final List<double[]> statistics = new ArrayList<>();
        public final List<long[]> histogram = new ArrayList<>();

        @Override
        public String toString()
        {
            return name + "/" + type + "/" + unit + values;
        }
    }

    public final List<Rec> records = new ArrayList<>();
    private int samplesBeforeFull = Integer.MAX_VALUE;
    private Rec record;
    private Met metric;

    public RecordingWriter fullAfter(final int samples)
    {
        samplesBeforeFull = samples;
        return this;
    }

    public List<Met> metrics()
    {
        final List<Met> all = new ArrayList<>();
        for (final Rec r : records)
        {
            all.addAll(r.metrics);
        }
        return all;
    }

    @Override
    public void beginRecord(final long timestampMs, final long requestTimeMs)
    {
        record = new Rec();
        record.time = timestampMs;
        record.requestTime = requestTimeMs;
    }

    @Override
    public void dimension(
        final DirectBuffer nameBuffer, final int nameOffset, final int nameLength,
        final DirectBuffer valueBuffer, final int valueOffset, final int valueLength)
    {
        dimension(
            nameBuffer.getStringWithoutLengthUtf8(nameOffset, nameLength),
            valueBuffer.getStringWithoutLengthUtf8(valueOffset, valueLength));
    }

    @Override
    public void dimension(final CharSequence name, final CharSequence value)
    {
        if (record.dimensions.put(name.toString(), value.toString()) != null)
        {
            record.dimensions.put("!duplicate", name.toString());
        }
    }

    @Override
    public int endDimensions()
    {
        if (record.dimensions.containsKey("!duplicate"))
        {
            return PublishResult.DUPLICATE_DIMENSION;
        }
        records.add(record);
        return PublishResult.OK;
    }

    @Override
    public int beginMetric(
        final DirectBuffer nameBuffer, final int nameOffset, final int nameLength, final MetricType type,
        final Unit unit)
    {
        final byte[] bytes = new byte[nameLength];
        nameBuffer.getBytes(nameOffset, bytes);
        return beginMetric(new String(bytes, StandardCharsets.UTF_8), type, unit);
    }

    @Override
    public int beginMetric(final CharSequence name, final MetricType type, final Unit unit)
    {
        metric = new Met();
        metric.name = name.toString();
        metric.type = type;
        metric.unit = unit;
        record.metrics.add(metric);
        return PublishResult.OK;
    }

    @Override
    public int sample(final double value)
    {
        if (samplesBeforeFull-- <= 0)
        {
            return PublishResult.RING_FULL;
        }
        metric.values.add(value);
        return PublishResult.OK;
    }

    @Override
    public int clientStatistics(final double min, final double max, final double sum, final long count)
    {
        metric.statistics.add(new double[] {min, max, sum, count});
        return PublishResult.OK;
    }

    @Override
    public int clientHistogramEntry(final long packedKey, final long count)
    {
        metric.histogram.add(new long[] {packedKey, count});
        return PublishResult.OK;
    }

    @Override
    public void endMetric()
    {
        metric = null;
    }
}
