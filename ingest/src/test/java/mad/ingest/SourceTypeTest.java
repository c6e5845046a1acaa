package mad.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import mad.engine.config.ConfigException;
import mad.ingest.decode.CallRecordingWriter;
import mad.ingest.http.ClientHttpSource;
import mad.ingest.http.HttpRoutes;

class SourceTypeTest
{
    private final HttpRoutes routes = new HttpRoutes();
    private final IngestContext context =
        new IngestContext("p", routes, null, backpressure -> new CallRecordingWriter(), () -> 0L);

    @Test
    void shouldFindSourcesByMadClassName()
    {
        assertThat(SourceType.of("com.arpnetworking.metrics.common.sources.ClientHttpSourceV3"))
            .isEqualTo(SourceType.CLIENT_HTTP_V3);
        assertThat(SourceType.of("com.arpnetworking.metrics.common.sources.ClientHttpSourceV1"))
            .isEqualTo(SourceType.CLIENT_HTTP_V1);
        assertThat(SourceType.of("ClientHttpSourceV3")).isNull();
    }

    @Test
    void shouldRejectUnknownOrMissingType()
    {
        assertThatThrownBy(() -> context.createSource(new MapSettings(Map.of("type", "com.example.Nope"))))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("sources[0].type")
            .hasMessageContaining("com.example.Nope");
        assertThatThrownBy(() -> context.createSource(new MapSettings(Map.of("name", "x"))))
            .isInstanceOf(ConfigException.class);
    }

    @Test
    void shouldRequireName()
    {
        assertThatThrownBy(() -> context.createSource(new MapSettings(
            Map.of("type", "com.arpnetworking.metrics.common.sources.ClientHttpSourceV2"))))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("sources[0].name");
        assertThatThrownBy(() -> context.createSource(new MapSettings(
            Map.of("type", "com.arpnetworking.metrics.common.sources.ClientHttpSourceV2", "name", ""))))
            .isInstanceOf(ConfigException.class);
    }

    @Test
    void shouldRegisterPathOnStartAndRemoveItOnClose() throws Exception
    {
        final Source source = context.createSource(new MapSettings(Map.of(
            "type", "com.arpnetworking.metrics.common.sources.ClientHttpSourceV3", "name", "appv3",
            "actorName", "ignored")));
        assertThat(source.name()).isEqualTo("appv3");
        assertThat(routes.route(ClientHttpSource.V3_PATH)).isNull();
        source.start();
        assertThat(routes.route(ClientHttpSource.V3_PATH).sourceName()).isEqualTo("appv3");
        // a second pipeline declaring the same endpoint fails to start and must not remove the first one's route
        final Source clash = context.createSource(new MapSettings(Map.of(
            "type", "com.arpnetworking.metrics.common.sources.ClientHttpSourceV3", "name", "other")));
        assertThatThrownBy(clash::start).isInstanceOf(IllegalStateException.class);
        clash.close();
        assertThat(routes.route(ClientHttpSource.V3_PATH)).isNotNull();
        source.close();
        assertThat(routes.route(ClientHttpSource.V3_PATH)).isNull();
    }
}
