package mad.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.arpnetworking.metrics.aggregation.protocol.Messages;
import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpServer;

import io.inscopemetrics.client.protocol.ClientV3;

/**
 * Starts the whole appliance on real sockets with a MAD-style configuration, posts ClientV3 requests and checks what
 * the Cluster Aggregator sink posted. The shutdown flush makes the test deterministic: every accepted sample must be
 * emitted when the appliance closes, without waiting for bucket expiry.
 */
class ApplianceIT
{
    @TempDir
    Path dir;

    private HttpServer capture;
    private final List<Messages.StatisticSetRecord> received = Collections.synchronizedList(new ArrayList<>());
    private Appliance appliance;
    private final HttpClient client = HttpClient.newHttpClient();
    private final java.util.concurrent.atomic.AtomicInteger selfMetricsBodies =
        new java.util.concurrent.atomic.AtomicInteger();
    private int port;

    @BeforeEach
    void setUp() throws Exception
    {
        capture = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        // Self-metrics go to their own context, never to the default localhost:7090 (a golden MAD may listen there).
        capture.createContext("/selfmetrics", exchange ->
        {
            selfMetricsBodies.incrementAndGet();
            readAll(exchange.getRequestBody());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        capture.createContext("/", exchange ->
        {
            final byte[] body = readAll(exchange.getRequestBody());
            decode(body);
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        capture.start();
        port = freePort();
        Files.createDirectories(dir.resolve("pipelines"));
        Files.writeString(dir.resolve("config.conf"), String.join("\n",
            "pipelinesDirectory=\"" + dir.resolve("pipelines") + "\"",
            "logDirectory=\"" + dir.resolve("logs") + "\"",
            "httpHost=\"127.0.0.1\"", "httpPort=" + port, "httpsHost=\"127.0.0.1\"", "httpsPort=7091",
            "monitoringCluster=\"test\"",
            "monitoringSinks=[{ class=\"com.arpnetworking.metrics.impl.ApacheHttpSink\", uri=\"http://127.0.0.1:"
                + capture.getAddress().getPort() + "/selfmetrics/v3/application\" }]",
            "akkaConfiguration { akka { http.server.parsing.max-content-length=\"infinite\" } }"));
        Files.writeString(dir.resolve("pipelines/pipeline.conf"), String.join("\n",
            "name=\"it_pipeline\"",
            "periods=[\"PT1S\", \"PT1M\"]",
            "sources=[{ type=\"com.arpnetworking.metrics.common.sources.ClientHttpSourceV3\", name=\"v3\" }]",
            "sinks=[{ type=\"com.arpnetworking.tsdcore.sinks.PeriodFilteringSink\", name=\"f\", excludeLessThan=\"PT1M\",",
            "  sink={ type=\"com.arpnetworking.tsdcore.sinks.AggregationServerHttpSink\", name=\"cagg\",",
            "    uri=\"http://127.0.0.1:" + capture.getAddress().getPort() + "/metrics/v1/data/persist\" } }]"));
        appliance = Appliance.start(dir.resolve("config.conf"));
    }

    @AfterEach
    void tearDown()
    {
        if (appliance != null)
        {
            appliance.close();
        }
        capture.stop(0);
    }

    @Test
    void shouldAggregateClientV3AndPostStatisticSetRecordsOnShutdownFlush() throws Exception
    {
        final long now = System.currentTimeMillis();
        assertThat(post("/ping", null).statusCode()).isEqualTo(200);
        final ClientV3.Request request = ClientV3.Request.newBuilder()
            .addRecords(record(now, now + 5, "golden.v3.samples", 1, 2, 3, 4, 100))
            .addRecords(record(now, 0, "golden.v3.samples", 6))
            .build();
        assertThat(post("/metrics/v3/application", request.toByteArray()).statusCode()).isEqualTo(200);
        final HttpResponse<String> bad = post("/metrics/v3/application", "not protobuf at all".getBytes());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).isNotEmpty();
        assertThat(post("/metrics/v2/application", request.toByteArray()).statusCode()).isEqualTo(404);

        final HttpResponse<String> counters = client.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + Appliance.PROMETHEUS_PATH)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(counters.statusCode()).isEqualTo(200);
        assertThat(counters.headers().firstValue("content-type")).hasValue(PrometheusCounterPage.CONTENT_TYPE);
        assertThat(counters.body())
            .contains("# TYPE madx_source_requests_total counter\n")
            .contains("madx_source_requests_total{pipeline=\"it_pipeline\",source=\"v3\"} 2\n")
            .contains("madx_source_requests_rejected_total{pipeline=\"it_pipeline\",source=\"v3\",reason=\"bad_request\"} 1\n")
            .contains("madx_source_samples_published_total{pipeline=\"it_pipeline\",source=\"v3\"} 6\n")
            .contains("madx_sink_requests_enqueued_total{pipeline=\"it_pipeline\",sink=\"cagg\"} 0\n");

        appliance.close();
        appliance = null;

        assertThat(selfMetricsBodies.get()).as("self-metrics posted on shutdown").isPositive();
        assertThat(received).hasSize(1);
        final Messages.StatisticSetRecord record = received.get(0);
        assertThat(record.getMetric()).isEqualTo("golden.v3.samples");
        assertThat(record.getPeriod()).isEqualTo("PT1M");
        assertThat(record.getService()).isEqualTo("svc");
        assertThat(record.getCluster()).isEqualTo("cl");
        assertThat(record.getDimensionsMap()).containsEntry("host", "h");
        final Map<String, Messages.StatisticRecord> stats = new HashMap<>();
        for (final Messages.StatisticRecord statistic : record.getStatisticsList())
        {
            stats.put(statistic.getStatistic(), statistic);
        }
        assertThat(stats).containsOnlyKeys("min", "max", "mean", "sum", "count");
        assertThat(stats.get("count").getValue()).isEqualTo(6);
        assertThat(stats.get("sum").getValue()).isEqualTo(116);
        assertThat(stats.get("max").getValue()).isEqualTo(100);
        assertThat(stats.get("min").getUserSpecified()).isTrue();
        assertThat(stats.get("count").getUserSpecified()).isFalse();
        assertThat(record.getClientMinimumRequestTime()).isNotEmpty();
    }

    private static ClientV3.Record record(final long time, final long requestTime, final String name,
        final double... samples)
    {
        final ClientV3.NumericalData.Builder data = ClientV3.NumericalData.newBuilder();
        for (final double sample : samples)
        {
            data.addSamples(sample);
        }
        return ClientV3.Record.newBuilder()
            .setId(ByteString.copyFrom(new byte[16]))
            .setEndMillisSinceEpoch(time)
            .setRequestMillisSinceEpoch(requestTime)
            .addDimensions(dimension("service", "svc"))
            .addDimensions(dimension("cluster", "cl"))
            .addDimensions(dimension("host", "h"))
            .addData(ClientV3.MetricDataEntry.newBuilder()
                .setName(ClientV3.Identifier.newBuilder().setStringValue(name))
                .setNumericalData(data))
            .build();
    }

    private static ClientV3.DimensionEntry dimension(final String name, final String value)
    {
        return ClientV3.DimensionEntry.newBuilder()
            .setName(ClientV3.Identifier.newBuilder().setStringValue(name))
            .setValue(ClientV3.Identifier.newBuilder().setStringValue(value))
            .build();
    }

    private HttpResponse<String> post(final String path, final byte[] body) throws Exception
    {
        final HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (body == null)
        {
            builder.GET();
        }
        else
        {
            builder.POST(HttpRequest.BodyPublishers.ofByteArray(body));
        }
        return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
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

    private static byte[] readAll(final InputStream in) throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
    }
}
