package mad.emit.cagg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;

import mad.engine.model.Unit;
import mad.engine.output.AggregatedMetric;
import mad.engine.output.PeriodicData;
import mad.engine.stat.Statistic;

/**
 * Reference copy of the CodedOutputStream-based encoder before issue 6 (for {@code CaggEncoderDifferentialTest}).
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
 * <p>Thread ownership: one instance per sink, used only by the emitter thread. Period and timestamp texts are cached
 * per bucket, so encoding the N metrics of one bucket formats them once.
 */
final class ReferenceCaggEncoder
{
    /** Framing type byte of a StatisticSetRecord. */
    public static final byte TYPE_STATISTIC_SET = 0x04;
    /** Framing type byte of supporting data, followed by a subtype byte. */
    public static final byte TYPE_SUPPORTING_DATA = 0x05;
    /** Supporting-data subtype of SparseHistogramSupportingData. */
    public static final byte SUBTYPE_SPARSE_HISTOGRAM = 0x02;

    private static final int FRAME_HEADER = 5;
    private static final int SUPPORTING_HEADER = 6;
    private static final int LENGTH_DELIMITED = WireFormat.WIRETYPE_LENGTH_DELIMITED;

    private final int precision;
    private final boolean attachHistogram;
    private byte[] buffer = new byte[4096];
    private int[] statisticSizes = new int[Statistic.count()];
    private Duration cachedPeriod;
    private String cachedPeriodText;
    private long cachedStartMs = Long.MIN_VALUE;
    private String cachedStartText;
    private long cachedRequestMs = Long.MIN_VALUE;
    private String cachedRequestText = "";

    /**
     * An encoder like MAD 1.20.1: no histogram precision field.
     */
    ReferenceCaggEncoder()
    {
        this(0);
    }

    /**
     * @param precision the {@code SparseHistogramSupportingData.precision} to write; 0 omits it (1.20.1), MAD HEAD
     *        writes 8.
     */
    ReferenceCaggEncoder(final int precision)
    {
        this(precision, false);
    }

    /**
     * @param precision the {@code SparseHistogramSupportingData.precision} to write; 0 omits it (1.20.1), MAD HEAD
     *        writes 8 (CAGG reads precision - 1 and accepts only 7 bits: any other non-zero value is a 500).
     * @param attachHistogram true to append a {@code histogram} statistic to metrics that have none.
     */
    ReferenceCaggEncoder(final int precision, final boolean attachHistogram)
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
        final Map<String, String> dimensions = data.dimensions();
        final String service = nonNull(dimensions.get("service"));
        final String cluster = nonNull(dimensions.get("cluster"));
        final String period = periodText(data.period());
        final String start = startText(data.startMs());
        final String requestTime = data.hasMinRequestTime() ? requestText(data.minRequestTimeMs()) : "";

        final int statisticCount = metric.statisticCount();
        if (statisticSizes.length < statisticCount)
        {
            statisticSizes = new int[statisticCount];
        }
        final boolean attach = attachHistogram && metric.indexOf(Statistic.HISTOGRAM) < 0;
        final int histogramSize = attach || metric.indexOf(Statistic.HISTOGRAM) >= 0 ? histogramSize(metric) : 0;
        int recordSize = stringSize(1, service) + stringSize(2, cluster) + stringSize(3, metric.name())
            + stringSize(4, period) + stringSize(5, start) + stringSize(9, requestTime);
        for (int i = 0; i < statisticCount; i++)
        {
            final int size = statisticSize(metric, i, histogramSize);
            statisticSizes[i] = size;
            recordSize += nestedSize(6, size);
        }
        final int attachedSize = attach ? attachedHistogramSize(histogramSize) : 0;
        if (attach)
        {
            recordSize += nestedSize(6, attachedSize);
        }
        for (final Map.Entry<String, String> entry : dimensions.entrySet())
        {
            recordSize += nestedSize(8, mapEntrySize(entry.getKey(), entry.getValue()));
        }

        final int total = FRAME_HEADER + recordSize;
        if (buffer.length < total)
        {
            buffer = new byte[Math.max(total, buffer.length * 2)];
        }
        writeInt32BigEndian(buffer, 0, total);
        buffer[4] = TYPE_STATISTIC_SET;
        final CodedOutputStream out = CodedOutputStream.newInstance(buffer, FRAME_HEADER, recordSize);
        try
        {
            writeString(out, 1, service);
            writeString(out, 2, cluster);
            writeString(out, 3, metric.name());
            writeString(out, 4, period);
            writeString(out, 5, start);
            for (int i = 0; i < statisticCount; i++)
            {
                out.writeTag(6, LENGTH_DELIMITED);
                out.writeUInt32NoTag(statisticSizes[i]);
                writeStatistic(out, metric, i, histogramSize);
            }
            if (attach)
            {
                out.writeTag(6, LENGTH_DELIMITED);
                out.writeUInt32NoTag(attachedSize);
                writeString(out, 1, Statistic.HISTOGRAM.wireName());
                writeDouble(out, 2, 1.0);
                writeSupportingData(out, metric, histogramSize);
            }
            for (final Map.Entry<String, String> entry : dimensions.entrySet())
            {
                final String key = nonNull(entry.getKey());
                final String value = nonNull(entry.getValue());
                out.writeTag(8, LENGTH_DELIMITED);
                out.writeUInt32NoTag(mapEntrySize(key, value));
                // Map entries always carry key and value, as the generated MapEntry writer does.
                out.writeString(1, key);
                out.writeString(2, value);
            }
            writeString(out, 9, requestTime);
            out.checkNoSpaceLeft();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("encoded size mismatch for metric " + metric.name(), e);
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

    private void writeStatistic(
        final CodedOutputStream out, final AggregatedMetric metric, final int index, final int histogramSize)
        throws IOException
    {
        final Statistic statistic = metric.statistic(index);
        writeString(out, 1, statistic.wireName());
        writeDouble(out, 2, metric.value(index));
        writeString(out, 3, unitText(metric, index));
        if (metric.specified(index))
        {
            out.writeBool(4, true);
        }
        if (statistic == Statistic.HISTOGRAM)
        {
            writeSupportingData(out, metric, histogramSize);
        }
    }

    /** Field 5 of a StatisticRecord: the framed SparseHistogramSupportingData of the metric's buckets. */
    private void writeSupportingData(final CodedOutputStream out, final AggregatedMetric metric,
        final int histogramSize) throws IOException
    {
        out.writeTag(5, LENGTH_DELIMITED);
        out.writeUInt32NoTag(SUPPORTING_HEADER + histogramSize);
        final int frameLength = SUPPORTING_HEADER + histogramSize;
        out.writeRawByte((byte)(frameLength >>> 24));
        out.writeRawByte((byte)(frameLength >>> 16));
        out.writeRawByte((byte)(frameLength >>> 8));
        out.writeRawByte((byte)frameLength);
        out.writeRawByte(TYPE_SUPPORTING_DATA);
        out.writeRawByte(SUBTYPE_SPARSE_HISTOGRAM);
        writeString(out, 1, metric.histogramUnit().wireName());
        final int buckets = metric.bucketCount();
        for (int b = 0; b < buckets; b++)
        {
            final double bucket = metric.bucket(b);
            final long count = metric.bucketCountAt(b);
            out.writeTag(2, LENGTH_DELIMITED);
            out.writeUInt32NoTag(entrySize(bucket, count));
            writeDouble(out, 1, bucket);
            if (count != 0)
            {
                out.writeUInt64(2, count);
            }
        }
        if (precision != 0)
        {
            out.writeUInt32(3, precision);
        }
    }

    private int statisticSize(final AggregatedMetric metric, final int index, final int histogramSize)
    {
        final Statistic statistic = metric.statistic(index);
        int size = stringSize(1, statistic.wireName()) + doubleSize(2, metric.value(index))
            + stringSize(3, unitText(metric, index));
        if (metric.specified(index))
        {
            size += CodedOutputStream.computeBoolSize(4, true);
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
            size += CodedOutputStream.computeUInt32Size(3, precision);
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
        return doubleSize(1, bucket) + (count == 0 ? 0 : CodedOutputStream.computeUInt64Size(2, count));
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

    private static int mapEntrySize(final String key, final String value)
    {
        return CodedOutputStream.computeStringSize(1, nonNull(key)) + CodedOutputStream.computeStringSize(2, nonNull(value));
    }

    private static int nestedSize(final int field, final int size)
    {
        return CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt32SizeNoTag(size) + size;
    }

    private static int stringSize(final int field, final String value)
    {
        return value.isEmpty() ? 0 : CodedOutputStream.computeStringSize(field, value);
    }

    private static int doubleSize(final int field, final double value)
    {
        return Double.doubleToRawLongBits(value) == 0 ? 0 : CodedOutputStream.computeDoubleSize(field, value);
    }

    private static void writeString(final CodedOutputStream out, final int field, final String value)
        throws IOException
    {
        if (!value.isEmpty())
        {
            out.writeString(field, value);
        }
    }

    private static void writeDouble(final CodedOutputStream out, final int field, final double value)
        throws IOException
    {
        // proto3 skips +0.0 only (the generated code compares raw bits), so -0.0 is still written.
        if (Double.doubleToRawLongBits(value) != 0)
        {
            out.writeDouble(field, value);
        }
    }

    private static void writeInt32BigEndian(final byte[] target, final int offset, final int value)
    {
        target[offset] = (byte)(value >>> 24);
        target[offset + 1] = (byte)(value >>> 16);
        target[offset + 2] = (byte)(value >>> 8);
        target[offset + 3] = (byte)value;
    }

    private static String nonNull(final String value)
    {
        return value == null ? "" : value;
    }

    private String periodText(final Duration period)
    {
        if (!period.equals(cachedPeriod))
        {
            cachedPeriod = period;
            cachedPeriodText = period.toString();
        }
        return cachedPeriodText;
    }

    private String startText(final long startMs)
    {
        if (startMs != cachedStartMs)
        {
            cachedStartMs = startMs;
            cachedStartText = timestampText(startMs);
        }
        return cachedStartText;
    }

    private String requestText(final long requestMs)
    {
        if (requestMs != cachedRequestMs)
        {
            cachedRequestMs = requestMs;
            cachedRequestText = timestampText(requestMs);
        }
        return cachedRequestText;
    }
}
