package mad.emit.self;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.inscopemetrics.client.protocol.ClientV3;
import mad.emit.MapSettings;
import mad.emit.http.HttpFacility;
import mad.emit.http.TestServer;

class SelfMetricsIT
{
    private static final Map<String, String> BASE = Map.of("cluster", "mad_ref", "service", "mad", "host", "h");

    private final HttpFacility http = HttpFacility.defaults();
    private final TestServer server;

    SelfMetricsIT() throws Exception
    {
        server = new TestServer();
    }

    @AfterEach
    void tearDown()
    {
        server.close();
        http.close();
    }

    private HttpSelfMetrics selfMetrics(final Object... extra)
    {
        final Object[] keys = new Object[extra.length + 6];
        keys[0] = "class";
        keys[1] = MonitoringHttpSink.CLIENT_CLASS;
        keys[2] = "uri";
        keys[3] = server.uri();
        keys[4] = "emptyQueueInterval";
        keys[5] = "PT0.02S";
        System.arraycopy(extra, 0, keys, 6, extra.length);
        return HttpSelfMetrics.create(List.of(MapSettings.of(keys)), BASE, http, System::currentTimeMillis,
            Duration.ofMillis(50));
    }

    /** Reads bodies until one holds a record with the metric, or fails after 5 s without a body. */
    private List<ClientV3.Record> recordsUntil(final String metric) throws Exception
    {
        final List<ClientV3.Record> seen = new ArrayList<>();
        while (true)
        {
            final byte[] body = server.next();
            assertThat(body).as("a POST with " + metric).isNotNull();
            for (final ClientV3.Record record : ClientV3.Request.parseFrom(body).getRecordsList())
            {
                seen.add(record);
                if (ClientV3EncoderTest.data(record).containsKey(metric))
                {
                    return seen;
                }
            }
        }
    }

    private static ClientV3.Record withMetric(final List<ClientV3.Record> records, final String metric)
    {
        return records.stream().filter(record -> ClientV3EncoderTest.data(record).containsKey(metric))
            .findFirst().orElseThrow();
    }

    @Test
    void shouldPostDecodableClientV3RequestsWithBaseDimensions() throws Exception
    {
        final HttpSelfMetrics self = selfMetrics();
        self.start();
        self.record(UnitOfWork.builder(1_000L).dimension("_period", "PT1S")
            .counter("sinks/periodic_statistics/s/aggregated_data", 42).timer("sinks/periodic_statistics/s/age", 7)
            .build(2_000L));

        final ClientV3.Record record = withMetric(recordsUntil("sinks/periodic_statistics/s/aggregated_data"),
            "sinks/periodic_statistics/s/aggregated_data");
        assertThat(server.contentTypes.poll()).isEqualTo("application/octet-stream");
        assertThat(ClientV3EncoderTest.dimensions(record)).containsExactlyInAnyOrderEntriesOf(
            Map.of("cluster", "mad_ref", "service", "mad", "host", "h", "_period", "PT1S"));
        assertThat(ClientV3EncoderTest.data(record)).containsEntry("sinks/periodic_statistics/s/aggregated_data",
            List.of(42.0)).containsEntry("sinks/periodic_statistics/s/age", List.of(7.0));
        assertThat(record.getStartMillisSinceEpoch()).isEqualTo(1_000L);
        assertThat(record.getEndMillisSinceEpoch()).isEqualTo(2_000L);

        final ClientV3.Record jvm = withMetric(recordsUntil("jvm/heap_memory/used"), "jvm/heap_memory/used");
        assertThat(ClientV3EncoderTest.dimensions(jvm)).isEqualTo(BASE);
        assertThat(ClientV3EncoderTest.data(jvm)).containsKeys("jvm/threads/thread_count", "jvm/heap_memory/max");
        self.close();
        assertThat(self.sinks().get(0).failed()).isZero();
    }

    @Test
    void shouldPostThePeriodicUnitAgainOnClose() throws Exception
    {
        final HttpSelfMetrics self = HttpSelfMetrics.create(List.of(MapSettings.of("class",
            MonitoringHttpSink.CLIENT_CLASS, "uri", server.uri())), BASE, http, System::currentTimeMillis,
            Duration.ofHours(1));
        self.start();
        final SelfMetrics.Registration registration = self.addPeriodic(unit -> unit.gauge("aggregator/samples", 3));
        self.close();
        registration.close();

        final ClientV3.Record record = withMetric(recordsUntil("aggregator/samples"), "aggregator/samples");
        assertThat(ClientV3EncoderTest.data(record)).containsEntry("aggregator/samples", List.of(3.0));
    }

    @Test
    void shouldBatchAtMostMaxBatchSizeUnitsAndDropTheOldestWhenFull() throws Exception
    {
        final HttpSelfMetrics self = selfMetrics("maxBatchSize", "2", "bufferSize", "3", "parallelism", "1");
        for (int i = 0; i < 5; i++)
        {
            self.record(UnitOfWork.builder(1L).gauge("g", i).build(2L));
        }
        final MonitoringHttpSink sink = self.sinks().get(0);
        assertThat(sink.dropped()).isEqualTo(2);
        self.close();

        final List<Double> values = new ArrayList<>();
        for (int body = 0; body < 2; body++)
        {
            final ClientV3.Request request = ClientV3.Request.parseFrom(server.next());
            assertThat(request.getRecordsCount()).isLessThanOrEqualTo(2);
            for (final ClientV3.Record record : request.getRecordsList())
            {
                values.addAll(ClientV3EncoderTest.data(record).getOrDefault("g", List.of()));
            }
        }
        assertThat(values).containsExactly(2.0, 3.0, 4.0);
    }

    @Test
    void shouldCountFailuresWithoutThrowing() throws Exception
    {
        server.defaultStatus = 500;
        final HttpSelfMetrics self = selfMetrics();
        self.record(UnitOfWork.builder(1L).gauge("g", 1).build(2L));
        self.close();
        assertThat(server.next()).isNotNull();
        assertThat(self.sinks().get(0).failed()).isEqualTo(1);
    }
}
