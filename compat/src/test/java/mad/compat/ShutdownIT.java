package mad.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.protobuf.ByteString;

import io.inscopemetrics.client.protocol.ClientV3;

/**
 * The real daemon in its own JVM: samples sent in the current minute, SIGTERM at once, and every one of them must be
 * in the PT1M output before the process exits 0 (MAD loses its open buckets on every restart).
 */
class ShutdownIT
{
    private static final int SAMPLES = 500;

    @TempDir
    Path dir;

    @Test
    void shouldFlushEveryOpenBucketOnSigtermAndExitZero() throws Exception
    {
        final int httpPort = freePort();
        final Path output = dir.resolve("aggregates.jsonl");
        Files.createDirectories(dir.resolve("pipelines"));
        Files.writeString(dir.resolve("config.conf"), String.join("\n",
            "pipelinesDirectory=\"" + dir.resolve("pipelines") + "\"",
            "logDirectory=\"" + dir.resolve("logs") + "\"",
            "httpHost=\"127.0.0.1\"", "httpPort=" + httpPort, "httpsHost=\"127.0.0.1\"", "httpsPort=7091",
            "monitoringCluster=\"test\"", "monitoringSinks=[]",
            "akkaConfiguration {}"));
        Files.writeString(dir.resolve("pipelines/pipeline.conf"), String.join("\n",
            "name=\"shutdown_pipeline\"",
            "periods=[\"PT1M\"]",
            "sources=[{ type=\"com.arpnetworking.metrics.common.sources.ClientHttpSourceV3\", name=\"v3\" }]",
            "sinks=[{ type=\"madx.sinks.JsonLinesFileSink\", name=\"file\", path=\"" + output + "\" }]"));
        final Path log = dir.resolve("daemon.log");
        final List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-opens", "java.base/java.nio=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"),
            Main.class.getName(), dir.resolve("config.conf").toString()));
        final Process daemon = new ProcessBuilder(command).directory(dir.toFile())
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try
        {
            awaitPing(httpPort, daemon);
            final Instant minute = Instant.now();
            // A 200 means every sample of the request is on the ring: SIGTERM right after the last one.
            final HttpClient client = HttpClient.newHttpClient();
            for (int request = 0; request < SAMPLES / 50; request++)
            {
                final ClientV3.NumericalData.Builder samples = ClientV3.NumericalData.newBuilder();
                for (int i = 1; i <= 50; i++)
                {
                    samples.addSamples(request * 50 + i);
                }
                final byte[] body = ClientV3.Request.newBuilder().addRecords(ClientV3.Record.newBuilder()
                    .setId(ByteString.copyFrom(new byte[16]))
                    .setEndMillisSinceEpoch(System.currentTimeMillis())
                    .addDimensions(dimension("service", "svc"))
                    .addDimensions(dimension("cluster", "cl"))
                    .addData(ClientV3.MetricDataEntry.newBuilder()
                        .setName(ClientV3.Identifier.newBuilder().setStringValue("shutdown.latency"))
                        .setNumericalData(samples)))
                    .build().toByteArray();
                final HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPort + "/metrics/v3/application"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            }
            daemon.destroy();
            assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
            assertThat(daemon.exitValue()).as(Files.readString(log)).isZero();

            long count = 0;
            double sum = 0;
            final Pattern countValue = Pattern.compile("\"count\":\\{\"value\":([0-9.E-]+)");
            final Pattern sumValue = Pattern.compile("\"sum\":\\{\"value\":([0-9.E-]+)");
            for (final String line : Files.readAllLines(output))
            {
                if (line.contains("\"metric\":\"shutdown.latency\""))
                {
                    assertThat(line).contains("\"period\":\"PT1M\"");
                    final Matcher c = countValue.matcher(line);
                    final Matcher s = sumValue.matcher(line);
                    assertThat(c.find() && s.find()).as(line).isTrue();
                    count += (long)Double.parseDouble(c.group(1));
                    sum += Double.parseDouble(s.group(1));
                }
            }
            assertThat(count).as("samples in the PT1M output (sent in the minute of %s)", minute).isEqualTo(SAMPLES);
            assertThat(sum).isCloseTo(SAMPLES * (SAMPLES + 1) / 2.0, org.assertj.core.data.Offset.offset(1e-9));
        }
        finally
        {
            daemon.destroyForcibly();
        }
    }

    /** The daemon is ready when /ping answers; it binds HTTP last, after every source. */
    private static void awaitPing(final int port, final Process daemon) throws Exception
    {
        final HttpClient client = HttpClient.newHttpClient();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && daemon.isAlive())
        {
            try
            {
                final HttpResponse<Void> response = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/ping")).timeout(Duration.ofSeconds(1)).build(),
                    HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200)
                {
                    return;
                }
            }
            catch (final IOException notYet)
            {
                // not listening yet
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        throw new AssertionError("daemon did not answer /ping");
    }

    private static ClientV3.DimensionEntry dimension(final String name, final String value)
    {
        return ClientV3.DimensionEntry.newBuilder()
            .setName(ClientV3.Identifier.newBuilder().setStringValue(name))
            .setValue(ClientV3.Identifier.newBuilder().setStringValue(value)).build();
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
    }
}
