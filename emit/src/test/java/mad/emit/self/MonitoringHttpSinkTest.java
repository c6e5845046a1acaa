package mad.emit.self;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import mad.emit.MapSettings;
import mad.emit.http.HttpFacility;
import mad.engine.config.ConfigException;

class MonitoringHttpSinkTest
{
    private final HttpFacility http = HttpFacility.defaults();

    @AfterEach
    void tearDown()
    {
        http.close();
    }

    private MonitoringHttpSink create(final Object... keysAndValues)
    {
        return MonitoringHttpSink.create(MapSettings.of(keysAndValues), Map.of(), http, () -> 0L);
    }

    @Test
    void shouldUseTheClientDefaults()
    {
        final MonitoringHttpSink sink = create("class", MonitoringHttpSink.CLIENT_CLASS,
            "eventsDroppedLoggingInterval", "PT1M");
        assertThat(sink.uri().toString()).isEqualTo("http://localhost:7090/metrics/v3/application");
        assertThat(sink.bufferSize()).isEqualTo(10_000);
        assertThat(sink.parallelism()).isEqualTo(2);
        assertThat(sink.maxBatchSize()).isEqualTo(500);
        assertThat(sink.emptyQueueIntervalMs()).isEqualTo(500);
    }

    @Test
    void shouldReadTheReferenceKeys()
    {
        final MonitoringHttpSink sink = create("class", MonitoringHttpSink.CLIENT_CLASS,
            "uri", "http://127.0.0.1:7066/selfmetrics/v3/application", "bufferSize", "10", "parallelism", "1",
            "maxBatchSize", "5", "emptyQueueInterval", "PT0.25S");
        assertThat(sink.uri().getPath()).isEqualTo("/selfmetrics/v3/application");
        assertThat(sink.bufferSize()).isEqualTo(10);
        assertThat(sink.parallelism()).isEqualTo(1);
        assertThat(sink.maxBatchSize()).isEqualTo(5);
        assertThat(sink.emptyQueueIntervalMs()).isEqualTo(250);
    }

    @Test
    void shouldRejectInvalidEntries()
    {
        assertThatThrownBy(() -> create("class", "com.example.OtherSink"))
            .isInstanceOf(ConfigException.class).hasMessageContaining("class: monitoring sink class");
        assertThatThrownBy(() -> create("uri", "ftp://x/y"))
            .isInstanceOf(ConfigException.class).hasMessageContaining("uri:");
        assertThatThrownBy(() -> create("bufferSize", "0"))
            .isInstanceOf(ConfigException.class).hasMessageContaining("bufferSize: must be >= 1");
        assertThatThrownBy(() -> create("parallelism", "0"))
            .isInstanceOf(ConfigException.class).hasMessageContaining("parallelism: must be >= 1");
        assertThatThrownBy(() -> create("maxBatchSize", "-1"))
            .isInstanceOf(ConfigException.class).hasMessageContaining("maxBatchSize: must be >= 1");
        assertThatThrownBy(() -> create("emptyQueueInterval", "PT0S"))
            .isInstanceOf(ConfigException.class).hasMessageContaining("emptyQueueInterval: must be positive");
    }

    @Test
    void shouldMakeJvmNamesMetricSafe()
    {
        assertThat(JvmMetrics.safe("G1 Young Generation")).isEqualTo("g1_young_generation");
        assertThat(JvmMetrics.safe("CodeHeap 'non-nmethods'")).isEqualTo("codeheap_non_nmethods");
    }
}
