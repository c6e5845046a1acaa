package mad.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import com.arpnetworking.metrics.aggregation.protocol.Messages;
import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpServer;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.inscopemetrics.client.protocol.ClientV3;

/**
 * Pipeline reload on a running appliance (mad-spec 1.4), driven by {@link Appliance#reload()} directly (the watcher
 * interval is set to an hour so it never races the test). Pipeline {@code a} (ClientV3, CAGG sink with
 * {@code attachHistogram}) is never touched; pipeline {@code b} (collectd, a {@code version} dimension injected
 * before its CAGG sink) is changed, broken and removed. Both use only PT1M and fixed sample times, so every sample
 * of one pipeline lands in one bucket, which is emitted by the shutdown (or replacement) flush.
 */
class PipelineReloadIT
{
    @TempDir
    Path dir;

    private HttpServer capture;
    private final List<Messages.StatisticSetRecord> received = Collections.synchronizedList(new ArrayList<>());
    private final HttpClient client = HttpClient.newHttpClient();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger applianceLogger = (Logger)LoggerFactory.getLogger(Appliance.class);
    private Appliance appliance;
    private String previousInterval;
    private int port;
    private long t0;

    @BeforeEach
    void setUp() throws Exception
    {
        previousInterval = System.setProperty("madx.pipelineReloadInterval", "PT1H");
        log.start();
        applianceLogger.addAppender(log);
        capture = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        capture.createContext("/selfmetrics", exchange ->
        {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        capture.createContext("/", exchange ->
        {
            decode(exchange.getRequestBody().readAllBytes());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        capture.start();
        port = freePort();
        // One fixed sample time: its PT1M bucket closes no sooner than 30 s after it opened, after the test.
        t0 = System.currentTimeMillis();
        Files.createDirectories(dir.resolve("pipelines"));
        Files.writeString(dir.resolve("config.conf"), String.join("\n",
            "pipelinesDirectory=\"" + dir.resolve("pipelines") + "\"",
            "logDirectory=\"" + dir.resolve("logs") + "\"",
            "httpHost=\"127.0.0.1\"", "httpPort=" + port, "httpsHost=\"127.0.0.1\"", "httpsPort=7091",
            "monitoringCluster=\"test\"",
            "monitoringSinks=[{ class=\"com.arpnetworking.metrics.impl.ApacheHttpSink\", uri=\"" + captureUri()
                + "/selfmetrics/v3/application\" }]",
            "akkaConfiguration { akka { http.server.parsing.max-content-length=\"infinite\" } }"));
        Files.writeString(dir.resolve("pipelines/a.conf"), String.join("\n",
            "name=\"a\"",
            "periods=[\"PT1M\"]",
            "sources=[{ type=\"com.arpnetworking.metrics.common.sources.ClientHttpSourceV3\", name=\"v3\" }]",
            "sinks=[{ type=\"com.arpnetworking.tsdcore.sinks.AggregationServerHttpSink\", name=\"cagg_a\",",
            "  uri=\"" + captureUri() + "/metrics/v1/data/persist\", attachHistogram=true,",
            "  maximumRecordsPerRequest=10 }]"));
        writeB("v1");
    }

    @AfterEach
    void tearDown()
    {
        if (appliance != null)
        {
            appliance.close();
        }
        capture.stop(0);
        applianceLogger.detachAppender(log);
        if (previousInterval == null)
        {
            System.clearProperty("madx.pipelineReloadInterval");
        }
        else
        {
            System.setProperty("madx.pipelineReloadInterval", previousInterval);
        }
    }

    @Test
    void shouldReplaceTheChangedPipelineWhileTheOtherKeepsEverySampleAndItsOpenBucket() throws Exception
    {
        appliance = Appliance.start(dir.resolve("config.conf"));
        final PipelineRuntime a = pipeline("a");
        final PipelineRuntime oldB = pipeline("b");
        assertThat(postV3(1, 2, 3)).isEqualTo(200);
        assertThat(postCollectd(5)).isEqualTo(200);

        // Pipeline a receives samples without pause while b is replaced.
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong acceptedSamples = new AtomicLong(3);
        final AtomicLong sum = new AtomicLong(6);
        final Thread writer = new Thread(() ->
        {
            while (!stop.get())
            {
                try
                {
                    if (postV3(10) == 200)
                    {
                        acceptedSamples.incrementAndGet();
                        sum.addAndGet(10);
                    }
                }
                catch (final Exception e)
                {
                    throw new IllegalStateException(e);
                }
            }
        }, "reload-it-writer");
        writer.start();
        while (acceptedSamples.get() < 13)
        {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
        }
        writeB("v2");
        appliance.reload();
        final long duringReload = acceptedSamples.get();
        while (acceptedSamples.get() < duringReload + 10)
        {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
        }
        stop.set(true);
        writer.join();

        assertThat(pipeline("a")).as("untouched pipeline keeps running").isSameAs(a);
        assertThat(pipeline("b")).as("changed pipeline replaced").isNotSameAs(oldB);
        // The replaced pipeline flushed its open bucket before it stopped.
        assertThat(records("load/b")).extracting(r -> r.getDimensionsMap().get("version")).containsExactly("v1");
        assertThat(postCollectd(7)).isEqualTo(200);
        assertThat(postV3(4, 5)).isEqualTo(200);
        appliance.close();
        appliance = null;

        // One record for a: the bucket opened before the reload got every sample, as without a reload.
        final List<Messages.StatisticSetRecord> aRecords = records("a.metric");
        assertThat(aRecords).hasSize(1);
        final Messages.StatisticSetRecord record = aRecords.get(0);
        assertThat(statistic(record, "count").getValue()).isEqualTo(acceptedSamples.get() + 2);
        assertThat(statistic(record, "sum").getValue()).isEqualTo(sum.get() + 9);
        assertThat(statistic(record, "min").getValue()).isEqualTo(1);
        assertThat(statistic(record, "max").getValue()).isEqualTo(10);
        // attachHistogram end to end: the engine kept the gauge's histogram; its entries are the population.
        final Messages.StatisticRecord histogram = statistic(record, "histogram");
        assertThat(histogram.getUserSpecified()).isFalse();
        final byte[] supporting = histogram.getSupportingData().toByteArray();
        final Messages.SparseHistogramSupportingData sparse = Messages.SparseHistogramSupportingData.parseFrom(
            Arrays.copyOfRange(supporting, 6, supporting.length));
        assertThat(sparse.getEntriesList().stream().mapToLong(Messages.SparseHistogramEntry::getCount).sum())
            .isEqualTo(acceptedSamples.get() + 2);
        // The new b took effect.
        assertThat(records("load/b")).extracting(r -> r.getDimensionsMap().get("version"))
            .containsExactly("v1", "v2");
        assertThat(statistic(records("load/b").get(1), "max").getValue()).isEqualTo(7);
    }

    @Test
    void shouldReportABrokenFileAndKeepThePipelineItWouldReplace() throws Exception
    {
        appliance = Appliance.start(dir.resolve("config.conf"));
        final PipelineRuntime b = pipeline("b");
        assertThat(postCollectd(5)).isEqualTo(200);

        Files.writeString(dir.resolve("pipelines/b.conf"), "name=\"b\"\nsinks=[ { type=\n");
        appliance.reload();
        assertThat(pipeline("b")).isSameAs(b);
        assertThat(lastError()).contains("b.conf").contains("keeps running");

        writeB("v2");
        Files.writeString(dir.resolve("pipelines/b.conf"), Files.readString(dir.resolve("pipelines/b.conf"))
            .replace("com.arpnetworking.tsdcore.sinks.DimensionInjectingSink", "com.example.NoSuchSink"));
        appliance.reload();
        assertThat(pipeline("b")).isSameAs(b);
        assertThat(lastError()).contains("b.conf").contains("sinks[0].type")
            .contains("unknown sink type 'com.example.NoSuchSink'").contains("pipeline b keeps running");

        // The old b still aggregates: both samples are in its one bucket.
        assertThat(postCollectd(7)).isEqualTo(200);
        appliance.close();
        appliance = null;
        final List<Messages.StatisticSetRecord> bRecords = records("load/b");
        assertThat(bRecords).hasSize(1);
        assertThat(bRecords.get(0).getDimensionsMap()).containsEntry("version", "v1");
        assertThat(statistic(bRecords.get(0), "max").getValue()).isEqualTo(7);
        assertThat(statistic(bRecords.get(0), "min").getValue()).isEqualTo(5);
    }

    @Test
    void shouldStopThePipelineOfARemovedFile() throws Exception
    {
        appliance = Appliance.start(dir.resolve("config.conf"));
        final PipelineRuntime a = pipeline("a");
        assertThat(postCollectd(5)).isEqualTo(200);

        Files.delete(dir.resolve("pipelines/b.conf"));
        appliance.reload();

        assertThat(appliance.pipelines()).containsExactly(a);
        // Its open bucket was flushed on the way out, and its route is gone.
        assertThat(records("load/b")).hasSize(1);
        assertThat(postCollectd(6)).isEqualTo(404);
        assertThat(postV3(1)).isEqualTo(200);
    }

    @Test
    void shouldNotAnswerHttpWhenAnotherListenerCannotBind() throws Exception
    {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress()))
        {
            Files.writeString(dir.resolve("pipelines/c.conf"), String.join("\n",
                "name=\"c\"",
                "periods=[\"PT1M\"]",
                "sources=[{ type=\"com.arpnetworking.metrics.common.sources.TcpLineSource\", name=\"graphite\",",
                "  host=\"127.0.0.1\", port=" + taken.getLocalPort() + ",",
                "  parser={ type=\"com.arpnetworking.metrics.mad.parsers.GraphitePlaintextToRecordParser\" } }]",
                "sinks=[{ type=\"com.arpnetworking.tsdcore.sinks.AggregationServerHttpSink\", name=\"cagg_c\",",
                "  uri=\"" + captureUri() + "/metrics/v1/data/persist\" }]"));

            assertThatThrownBy(() -> Appliance.start(dir.resolve("config.conf"))).isInstanceOf(Exception.class);
            // The HTTP listener binds last: with a source unbound, /ping and /status never answered.
            assertThatThrownBy(() ->
            {
                try (Socket socket = new Socket())
                {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                }
            }).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void shouldAnswerStatusLikeMadOnceReady() throws Exception
    {
        appliance = Appliance.start(dir.resolve("config.conf"));
        final HttpResponse<String> status = client.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/status")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(status.body()).startsWith("{\"name\":").contains("\"version\":").contains("\"sha\":")
            .endsWith("}\n");
    }

    private String writeB(final String version) throws IOException
    {
        final String text = String.join("\n",
            "name=\"b\"",
            "periods=[\"PT1M\"]",
            "sources=[{ type=\"com.arpnetworking.metrics.common.sources.CollectdHttpSourceV1\", name=\"collectd\" }]",
            "sinks=[{ type=\"com.arpnetworking.tsdcore.sinks.DimensionInjectingSink\", name=\"inject\",",
            "  overrideDimensions={ version=\"" + version + "\" },",
            "  sink={ type=\"com.arpnetworking.tsdcore.sinks.AggregationServerHttpSink\", name=\"cagg_b\",",
            "    uri=\"" + captureUri() + "/metrics/v1/data/persist\" } }]");
        Files.writeString(dir.resolve("pipelines/b.conf"), text);
        return text;
    }

    private PipelineRuntime pipeline(final String name)
    {
        return appliance.pipelines().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    private List<Messages.StatisticSetRecord> records(final String metric)
    {
        synchronized (received)
        {
            return received.stream().filter(r -> r.getMetric().equals(metric)).toList();
        }
    }

    private static Messages.StatisticRecord statistic(final Messages.StatisticSetRecord record, final String name)
    {
        return record.getStatisticsList().stream().filter(s -> s.getStatistic().equals(name)).findFirst()
            .orElseThrow(() -> new AssertionError("no " + name + " in " + record));
    }

    private String lastError()
    {
        final List<ILoggingEvent> events = new ArrayList<>(log.list);
        for (int i = events.size() - 1; i >= 0; i--)
        {
            if (events.get(i).getLevel() == ch.qos.logback.classic.Level.ERROR)
            {
                return events.get(i).getFormattedMessage();
            }
        }
        throw new AssertionError("no error logged");
    }

    private int postV3(final double... samples) throws Exception
    {
        final ClientV3.NumericalData.Builder data = ClientV3.NumericalData.newBuilder();
        for (final double sample : samples)
        {
            data.addSamples(sample);
        }
        final ClientV3.Request request = ClientV3.Request.newBuilder().addRecords(ClientV3.Record.newBuilder()
            .setId(ByteString.copyFrom(new byte[16]))
            .setEndMillisSinceEpoch(t0)
            .addDimensions(dimension("service", "svc"))
            .addDimensions(dimension("cluster", "cl"))
            .addDimensions(dimension("host", "h"))
            .addData(ClientV3.MetricDataEntry.newBuilder()
                .setName(ClientV3.Identifier.newBuilder().setStringValue("a.metric"))
                .setNumericalData(data)))
            .build();
        return post("/metrics/v3/application", request.toByteArray(), null);
    }

    private int postCollectd(final double value) throws Exception
    {
        final String body = "[{\"values\":[" + value + "],\"dstypes\":[\"gauge\"],\"dsnames\":[\"value\"],"
            + "\"time\":" + t0 / 1000.0 + ",\"interval\":10,\"host\":\"h\",\"plugin\":\"load\","
            + "\"plugin_instance\":\"\",\"type\":\"b\",\"type_instance\":\"\"}]";
        return post("/metrics/v1/collectd", body.getBytes(java.nio.charset.StandardCharsets.UTF_8), "collectd");
    }

    private int post(final String path, final byte[] body, final String tags) throws Exception
    {
        final HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (tags != null)
        {
            builder.header("X-TAG-SERVICE", "svc").header("X-TAG-CLUSTER", "cl");
        }
        return client.send(builder.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static ClientV3.DimensionEntry dimension(final String name, final String value)
    {
        return ClientV3.DimensionEntry.newBuilder()
            .setName(ClientV3.Identifier.newBuilder().setStringValue(name))
            .setValue(ClientV3.Identifier.newBuilder().setStringValue(value))
            .build();
    }

    private String captureUri()
    {
        return "http://127.0.0.1:" + capture.getAddress().getPort();
    }

    private void decode(final byte[] body) throws IOException
    {
        final ByteBuffer buffer = ByteBuffer.wrap(body);
        while (buffer.remaining() > 5)
        {
            final int length = buffer.getInt();
            final byte type = buffer.get();
            final byte[] message = new byte[length - 5];
            buffer.get(message);
            if (type == 0x04)
            {
                received.add(Messages.StatisticSetRecord.parseFrom(message));
            }
        }
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
    }
}
