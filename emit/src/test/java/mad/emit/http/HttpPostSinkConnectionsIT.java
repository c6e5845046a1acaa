package mad.emit.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import mad.emit.EmitContext;

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

    private TextPostSink sink(final Object... extra)
    {
        return TextPostSink.create(new EmitContext("test", () -> 0L, http), server.uri("http"), extra);
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
        final TextPostSink sink = sink();
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
        final TextPostSink sink = sink("maximumConcurrency", 3);
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
        final TextPostSink sink = sink("maximumRetries", 1, "retryBackoff", "PT0.2S");
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
        final TextPostSink sink = sink();
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
