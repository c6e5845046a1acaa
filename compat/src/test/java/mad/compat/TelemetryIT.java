package mad.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import mad.emit.EmitContext;
import mad.emit.Sink;
import mad.emit.SinkType;
import mad.emit.http.HttpFacility;
import mad.emit.self.SelfMetrics;
import mad.emit.telemetry.TelemetryHub;
import mad.engine.config.ConfigException;
import mad.engine.config.Settings;
import mad.engine.model.MetricType;
import mad.engine.model.Unit;
import mad.engine.output.AggregatedMetric;
import mad.engine.output.PeriodicData;
import mad.engine.sample.SampleEvent;
import mad.engine.stat.Statistic;
import mad.ingest.IngestThreads;
import mad.ingest.http.HttpRoutes;
import mad.ingest.http.HttpServer;
import mad.ingest.http.HttpServerConfig;

/**
 * The telemetry streams over real sockets: the shared HTTP server upgrades {@code /telemetry/v1|v2/stream}, a JDK
 * WebSocket client subscribes, and buckets pushed through a {@code TelemetrySink} arrive as {@code newMetric} and
 * {@code report}/{@code reportMetric} messages.
 */
class TelemetryIT
{
    private static final long START_MS = Instant.parse("2026-11-25T06:08:00Z").toEpochMilli();

    private final TelemetryHub hub = new TelemetryHub();
    private final HttpFacility http = HttpFacility.defaults();
    private IngestThreads threads;
    private HttpServer server;
    private Sink sink;

    @BeforeEach
    void start() throws InterruptedException
    {
        threads = new IngestThreads(1);
        final HttpRoutes routes = new HttpRoutes();
        Appliance.registerTelemetry(routes, hub);
        server = new HttpServer(
            new HttpServerConfig("127.0.0.1", 0, "/ping", "/status", 4096, "1.2.3", "abc"), threads, routes);
        server.start();
        sink = SinkType.create(new SinkSettings(), new EmitContext("test", System::currentTimeMillis, http,
            SelfMetrics.NOOP, hub));
    }

    @AfterEach
    void stop()
    {
        sink.close();
        server.close();
        threads.close();
        http.close();
    }

    @Test
    void shouldStreamNewMetricsAndReportsOnV1() throws Exception
    {
        final Client client = Client.connect(server.port(), "/telemetry/v1/stream");
        client.send("{\"command\":\"heartbeat\"}");
        assertThat(client.next()).isEqualTo("{\"response\":\"ok\"}");
        client.send("{\"command\":\"subscribe\",\"service\":\"svc\",\"metric\":\"latency\",\"statistic\":\"max\"}");
        // The server handles one connection's frames in order: the heartbeat answer proves the subscription is in.
        client.send("{\"command\":\"heartbeat\"}");
        assertThat(client.next()).isEqualTo("{\"response\":\"ok\"}");

        sink.recordAggregateData(bucket());

        assertThat(client.next()).isEqualTo(
            "{\"command\":\"newMetric\",\"data\":{\"service\":\"svc\",\"metric\":\"latency\",\"statistic\":\"max\"}}");
        assertThat(client.next()).isEqualTo(
            "{\"command\":\"newMetric\",\"data\":{\"service\":\"svc\",\"metric\":\"latency\","
                + "\"statistic\":\"count\"}}");
        assertThat(client.next()).isEqualTo("{\"command\":\"report\",\"data\":{\"server\":\"h1\",\"service\":\"svc\","
            + "\"metric\":\"latency\",\"timestamp\":" + START_MS + ",\"statistic\":\"max\",\"data\":0.25}}");

        client.send("{\"command\":\"getMetrics\"}");
        assertThat(client.next()).isEqualTo("{\"command\":\"metricsList\",\"data\":{\"metrics\":[{\"name\":\"svc\","
            + "\"children\":[{\"name\":\"latency\",\"children\":[{\"name\":\"count\",\"children\":[]},"
            + "{\"name\":\"max\",\"children\":[]}]}]}]}}");
        client.close();
    }

    @Test
    void shouldStreamReportMetricOnV2AndSurviveBadFrames() throws Exception
    {
        final Client client = Client.connect(server.port(), "/telemetry/v2/stream");
        client.send("this is not json");
        assertThat(client.next()).startsWith("{\"response\":\"error\",\"error\":\"invalid JSON");
        client.send("{\"command\":\"subscribeMetric\",\"service\":\"svc\",\"metric\":\"latency\","
            + "\"statistic\":\"max\"}");
        client.send("{\"command\":\"getLogs\"}");
        assertThat(client.next()).isEqualTo("{\"command\":\"logsList\",\"data\":{\"logs\":[]}}");

        sink.recordAggregateData(bucket());

        assertThat(client.next()).contains("\"command\":\"newMetric\"");
        assertThat(client.next()).contains("\"command\":\"newMetric\"");
        assertThat(client.next()).isEqualTo("{\"command\":\"reportMetric\",\"data\":{\"server\":\"h1\","
            + "\"service\":\"svc\",\"metric\":\"latency\",\"timestamp\":" + START_MS + ",\"statistic\":\"max\","
            + "\"data\":0.25,\"numeratorUnits\":[\"SECOND\"],\"denominatorUnits\":[]}}");
        client.close();
    }

    @Test
    void shouldAnswer400ToAPlainGetOnTheStreamPath() throws Exception
    {
        final HttpResponse<String> response = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/telemetry/v1/stream")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
    }

    private static PeriodicData bucket()
    {
        final PeriodicData data = new PeriodicData();
        data.reset(Map.of("host", "h1", "service", "svc", "cluster", "c1"), Duration.ofMinutes(1), START_MS,
            SampleEvent.NO_REQUEST_TIME);
        final AggregatedMetric latency = data.addMetric();
        latency.reset("latency", MetricType.TIMER);
        latency.add(Statistic.MAX, 0.25, Unit.SECOND, true);
        latency.add(Statistic.COUNT, 2, Unit.NONE, false);
        return data;
    }

    /** A JDK WebSocket client collecting text messages. */
    private static final class Client implements WebSocket.Listener
    {
        private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket socket;

        static Client connect(final int port, final String path) throws Exception
        {
            final Client client = new Client();
            client.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + path), client).get(10, TimeUnit.SECONDS);
            return client;
        }

        void send(final String text) throws Exception
        {
            socket.sendText(text, true).get(10, TimeUnit.SECONDS);
        }

        String next() throws InterruptedException
        {
            final String message = messages.poll(10, TimeUnit.SECONDS);
            assertThat(message).as("a message within 10 s").isNotNull();
            return message;
        }

        void close() throws Exception
        {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
        }

        @Override
        public CompletionStage<?> onText(final WebSocket webSocket, final CharSequence data, final boolean last)
        {
            partial.append(data);
            if (last)
            {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }

    /** The sink object of a pipeline file. */
    private static final class SinkSettings implements Settings
    {
        private final Map<String, String> values = Map.of("type", "com.arpnetworking.tsdcore.sinks.TelemetrySink",
            "name", "telemetry", "telemetryActorPath", "/user/telemetry");

        @Override
        public String file()
        {
            return "pipeline.conf";
        }

        @Override
        public String path()
        {
            return "sinks[0]";
        }

        @Override
        public boolean has(final String key)
        {
            return values.containsKey(key);
        }

        @Override
        public String string(final String key)
        {
            return values.get(key);
        }

        @Override
        public String string(final String key, final String defaultValue)
        {
            return values.getOrDefault(key, defaultValue);
        }

        @Override
        public int integer(final String key)
        {
            throw error(key, "unused");
        }

        @Override
        public int integer(final String key, final int defaultValue)
        {
            return defaultValue;
        }

        @Override
        public long longValue(final String key, final long defaultValue)
        {
            return defaultValue;
        }

        @Override
        public double doubleValue(final String key, final double defaultValue)
        {
            return defaultValue;
        }

        @Override
        public boolean bool(final String key, final boolean defaultValue)
        {
            return defaultValue;
        }

        @Override
        public Duration duration(final String key)
        {
            throw error(key, "unused");
        }

        @Override
        public Duration duration(final String key, final Duration defaultValue)
        {
            return defaultValue;
        }

        @Override
        public java.util.List<String> stringList(final String key, final java.util.List<String> defaultValue)
        {
            return defaultValue;
        }

        @Override
        public Map<String, String> stringMap(final String key)
        {
            throw error(key, "unused");
        }

        @Override
        public Map<String, java.util.List<String>> stringListMap(final String key)
        {
            throw error(key, "unused");
        }

        @Override
        public Settings child(final String key)
        {
            throw error(key, "unused");
        }

        @Override
        public java.util.List<Settings> children(final String key)
        {
            throw error(key, "unused");
        }

        @Override
        public ConfigException error(final String key, final String reason)
        {
            return new ConfigException(file(), path() + "." + key, reason);
        }
    }
}
