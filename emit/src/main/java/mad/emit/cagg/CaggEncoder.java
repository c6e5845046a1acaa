package mad.emit.cagg;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;

import mad.engine.model.Unit;
import mad.engine.output.AggregatedMetric;
import mad.engine.output.PeriodicData;
import mad.engine.stat.Statistic;

/**
 * Encodes one metric of a {@link PeriodicData} as MAD's framed {@code StatisticSetRecord} (mad-spec 7.2.1/7.2.2),
 * the body of one POST to the cluster aggregator, into a reusable byte array.
 *
 * <h2>Layout</h2>
 * {@code [int32 BE total length incl. these 4 bytes][0x04][StatisticSetRecord]}. Fields: service (1), cluster (2),
 * metric (3), period (4, {@link Duration#toString()}: PT1S, PT24H), period_start (5, UTC {@link ZonedDateTime} text
 * in its shortest form: {@code 2026-11-25T06:08Z}, {@code ...:17Z}, {@code ...:17.500Z}), statistics (6, one
 * {@code StatisticRecord} per statistic), dimensions (8, map of all dimensions), client_minimum_request_time (9, same
 * text or absent). StatisticRecord: statistic (1), value (2), unit (3), user_specified (4), and for {@code histogram}
 * supporting_data (5) = {@code [int32 BE len][0x05][0x02][SparseHistogramSupportingData{unit (1), entries (2) =
 * (bucket (1), count (2)) ascending, precision (3) only when configured}]}.
 *
 * <h2>Attached histogram (ours, opt-in)</h2>
 * With {@code attachHistogram}, a metric without a {@code histogram} statistic gets one appended, exactly as MAD
 * emits a dependent one for timers: value 1.0, unit "", {@code user_specified=false}, supporting data built from the
 * metric's buckets (the engine retains them, see {@code StatisticSet.retainingHistogram()}). CAGG HEAD computes the
 * population size from the histogram and answers 500 to a record that has {@code count} but no {@code histogram}
 * ({@code CombinedMetricData.computePopulationSize}); its entry count is the sum of the bucket counts.
 *
 * <h2>Why sizes are computed first</h2>
 * Protobuf length-prefixes nested messages, so each nested size is computed before writing; the whole record size
 * is then known, the array is grown once if needed, and the bytes are written front to back with no copy. Proto3
 * rules apply: default values (0, "", false) are not written, exactly as the generated classes MAD uses do.
 *
 * <h2>Why nothing is allocated per record</h2>
 * The fields shared by every metric of a bucket (service, cluster, period, period start, dimensions, minimum request
 * time) are encoded once per bucket into an {@link EncodedFieldCache} and copied; everything else is written by
 * {@link ProtoBytes} straight into the reused array (no {@code CodedOutputStream}, no map iteration per record).
 *
 * <p>Thread ownership: one instance per sink, used only by the emitter thread.
 */
public final class CaggEncoder
{
    /** Framing type byte of a StatisticSetRecord. */
    public static final byte TYPE_STATISTIC_SET = 0x04;
    /** Framing type byte of supporting data, followed by a subtype byte. */
    public static final byte TYPE_SUPPORTING_DATA = 0x05;
    /** Supporting-data subtype of SparseHistogramSupportingData. */
    public static final byte SUBTYPE_SPARSE_HISTOGRAM = 0x02;

    private static final int FRAME_HEADER = 5;
    private static final int SUPPORTING_HEADER = 6;
    private static final int LENGTH_DELIMITED = ProtoBytes.LENGTH_DELIMITED;

    private final int precision;
    private final boolean attachHistogram;
    private final EncodedFieldCache fields = new EncodedFieldCache();
    private byte[] buffer = new byte[4096];
    private int[] statisticSizes = new int[Statistic.count()];

    /**
     * An encoder like MAD 1.20.1: no histogram precision field.
     */
    public CaggEncoder()
    {
        this(0);
    }

    /**
     * @param precision the {@code SparseHistogramSupportingData.precision} to write; 0 omits it (1.20.1), MAD HEAD
     *        writes 8.
     */
    public CaggEncoder(final int precision)
    {
        this(precision, false);
    }

    /**
     * @param precision the {@code SparseHistogramSupportingData.precision} to write; 0 omits it (1.20.1), MAD HEAD
     *        writes 8 (CAGG reads precision - 1 and accepts only 7 bits: any other non-zero value is a 500).
     * @param attachHistogram true to append a {@code histogram} statistic to metrics that have none.
     */
    public CaggEncoder(final int precision, final boolean attachHistogram)
    {
        this.precision = precision;
        this.attachHistogram = attachHistogram;
    }

    /**
     * @param data a bucket.
     * @return true when it has the {@code service} and {@code cluster} dimensions the record requires.
     */
    public static boolean hasServiceAndCluster(final PeriodicData data)
    {
        final Map<String, String> dimensions = data.dimensions();
        return dimensions.get("service") != null && dimensions.get("cluster") != null;
    }

    /**
     * Encodes metric {@code metricIndex} of {@code data} into {@link #buffer()}.
     *
     * @param data a bucket with {@code service} and {@code cluster} dimensions.
     * @param metricIndex index in {@link PeriodicData#metric(int)}.
     * @return the number of bytes written at the start of {@link #buffer()} (the framed message).
     */
    public int encode(final PeriodicData data, final int metricIndex)
    {
        final AggregatedMetric metric = data.metric(metricIndex);
        fields.update(data.dimensions(), data.period(), data.startMs(), data.hasMinRequestTime(),
            data.minRequestTimeMs());

        final int statisticCount = metric.statisticCount();
        if (statisticSizes.length < statisticCount)
        {
            statisticSizes = new int[statisticCount];
        }
        final boolean attach = attachHistogram && metric.indexOf(Statistic.HISTOGRAM) < 0;
        final int histogramSize = attach || metric.indexOf(Statistic.HISTOGRAM) >= 0 ? histogramSize(metric) : 0;
        int recordSize = fields.headLength + ProtoBytes.stringSize(3, metric.name()) + fields.periodLength
            + fields.tailLength;
        for (int i = 0; i < statisticCount; i++)
        {
            final int size = statisticSize(metric, i, histogramSize);
            statisticSizes[i] = size;
            recordSize += ProtoBytes.nestedSize(6, size);
        }
        final int attachedSize = attach ? attachedHistogramSize(histogramSize) : 0;
        if (attach)
        {
            recordSize += ProtoBytes.nestedSize(6, attachedSize);
        }

        final int total = FRAME_HEADER + recordSize;
        if (buffer.length < total)
        {
            buffer = new byte[Math.max(total, buffer.length * 2)];
        }
        final byte[] out = buffer;
        ProtoBytes.writeInt32BigEndian(out, 0, total);
        out[4] = TYPE_STATISTIC_SET;
        int position = FRAME_HEADER;
        System.arraycopy(fields.head, 0, out, position, fields.headLength);
        position += fields.headLength;
        position = ProtoBytes.writeString(out, position, 3, metric.name());
        System.arraycopy(fields.periodFields, 0, out, position, fields.periodLength);
        position += fields.periodLength;
        for (int i = 0; i < statisticCount; i++)
        {
            position = ProtoBytes.writeTag(out, position, 6, LENGTH_DELIMITED);
            position = ProtoBytes.writeVarint32(out, position, statisticSizes[i]);
            position = writeStatistic(out, position, metric, i, histogramSize);
        }
        if (attach)
        {
            position = ProtoBytes.writeTag(out, position, 6, LENGTH_DELIMITED);
            position = ProtoBytes.writeVarint32(out, position, attachedSize);
            position = ProtoBytes.writeString(out, position, 1, Statistic.HISTOGRAM.wireName());
            position = ProtoBytes.writeDouble(out, position, 2, 1.0);
            position = writeSupportingData(out, position, metric, histogramSize);
        }
        System.arraycopy(fields.tail, 0, out, position, fields.tailLength);
        position += fields.tailLength;
        if (position != total)
        {
            throw new IllegalStateException("encoded size mismatch for metric " + metric.name() + ": " + position
                + " != " + total);
        }
        return total;
    }

    /**
     * @return the array the last {@link #encode} wrote into (reused by the next call).
     */
    public byte[] buffer()
    {
        return buffer;
    }

    /**
     * @param periodStartMs epoch millis.
     * @return MAD's timestamp text: UTC ZonedDateTime in its shortest ISO form.
     */
    public static String timestampText(final long periodStartMs)
    {
        return ZonedDateTime.ofInstant(Instant.ofEpochMilli(periodStartMs), ZoneOffset.UTC).toString();
    }

    private int writeStatistic(
        final byte[] out, final int at, final AggregatedMetric metric, final int index, final int histogramSize)
    {
        final Statistic statistic = metric.statistic(index);
        int position = ProtoBytes.writeString(out, at, 1, statistic.wireName());
        position = ProtoBytes.writeDouble(out, position, 2, metric.value(index));
        position = ProtoBytes.writeString(out, position, 3, unitText(metric, index));
        if (metric.specified(index))
        {
            position = ProtoBytes.writeTag(out, position, 4, ProtoBytes.VARINT);
            out[position++] = 1;
        }
        if (statistic == Statistic.HISTOGRAM)
        {
            position = writeSupportingData(out, position, metric, histogramSize);
        }
        return position;
    }

    /** Field 5 of a StatisticRecord: the framed SparseHistogramSupportingData of the metric's buckets. */
    private int writeSupportingData(
        final byte[] out, final int at, final AggregatedMetric metric, final int histogramSize)
    {
        int position = ProtoBytes.writeTag(out, at, 5, LENGTH_DELIMITED);
        final int frameLength = SUPPORTING_HEADER + histogramSize;
        position = ProtoBytes.writeVarint32(out, position, frameLength);
        position = ProtoBytes.writeInt32BigEndian(out, position, frameLength);
        out[position++] = TYPE_SUPPORTING_DATA;
        out[position++] = SUBTYPE_SPARSE_HISTOGRAM;
        position = ProtoBytes.writeString(out, position, 1, metric.histogramUnit().wireName());
        final int buckets = metric.bucketCount();
        for (int b = 0; b < buckets; b++)
        {
            final double bucket = metric.bucket(b);
            final long count = metric.bucketCountAt(b);
            position = ProtoBytes.writeTag(out, position, 2, LENGTH_DELIMITED);
            position = ProtoBytes.writeVarint32(out, position, entrySize(bucket, count));
            position = ProtoBytes.writeDouble(out, position, 1, bucket);
            if (count != 0)
            {
                position = ProtoBytes.writeTag(out, position, 2, ProtoBytes.VARINT);
                position = ProtoBytes.writeVarint64(out, position, count);
            }
        }
        if (precision != 0)
        {
            position = ProtoBytes.writeTag(out, position, 3, ProtoBytes.VARINT);
            position = ProtoBytes.writeVarint32(out, position, precision);
        }
        return position;
    }

    private int statisticSize(final AggregatedMetric metric, final int index, final int histogramSize)
    {
        final Statistic statistic = metric.statistic(index);
        int size = stringSize(1, statistic.wireName()) + doubleSize(2, metric.value(index))
            + stringSize(3, unitText(metric, index));
        if (metric.specified(index))
        {
            size += ProtoBytes.tagSize(4) + 1;
        }
        if (statistic == Statistic.HISTOGRAM)
        {
            size += nestedSize(5, SUPPORTING_HEADER + histogramSize);
        }
        return size;
    }

    /** Size of the appended histogram StatisticRecord: name, value 1.0, no unit, not specified, supporting data. */
    private static int attachedHistogramSize(final int histogramSize)
    {
        return stringSize(1, Statistic.HISTOGRAM.wireName()) + doubleSize(2, 1.0)
            + nestedSize(5, SUPPORTING_HEADER + histogramSize);
    }

    /**
     * Size of the SparseHistogramSupportingData message (without the 6-byte frame). Sorts the buckets ascending
     * first if the producer did not (the engine already does: this is a guard).
     */
    private int histogramSize(final AggregatedMetric metric)
    {
        sortBucketsIfNeeded(metric);
        int size = stringSize(1, metric.histogramUnit().wireName());
        final int buckets = metric.bucketCount();
        for (int b = 0; b < buckets; b++)
        {
            size += nestedSize(2, entrySize(metric.bucket(b), metric.bucketCountAt(b)));
        }
        if (precision != 0)
        {
            size += ProtoBytes.tagSize(3) + ProtoBytes.varint32Size(precision);
        }
        return size;
    }

    private static void sortBucketsIfNeeded(final AggregatedMetric metric)
    {
        final double[] buckets = metric.bucketArray();
        final long[] counts = metric.bucketCountArray();
        final int size = metric.bucketCount();
        for (int i = 1; i < size; i++)
        {
            if (Double.compare(buckets[i - 1], buckets[i]) > 0)
            {
                // Rare path (producer bug): insertion sort keeps the pairs together without allocating.
                for (int j = 1; j < size; j++)
                {
                    final double bucket = buckets[j];
                    final long count = counts[j];
                    int k = j - 1;
                    while (k >= 0 && Double.compare(buckets[k], bucket) > 0)
                    {
                        buckets[k + 1] = buckets[k];
                        counts[k + 1] = counts[k];
                        k--;
                    }
                    buckets[k + 1] = bucket;
                    counts[k + 1] = count;
                }
                return;
            }
        }
    }

    private static int entrySize(final double bucket, final long count)
    {
        return doubleSize(1, bucket) + (count == 0 ? 0 : ProtoBytes.tagSize(2) + ProtoBytes.varint64Size(count));
    }

    private static String unitText(final AggregatedMetric metric, final int index)
    {
        // The histogram statistic's own unit is always "" in MAD; its unit lives in the supporting data.
        if (metric.statistic(index) == Statistic.HISTOGRAM)
        {
            return "";
        }
        final Unit unit = metric.unit(index);
        return unit == null ? "" : unit.wireName();
    }

    private static int nestedSize(final int field, final int size)
    {
        return ProtoBytes.nestedSize(field, size);
    }

    private static int stringSize(final int field, final String value)
    {
        return ProtoBytes.stringSize(field, value);
    }

    private static int doubleSize(final int field, final double value)
    {
        return ProtoBytes.doubleSize(field, value);
    }
}
