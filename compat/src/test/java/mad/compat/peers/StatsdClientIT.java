package mad.compat.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.timgroup.statsd.NonBlockingStatsDClientBuilder;
import com.timgroup.statsd.StatsDClient;

/**
 * Datadog's Java DogStatsD client (a StatsD client library from Maven Central) drives {@code StatsdSource} over UDP:
 * counters, gauges, timers (ms) and histograms with {@code |#k:v} tags, several lines per datagram as the client
 * packs them; the aggregates must be exact.
 */
class StatsdClientIT
{
    @TempDir
    Path dir;

    @Test
    void shouldAggregateExactlyWhatTheDogStatsdClientSends() throws Exception
    {
        final int port = PeerDaemon.freeUdpPort();
        try (PeerDaemon daemon = new PeerDaemon(dir, "{ type=\"com.arpnetworking.metrics.common.sources.StatsdSource\","
            + " name=\"statsd\", host=\"127.0.0.1\", port=" + port + " }",
            // min and max are not in MAD's default timer/counter statistics: ask for them to assert exact extremes
            "timerStatistics=[\"min\", \"max\", \"mean\", \"count\"]\ncounterStatistics=[\"min\", \"max\", \"sum\","
                + " \"count\"]"))
        {
            final StatsDClient client = new NonBlockingStatsDClientBuilder()
                .hostname("127.0.0.1").port(port).prefix("app")
                .constantTags("service:shop", "cluster:peers")
                .enableTelemetry(false).originDetectionEnabled(false)
                // every call its own line (no client-side aggregation), written on the calling thread
                .enableAggregation(false).blocking(true).build();
            try
            {
                for (int i = 1; i <= 100; i++)
                {
                    client.count("orders", 2, "region:eu");
                    client.recordExecutionTime("checkout", i, "region:eu");
                    client.histogram("basket.size", i % 10, "region:eu");
                }
                client.gauge("queue.depth", 7, "region:eu");
                client.gauge("queue.depth", 3, "region:eu");
            }
            finally
            {
                client.stop();
            }
            final List<String> lines = daemon.await(seen -> count(seen, "app.orders") == 100
                && count(seen, "app.checkout") == 100 && count(seen, "app.basket.size") == 100
                && count(seen, "app.queue.depth") == 2, 30);
            assertThat(count(lines, "app.orders")).as("%s", lines).isEqualTo(100);
            assertThat(sum(lines, "app.orders", "sum")).isEqualTo(200.0);
            assertThat(extreme(lines, "app.orders", "min", true)).isEqualTo(2.0);
            assertThat(extreme(lines, "app.orders", "max", false)).isEqualTo(2.0);
            assertThat(count(lines, "app.checkout")).isEqualTo(100);
            // |ms timers are normalised to seconds, as MAD does: 1..100 ms
            assertThat(sum(lines, "app.checkout", "sum")).isCloseTo(5.05, within(1e-9));
            assertThat(extreme(lines, "app.checkout", "min", true)).isCloseTo(0.001, within(1e-12));
            assertThat(extreme(lines, "app.checkout", "max", false)).isCloseTo(0.1, within(1e-12));
            assertThat(lines.stream().filter(line -> "app.checkout".equals(PeerDaemon.metric(line))).findFirst()
                .orElseThrow()).contains("\"type\":\"TIMER\"");
            // |h histograms are unitless timers: 0..9, ten times each
            assertThat(count(lines, "app.basket.size")).isEqualTo(100);
            assertThat(sum(lines, "app.basket.size", "sum")).isEqualTo(450.0);
            assertThat(extreme(lines, "app.basket.size", "min", true)).isEqualTo(0.0);
            assertThat(extreme(lines, "app.basket.size", "max", false)).isEqualTo(9.0);
            assertThat(count(lines, "app.queue.depth")).isEqualTo(2);
            final String gauge = lines.stream().filter(line -> "app.queue.depth".equals(PeerDaemon.metric(line)))
                .findFirst().orElseThrow();
            assertThat(gauge).contains("\"service\":\"shop\"").contains("\"cluster\":\"peers\"")
                .contains("\"region\":\"eu\"").contains("\"type\":\"GAUGE\"");
            assertThat(lines.stream().filter(line -> "app.queue.depth".equals(PeerDaemon.metric(line)))
                .mapToDouble(line -> PeerDaemon.statistic(line, "max")).max().orElseThrow()).isEqualTo(7.0);
            assertThat(lines.stream().filter(line -> "app.queue.depth".equals(PeerDaemon.metric(line)))
                .mapToDouble(line -> PeerDaemon.statistic(line, "min")).min().orElseThrow()).isEqualTo(3.0);
        }
    }

    /** Samples of {@code metric} over every PT1S period it was seen in. */
    private static long count(final List<String> lines, final String metric)
    {
        return (long)sum(lines, metric, "count");
    }

    /** The smallest ({@code lowest}) or largest value of {@code statistic} over every period of {@code metric}. */
    private static double extreme(final List<String> lines, final String metric, final String statistic,
        final boolean lowest)
    {
        double result = lowest ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        for (final String line : lines)
        {
            if (metric.equals(PeerDaemon.metric(line)))
            {
                final double value = PeerDaemon.statistic(line, statistic);
                result = lowest ? Math.min(result, value) : Math.max(result, value);
            }
        }
        return result;
    }

    private static double sum(final List<String> lines, final String metric, final String statistic)
    {
        double total = 0;
        for (final String line : lines)
        {
            if (metric.equals(PeerDaemon.metric(line)))
            {
                total += PeerDaemon.statistic(line, statistic);
            }
        }
        return total;
    }
}
