package mad.compat.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Prometheus server (Debian {@code prometheus}, installed by {@code bin/install-test-peers}) scrapes itself
 * every second and sends what it scraped to {@code PrometheusHttpSource} with {@code remote_write} (snappy-compressed
 * {@code WriteRequest}s): the {@code up} series must arrive as a gauge of value 1 with its labels as dimensions.
 */
class PrometheusIT
{
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");

    @TempDir
    Path dir;

    @Test
    void shouldAggregateWhatPrometheusRemoteWrites() throws Exception
    {
        Assumptions.assumeTrue(Files.isExecutable(PROMETHEUS), "prometheus not installed (bin/install-test-peers)");
        try (PeerDaemon daemon = new PeerDaemon(dir,
            "{ type=\"com.arpnetworking.metrics.common.sources.PrometheusHttpSource\", name=\"prometheus\" }"))
        {
            final int webPort = PeerDaemon.freeTcpPort();
            final Path conf = dir.resolve("prometheus.yml");
            Files.writeString(conf, String.join("\n",
                "global:",
                "  scrape_interval: 1s",
                "  external_labels:",
                "    service: prometheus_peer",
                "    cluster: peers",
                "scrape_configs:",
                "  - job_name: self",
                "    static_configs:",
                "      - targets: ['127.0.0.1:" + webPort + "']",
                "remote_write:",
                "  - url: http://127.0.0.1:" + daemon.httpPort + "/metrics/prometheus",
                "    queue_config:",
                "      batch_send_deadline: 1s",
                "      min_backoff: 100ms",
                ""));
            final Process prometheus = new ProcessBuilder(PROMETHEUS.toString(),
                "--config.file=" + conf, "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + webPort)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            try
            {
                final List<String> lines = daemon.await(seen -> PeerDaemon.metrics(seen).contains("up"), 45);
                final String log = Files.readString(dir.resolve("prometheus.log"));
                final String up = lines.stream().filter(line -> "up".equals(PeerDaemon.metric(line))).findFirst()
                    .orElseThrow(() -> new AssertionError("no 'up' series reached the sink; prometheus log:\n" + log
                        + "\nsink saw: " + PeerDaemon.metrics(lines)));
                assertThat(up).contains("\"job\":\"self\"").contains("\"instance\":\"127.0.0.1:" + webPort + "\"")
                    .contains("\"service\":\"prometheus_peer\"").contains("\"cluster\":\"peers\"")
                    .contains("\"type\":\"GAUGE\"");
                assertThat(PeerDaemon.statistic(up, "max")).isEqualTo(1.0);
                assertThat(PeerDaemon.statistic(up, "min")).isEqualTo(1.0);
                // MAD 1.20.1 aggregates _total names like any other (HEAD skips them)
                assertThat(PeerDaemon.metrics(lines)).anyMatch(name -> name.startsWith("prometheus_"));
            }
            finally
            {
                prometheus.destroy();
                if (!prometheus.waitFor(15, TimeUnit.SECONDS))
                {
                    prometheus.destroyForcibly();
                }
            }
        }
    }
}
