package mad.compat.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real collectd (Debian {@code collectd-core}, installed by {@code bin/install-test-peers}) drives the daemon:
 * {@code write_http} posts its JSON to {@code CollectdHttpSourceV1} with {@code X-TAG-*} headers, and
 * {@code write_graphite} writes plaintext lines to a {@code TcpLineSource}. Values are the machine's own (load,
 * memory), so the test asserts names, types and dimensions, and that samples were counted.
 */
class CollectdIT
{
    private static final Path COLLECTD = Path.of("/usr/sbin/collectd");
    private static final Path PLUGINS = Path.of("/usr/lib/collectd");

    @TempDir
    Path dir;

    @Test
    void shouldAggregateWhatCollectdPostsOverWriteHttpAndWriteGraphite() throws Exception
    {
        Assumptions.assumeTrue(Files.isExecutable(COLLECTD), "collectd not installed (bin/install-test-peers)");
        Assumptions.assumeTrue(Files.exists(PLUGINS.resolve("write_http.so"))
            && Files.exists(PLUGINS.resolve("write_graphite.so")),
            "collectd's write_http/write_graphite plugins missing");
        // write_http's JSON format needs libyajl, which collectd-core only recommends
        Assumptions.assumeTrue(hasYajl(), "libyajl2 not installed (bin/install-test-peers)");
        final int graphitePort = PeerDaemon.freeTcpPort();
        try (PeerDaemon daemon = new PeerDaemon(dir, String.join("\n",
            "{ type=\"com.arpnetworking.metrics.common.sources.CollectdHttpSourceV1\", name=\"collectd\" }",
            "{ type=\"com.arpnetworking.metrics.common.sources.TcpLineSource\", actorName=\"graphite\",",
            "  name=\"graphite\", host=\"127.0.0.1\", port=" + graphitePort + ",",
            "  parser={ type=\"com.arpnetworking.metrics.mad.parsers.GraphitePlaintextToRecordParser\",",
            "    globalTags={ service=\"collectd_graphite\", cluster=\"peers\" } } }")))
        {
            final Path conf = dir.resolve("collectd.conf");
            Files.writeString(conf, String.join("\n",
                "Hostname \"peer-host\"",
                "FQDNLookup false",
                "Interval 1",
                "BaseDir \"" + dir + "\"",
                "PIDFile \"" + dir.resolve("collectd.pid") + "\"",
                "PluginDir \"" + PLUGINS + "\"",
                "TypesDB \"/usr/share/collectd/types.db\"",
                "LoadPlugin load",
                "LoadPlugin memory",
                "LoadPlugin write_http",
                "LoadPlugin write_graphite",
                "<Plugin write_http>",
                "  <Node \"madx\">",
                "    URL \"http://127.0.0.1:" + daemon.httpPort + "/metrics/v1/collectd\"",
                "    Format \"JSON\"",
                "    Header \"X-TAG-SERVICE: collectd_http\"",
                "    Header \"X-TAG-CLUSTER: peers\"",
                "    StoreRates false",
                "    BufferSize 4096",
                "  </Node>",
                "</Plugin>",
                "<Plugin write_graphite>",
                "  <Node \"madx\">",
                "    Host \"127.0.0.1\"",
                "    Port \"" + graphitePort + "\"",
                "    Protocol \"tcp\"",
                "    Prefix \"collectd.\"",
                "  </Node>",
                "</Plugin>",
                ""));
            final Process collectd = new ProcessBuilder(COLLECTD.toString(), "-f", "-C", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("collectd.log").toFile()).start();
            try
            {
                final List<String> lines = daemon.await(seen -> PeerDaemon.metrics(seen).contains("load/load/shortterm")
                    && PeerDaemon.metrics(seen).stream().anyMatch(name -> name.startsWith("collectd.peer-host.")),
                    40);
                final String log = Files.readString(dir.resolve("collectd.log"));
                assertThat(PeerDaemon.metrics(lines)).as(log)
                    .contains("load/load/shortterm", "load/load/midterm", "memory/memory/used")
                    .anyMatch(name -> name.startsWith("collectd.peer-host.load.load."));
                final String shortterm = lines.stream()
                    .filter(line -> "load/load/shortterm".equals(PeerDaemon.metric(line))).findFirst().orElseThrow();
                // write_http JSON: X-TAG-* headers and the record's host become dimensions; load is a gauge
                assertThat(shortterm).contains("\"host\":\"peer-host\"").contains("\"service\":\"collectd_http\"")
                    .contains("\"cluster\":\"peers\"").contains("\"type\":\"GAUGE\"");
                assertThat(PeerDaemon.statistic(shortterm, "count")).isGreaterThanOrEqualTo(1);
                final String graphite = lines.stream()
                    .filter(line -> PeerDaemon.metric(line).startsWith("collectd.peer-host."))
                    .findFirst().orElseThrow();
                assertThat(graphite).contains("\"service\":\"collectd_graphite\"").contains("\"type\":\"GAUGE\"");
            }
            finally
            {
                collectd.destroy();
                if (!collectd.waitFor(10, TimeUnit.SECONDS))
                {
                    collectd.destroyForcibly();
                }
            }
        }
    }

    private static boolean hasYajl() throws IOException
    {
        for (final String root : List.of("/lib", "/usr/lib"))
        {
            if (Files.exists(Path.of(root, "libyajl.so.2")))
            {
                return true;
            }
            if (!Files.isDirectory(Path.of(root)))
            {
                continue;
            }
            try (DirectoryStream<Path> arches = Files.newDirectoryStream(Path.of(root), "*-linux-gnu*"))
            {
                for (final Path arch : arches)
                {
                    if (Files.exists(arch.resolve("libyajl.so.2")))
                    {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
