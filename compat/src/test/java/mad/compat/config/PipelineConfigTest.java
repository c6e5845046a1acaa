package mad.compat.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import mad.engine.config.ConfigException;
import mad.engine.config.Settings;
import mad.engine.stat.Statistic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineConfigTest
{
    @TempDir
    Path dir;

    private PipelineConfig pipeline(final String text)
    {
        return PipelineConfig.from(TestFiles.load(dir, "p.conf", text));
    }

    private String file()
    {
        return dir.resolve("p.conf").toString();
    }

    @Test
    void shouldBindReferencePipeline()
    {
        assumeThat(System.getenv("MAD_CAPTURE_BASE")).isNull();
        final PipelineConfig config = PipelineConfig.from(ConfigLoader.load(TestFiles.resource("pipelines/pipeline.conf")));
        assertThat(config.name()).isEqualTo("mad_ref_pipeline");
        assertThat(config.periods()).containsExactly(Duration.ofSeconds(1), Duration.ofMinutes(1));
        assertThat(config.idleTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.timerStatistics()).containsExactly(
                Statistic.MEDIAN, Statistic.TP90, Statistic.TP99, Statistic.MEAN, Statistic.COUNT);
        assertThat(config.counterStatistics()).containsExactly(Statistic.MEAN, Statistic.SUM, Statistic.COUNT);
        assertThat(config.gaugeStatistics()).containsExactly(Statistic.MIN, Statistic.MAX, Statistic.MEAN);
        assertThat(config.statistics()).isEmpty();

        final List<Settings> sources = config.sources();
        assertThat(sources).extracting(s -> s.string("name")).containsExactly("http_v1_source", "http_v2_source",
                "http_v3_source", "prometheus_source", "collectd_http_source", "statsd_source",
                "graphite_plaintext_source");
        assertThat(sources.get(0).string("type")).isEqualTo("com.arpnetworking.metrics.common.sources.ClientHttpSourceV1");
        assertThat(sources.get(5).string("host")).isEqualTo("127.0.0.1");
        assertThat(sources.get(5).integer("port")).isEqualTo(8125);
        final Settings graphite = sources.get(6);
        assertThat(graphite.string("actorName")).isEqualTo("graphite-plaintext-tcp-source");
        assertThat(graphite.integer("port")).isEqualTo(2003);
        final Settings parser = graphite.child("parser");
        assertThat(parser.path()).isEqualTo("sources[6].parser");
        assertThat(parser.string("type")).isEqualTo("com.arpnetworking.metrics.mad.parsers.GraphitePlaintextToRecordParser");
        assertThat(parser.bool("parseCarbonTags", false)).isTrue();
        assertThat(parser.stringMap("globalTags")).containsExactly(
                java.util.Map.entry("cluster", "mad_ref_cluster"), java.util.Map.entry("service", "graphite"));

        final List<Settings> sinks = config.sinks();
        assertThat(sinks).hasSize(3);
        assertThat(sinks.get(0).string("type")).isEqualTo("com.arpnetworking.tsdcore.sinks.PeriodicStatisticsSink");
        assertThat(sinks.get(0).string("name")).isEqualTo("periodic_statistics_sink");
        assertThat(sinks.get(0).longValue("intervalInMilliseconds", 0)).isEqualTo(1000);
        assertThat(sinks.get(1).string("name")).isEqualTo("cluster_http_period_filtering_sink");
        assertThat(sinks.get(1).duration("excludeLessThan")).isEqualTo(Duration.ofMinutes(1));
        final Settings cluster = sinks.get(1).child("sink");
        assertThat(cluster.path()).isEqualTo("sinks[1].sink");
        assertThat(cluster.string("type")).isEqualTo("com.arpnetworking.tsdcore.sinks.AggregationServerHttpSink");
        assertThat(cluster.string("name")).isEqualTo("cluster_http_sink");
        // ${?MAD_CAPTURE_BASE} is undefined: the earlier capture_base stays, then concatenation.
        assertThat(cluster.string("uri")).isEqualTo("http://127.0.0.1:7066/metrics/v1/data/persist");
        assertThat(sinks.get(2).duration("excludeGreaterThan")).isEqualTo(Duration.ofSeconds(1));
        assertThat(sinks.get(2).child("sink").string("uri")).isEqualTo("http://127.0.0.1:7066/metrics/v1/data/persist_1s");
    }

    @Test
    void shouldTakeCaptureBaseFromSystemPropertyLikeAnEnvironmentVariable()
    {
        assumeThat(System.getenv("MAD_CAPTURE_BASE")).isNull();
        System.setProperty("MAD_CAPTURE_BASE", "http://capture:9");
        try
        {
            final PipelineConfig config =
                    PipelineConfig.from(ConfigLoader.load(TestFiles.resource("pipelines/pipeline.conf")));
            assertThat(config.sinks().get(1).child("sink").string("uri"))
                    .isEqualTo("http://capture:9/metrics/v1/data/persist");
        }
        finally
        {
            System.clearProperty("MAD_CAPTURE_BASE");
        }
    }

    @Test
    void shouldApplyDefaults()
    {
        final PipelineConfig config = pipeline("name=p\n");
        assertThat(config.periods()).containsExactly(Duration.ofSeconds(1), Duration.ofMinutes(1));
        assertThat(config.idleTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.timerStatistics()).isEqualTo(PipelineConfig.DEFAULT_TIMER_STATISTICS);
        assertThat(config.counterStatistics()).isEqualTo(PipelineConfig.DEFAULT_COUNTER_STATISTICS);
        assertThat(config.gaugeStatistics()).isEqualTo(PipelineConfig.DEFAULT_GAUGE_STATISTICS);
        assertThat(config.sources()).isEmpty();
        assertThat(config.sinks()).isEmpty();
    }

    @Test
    void shouldOrderStatisticsPatternsAsMadSeesThemInHocon()
    {
        final PipelineConfig config = PipelineConfig.from(ConfigLoader.load(TestFiles.resource("statistics.conf")));
        final List<String> patterns = new ArrayList<>();
        for (final Pattern pattern : config.statistics().keySet())
        {
            patterns.add(pattern.pattern());
        }
        assertThat(patterns).containsExactly("^special\\..*", "alpha.*", "zeta.*");
        assertThat(config.statistics().values()).containsExactly(
                List.of(Statistic.TP95, Statistic.MIN), List.of(Statistic.MAX), List.of(Statistic.TP95));
    }

    @Test
    void shouldBindJsonPipelineInFileOrder()
    {
        final PipelineConfig config = PipelineConfig.from(ConfigLoader.load(TestFiles.resource("json/pipeline.json")));
        assertThat(config.name()).isEqualTo("json_pipeline");
        assertThat(config.periods()).containsExactly(Duration.ofSeconds(1), Duration.ofMinutes(1));
        assertThat(config.idleTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.timerStatistics()).containsExactly(Statistic.MEDIAN, Statistic.TP99_9, Statistic.COUNT);
        final List<String> patterns = new ArrayList<>();
        for (final Pattern pattern : config.statistics().keySet())
        {
            patterns.add(pattern.pattern());
        }
        assertThat(patterns).containsExactly("zeta.*", "^special\\..*", "alpha.*");
        assertThat(config.sources()).hasSize(1);
        assertThat(config.sources().get(0).integer("port")).isEqualTo(8125);
        assertThat(config.sinks()).isEmpty();
    }

    @Test
    void shouldDeduplicateAndSortPeriods()
    {
        final PipelineConfig config = pipeline("name=p\nperiods=[\"PT1M\", \"PT0.5S\", 60, \"PT1S\"]\n");
        assertThat(config.periods()).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1),
                Duration.ofMinutes(1));
        assertThat(pipeline("name=p\ntimerStatistics=[tp50, median, p50, count]\n").timerStatistics())
                .containsExactly(Statistic.MEDIAN, Statistic.COUNT);
    }

    @Test
    void shouldRejectBadPeriods()
    {
        assertThatThrownBy(() -> pipeline("name=p\nperiods=[]\n")).isInstanceOf(ConfigException.class)
                .hasMessage(file() + ": periods: must not be empty");
        assertThatThrownBy(() -> pipeline("name=p\nperiods=[\"PT1S\", 5m]\n"))
                .hasMessageStartingWith(file() + ": periods[1]: expected an ISO-8601 duration")
                .hasMessageContaining("\"5m\"");
        assertThatThrownBy(() -> pipeline("name=p\nperiods=[\"PT\"]\n"))
                .hasMessageStartingWith(file() + ": periods[0]: expected an ISO-8601 duration")
                .hasMessageContaining("\"PT\"");
        assertThatThrownBy(() -> pipeline("name=p\nperiods=[\"PT0.0001S\"]\n"))
                .hasMessage(file() + ": periods[0]: must be at least 1 ms (PT0.001S) but is PT0.0001S");
        assertThatThrownBy(() -> pipeline("name=p\nidleTimeout=5m\n"))
                .hasMessageStartingWith(file() + ": idleTimeout: expected an ISO-8601 duration");
    }

    @Test
    void shouldRequireNonEmptyName()
    {
        assertThatThrownBy(() -> pipeline("periods=[\"PT1S\"]\n")).isInstanceOf(ConfigException.class)
                .hasMessage(file() + ": name: is required");
        assertThatThrownBy(() -> pipeline("name=\"\"\n")).hasMessage(file() + ": name: must not be empty");
    }

    @Test
    void shouldRejectUnknownStatistic()
    {
        assertThatThrownBy(() -> pipeline("name=p\ntimerStatistics=[median, tp90, tp65]\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file() + ": timerStatistics[2]: unknown statistic \"tp65\"");
        assertThatThrownBy(() -> pipeline("name=p\ngaugeStatistics=[]\n"))
                .hasMessage(file() + ": gaugeStatistics: must not be empty");
        assertThatThrownBy(() -> pipeline("name=p\nstatistics { \"a.*\" = [min, Max] }\n"))
                .hasMessageStartingWith(file() + ": statistics.\"a.*\"[1]: unknown statistic \"Max\"");
    }

    @Test
    void shouldRejectExpressionStatistic()
    {
        assertThatThrownBy(() -> pipeline("name=p\ncounterStatistics=[expression]\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file() + ": counterStatistics[0]: statistic \"expression\" is not supported");
        assertThatThrownBy(() -> pipeline("name=p\nstatistics { x = [expression] }\n"))
                .hasMessageStartingWith(file() + ": statistics.x[0]: statistic \"expression\" is not supported");
    }

    @Test
    void shouldRejectBadRegex()
    {
        assertThatThrownBy(() -> pipeline("name=p\nstatistics { \"foo(\" = [min] }\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file() + ": statistics.\"foo(\": invalid regular expression: ");
    }
}
