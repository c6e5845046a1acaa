package mad.emit.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ConnectionSlots} against a loopback server: each outcome comes back on {@code madx-http-client} with its
 * own request's attachment, and released slots carry later requests on the sockets already open.
 */
class ConnectionSlotsIT
{
    private final HttpFacility http = HttpFacility.defaults();
    private final BlockingQueue<ConnectionSlots.Slot<String>> done = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> outcomes = new LinkedBlockingQueue<>();
    private NettyTestServer server;

    @AfterEach
    void tearDown()
    {
        server.close();
        http.close();
    }

    @Test
    void shouldHandEachOutcomeBackWithItsAttachmentAndReuseTheSockets() throws Exception
    {
        server = new NettyTestServer();
        final ConnectionSlots<String> slots = new ConnectionSlots<>(http, HttpTarget.of(URI.create(server.uri("http"))),
            "text/plain", 2, (slot, attachment, status, body, bodyLength, error) ->
            {
                outcomes.add(attachment + " " + status + " " + Thread.currentThread().getName());
                done.add(slot);
            });
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < 2; i++)
            {
                final ConnectionSlots.Slot<String> claimed = claim(slots);
                final ConnectionSlots.Slot<String> slot = claimed == null ? slots.open() : claimed;
                final byte[] body = ("r" + round + "-" + i).getBytes(StandardCharsets.UTF_8);
                assertThat(slots.send(slot, "a" + round + "-" + i, body, body.length)).isTrue();
            }
            final String loop = " 200 " + HttpClientLoop.THREAD_NAME;
            assertThat(List.of(next(), next())).containsExactlyInAnyOrder("a" + round + "-0" + loop,
                "a" + round + "-1" + loop);
            release(slots, done.poll(10, TimeUnit.SECONDS));
            release(slots, done.poll(10, TimeUnit.SECONDS));
        }

        assertThat(slots.opened()).isEqualTo(2);
        assertThat(server.requests).hasValue(6);
        assertThat(server.connections).hasValue(2);
        slots.close();
    }

    private static ConnectionSlots.Slot<String> claim(final ConnectionSlots<String> slots)
    {
        slots.lock().lock();
        try
        {
            assertThat(slots.full()).isFalse();
            return slots.claim();
        }
        finally
        {
            slots.lock().unlock();
        }
    }

    private static void release(final ConnectionSlots<String> slots, final ConnectionSlots.Slot<String> slot)
    {
        assertThat(slot).isNotNull();
        slots.lock().lock();
        try
        {
            slots.release(slot);
        }
        finally
        {
            slots.lock().unlock();
        }
    }

    private String next() throws InterruptedException
    {
        final String outcome = outcomes.poll(10, TimeUnit.SECONDS);
        assertThat(outcome).as("an outcome within 10 s").isNotNull();
        return outcome;
    }
}
