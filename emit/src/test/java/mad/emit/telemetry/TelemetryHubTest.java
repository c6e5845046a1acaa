package mad.emit.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import mad.emit.TestData;

class TelemetryHubTest
{
    private static final Map<String, String> DIMENSIONS = Map.of("host", "h1", "service", "svc", "cluster", "c1");

    private final TelemetryHub hub = new TelemetryHub();
    private final List<String> v1 = new CopyOnWriteArrayList<>();
    private final List<String> v2 = new CopyOnWriteArrayList<>();

    @Test
    void shouldBroadcastNewMetricsOnceAndAnswerGetMetrics()
    {
        final TelemetryConnection connection = hub.connect(TelemetryHub.Protocol.V1, v1::add);
        hub.record(TestData.timerAndCounter(DIMENSIONS, Duration.ofMinutes(1)));
        hub.record(TestData.timerAndCounter(DIMENSIONS, Duration.ofMinutes(1)));

        assertThat(v1).hasSize(5).allMatch(message -> message.startsWith("{\"command\":\"newMetric\""));
        assertThat(v1).contains("{\"command\":\"newMetric\",\"data\":{\"service\":\"svc\",\"metric\":\"latency\","
            + "\"statistic\":\"max\"}}");
        v1.clear();
        connection.onText("{\"command\":\"getMetrics\"}");
        assertThat(v1).containsExactly("{\"command\":\"metricsList\",\"data\":{\"metrics\":[{\"name\":\"svc\","
            + "\"children\":[{\"name\":\"hits\",\"children\":[{\"name\":\"count\",\"children\":[]},{\"name\":\"sum\","
            + "\"children\":[]}]},{\"name\":\"latency\",\"children\":[{\"name\":\"count\",\"children\":[]},"
            + "{\"name\":\"histogram\",\"children\":[]},{\"name\":\"max\",\"children\":[]}]}]}]}}");
    }

    @Test
    void shouldForwardOnlySubscribedStatisticsPerProtocol()
    {
        final TelemetryConnection one = hub.connect(TelemetryHub.Protocol.V1, v1::add);
        final TelemetryConnection two = hub.connect(TelemetryHub.Protocol.V2, v2::add);
        one.onText("{\"command\":\"subscribe\",\"service\":\"svc\",\"metric\":\"latency\",\"statistic\":\"max\"}");
        two.onText("{\"command\":\"subscribeMetric\",\"service\":\"svc\",\"metric\":\"latency\","
            + "\"statistic\":\"max\"}");
        hub.record(TestData.timerAndCounter(DIMENSIONS, Duration.ofMinutes(1)));

        assertThat(v1).filteredOn(m -> !m.contains("newMetric")).containsExactly(
            "{\"command\":\"report\",\"data\":{\"server\":\"h1\",\"service\":\"svc\",\"metric\":\"latency\","
                + "\"timestamp\":" + TestData.MINUTE_START_MS + ",\"statistic\":\"max\",\"data\":0.3}}");
        assertThat(v2).filteredOn(m -> !m.contains("newMetric")).containsExactly(
            "{\"command\":\"reportMetric\",\"data\":{\"server\":\"h1\",\"service\":\"svc\",\"metric\":\"latency\","
                + "\"timestamp\":" + TestData.MINUTE_START_MS + ",\"statistic\":\"max\",\"data\":0.3,"
                + "\"numeratorUnits\":[\"SECOND\"],\"denominatorUnits\":[]}}");

        v1.clear();
        one.onText("{\"command\":\"unsubscribe\",\"service\":\"svc\",\"metric\":\"latency\",\"statistic\":\"max\"}");
        hub.record(TestData.timerAndCounter(DIMENSIONS, Duration.ofMinutes(1)));
        assertThat(v1).isEmpty();
    }

    @Test
    void shouldAnswerHeartbeatsLogsAndBadFramesWithoutLosingSubscriptions()
    {
        final TelemetryConnection connection = hub.connect(TelemetryHub.Protocol.V2, v2::add);
        connection.onText("{\"command\":\"subscribeMetric\",\"service\":\"svc\",\"metric\":\"hits\","
            + "\"statistic\":\"sum\"}");
        connection.onText("{\"command\":\"heartbeat\"}");
        connection.onText("{\"command\":\"getLogs\"}");
        connection.onText("not json");
        connection.onText("{\"nope\":1}");
        connection.onText("{\"command\":\"subscribe\",\"service\":\"svc\"}");
        connection.onText("{\"command\":\"subscribeMetric\",\"service\":\"svc\"}");
        connection.onBinary(3);

        assertThat(v2.subList(0, 2)).containsExactly("{\"response\":\"ok\"}",
            "{\"command\":\"logsList\",\"data\":{\"logs\":[]}}");
        assertThat(v2.subList(2, 7)).allMatch(message -> message.startsWith("{\"response\":\"error\",\"error\":"));
        assertThat(connection.badCommands()).isEqualTo(5);
        assertThat(connection.subscribed("svc", "hits", "sum")).isTrue();

        connection.close();
        assertThat(hub.connectionCount()).isZero();
    }

    @Test
    void shouldCountDropsAndSkipDataWithoutService()
    {
        final TelemetryConnection connection = hub.connect(TelemetryHub.Protocol.V1, text -> false);
        hub.record(TestData.timerAndCounter(DIMENSIONS, Duration.ofMinutes(1)));
        hub.record(TestData.timerAndCounter(Map.of("host", "h"), Duration.ofMinutes(1)));

        assertThat(connection.dropped()).isEqualTo(5);
        assertThat(hub.withoutServiceCount()).isEqualTo(1);
        assertThat(hub.periodicDataCount()).isEqualTo(2);
    }
}
