package mad.emit.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import mad.emit.EmitContext;
import mad.emit.MapSettings;
import mad.engine.config.Settings;
import mad.engine.output.PeriodicData;

/**
 * {@link HttpPostSink} on the Netty client: {@code maximumConcurrency} bounds the sockets, one socket carries
 * everything at concurrency 1, and the request timeout is a (retryable) transport error.
 */
class HttpPostSinkConnectionsIT
{
    private HttpFacility http = HttpFacility.defaults();
    private NettyTestServer server;

    @AfterEach
    void tearDown()
    {
        server.close();
        http.close();
    }

    /** Posts text bodies. */
    private static final class TextSink extends HttpPostSink
    {
        TextSink(final Settings settings, final EmitContext context)
        {
            super(settings, context, "text/plain");
        }

        void post(final String text)
        {
            final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            enqueue(bytes, 0, bytes.length);
        }

        @Override
        public void recordAggregateData(final PeriodicData data)
        {
        }
    }

    private TextSink sink(final Object... extra)
    {
        final Object[] keys = new Object[extra.length + 4];
        keys[0] = "name";
        keys[1] = "test";
        keys[2] = "uri";
        keys[3] = server.uri("http");
        System.arraycopy(extra, 0, keys, 4, extra.length);
        return new TextSink(MapSettings.of(keys), new EmitContext("test", () -> 0L, http));
    }

    private static void await(final LongSupplier value, final long expected) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (value.getAsLong() < expected && System.nanoTime() < deadline)
        {
            Thread.sleep(5);
        }
        assertThat(value.getAsLong()).isEqualTo(expected);
    }

    @Test
    void shouldPostEverythingInOrderOverOneSocketAtConcurrencyOne() throws Exception
    {
        server = new NettyTestServer();
        final TextSink sink = sink();
        for (int i = 0; i < 500; i++)
        {
            sink.post("b" + i);
        }
        await(sink::accepted, 500);
        sink.close();

        assertThat(server.connections).hasValue(1);
        for (int i = 0; i < 500; i++)
        {
            assertThat(server.bodies.poll()).isEqualTo("b" + i);
        }
    }

    @Test
    void shouldOpenAtMostMaximumConcurrencySockets() throws Exception
    {
        server = new NettyTestServer();
        final TextSink sink = sink("maximumConcurrency", 3);
        for (int i = 0; i < 300; i++)
        {
            sink.post("b" + i);
        }
        await(sink::accepted, 300);
        sink.close();

        assertThat(server.connections.get()).isBetween(1, 3);
        assertThat(server.requests).hasValue(300);
    }

    @Test
    void shouldCountATimeoutAsTransportErrorAndRetryIt() throws Exception
    {
        http = new HttpFacility(Duration.ofMillis(200), null);
        server = new NettyTestServer();
        server.respond = false;
        final TextSink sink = sink("maximumRetries", 1, "retryBackoff", "PT0.2S");
        sink.post("a");
        await(sink::transportErrors, 1);
        server.respond = true;
        await(sink::accepted, 1);
        sink.close();

        assertThat(sink.retried()).isEqualTo(1);
        assertThat(server.requests).hasValue(2);
        assertThat(server.connections).hasValue(2);
    }

    @Test
    void shouldCountServerErrorsAsRejectedAndKeepTheSocket() throws Exception
    {
        server = new NettyTestServer();
        server.status = 502;
        server.responseBody = "bad gateway";
        final TextSink sink = sink();
        for (int i = 0; i < 10; i++)
        {
            sink.post("b" + i);
        }
        await(sink::rejected, 10);
        sink.close();

        assertThat(sink.accepted()).isZero();
        assertThat(sink.transportErrors()).isZero();
        assertThat(server.connections).hasValue(1);
    }
}
