package mad.compat.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import mad.emit.http.HttpFacility;
import mad.emit.self.HttpSelfMetrics;
import mad.emit.self.MonitoringHttpSink;
import mad.engine.config.ConfigException;
import mad.engine.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonConfigTest
{
    private static final String MINIMAL = "monitoringCluster=c\nlogDirectory=logs\npipelinesDirectory=p\n"
            + "httpHost=\"0.0.0.0\"\nhttpPort=7090\nhttpsHost=\"0.0.0.0\"\nhttpsPort=7091\nakkaConfiguration {}\n";

    @TempDir
    Path dir;

    private DaemonConfig daemon(final String text)
    {
        return DaemonConfig.from(TestFiles.load(dir, "config.conf", text));
    }

    @Test
    void shouldBindReferenceConfig()
    {
        assumeThat(System.getenv("MAD_SELF_METRICS_URI")).isNull();
        final DaemonConfig config = DaemonConfig.from(ConfigLoader.load(TestFiles.resource("config.conf")));
        assertThat(config.pipelinesDirectory()).isEqualTo(Path.of("config/pipelines"));
        assertThat(config.logDirectory()).isEqualTo(Path.of("logs"));
        assertThat(config.httpHost()).isEqualTo("127.0.0.1");
        assertThat(config.httpPort()).isEqualTo(7090);
        assertThat(config.httpsHost()).isEqualTo("127.0.0.1");
        assertThat(config.httpsPort()).isEqualTo(7091);
        assertThat(config.enableHttps()).isFalse();
        assertThat(config.httpHealthCheckPath()).isEqualTo("/ping");
        assertThat(config.httpStatusPath()).isEqualTo("/status");
        assertThat(config.httpsKeyPath()).isEqualTo("/opt/mad/tls/key.pem");
        assertThat(config.httpsCertificatePath()).isEqualTo("/opt/mad/tls/cert.pem");
        assertThat(config.monitoringCluster()).isEqualTo("mad_ref");
        assertThat(config.monitoringService()).isEqualTo("mad");
        assertThat(config.monitoringHost()).isEmpty();
        assertThat(config.jvmMetricsCollectionInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.maxContentLength()).isEqualTo(DaemonConfig.INFINITE);
        assertThat(config.tuningProfile()).isEqualTo("shared-2core");
        assertThat(config.metricsClientHost()).isEmpty();
        assertThat(config.metricsClientPort()).isEmpty();
        assertThat(config.usesMetricsClient()).isFalse();

        assertThat(config.monitoringSinksDefaulted()).isFalse();
        assertThat(config.monitoringSinks()).hasSize(1);
        final Settings sink = config.monitoringSinks().get(0);
        assertThat(sink.path()).isEqualTo("monitoringSinks[0]");
        assertThat(sink.string("class")).isEqualTo("com.arpnetworking.metrics.impl.ApacheHttpSink");
        assertThat(sink.string("uri")).isEqualTo("http://127.0.0.1:7066/selfmetrics/v3/application");
        assertThat(sink.integer("bufferSize")).isEqualTo(10000);
        assertThat(sink.integer("parallelism")).isEqualTo(1);
        assertThat(sink.integer("maxBatchSize")).isEqualTo(500);
        assertThat(sink.duration("emptyQueueInterval")).isEqualTo(Duration.ofMillis(500));

        // Rendered (sorted) order; JVM system properties merged at the root are not the file's keys.
        assertThat(config.unusedKeys()).containsExactly("akkaConfiguration", "pekkoConfiguration", "self_metrics_uri");
    }

    @Test
    void shouldApplyDefaults()
    {
        final DaemonConfig config = daemon(MINIMAL);
        assertThat(config.monitoringService()).isEqualTo("mad");
        assertThat(config.jvmMetricsCollectionInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.maxContentLength()).isEqualTo(8L * 1024 * 1024);
        assertThat(config.monitoringSinksDefaulted()).isTrue();
        assertThat(config.monitoringSinks()).hasSize(1);
        assertThat(config.monitoringSinks().get(0).string("class")).isEqualTo(DaemonConfig.APACHE_HTTP_SINK);
        assertThat(config.unusedKeys()).containsExactly("akkaConfiguration");
    }

    @Test
    void shouldReadMaxContentLengthSizesAndPekko()
    {
        assertThat(daemon(MINIMAL.replace("akkaConfiguration {}",
                "akkaConfiguration { akka.http.server.parsing.max-content-length = 16m }")).maxContentLength())
                .isEqualTo(16L * 1024 * 1024);
        assertThat(daemon(MINIMAL.replace("akkaConfiguration {}",
                "pekkoConfiguration { pekko.http.server.parsing.max-content-length = \"infinite\" }"))
                .maxContentLength()).isEqualTo(DaemonConfig.INFINITE);
        assertThat(daemon(MINIMAL.replace("akkaConfiguration {}",
                "akkaConfiguration { akka.http.server.parsing.max-content-length = 1000 }")).maxContentLength())
                .isEqualTo(1000);
        assertThatThrownBy(() -> daemon(MINIMAL.replace("akkaConfiguration {}",
                "akkaConfiguration { akka.http.server.parsing.max-content-length = lots }")))
                .hasMessageContaining("akkaConfiguration.akka.http.server.parsing.max-content-length: expected");
    }

    @Test
    void shouldRequireAnActorSystemBlock()
    {
        assertThatThrownBy(() -> daemon(MINIMAL.replace("akkaConfiguration {}", "")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("akkaConfiguration: is required");
    }

    @Test
    void shouldNameMissingRequiredKeys()
    {
        for (final String key : new String[] {"monitoringCluster", "logDirectory", "pipelinesDirectory", "httpHost",
            "httpPort", "httpsHost", "httpsPort"})
        {
            final String text = MINIMAL.replaceAll("(?m)^" + key + "=.*$", "");
            assertThatThrownBy(() -> daemon(text))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage(dir.resolve("config.conf") + ": " + key + ": is required");
        }
    }

    @Test
    void shouldRejectPortsOutOfRange()
    {
        assertThatThrownBy(() -> daemon(MINIMAL.replace("httpPort=7090", "httpPort=70900")))
                .isInstanceOf(ConfigException.class)
                .hasMessage(dir.resolve("config.conf") + ": httpPort: must be a port in 1..65535 but is 70900");
        assertThatThrownBy(() -> daemon(MINIMAL.replace("httpsPort=7091", "httpsPort=0")))
                .hasMessageContaining("httpsPort: must be a port in 1..65535 but is 0");
        assertThatThrownBy(() -> daemon(MINIMAL + "metricsClientPort=-1\n"))
                .hasMessageContaining("metricsClientPort: must be a port");
        assertThat(daemon(MINIMAL.replace("httpPort=7090", "httpPort=\"8080\"")).httpPort()).isEqualTo(8080);
    }

    @Test
    void shouldRejectEmptyStrings()
    {
        assertThatThrownBy(() -> daemon(MINIMAL.replace("monitoringCluster=c", "monitoringCluster=\"\"")))
                .hasMessageContaining("monitoringCluster: must not be empty");
    }

    @Test
    void shouldReadDeprecatedMetricsClientAndOurKeys()
    {
        final DaemonConfig config = daemon(MINIMAL + "metricsClientPort=\"7190\"\ntuningProfile=dedicated\n"
                + "logDeadLetters=true\nlimiters {}\nenableHttps=\"true\"\n");
        assertThat(config.usesMetricsClient()).isTrue();
        assertThat(config.metricsClientUri()).isEqualTo("http://localhost:7190/metrics/v3/application");
        assertThat(config.tuningProfile()).isEqualTo("dedicated");
        assertThat(config.enableHttps()).isTrue();
        assertThat(config.unusedKeys()).containsExactly("akkaConfiguration", "limiters", "logDeadLetters");
    }

    @Test
    void shouldRejectMonitoringSinkWithoutClass()
    {
        assertThatThrownBy(() -> daemon(MINIMAL + "monitoringSinks=[{uri=\"http://x\"}]\n"))
                .hasMessageContaining("monitoringSinks[0].class: is required");
    }

    @Test
    void shouldReplaceMonitoringSinksWithTheDeprecatedMetricsClient()
    {
        final String sinks = "monitoringSinks=[{class=\"" + DaemonConfig.APACHE_HTTP_SINK + "\", uri=\"http://a:1/b\"}]\n";
        final DaemonConfig plain = daemon(MINIMAL + sinks);
        assertThat(plain.selfMetricsSinks()).isEqualTo(plain.monitoringSinks());

        final DaemonConfig host = daemon(MINIMAL + sinks + "metricsClientHost=\"mh\"\n");
        final List<Settings> hostSinks = host.selfMetricsSinks();
        assertThat(hostSinks).hasSize(1);
        assertThat(hostSinks.get(0).string("class")).isEqualTo(DaemonConfig.APACHE_HTTP_SINK);
        assertThat(hostSinks.get(0).string("uri")).isEqualTo("http://mh:7090/metrics/v3/application");
        assertThat(hostSinks.get(0).path()).isEqualTo("metricsClientHost");

        final DaemonConfig port = daemon(MINIMAL + sinks + "metricsClientPort=7191\n");
        assertThat(port.selfMetricsSinks().get(0).string("uri"))
                .isEqualTo("http://localhost:7191/metrics/v3/application");
    }

    @Test
    void shouldBuildSelfMetricsDimensions()
    {
        assertThat(daemon(MINIMAL).selfMetricsDimensions("box"))
                .containsExactly(Map.entry("cluster", "c"), Map.entry("service", "mad"), Map.entry("host", "box"));
        assertThat(daemon(MINIMAL + "monitoringService=s\nmonitoringHost=h\n").selfMetricsDimensions("box"))
                .containsExactly(Map.entry("cluster", "c"), Map.entry("service", "s"), Map.entry("host", "h"));
    }

    @Test
    void shouldBuildSelfMetricsSinksFromTheReferenceAndDefaultConfig()
    {
        assumeThat(System.getenv("MAD_SELF_METRICS_URI")).isNull();
        final DaemonConfig reference = DaemonConfig.from(ConfigLoader.load(TestFiles.resource("config.conf")));
        try (HttpFacility http = HttpFacility.defaults())
        {
            final HttpSelfMetrics self = HttpSelfMetrics.create(reference.selfMetricsSinks(),
                    reference.selfMetricsDimensions("box"), http, () -> 0L, reference.jvmMetricsCollectionInterval());
            final MonitoringHttpSink sink = self.sinks().get(0);
            assertThat(sink.uri().toString()).isEqualTo("http://127.0.0.1:7066/selfmetrics/v3/application");
            assertThat(sink.parallelism()).isEqualTo(1);
            assertThat(sink.maxBatchSize()).isEqualTo(500);
            assertThat(self.baseDimensions()).containsEntry("cluster", "mad_ref").containsEntry("host", "box");

            final DaemonConfig defaulted = daemon(MINIMAL);
            final HttpSelfMetrics defaults = HttpSelfMetrics.create(defaulted.selfMetricsSinks(),
                    defaulted.selfMetricsDimensions("box"), http, () -> 0L, Duration.ofSeconds(1));
            assertThat(defaults.sinks().get(0).uri().toString()).isEqualTo(MonitoringHttpSink.DEFAULT_URI);
        }
    }

    @Test
    void shouldRejectAnUnknownMonitoringSinkClassWithItsPath()
    {
        final DaemonConfig config = daemon(MINIMAL + "monitoringSinks=[{class=\"com.example.Sink\"}]\n");
        try (HttpFacility http = HttpFacility.defaults())
        {
            assertThatThrownBy(() -> HttpSelfMetrics.create(config.selfMetricsSinks(), Map.of(), http, () -> 0L,
                    Duration.ofSeconds(1)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("monitoringSinks[0].class: monitoring sink class 'com.example.Sink'");
        }
    }
}
