package mad.emit.cagg;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import com.arpnetworking.metrics.aggregation.protocol.Messages.SparseHistogramSupportingData;
import com.arpnetworking.metrics.aggregation.protocol.Messages.StatisticRecord;
import com.arpnetworking.metrics.aggregation.protocol.Messages.StatisticSetRecord;
import com.google.protobuf.InvalidProtocolBufferException;
import org.junit.jupiter.api.Test;

import mad.emit.TestData;
import mad.engine.model.MetricType;
import mad.engine.model.Unit;
import mad.engine.output.AggregatedMetric;
import mad.engine.output.PeriodicData;
import mad.engine.sample.SampleEvent;
import mad.engine.stat.Statistic;

class CaggEncoderTest
{
    private static final Map<String, String> DIMENSIONS = dimensions();

    private static Map<String, String> dimensions()
    {
        final Map<String, String> map = new LinkedHashMap<>();
        map.put("host", "h1");
        map.put("service", "svc");
        map.put("cluster", "cl");
        return map;
    }

    /** Checks the 5-byte frame and parses the record with the generated classes. */
    static StatisticSetRecord decode(final byte[] body, final int length) throws InvalidProtocolBufferException
    {
        assertThat(ByteBuffer.wrap(body, 0, 4).getInt()).isEqualTo(length);
        assertThat(body[4]).isEqualTo((byte)0x04);
        return StatisticSetRecord.parseFrom(Arrays.copyOfRange(body, 5, length));
    }

    private static StatisticRecord statistic(final StatisticSetRecord record, final String name)
    {
        return record.getStatisticsList().stream().filter(s -> s.getStatistic().equals(name)).findFirst()
            .orElseThrow();
    }

    @Test
    void shouldRoundTripAllFields() throws Exception
    {
        final PeriodicData data = TestData.timerAndCounter(DIMENSIONS, Duration.ofMinutes(1));
        final CaggEncoder encoder = new CaggEncoder();

        final int length = encoder.encode(data, 0);
        final StatisticSetRecord record = decode(encoder.buffer(), length);

        assertThat(record.getService()).isEqualTo("svc");
        assertThat(record.getCluster()).isEqualTo("cl");
        assertThat(record.getMetric()).isEqualTo("latency");
        assertThat(record.getPeriod()).isEqualTo("PT1M");
        assertThat(record.getPeriodStart()).isEqualTo("2026-11-25T06:08Z");
        assertThat(record.getDimensionsMap()).containsExactlyInAnyOrderEntriesOf(DIMENSIONS);
        assertThat(record.getClientMinimumRequestTime()).isEmpty();
        assertThat(record.getStatisticsList()).extracting(StatisticRecord::getStatistic)
            .containsExactly("max", "count", "histogram");
        final StatisticRecord max = statistic(record, "max");
        assertThat(max.getValue()).isEqualTo(0.3);
        assertThat(max.getUnit()).isEqualTo("SECOND");
        assertThat(max.getUserSpecified()).isTrue();
        assertThat(max.getSupportingData().isEmpty()).isTrue();
        final StatisticRecord count = statistic(record, "count");
        assertThat(count.getValue()).isEqualTo(3.0);
        assertThat(count.getUnit()).isEmpty();
        assertThat(count.getUserSpecified()).isFalse();
        assertThat(statistic(record, "histogram").getUnit()).isEmpty();
    }

    @Test
    void shouldMatchGeneratedEncodingByteForByte() throws Exception
    {
        final PeriodicData data = TestData.timerAndCounter(DIMENSIONS, Duration.ofSeconds(1));
        final CaggEncoder encoder = new CaggEncoder();
        for (int i = 0; i < data.metricCount(); i++)
        {
            final int length = encoder.encode(data, i);
            final StatisticSetRecord record = decode(encoder.buffer(), length);
            // Same field order as the generated writer (fields ascending), so re-serialising gives identical bytes.
            assertThat(Arrays.copyOfRange(encoder.buffer(), 5, length)).isEqualTo(record.toByteArray());
        }
    }

    @Test
    void shouldFrameHistogramSupportingDataWithAscendingEntriesAndNoPrecision() throws Exception
    {
        final PeriodicData data = TestData.timerAndCounter(DIMENSIONS, Duration.ofMinutes(1));
        final CaggEncoder encoder = new CaggEncoder();

        final StatisticSetRecord record = decode(encoder.buffer(), encoder.encode(data, 0));
        final byte[] supporting = statistic(record, "histogram").getSupportingData().toByteArray();

        assertThat(ByteBuffer.wrap(supporting, 0, 4).getInt()).isEqualTo(supporting.length);
        assertThat(supporting[4]).isEqualTo((byte)0x05);
        assertThat(supporting[5]).isEqualTo((byte)0x02);
        final SparseHistogramSupportingData histogram =
            SparseHistogramSupportingData.parseFrom(Arrays.copyOfRange(supporting, 6, supporting.length));
        assertThat(histogram.getUnit()).isEqualTo("SECOND");
        assertThat(histogram.getPrecision()).isZero();
        assertThat(histogram.getEntriesList()).extracting(e -> e.getBucket()).containsExactly(0.1, 0.298828125);
        assertThat(histogram.getEntriesList()).extracting(e -> e.getCount()).containsExactly(2L, 1L);
        // field 3 absent on the wire, not merely zero
        assertThat(histogram.toByteArray()).isEqualTo(Arrays.copyOfRange(supporting, 6, supporting.length));
    }

    @Test
    void shouldSortUnorderedBucketsAndWritePrecisionWhenConfigured() throws Exception
    {
        final PeriodicData data = new PeriodicData();
        data.reset(DIMENSIONS, Duration.ofSeconds(1), TestData.MINUTE_START_MS, SampleEvent.NO_REQUEST_TIME);
        final AggregatedMetric metric = data.addMetric();
        metric.reset("g", MetricType.GAUGE);
        metric.add(Statistic.HISTOGRAM, 0, Unit.BYTE, false);
        metric.histogram(3, Unit.BYTE);
        final double[] buckets = {5.0, -2.0, 0.0};
        final long[] counts = {1, 2, 3};
        System.arraycopy(buckets, 0, metric.bucketArray(), 0, 3);
        System.arraycopy(counts, 0, metric.bucketCountArray(), 0, 3);

        final CaggEncoder encoder = new CaggEncoder(8);
        final StatisticSetRecord record = decode(encoder.buffer(), encoder.encode(data, 0));
        final byte[] supporting = record.getStatistics(0).getSupportingData().toByteArray();
        final SparseHistogramSupportingData histogram =
            SparseHistogramSupportingData.parseFrom(Arrays.copyOfRange(supporting, 6, supporting.length));

        assertThat(record.getStatistics(0).getUnit()).isEmpty();
        assertThat(histogram.getUnit()).isEqualTo("BYTE");
        assertThat(histogram.getPrecision()).isEqualTo(8);
        assertThat(histogram.getEntriesList()).extracting(e -> e.getBucket()).containsExactly(-2.0, 0.0, 5.0);
        assertThat(histogram.getEntriesList()).extracting(e -> e.getCount()).containsExactly(2L, 3L, 1L);
    }

    @Test
    void shouldAttachHistogramToMetricsWithoutOneWhenAsked() throws Exception
    {
        final PeriodicData data = new PeriodicData();
        data.reset(DIMENSIONS, Duration.ofMinutes(1), TestData.MINUTE_START_MS, SampleEvent.NO_REQUEST_TIME);
        final AggregatedMetric counter = data.addMetric();
        counter.reset("hits", MetricType.COUNTER);
        counter.add(Statistic.SUM, 7, Unit.BYTE, true);
        counter.add(Statistic.COUNT, 4, Unit.NONE, true);
        // Retained by the engine without a histogram statistic (StatisticSet.retainingHistogram).
        counter.histogram(2, Unit.BYTE);
        counter.bucketArray()[0] = 1.0;
        counter.bucketArray()[1] = 4.0;
        counter.bucketCountArray()[0] = 3;
        counter.bucketCountArray()[1] = 1;

        final CaggEncoder plain = new CaggEncoder(0, false);
        assertThat(decode(plain.buffer(), plain.encode(data, 0)).getStatisticsList())
            .extracting(StatisticRecord::getStatistic).containsExactly("sum", "count");

        final CaggEncoder encoder = new CaggEncoder(0, true);
        final StatisticSetRecord record = decode(encoder.buffer(), encoder.encode(data, 0));
        assertThat(record.getStatisticsList()).extracting(StatisticRecord::getStatistic)
            .containsExactly("sum", "count", "histogram");
        final StatisticRecord histogram = statistic(record, "histogram");
        assertThat(histogram.getValue()).isEqualTo(1.0);
        assertThat(histogram.getUnit()).isEmpty();
        assertThat(histogram.getUserSpecified()).isFalse();
        final byte[] supporting = histogram.getSupportingData().toByteArray();
        assertThat(ByteBuffer.wrap(supporting, 0, 4).getInt()).isEqualTo(supporting.length);
        assertThat(supporting[4]).isEqualTo(CaggEncoder.TYPE_SUPPORTING_DATA);
        assertThat(supporting[5]).isEqualTo(CaggEncoder.SUBTYPE_SPARSE_HISTOGRAM);
        final SparseHistogramSupportingData sparse =
            SparseHistogramSupportingData.parseFrom(Arrays.copyOfRange(supporting, 6, supporting.length));
        assertThat(sparse.getUnit()).isEqualTo("BYTE");
        // precision 0 = CAGG's default (7 bits), like MAD 1.20.1.
        assertThat(sparse.getPrecision()).isZero();
        assertThat(sparse.getEntriesList()).extracting(e -> e.getBucket()).containsExactly(1.0, 4.0);
        // CAGG's population size is the entry count: it must equal the count statistic.
        assertThat(sparse.getEntriesList().stream().mapToLong(e -> e.getCount()).sum())
            .isEqualTo((long)statistic(record, "count").getValue());
    }

    @Test
    void shouldNotDuplicateAnExistingHistogramWhenAttaching() throws Exception
    {
        final PeriodicData data = TestData.timerAndCounter(DIMENSIONS, Duration.ofMinutes(1));
        final CaggEncoder encoder = new CaggEncoder(8, true);
        final StatisticSetRecord record = decode(encoder.buffer(), encoder.encode(data, 0));

        assertThat(record.getStatisticsList()).extracting(StatisticRecord::getStatistic)
            .containsExactly("max", "count", "histogram");
        final byte[] supporting = statistic(record, "histogram").getSupportingData().toByteArray();
        assertThat(SparseHistogramSupportingData.parseFrom(Arrays.copyOfRange(supporting, 6, supporting.length))
            .getPrecision()).isEqualTo(8);
    }

    @Test
    void shouldFormatTimestampsInShortestForm()
    {
        assertThat(CaggEncoder.timestampText(ms("2026-11-25T06:08:00Z"))).isEqualTo("2026-11-25T06:08Z");
        assertThat(CaggEncoder.timestampText(ms("2026-11-25T06:08:17Z"))).isEqualTo("2026-11-25T06:08:17Z");
        assertThat(CaggEncoder.timestampText(ms("2026-11-25T06:08:17.500Z"))).isEqualTo("2026-11-25T06:08:17.500Z");
        assertThat(CaggEncoder.timestampText(ms("2026-11-25T06:08:00.001Z"))).isEqualTo("2026-11-25T06:08:00.001Z");
        assertThat(CaggEncoder.timestampText(ms("2026-11-25T00:00:00Z"))).isEqualTo("2026-11-25T00:00Z");
    }

    @Test
    void shouldWritePeriodTextAndRequestTime() throws Exception
    {
        final CaggEncoder encoder = new CaggEncoder();
        final PeriodicData day = TestData.timerAndCounter(DIMENSIONS, Duration.ofDays(1));
        day.reset(DIMENSIONS, Duration.ofDays(1), ms("2026-11-25T00:00:00Z"), ms("2026-11-25T06:08:17.500Z"));
        day.addMetric().reset("m", MetricType.COUNTER);

        final StatisticSetRecord record = decode(encoder.buffer(), encoder.encode(day, 0));

        assertThat(record.getPeriod()).isEqualTo("PT24H");
        assertThat(record.getPeriodStart()).isEqualTo("2026-11-25T00:00Z");
        assertThat(record.getClientMinimumRequestTime()).isEqualTo("2026-11-25T06:08:17.500Z");

        final PeriodicData half = new PeriodicData();
        half.reset(DIMENSIONS, Duration.ofMillis(500), ms("2026-11-25T06:08:17Z"), ms("2026-11-25T06:08:17Z"));
        half.addMetric().reset("m", MetricType.COUNTER);
        final StatisticSetRecord second = decode(encoder.buffer(), encoder.encode(half, 0));
        assertThat(second.getPeriod()).isEqualTo("PT0.5S");
        assertThat(second.getPeriodStart()).isEqualTo("2026-11-25T06:08:17Z");
        assertThat(second.getClientMinimumRequestTime()).isEqualTo("2026-11-25T06:08:17Z");
    }

    @Test
    void shouldOmitProto3DefaultsAndKeepNegativeZeroAndUnicode() throws Exception
    {
        final Map<String, String> dims = new LinkedHashMap<>(DIMENSIONS);
        dims.put("région", "");
        final PeriodicData data = new PeriodicData();
        data.reset(dims, Duration.ofSeconds(1), TestData.MINUTE_START_MS, SampleEvent.NO_REQUEST_TIME);
        final AggregatedMetric metric = data.addMetric();
        metric.reset("température", MetricType.GAUGE);
        metric.add(Statistic.MIN, 0.0, Unit.KELVIN, false);
        metric.add(Statistic.MAX, -0.0, Unit.KELVIN, true);
        metric.add(Statistic.MEAN, Double.NaN, Unit.KELVIN, true);

        final CaggEncoder encoder = new CaggEncoder();
        final StatisticSetRecord record = decode(encoder.buffer(), encoder.encode(data, 0));

        assertThat(record.getMetric()).isEqualTo("température");
        assertThat(record.getDimensionsMap()).containsEntry("région", "");
        assertThat(statistic(record, "min").getValue()).isEqualTo(0.0);
        assertThat(Double.doubleToRawLongBits(statistic(record, "max").getValue()))
            .isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(statistic(record, "mean").getValue()).isNaN();
        assertThat(statistic(record, "min").getUnit()).isEqualTo("KELVIN");
    }

    @Test
    void shouldGrowBufferForLargeRecords() throws Exception
    {
        final PeriodicData data = new PeriodicData();
        data.reset(DIMENSIONS, Duration.ofSeconds(1), TestData.MINUTE_START_MS, SampleEvent.NO_REQUEST_TIME);
        final AggregatedMetric metric = data.addMetric();
        metric.reset("big", MetricType.TIMER);
        metric.add(Statistic.HISTOGRAM, 0, Unit.NONE, true);
        final int size = 2000;
        metric.histogram(size, Unit.SECOND);
        for (int i = 0; i < size; i++)
        {
            metric.bucketArray()[i] = i + 1;
            metric.bucketCountArray()[i] = i + 1;
        }
        final CaggEncoder encoder = new CaggEncoder();

        final int length = encoder.encode(data, 0);
        final StatisticSetRecord record = decode(encoder.buffer(), length);

        assertThat(length).isGreaterThan(4096);
        final byte[] supporting = record.getStatistics(0).getSupportingData().toByteArray();
        assertThat(SparseHistogramSupportingData.parseFrom(Arrays.copyOfRange(supporting, 6, supporting.length))
            .getEntriesCount()).isEqualTo(size);
    }

    @Test
    void shouldReportMissingServiceOrCluster()
    {
        final PeriodicData data = new PeriodicData();
        data.reset(Map.of("service", "s"), Duration.ofSeconds(1), 0, SampleEvent.NO_REQUEST_TIME);
        assertThat(CaggEncoder.hasServiceAndCluster(data)).isFalse();
        data.reset(Map.of("service", "s", "cluster", "c"), Duration.ofSeconds(1), 0, SampleEvent.NO_REQUEST_TIME);
        assertThat(CaggEncoder.hasServiceAndCluster(data)).isTrue();
    }

    private static long ms(final String instant)
    {
        return Instant.parse(instant).toEpochMilli();
    }
}
