package mad.emit.http;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The keep-alive connections of one HTTP sender ({@link HttpPostSink}, {@code mad.emit.self.MonitoringHttpSink}) and
 * the requests in flight on them: at most {@code maximum} requests at a time, each on its own {@link HttpConnection}
 * of the shared {@link HttpFacility} loop. A connection is opened only when a request finds none idle, so at most
 * {@code maximum} ever exist; idle ones are reused most recently used first, so one warm socket does the work when a
 * single request is in flight at a time. Each {@link Slot} is the {@link HttpConnection.Listener} of its connection and
 * carries the sender's attachment for the request (its body, its batch), so a request allocates no callback; the
 * outcome goes to the sender's {@link Completion} with the attachment.
 *
 * <p>Lock: the sender guards its own queue with this class's {@link #lock()}, so that "take the next request and
 * count it in flight" ({@link #claim()}) and "nothing queued and nothing in flight" ({@link #awaitDrained}) are each
 * atomic with the queue. Methods say whether they must be called with the lock held; it is held only for field
 * updates, never for I/O or while opening a connection.
 *
 * <p>Thread ownership: shared by the sender's threads (the emitter or recording thread, the facility's timer) and the
 * {@code madx-http-client} loop, on which completions run; {@link #close()} on the sender's closing thread.
 *
 * @param <A> what the sender attaches to each request.
 */
public final class ConnectionSlots<A>
{
    /**
     * Receives the outcome of a request sent with {@link #send}; called on the {@code madx-http-client} loop, lock
     * not held. The receiver must {@link #release} the slot.
     *
     * @param <A> the attachment type.
     */
    @FunctionalInterface
    public interface Completion<A>
    {
        /**
         * @param slot the slot (still counted in flight).
         * @param attachment what {@link #send} attached (the slot no longer holds it).
         * @param status the response status, 0 when {@code error} is set.
         * @param body the first bytes of the response body (valid only during the call), {@code null} on error.
         * @param bodyLength how many bytes of {@code body} are valid.
         * @param error why no response arrived, or {@code null}.
         */
        void complete(Slot<A> slot, A attachment, int status, byte[] body, int bodyLength, Throwable error);
    }

    private final HttpFacility http;
    private final HttpTarget target;
    private final String contentType;
    private final int maximum;
    private final Completion<A> completion;

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled whenever a request completes (and by {@link #signalAll()}): wakes {@link #awaitDrained}. */
    private final Condition changed = lock.newCondition();
    /** Connections not carrying a request; the most recently used first. */
    private final ArrayDeque<Slot<A>> idle = new ArrayDeque<>();
    private final List<Slot<A>> all = new ArrayList<>();
    private int inFlight;

    /**
     * @param http the shared facility the connections are opened on.
     * @param target where every request goes.
     * @param contentType the {@code Content-Type} of every request.
     * @param maximum the most requests in flight (and connections), at least 1.
     * @param completion where outcomes go.
     */
    public ConnectionSlots(final HttpFacility http, final HttpTarget target, final String contentType,
        final int maximum, final Completion<A> completion)
    {
        if (maximum < 1)
        {
            throw new IllegalArgumentException("maximum must be >= 1, got " + maximum);
        }
        this.http = http;
        this.target = target;
        this.contentType = contentType;
        this.maximum = maximum;
        this.completion = completion;
    }

    /**
     * @return the lock that guards these slots and the sender's queue.
     */
    public ReentrantLock lock()
    {
        return lock;
    }

    /**
     * Lock held.
     *
     * @return whether {@code maximum} requests are in flight (nothing more may be {@link #claim}ed).
     */
    public boolean full()
    {
        return inFlight >= maximum;
    }

    /**
     * Lock held.
     *
     * @return requests claimed and not yet released.
     */
    public int inFlight()
    {
        return inFlight;
    }

    /**
     * Lock held, and not {@link #full()}: counts one more request in flight.
     *
     * @return the most recently used idle slot, or {@code null}: then call {@link #open()} once the lock is released.
     */
    public Slot<A> claim()
    {
        inFlight++;
        return idle.pollFirst();
    }

    /**
     * Lock not held: a new slot on a new connection (it connects on its first request), for a {@link #claim()} that
     * found none idle; since each claim counts against {@code maximum}, no more than that many are ever opened.
     *
     * @return the slot.
     */
    public Slot<A> open()
    {
        final Slot<A> slot = new Slot<>(http.connection(target, contentType), completion);
        lock.lock();
        try
        {
            all.add(slot);
        }
        finally
        {
            lock.unlock();
        }
        return slot;
    }

    /**
     * Lock not held: sends one request on a claimed slot.
     *
     * @param slot the claimed slot.
     * @param attachment handed back to the {@link Completion}.
     * @param bytes the body (not copied: it must not change until the completion).
     * @param length how many bytes of {@code bytes}.
     * @return {@code false} when the client loop has stopped: nothing was sent, no completion will come, the slot
     *         holds no attachment and is still in flight (the caller completes it itself).
     */
    public boolean send(final Slot<A> slot, final A attachment, final byte[] bytes, final int length)
    {
        slot.attachment = attachment;
        if (slot.connection.send(bytes, length, slot))
        {
            return true;
        }
        slot.attachment = null;
        return false;
    }

    /**
     * Lock held: the request of {@code slot} is over; the slot is idle again (first in line) and waiters wake.
     *
     * @param slot a slot in flight.
     */
    public void release(final Slot<A> slot)
    {
        inFlight--;
        idle.addFirst(slot);
        changed.signalAll();
    }

    /**
     * Lock held: wakes {@link #awaitDrained} waiters after the sender changed what it waits for.
     */
    public void signalAll()
    {
        changed.signalAll();
    }

    /**
     * Lock held: waits until {@code queue} is empty and nothing is in flight, or {@code timeoutNanos} have passed.
     * The lock is released while waiting, so sends and completions go on.
     *
     * @param queue the sender's queue (guarded by {@link #lock()}).
     * @param timeoutNanos the longest wait.
     * @return whether everything drained.
     * @throws InterruptedException if the waiting thread is interrupted.
     */
    public boolean awaitDrained(final Collection<?> queue, final long timeoutNanos) throws InterruptedException
    {
        long remaining = timeoutNanos;
        while ((!queue.isEmpty() || inFlight > 0) && remaining > 0)
        {
            remaining = changed.awaitNanos(remaining);
        }
        return queue.isEmpty() && inFlight == 0;
    }

    /**
     * Closes every connection opened so far; a request still outstanding fails through its {@link Completion}.
     * Lock held or not (it is reentrant).
     */
    public void close()
    {
        final List<Slot<A>> slots;
        lock.lock();
        try
        {
            slots = new ArrayList<>(all);
        }
        finally
        {
            lock.unlock();
        }
        for (final Slot<A> slot : slots)
        {
            slot.connection.close();
        }
    }

    /**
     * Lock not held (or held).
     *
     * @return connections opened so far.
     */
    public int opened()
    {
        lock.lock();
        try
        {
            return all.size();
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * One connection and the attachment of the request it carries (set by {@link #send}, cleared when the outcome
     * is handed on); the listener of its connection. Owned by whoever claimed it until it is released.
     *
     * @param <A> the attachment type.
     */
    public static final class Slot<A> implements HttpConnection.Listener
    {
        private final HttpConnection connection;
        private final Completion<A> completion;
        private A attachment;

        private Slot(final HttpConnection connection, final Completion<A> completion)
        {
            this.connection = connection;
            this.completion = completion;
        }

        /**
         * @return the slot's connection.
         */
        public HttpConnection connection()
        {
            return connection;
        }

        @Override
        public void onResponse(final int status, final byte[] body, final int bodyLength)
        {
            final A done = attachment;
            attachment = null;
            completion.complete(this, done, status, body, bodyLength, null);
        }

        @Override
        public void onFailure(final Throwable error)
        {
            final A done = attachment;
            attachment = null;
            completion.complete(this, done, 0, null, 0, error);
        }
    }
}
