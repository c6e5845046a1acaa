package mad.emit.self;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.inscopemetrics.client.protocol.ClientV3;

class ClientV3EncoderTest
{
    private static final Map<String, String> BASE = Map.of("cluster", "c1", "service", "mad", "host", "h1");

    static Map<String, String> dimensions(final ClientV3.Record record)
    {
        final Map<String, String> dimensions = new LinkedHashMap<>();
        for (final ClientV3.DimensionEntry entry : record.getDimensionsList())
        {
            dimensions.put(entry.getName().getStringValue(), entry.getValue().getStringValue());
        }
        return dimensions;
    }

    static Map<String, List<Double>> data(final ClientV3.Record record)
    {
        final Map<String, List<Double>> data = new LinkedHashMap<>();
        for (final ClientV3.MetricDataEntry entry : record.getDataList())
        {
            data.put(entry.getName().getStringValue(), entry.getNumericalData().getSamplesList());
        }
        return data;
    }

    @Test
    void shouldRoundTripUnitsThroughTheGeneratedParser() throws Exception
    {
        final UnitOfWork first = UnitOfWork.builder(1_000L)
            .dimension("_period", "PT1S")
            .dimension("host", "override")
            .counter("sinks/periodic_statistics/s/aggregated_data", 12)
            .counter("sinks/periodic_statistics/s/aggregated_data", 3)
            .timer("sinks/periodic_statistics/s/age", 1500.5)
            .gauge("zero", 0)
            .build(2_000L);
        final UnitOfWork second = UnitOfWork.builder(5L).gauge("jvm/heap_memory/used", 1e9).build(7L);

        final byte[] body = ClientV3Encoder.encode(List.of(first, second), BASE);
        final ClientV3.Request request = ClientV3.Request.parseFrom(body);

        assertThat(request.getRecordsCount()).isEqualTo(2);
        final ClientV3.Record record = request.getRecords(0);
        assertThat(record.getId().size()).isEqualTo(16);
        assertThat(record.getStartMillisSinceEpoch()).isEqualTo(1_000L);
        assertThat(record.getEndMillisSinceEpoch()).isEqualTo(2_000L);
        assertThat(dimensions(record)).containsExactlyInAnyOrderEntriesOf(
            Map.of("cluster", "c1", "service", "mad", "host", "override", "_period", "PT1S"));
        assertThat(data(record)).containsExactly(
            Map.entry("sinks/periodic_statistics/s/aggregated_data", List.of(12.0, 3.0)),
            Map.entry("sinks/periodic_statistics/s/age", List.of(1500.5)),
            Map.entry("zero", List.of(0.0)));
        assertThat(request.getRecords(1).getId()).isNotEqualTo(record.getId());
        assertThat(dimensions(request.getRecords(1))).isEqualTo(BASE);
        assertThat(data(request.getRecords(1))).containsExactly(Map.entry("jvm/heap_memory/used", List.of(1e9)));
        // Byte-exact with the generated serializer once the random id is the same.
        assertThat(body).isEqualTo(request.toByteArray());
    }

    @Test
    void shouldEncodeAnEmptyBatchAndEmptyStrings() throws Exception
    {
        assertThat(ClientV3Encoder.encode(List.of(), BASE)).isEmpty();
        final UnitOfWork unit = UnitOfWork.builder(0L).dimension("empty", "").counter("", 1).build(0L);
        final ClientV3.Request request = ClientV3.Request.parseFrom(ClientV3Encoder.encode(List.of(unit), Map.of()));
        final ClientV3.Record record = request.getRecords(0);
        assertThat(record.getStartMillisSinceEpoch()).isZero();
        assertThat(record.getDimensions(0).getValue().hasStringValue()).isTrue();
        assertThat(dimensions(record)).containsExactly(Map.entry("empty", ""));
        assertThat(data(record)).containsExactly(Map.entry("", List.of(1.0)));
    }

    @Test
    void shouldWriteVersionFourUuidIds() throws Exception
    {
        final byte[] body = ClientV3Encoder.encode(List.of(UnitOfWork.builder(1L).gauge("g", 1).build(2L)), BASE);
        final byte[] id = ClientV3.Request.parseFrom(body).getRecords(0).getId().toByteArray();
        assertThat(id[6] & 0xF0).isEqualTo(0x40);
        assertThat(id[8] & 0xC0).isEqualTo(0x80);
    }
}
