package mad.emit.http;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import mad.engine.metrics.CounterVisitor;
import mad.emit.EmitContext;
import mad.emit.RateLimitedLog;
import mad.emit.Sink;
import mad.engine.config.Settings;
import mad.engine.output.PeriodicData;

/**
 * MAD's {@code HttpPostSink} base (mad-spec 7.1): the concrete sink turns each bucket into request bodies and
 * {@link #enqueue}s them; this class keeps a bounded FIFO (the <em>oldest</em> body is evicted when full), keeps at
 * most {@code maximumConcurrency} POSTs in flight, each on its own keep-alive {@link HttpConnection} of the shared
 * {@link HttpFacility} loop (so N = the number of connections in flight, kept by {@link ConnectionSlots}), and counts
 * the outcome (status in {@code acceptedStatusCodes} = accepted, other status = rejected, no response = transport
 * error).
 *
 * <p>Keys: {@code uri} (required), {@code maximumConcurrency} (1), {@code maximumQueueSize} (25000),
 * {@code spreadPeriod} (PT0S: a random delay in [0, spreadPeriod) picked once, applied when data arrives on an idle
 * sink), {@code acceptedStatusCodes} ([200, 201, 202, 204]). Beyond MAD (off by default): {@code maximumRetries} (0)
 * retries transport errors and 5xx responses, each body at most that many times; {@code drainTimeout} (PT10S) bounds
 * how long {@link #close()} waits for the queue to drain (MAD drops queued bodies on close).
 *
 * <h2>Outages (with retries on)</h2>
 * A retryable failure puts the body back at the <em>head</em> of the queue and pauses the whole sink for
 * {@code retryBackoff} (PT0.5S), doubled per consecutive failure up to 30 s; the first accepted response resets it.
 * While paused nothing is sent, so a dead endpoint sees one probe per backoff interval rather than every new body,
 * and every body waiting (retried ones included) counts against {@code maximumQueueSize}: an outage keeps the newest
 * bodies up to the bound and evicts the oldest beyond it (counted in {@link #evicted()}, warned once per 30 s). A
 * body inside the bound is lost only when its own attempts exceed {@code maximumRetries}.
 *
 * <p>Thread ownership: {@link #recordAggregateData} runs on the emitter thread and only encodes and enqueues; sends
 * start on the emitter or the facility's threads, completions run on the {@code madx-http-client} loop (and the next
 * send is started from there). Queue and in-flight state are guarded by one lock (the {@link ConnectionSlots}'),
 * which is held only for a few field updates (never during I/O). Counters are readable from any thread.
 */
public abstract class HttpPostSink implements Sink
{
    private static final Logger LOGGER = LoggerFactory.getLogger(HttpPostSink.class);
    private static final List<String> DEFAULT_ACCEPTED = List.of("200", "201", "202", "204");
    private static final long MAXIMUM_BACKOFF_MS = 30_000L;
    private static final int LOGGED_BODY_CHARS = 512;

    private final String name;
    private final URI uri;
    private final int maximumQueueSize;
    private final long spreadDelayMs;
    private final int[] acceptedStatusCodes;
    private final int maximumRetries;
    private final long retryBackoffMs;
    private final long drainTimeoutMs;
    private final HttpFacility http;
    private final RateLimitedLog evictionLog;
    private final RateLimitedLog failureLog;

    /** At most {@code maximumConcurrency} connections, one per POST in flight; its lock also guards the queue. */
    private final ConnectionSlots<Post> connections;
    private final ReentrantLock lock;
    private final ArrayDeque<Post> queue = new ArrayDeque<>();
    /** A backoff timer is pending: nothing is sent until it fires. */
    private boolean backingOff;
    /** Retryable failures since the last accepted response; sizes the next backoff. */
    private int consecutiveFailures;
    private boolean spreadWaiting;
    private boolean closed;

    private final AtomicLong enqueued = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong transportErrors = new AtomicLong();
    private final AtomicLong evicted = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong droppedOnClose = new AtomicLong();
    /** Responses by status class (index = status / 100, 1..5), for MAD's {@code status/Nxx} self-metrics. */
    private final java.util.concurrent.atomic.AtomicLongArray statusClasses =
        new java.util.concurrent.atomic.AtomicLongArray(6);
    private final mad.emit.self.SelfMetrics.Registration selfMetrics;

    /**
     * Reads the HTTP post keys of {@code settings}.
     *
     * @param settings the sink object.
     * @param context the emit context (HTTP facility, clock).
     * @param contentType the {@code Content-Type} of every POST.
     */
    protected HttpPostSink(final Settings settings, final EmitContext context, final String contentType)
    {
        this.name = settings.string("name", getClass().getSimpleName());
        this.uri = parseUri(settings);
        final int maximumConcurrency = atLeastOne(settings, "maximumConcurrency", 1);
        this.maximumQueueSize = atLeastOne(settings, "maximumQueueSize", 25_000);
        final Duration spread = nonNegative(settings, "spreadPeriod", Duration.ZERO);
        this.spreadDelayMs = spread.isZero() ? 0 : ThreadLocalRandom.current().nextLong(Math.max(1, spread.toMillis()));
        this.acceptedStatusCodes = statusCodes(settings);
        this.maximumRetries = settings.integer("maximumRetries", 0);
        if (maximumRetries < 0)
        {
            throw settings.error("maximumRetries", "must be >= 0");
        }
        this.retryBackoffMs = nonNegative(settings, "retryBackoff", Duration.ofMillis(500)).toMillis();
        this.drainTimeoutMs = nonNegative(settings, "drainTimeout", Duration.ofSeconds(10)).toMillis();
        this.http = context.http();
        // The shared client loop is created here, on the wiring thread, rather than by the first POST (see
        // HttpClientLoop); connections are still opened only by the first POST.
        http.client();
        this.connections = new ConnectionSlots<>(http, HttpTarget.of(uri), contentType, maximumConcurrency,
            this::completed);
        this.lock = connections.lock();
        this.evictionLog = new RateLimitedLog(LOGGER, context.clock(), RateLimitedLog.DEFAULT_INTERVAL_MS);
        this.failureLog = new RateLimitedLog(LOGGER, context.clock(), RateLimitedLog.DEFAULT_INTERVAL_MS);
        this.selfMetrics = context.selfMetrics().addPeriodic(new SinkSelfMetrics());
    }

    /**
     * MAD's {@code sinks/http_post/<sink>/...} self-metrics (mad-spec §8.2), polled once a second from the counters:
     * {@code success} and {@code evicted_requests} (counters of the last second), {@code status/2xx..5xx} (responses
     * of the last second), {@code queue_size} and {@code inflight_count} (gauges). Polled on the facility's timer.
     */
    private final class SinkSelfMetrics implements mad.emit.self.SelfMetrics.PeriodicSource
    {
        private final String prefix = "sinks/http_post/" + name.replaceAll("[/. ]", "_") + "/";
        private final long[] lastStatus = new long[6];
        private long lastAccepted;
        private long lastEvicted;

        @Override
        public synchronized void collect(final mad.emit.self.UnitOfWork.Builder unit)
        {
            final long acceptedNow = accepted.get();
            final long evictedNow = evicted.get();
            unit.counter(prefix + "success", acceptedNow - lastAccepted);
            unit.counter(prefix + "evicted_requests", evictedNow - lastEvicted);
            lastAccepted = acceptedNow;
            lastEvicted = evictedNow;
            for (int statusClass = 2; statusClass <= 5; statusClass++)
            {
                final long count = statusClasses.get(statusClass);
                if (count > lastStatus[statusClass])
                {
                    unit.counter(prefix + "status/" + statusClass + "xx", count - lastStatus[statusClass]);
                }
                lastStatus[statusClass] = count;
            }
            unit.gauge(prefix + "queue_size", queueSize());
            unit.gauge(prefix + "inflight_count", inFlight());
        }
    }

    /**
     * Queues one request body; sends it at once when a concurrency slot is free.
     *
     * @param body the bytes (copied: the caller may reuse its array).
     * @param offset start in {@code body}.
     * @param length number of bytes.
     */
    protected final void enqueue(final byte[] body, final int offset, final int length)
    {
        final Post post = new Post(Arrays.copyOfRange(body, offset, offset + length));
        enqueued.incrementAndGet();
        boolean startSpread = false;
        lock.lock();
        try
        {
            if (closed)
            {
                droppedOnClose.incrementAndGet();
                return;
            }
            addLast(post);
            if (spreadDelayMs > 0 && connections.inFlight() == 0 && !backingOff && !spreadWaiting && queue.size() == 1)
            {
                spreadWaiting = true;
                startSpread = true;
            }
        }
        finally
        {
            lock.unlock();
        }
        if (startSpread)
        {
            http.scheduler().schedule(this::endSpread, spreadDelayMs, TimeUnit.MILLISECONDS);
            return;
        }
        pump();
    }

    /**
     * Waits up to {@code drainTimeout} for queued and in-flight POSTs to finish, then drops what is left.
     */
    @Override
    public void close()
    {
        selfMetrics.close();
        final long remainingDropped;
        lock.lock();
        try
        {
            connections.awaitDrained(queue, TimeUnit.MILLISECONDS.toNanos(drainTimeoutMs));
            closed = true;
            remainingDropped = queue.size();
            queue.clear();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            closed = true;
            queue.clear();
            connections.close();
            return;
        }
        finally
        {
            lock.unlock();
        }
        if (remainingDropped > 0)
        {
            droppedOnClose.addAndGet(remainingDropped);
            LOGGER.warn("sink '{}': dropped {} queued requests on close after {} ms", name, remainingDropped,
                drainTimeoutMs);
        }
        connections.close();
    }

    public String name()
    {
        return name;
    }

    public URI uri()
    {
        return uri;
    }

    /**
     * @return bodies handed to {@link #enqueue}.
     */
    public long enqueued()
    {
        return enqueued.get();
    }

    /**
     * @return POSTs started (retries included).
     */
    public long sent()
    {
        return sent.get();
    }

    /**
     * @return responses with an accepted status.
     */
    public long accepted()
    {
        return accepted.get();
    }

    /**
     * @return responses with another status.
     */
    public long rejected()
    {
        return rejected.get();
    }

    /**
     * @return POSTs that got no response (connect failure, timeout, reset).
     */
    public long transportErrors()
    {
        return transportErrors.get();
    }

    /**
     * @return oldest bodies evicted because the queue was full.
     */
    public long evicted()
    {
        return evicted.get();
    }

    /**
     * @return failed bodies put back at the head of the queue for another attempt (only with
     *         {@code maximumRetries > 0}).
     */
    public long retried()
    {
        return retried.get();
    }

    /**
     * @return bodies dropped because the sink was closed (or did not drain in time).
     */
    public long droppedOnClose()
    {
        return droppedOnClose.get();
    }

    /**
     * @return bodies waiting to be sent.
     */
    public int queueSize()
    {
        lock.lock();
        try
        {
            return queue.size();
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * @return POSTs awaiting a response.
     */
    public int inFlight()
    {
        lock.lock();
        try
        {
            return connections.inFlight();
        }
        finally
        {
            lock.unlock();
        }
    }

    @Override
    public String toString()
    {
        return getClass().getSimpleName() + "{" + name + " -> " + uri + "}";
    }

    /** Called with the lock held. */
    private void addLast(final Post post)
    {
        if (queue.size() >= maximumQueueSize)
        {
            evictOldest();
        }
        queue.addLast(post);
    }

    /** Called with the lock held. */
    private void evictOldest()
    {
        queue.pollFirst();
        final long count = evicted.incrementAndGet();
        evictionLog.warn("sink '" + name + "': queue full (maximumQueueSize=" + maximumQueueSize
            + "), evicted the oldest request; " + count + " evicted so far");
    }

    private void endSpread()
    {
        lock.lock();
        try
        {
            spreadWaiting = false;
        }
        finally
        {
            lock.unlock();
        }
        pump();
    }

    /** Starts POSTs while slots are free; the lock is released before each send. */
    private void pump()
    {
        while (true)
        {
            final Post post;
            ConnectionSlots.Slot<Post> slot;
            lock.lock();
            try
            {
                if (closed || spreadWaiting || backingOff || connections.full() || queue.isEmpty())
                {
                    return;
                }
                post = queue.pollFirst();
                slot = connections.claim();
            }
            finally
            {
                lock.unlock();
            }
            if (slot == null)
            {
                // At most maximumConcurrency slots ever exist: one per request in flight.
                slot = connections.open();
            }
            sent.incrementAndGet();
            if (!connections.send(slot, post, post.body, post.body.length))
            {
                // The client loop is gone (shutdown): fail here without recursing into pump().
                complete(slot, post, 0, null, 0, new IOException("HTTP client is closed"), false);
            }
        }
    }

    /** A connection's outcome, on the {@code madx-http-client} loop: it starts the next POST. */
    private void completed(final ConnectionSlots.Slot<Post> slot, final Post post, final int status,
        final byte[] responseBody, final int responseLength, final Throwable error)
    {
        complete(slot, post, status, responseBody, responseLength, error, true);
    }

    private void complete(final ConnectionSlots.Slot<Post> slot, final Post post, final int status,
        final byte[] responseBody, final int responseLength, final Throwable error, final boolean sendNext)
    {
        boolean retry = false;
        if (error == null && status >= 100 && status < 600)
        {
            statusClasses.incrementAndGet(status / 100);
        }
        if (error != null)
        {
            transportErrors.incrementAndGet();
            retry = post.attempts < maximumRetries;
            failureLog.warn("sink '" + name + "': POST to " + uri + " failed: " + error
                + (retry ? " (will retry)" : " (dropped)"));
        }
        else if (isAccepted(status))
        {
            accepted.incrementAndGet();
        }
        else
        {
            rejected.incrementAndGet();
            retry = status >= 500 && post.attempts < maximumRetries;
            final boolean truncated = responseLength >= HttpConnection.BODY_PREFIX_BYTES;
            failureLog.warn("sink '" + name + "': post rejected by " + uri + ": status " + status
                + ", request " + post.body.length + " bytes, response '"
                + new String(responseBody, 0, responseLength, StandardCharsets.UTF_8) + (truncated ? "..." : "")
                + "'" + (retry ? " (will retry)" : ""));
        }
        long backoffMs = -1;
        lock.lock();
        try
        {
            // Wakes close(): it re-checks queue and in-flight count once this lock is released.
            connections.release(slot);
            if (error == null && !retry && isAccepted(status))
            {
                consecutiveFailures = 0;
            }
            if (retry && closed)
            {
                droppedOnClose.incrementAndGet();
            }
            else if (retry)
            {
                post.attempts++;
                retried.incrementAndGet();
                // The retried body is the oldest one: it goes first and, if the queue is full, is the one evicted.
                queue.addFirst(post);
                if (queue.size() > maximumQueueSize)
                {
                    evictOldest();
                }
                consecutiveFailures++;
                if (!backingOff)
                {
                    backingOff = true;
                    backoffMs = Math.min(MAXIMUM_BACKOFF_MS, retryBackoffMs << Math.min(consecutiveFailures - 1, 16));
                }
            }
        }
        finally
        {
            lock.unlock();
        }
        if (backoffMs >= 0)
        {
            try
            {
                http.scheduler().schedule(this::endBackoff, backoffMs, TimeUnit.MILLISECONDS);
            }
            catch (final RuntimeException e)
            {
                // The scheduler is gone (shutdown): do not stall the queue.
                if (sendNext)
                {
                    endBackoff();
                }
                else
                {
                    clearBackoff();
                }
                return;
            }
        }
        if (sendNext)
        {
            pump();
        }
    }

    private void clearBackoff()
    {
        lock.lock();
        try
        {
            backingOff = false;
            connections.signalAll();
        }
        finally
        {
            lock.unlock();
        }
    }

    private void endBackoff()
    {
        clearBackoff();
        pump();
    }

    private boolean isAccepted(final int status)
    {
        for (final int code : acceptedStatusCodes)
        {
            if (code == status)
            {
                return true;
            }
        }
        return false;
    }

    private static URI parseUri(final Settings settings)
    {
        if (!settings.has("uri"))
        {
            throw settings.error("uri", "HTTP sinks require a 'uri'");
        }
        return HttpTarget.parseUri(settings, settings.string("uri"));
    }

    private static int atLeastOne(final Settings settings, final String key, final int defaultValue)
    {
        final int value = settings.integer(key, defaultValue);
        if (value < 1)
        {
            throw settings.error(key, "must be >= 1, got " + value);
        }
        return value;
    }

    private static Duration nonNegative(final Settings settings, final String key, final Duration defaultValue)
    {
        final Duration value = settings.duration(key, defaultValue);
        if (value.isNegative())
        {
            throw settings.error(key, "must not be negative, got " + value);
        }
        return value;
    }

    private static int[] statusCodes(final Settings settings)
    {
        final List<String> texts = settings.stringList("acceptedStatusCodes", DEFAULT_ACCEPTED);
        final int[] codes = new int[texts.size()];
        for (int i = 0; i < codes.length; i++)
        {
            try
            {
                codes[i] = Integer.parseInt(texts.get(i).trim());
            }
            catch (final NumberFormatException e)
            {
                throw settings.error("acceptedStatusCodes", "'" + texts.get(i) + "' is not an HTTP status code");
            }
        }
        return codes;
    }

    /**
     * One request body and its attempt count (updated under the queue lock when the body is put back).
     */
    private static final class Post
    {
        private final byte[] body;
        private int attempts;

        private Post(final byte[] body)
        {
            this.body = body;
        }
    }

    @Override
    public void visitCounters(final CounterVisitor visitor)
    {
        visitor.counter("sink_requests_enqueued", enqueued(), "sink", name());
        visitor.counter("sink_requests_sent", sent(), "sink", name());
        visitor.counter("sink_requests_accepted", accepted(), "sink", name());
        visitor.counter("sink_requests_rejected", rejected(), "sink", name());
        visitor.counter("sink_transport_errors", transportErrors(), "sink", name());
        visitor.counter("sink_requests_evicted", evicted(), "sink", name());
        visitor.counter("sink_requests_retried", retried(), "sink", name());
        visitor.counter("sink_requests_dropped_on_close", droppedOnClose(), "sink", name());
    }
}
