package mad.emit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import mad.emit.sinks.MultiSink;
import mad.engine.config.ConfigException;

class SinkTypeTest
{
    private final EmitContext context = TestData.context(new long[] {0});

    @Test
    void shouldResolveEveryRegisteredClassName()
    {
        for (final SinkType type : SinkType.values())
        {
            assertThat(SinkType.byClassName(type.className())).isSameAs(type);
        }
        assertThat(SinkType.byClassName("com.arpnetworking.tsdcore.sinks.AggregationServerHttpSink"))
            .isSameAs(SinkType.AGGREGATION_SERVER_HTTP);
    }

    @Test
    void shouldBuildNestedSinks()
    {
        final Sink sink = SinkType.create(MapSettings.of("type", "com.arpnetworking.tsdcore.sinks.MultiSink",
            "name", "root", "sinks", List.of(Map.of("type", "com.arpnetworking.tsdcore.sinks.DimensionInjectingSink",
                "name", "inject", "defaultDimensions", Map.of("cluster", "c"),
                "sink", Map.of("type", "com.arpnetworking.tsdcore.sinks.MultiSink", "name", "leaf", "sinks", List.of())))),
            context);
        assertThat(sink).isInstanceOf(MultiSink.class);
        sink.close();
    }

    @Test
    void shouldRejectUnknownAndUnsupportedTypes()
    {
        assertThatThrownBy(() -> SinkType.create(MapSettings.of("type", "com.example.Nope", "name", "x"), context))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("sink.type")
            .hasMessageContaining("unknown sink type 'com.example.Nope'");
        assertThatThrownBy(() -> SinkType.create(
            MapSettings.of("type", "com.arpnetworking.metrics.mad.experimental.sinks.MetricSeriesLoggingSink",
                "name", "x"), context))
            .isInstanceOf(ConfigException.class).hasMessageContaining("not supported by madx");
    }

    @Test
    void shouldRequireNameAndSinksList()
    {
        assertThatThrownBy(() -> SinkType.create(
            MapSettings.of("type", "com.arpnetworking.tsdcore.sinks.MultiSink", "sinks", List.of()), context))
            .isInstanceOf(ConfigException.class).hasMessageContaining("sink.name");
        assertThatThrownBy(() -> SinkType.create(
            MapSettings.of("type", "com.arpnetworking.tsdcore.sinks.MultiSink", "name", "m"), context))
            .isInstanceOf(ConfigException.class).hasMessageContaining("sink.sinks");
    }
}
