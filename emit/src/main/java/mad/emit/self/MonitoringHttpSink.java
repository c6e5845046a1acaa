package mad.emit.self;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import mad.emit.RateLimitedLog;
import mad.emit.http.ConnectionSlots;
import mad.emit.http.HttpFacility;
import mad.emit.http.HttpTarget;
import mad.engine.config.Settings;

/**
 * One {@code monitoringSinks} entry: madx's equivalent of the metrics client's
 * {@code com.arpnetworking.metrics.impl.ApacheHttpSink} (mad-spec §8.1). Units of work wait in a bounded FIFO
 * ({@code bufferSize}, 10000; when full the <em>oldest</em> is dropped and counted); every {@code emptyQueueInterval}
 * (PT0.5S) and after each completed POST, batches of at most {@code maxBatchSize} (500) units are encoded as one
 * ClientV3 {@code Request} and posted to {@code uri} ({@code http://localhost:7090/metrics/v3/application}) with at
 * most {@code parallelism} (2) POSTs in flight. A failed POST is logged (rate-limited) and its batch dropped, as the
 * client does; nothing is ever thrown to the recording thread.
 *
 * <p>Thread ownership: {@link #offer} from any thread (a few field updates under one lock, never I/O); sending runs
 * on the {@link HttpFacility} timer and on the {@code madx-http-client} loop (completions, each on one of at most
 * {@code parallelism} keep-alive connections, kept by {@link ConnectionSlots}, whose lock also guards the queue);
 * {@link #close} on the owner's thread.
 */
public final class MonitoringHttpSink implements AutoCloseable
{
    /** The client sink class name this sink stands in for. */
    public static final String CLIENT_CLASS = "com.arpnetworking.metrics.impl.ApacheHttpSink";
    /** The client's default target: MAD itself. */
    public static final String DEFAULT_URI = "http://localhost:7090/metrics/v3/application";

    private static final Logger LOGGER = LoggerFactory.getLogger(MonitoringHttpSink.class);

    private final URI uri;
    private final int bufferSize;
    private final int parallelism;
    private final int maxBatchSize;
    private final long emptyQueueIntervalMs;
    private final Map<String, String> baseDimensions;
    private final HttpFacility http;
    private final RateLimitedLog dropLog;
    private final RateLimitedLog failureLog;

    /** At most {@code parallelism} connections, one per batch in flight, each carrying its batch. */
    private final ConnectionSlots<List<UnitOfWork>> connections;
    private final ReentrantLock lock;
    private final ArrayDeque<UnitOfWork> queue = new ArrayDeque<>();
    private boolean closed;
    private ScheduledFuture<?> timer;

    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong posted = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    private MonitoringHttpSink(final URI uri, final int bufferSize, final int parallelism, final int maxBatchSize,
        final long emptyQueueIntervalMs, final Map<String, String> baseDimensions, final HttpFacility http,
        final LongSupplier clock)
    {
        this.uri = uri;
        this.bufferSize = bufferSize;
        this.parallelism = parallelism;
        this.maxBatchSize = maxBatchSize;
        this.emptyQueueIntervalMs = emptyQueueIntervalMs;
        this.baseDimensions = Map.copyOf(baseDimensions);
        this.http = http;
        // Created on the wiring thread (see HttpClientLoop); the connections open with the first batch.
        http.client();
        this.connections = new ConnectionSlots<>(http, HttpTarget.of(uri), "application/octet-stream", parallelism,
            this::completed);
        this.lock = connections.lock();
        this.dropLog = new RateLimitedLog(LOGGER, clock, RateLimitedLog.DEFAULT_INTERVAL_MS);
        this.failureLog = new RateLimitedLog(LOGGER, clock, RateLimitedLog.DEFAULT_INTERVAL_MS);
    }

    /**
     * Reads one {@code monitoringSinks} object: {@code class} must be the client's {@code ApacheHttpSink} (the only
     * sink MAD has on its class path); unknown keys (e.g. the misspelled logging intervals) are ignored as in MAD.
     *
     * @param settings the entry.
     * @param baseDimensions cluster, service and host.
     * @param http the shared HTTP facility.
     * @param clock epoch-ms clock (for log rate limits).
     * @return the sink (not started).
     */
    public static MonitoringHttpSink create(final Settings settings, final Map<String, String> baseDimensions,
        final HttpFacility http, final LongSupplier clock)
    {
        final String className = settings.string("class", CLIENT_CLASS);
        if (!CLIENT_CLASS.equals(className))
        {
            throw settings.error("class", "monitoring sink class '" + className + "' is not supported; only "
                + CLIENT_CLASS + " is available");
        }
        final URI uri = HttpTarget.parseUri(settings, settings.string("uri", DEFAULT_URI));
        final Duration interval = settings.duration("emptyQueueInterval", Duration.ofMillis(500));
        if (interval.isNegative() || interval.isZero())
        {
            throw settings.error("emptyQueueInterval", "must be positive, got " + interval);
        }
        return new MonitoringHttpSink(uri, atLeastOne(settings, "bufferSize", 10_000),
            atLeastOne(settings, "parallelism", 2), atLeastOne(settings, "maxBatchSize", 500), interval.toMillis(),
            baseDimensions, http, clock);
    }

    /**
     * Starts the periodic sender on the facility's timer.
     */
    public void start()
    {
        lock.lock();
        try
        {
            if (timer == null && !closed)
            {
                timer = http.scheduler().scheduleWithFixedDelay(this::pumpQuietly, emptyQueueIntervalMs,
                    emptyQueueIntervalMs, TimeUnit.MILLISECONDS);
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Queues a unit; drops the oldest when the buffer is full.
     *
     * @param unit the unit of work.
     */
    public void offer(final UnitOfWork unit)
    {
        long drops = 0;
        lock.lock();
        try
        {
            if (closed)
            {
                drops = dropped.incrementAndGet();
            }
            else
            {
                if (queue.size() >= bufferSize)
                {
                    queue.pollFirst();
                    drops = dropped.incrementAndGet();
                }
                queue.addLast(unit);
            }
        }
        finally
        {
            lock.unlock();
        }
        if (drops > 0)
        {
            dropLog.warn("self-metrics sink " + uri + ": buffer full or closed (bufferSize=" + bufferSize
                + "), dropped a unit of work; " + drops + " dropped so far");
        }
    }

    /**
     * Sends what is queued, waits up to {@code timeout} for the last POSTs, then stops.
     *
     * @param timeout the drain bound.
     */
    public void close(final Duration timeout)
    {
        final ScheduledFuture<?> task;
        lock.lock();
        try
        {
            task = timer;
            timer = null;
        }
        finally
        {
            lock.unlock();
        }
        if (task != null)
        {
            task.cancel(false);
        }
        pumpQuietly();
        lock.lock();
        try
        {
            connections.awaitDrained(queue, timeout.toNanos());
            closed = true;
            if (!queue.isEmpty())
            {
                dropped.addAndGet(queue.size());
                LOGGER.warn("self-metrics sink {}: dropped {} units of work on close", uri, queue.size());
                queue.clear();
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            closed = true;
        }
        finally
        {
            lock.unlock();
        }
        connections.close();
    }

    @Override
    public void close()
    {
        close(Duration.ofSeconds(5));
    }

    public URI uri()
    {
        return uri;
    }

    public int bufferSize()
    {
        return bufferSize;
    }

    public int parallelism()
    {
        return parallelism;
    }

    public int maxBatchSize()
    {
        return maxBatchSize;
    }

    public long emptyQueueIntervalMs()
    {
        return emptyQueueIntervalMs;
    }

    /**
     * @return units dropped (buffer full, closed, or left on close).
     */
    public long dropped()
    {
        return dropped.get();
    }

    /**
     * @return POSTs started.
     */
    public long posted()
    {
        return posted.get();
    }

    /**
     * @return POSTs answered 2xx.
     */
    public long accepted()
    {
        return accepted.get();
    }

    /**
     * @return POSTs without a 2xx answer (transport errors included).
     */
    public long failed()
    {
        return failed.get();
    }

    @Override
    public String toString()
    {
        return "MonitoringHttpSink{" + uri + "}";
    }

    private void pumpQuietly()
    {
        try
        {
            pump();
        }
        catch (final RuntimeException e)
        {
            failureLog.warn("self-metrics sink " + uri + ": send failed: " + e);
        }
    }

    /** Starts POSTs while slots are free; the lock is released before encoding and sending. */
    private void pump()
    {
        while (true)
        {
            final List<UnitOfWork> batch;
            ConnectionSlots.Slot<List<UnitOfWork>> slot;
            lock.lock();
            try
            {
                if (closed || connections.full() || queue.isEmpty())
                {
                    return;
                }
                batch = new ArrayList<>(Math.min(maxBatchSize, queue.size()));
                while (batch.size() < maxBatchSize && !queue.isEmpty())
                {
                    batch.add(queue.pollFirst());
                }
                slot = connections.claim();
            }
            finally
            {
                lock.unlock();
            }
            if (slot == null)
            {
                slot = connections.open();
            }
            posted.incrementAndGet();
            final byte[] body;
            try
            {
                body = ClientV3Encoder.encode(batch, baseDimensions);
            }
            catch (final RuntimeException e)
            {
                complete(slot, batch, 0, e, false);
                continue;
            }
            if (!connections.send(slot, batch, body, body.length))
            {
                complete(slot, batch, 0, new IOException("HTTP client is closed"), false);
            }
        }
    }

    /** A connection's outcome, on the {@code madx-http-client} loop: it starts the next batch. */
    private void completed(final ConnectionSlots.Slot<List<UnitOfWork>> slot, final List<UnitOfWork> batch,
        final int status, final byte[] responseBody, final int responseLength, final Throwable error)
    {
        complete(slot, batch, status, error, true);
    }

    private void complete(final ConnectionSlots.Slot<List<UnitOfWork>> slot, final List<UnitOfWork> batch,
        final int status, final Throwable error, final boolean sendNext)
    {
        if (error != null)
        {
            failed.incrementAndGet();
            failureLog.warn("self-metrics sink: unable to send " + batch.size() + " units of work to " + uri + ": "
                + error);
        }
        else if (status / 100 != 2)
        {
            failed.incrementAndGet();
            failureLog.warn("self-metrics sink: non-2xx response when sending metrics to " + uri + ": status "
                + status);
        }
        else
        {
            accepted.incrementAndGet();
        }
        lock.lock();
        try
        {
            connections.release(slot);
        }
        finally
        {
            lock.unlock();
        }
        if (sendNext)
        {
            pumpQuietly();
        }
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
}
