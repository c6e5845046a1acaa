package mad.emit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ConnectionSlots} without sockets: the in-flight bound, most-recently-used reuse, the drain wait and a send
 * on a stopped client (no connection is ever made here: connections connect only on their first request).
 */
class ConnectionSlotsTest
{
    private final HttpFacility http = HttpFacility.defaults();
    private final List<String> outcomes = new ArrayList<>();
    private final ConnectionSlots<String> slots = new ConnectionSlots<>(http,
        HttpTarget.of(URI.create("http://127.0.0.1:9/p")), "text/plain", 2,
        (slot, attachment, status, body, bodyLength, error) -> outcomes.add(attachment + " " + status + " " + error));

    @AfterEach
    void tearDown()
    {
        http.close();
    }

    @Test
    void shouldCountClaimsUpToTheMaximumAndReuseTheMostRecentlyReleasedSlotFirst()
    {
        final ReentrantLock lock = slots.lock();
        lock.lock();
        final ConnectionSlots.Slot<String> first = slots.claim();
        lock.unlock();
        assertThat(first).as("no idle slot yet").isNull();
        final ConnectionSlots.Slot<String> a = slots.open();
        lock.lock();
        final ConnectionSlots.Slot<String> second = slots.claim();
        lock.unlock();
        assertThat(second).isNull();
        final ConnectionSlots.Slot<String> b = slots.open();

        lock.lock();
        try
        {
            assertThat(slots.full()).isTrue();
            assertThat(slots.inFlight()).isEqualTo(2);
            slots.release(a);
            assertThat(slots.full()).isFalse();
            slots.release(b);
            assertThat(slots.inFlight()).isZero();
            assertThat(slots.claim()).as("most recently released first").isSameAs(b);
            assertThat(slots.claim()).isSameAs(a);
            assertThat(slots.full()).isTrue();
        }
        finally
        {
            lock.unlock();
        }
        assertThat(slots.opened()).isEqualTo(2);
        assertThat(a.connection()).isNotSameAs(b.connection());
        assertThat(a.connection().target().requestTarget()).isEqualTo("/p");
    }

    @Test
    void shouldReportWhetherTheQueueAndTheRequestsInFlightDrained() throws Exception
    {
        final ArrayDeque<String> queue = new ArrayDeque<>();
        final ReentrantLock lock = slots.lock();
        lock.lock();
        try
        {
            assertThat(slots.awaitDrained(queue, 0)).isTrue();
            queue.add("queued");
            assertThat(slots.awaitDrained(queue, 0)).as("something queued").isFalse();
            queue.clear();
            assertThat(slots.claim()).isNull();
            assertThat(slots.awaitDrained(queue, 0)).as("one in flight").isFalse();
        }
        finally
        {
            lock.unlock();
        }
        final ConnectionSlots.Slot<String> slot = slots.open();
        queue.add("queued");
        // Another thread sends the last request and completes it; the waiter wakes on the release.
        final Thread completer = new Thread(() ->
        {
            lock.lock();
            try
            {
                queue.clear();
                slots.release(slot);
            }
            finally
            {
                lock.unlock();
            }
        });
        lock.lock();
        try
        {
            completer.start();
            assertThat(slots.awaitDrained(queue, TimeUnit.SECONDS.toNanos(10))).isTrue();
        }
        finally
        {
            lock.unlock();
        }
        completer.join();
        assertThat(queue).isEmpty();
    }

    @Test
    void shouldRefuseASendOnAStoppedClientAndKeepNoAttachment() throws Exception
    {
        final ReentrantLock lock = slots.lock();
        lock.lock();
        assertThat(slots.claim()).isNull();
        lock.unlock();
        final ConnectionSlots.Slot<String> slot = slots.open();
        http.close();

        assertThat(slots.send(slot, "body-1", new byte[] {'x'}, 1)).isFalse();
        // Had the attachment stayed on the slot, a stray outcome would hand it on a second time.
        slot.onFailure(new IOException("stray"));
        assertThat(outcomes).containsExactly("null 0 java.io.IOException: stray");
        lock.lock();
        try
        {
            assertThat(slots.inFlight()).as("the caller completes a refused send itself").isEqualTo(1);
        }
        finally
        {
            lock.unlock();
        }
        slots.close(); // closing connections of a stopped loop is harmless
    }

    @Test
    void shouldRejectAMaximumBelowOne()
    {
        assertThatThrownBy(() -> new ConnectionSlots<String>(http, HttpTarget.of(URI.create("http://h/")), "x", 0,
            (slot, attachment, status, body, bodyLength, error) ->
            {
            })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maximum");
    }
}
