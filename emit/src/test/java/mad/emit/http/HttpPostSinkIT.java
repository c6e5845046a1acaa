package mad.emit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import mad.emit.EmitContext;
import mad.emit.MapSettings;
import mad.engine.config.ConfigException;

class HttpPostSinkIT
{
    private final HttpFacility http = HttpFacility.defaults();
    private final EmitContext context = new EmitContext("test", () -> 0L, http);
    private final TestServer server;

    HttpPostSinkIT() throws Exception
    {
        server = new TestServer();
    }

    @AfterEach
    void tearDown()
    {
        server.close();
        http.close();
    }

    private TextPostSink sink(final Object... extra)
    {
        return TextPostSink.create(context, server.uri(), extra);
    }

    private List<String> received(final int count) throws InterruptedException
    {
        final List<String> texts = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final byte[] body = server.next();
            assertThat(body).as("body %d of %d", i + 1, count).isNotNull();
            texts.add(new String(body, StandardCharsets.UTF_8));
        }
        return texts;
    }

    @Test
    void shouldCountAcceptedAndRejectedStatuses() throws Exception
    {
        final TextPostSink sink = sink();
        server.statuses.add(204);
        server.statuses.add(500);
        server.statuses.add(299);
        sink.post("a");
        sink.post("b");
        sink.post("c");
        sink.close();

        assertThat(received(3)).containsExactly("a", "b", "c");
        assertThat(server.contentTypes.poll()).isEqualTo("text/plain");
        assertThat(sink.sent()).isEqualTo(3);
        assertThat(sink.accepted()).isEqualTo(1);
        assertThat(sink.rejected()).isEqualTo(2);
        assertThat(sink.retried()).isZero();
    }

    @Test
    void shouldHonourConfiguredAcceptedStatusCodes() throws Exception
    {
        final TextPostSink sink = sink("acceptedStatusCodes", List.of("299"));
        server.statuses.add(299);
        server.statuses.add(200);
        sink.post("a");
        sink.post("b");
        sink.close();

        assertThat(received(2)).containsExactly("a", "b");
        assertThat(sink.accepted()).isEqualTo(1);
        assertThat(sink.rejected()).isEqualTo(1);
    }

    @Test
    void shouldEvictOldestWhenQueueIsFull() throws Exception
    {
        server.gate = new CountDownLatch(1);
        final TextPostSink sink = sink("maximumQueueSize", 2);
        sink.post("a");
        assertThat(received(1)).containsExactly("a");
        sink.post("b");
        sink.post("c");
        sink.post("d");

        assertThat(sink.evicted()).isEqualTo(1);
        assertThat(sink.queueSize()).isEqualTo(2);
        server.gate.countDown();
        sink.close();

        assertThat(received(2)).containsExactly("c", "d");
        assertThat(sink.accepted()).isEqualTo(3);
    }

    @Test
    void shouldBoundRequestsInFlight() throws Exception
    {
        server.gate = new CountDownLatch(1);
        final TextPostSink sink = sink("maximumConcurrency", 2);
        for (int i = 0; i < 5; i++)
        {
            sink.post("m" + i);
        }
        assertThat(received(2)).containsExactlyInAnyOrder("m0", "m1");
        assertThat(sink.inFlight()).isEqualTo(2);
        assertThat(sink.queueSize()).isEqualTo(3);

        server.gate.countDown();
        sink.close();

        assertThat(received(3)).containsExactlyInAnyOrder("m2", "m3", "m4");
        assertThat(server.maximum.get()).isEqualTo(2);
        assertThat(sink.accepted()).isEqualTo(5);
    }

    @Test
    void shouldDrainQueueOnClose() throws Exception
    {
        final TextPostSink sink = sink();
        for (int i = 0; i < 50; i++)
        {
            sink.post("m" + i);
        }
        sink.close();

        assertThat(sink.accepted()).isEqualTo(50);
        assertThat(sink.droppedOnClose()).isZero();
        assertThat(server.bodies).hasSize(50);
        sink.post("late");
        assertThat(sink.droppedOnClose()).isEqualTo(1);
    }

    @Test
    void shouldDropWhatIsLeftWhenDrainTimesOut() throws Exception
    {
        server.gate = new CountDownLatch(1);
        final TextPostSink sink = sink("drainTimeout", "PT0.1S");
        sink.post("a");
        sink.post("b");
        sink.post("c");
        assertThat(received(1)).containsExactly("a");

        sink.close();
        server.gate.countDown();

        assertThat(sink.droppedOnClose()).isEqualTo(2);
    }

    @Test
    void shouldCountTransportErrors() throws Exception
    {
        final String deadUri = server.uri();
        server.close();
        final TextPostSink sink = new TextPostSink(MapSettings.of("name", "dead", "uri", deadUri), context);
        sink.post("a");
        sink.close();

        assertThat(sink.transportErrors()).isEqualTo(1);
        assertThat(sink.accepted()).isZero();
    }

    @Test
    void shouldRetryServerErrorsWhenEnabled() throws Exception
    {
        final TextPostSink sink = sink("maximumRetries", 2, "retryBackoff", "PT0.01S");
        server.statuses.add(503);
        server.statuses.add(502);
        sink.post("a");
        sink.close();

        assertThat(received(3)).containsExactly("a", "a", "a");
        assertThat(sink.rejected()).isEqualTo(2);
        assertThat(sink.retried()).isEqualTo(2);
        assertThat(sink.accepted()).isEqualTo(1);
    }

    @Test
    void shouldNotRetryClientErrors() throws Exception
    {
        final TextPostSink sink = sink("maximumRetries", 2, "retryBackoff", "PT0.01S");
        server.statuses.add(400);
        sink.post("a");
        sink.close();

        assertThat(sink.rejected()).isEqualTo(1);
        assertThat(sink.retried()).isZero();
        assertThat(server.bodies).hasSize(1);
    }

    @Test
    void shouldSendAfterSpreadDelay() throws Exception
    {
        final TextPostSink sink = sink("spreadPeriod", "PT0.05S");
        sink.post("a");
        sink.post("b");
        sink.close();

        assertThat(received(2)).containsExactly("a", "b");
        assertThat(sink.accepted()).isEqualTo(2);
    }

    @Test
    void shouldValidateSettings()
    {
        assertThatThrownBy(() -> new TextPostSink(MapSettings.of("name", "x"), context))
            .isInstanceOf(ConfigException.class).hasMessageContaining("sink.uri");
        assertThatThrownBy(() -> new TextPostSink(MapSettings.of("name", "x", "uri", "ftp://h/x"), context))
            .isInstanceOf(ConfigException.class).hasMessageContaining("http://");
        assertThatThrownBy(() -> sink("maximumConcurrency", 0))
            .isInstanceOf(ConfigException.class).hasMessageContaining("maximumConcurrency");
        assertThatThrownBy(() -> sink("acceptedStatusCodes", List.of("OK")))
            .isInstanceOf(ConfigException.class).hasMessageContaining("acceptedStatusCodes");
    }
}
