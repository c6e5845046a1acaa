package mad.ingest.http;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import mad.engine.sample.SamplePublisher;
import mad.engine.sample.SampleWriter;
import mad.ingest.IngestThreads;
import mad.ingest.RateLimitedLog;
import mad.ingest.WriterFactory;

/**
 * One registered POST route: the source it belongs to, how to make its per-thread decoder and writer, its counters
 * and its rate-limited rejection logs.
 *
 * <p>Per-thread state ({@link Worker}: decoder, writer, body view) lives in an array indexed by
 * {@link IngestThreads.IngestThread#slot()}, created on a thread's first request and dropped with the route, so a
 * pipeline reload leaves nothing behind in the event-loop threads. Requests handled on any other thread (tests with
 * an embedded channel) share one worker under a lock.
 *
 * <p>Thread safety: immutable apart from the worker array, which is copy-on-write under this route's lock.
 */
public final class HttpRoute
{
    private static final Logger LOGGER = LoggerFactory.getLogger(HttpRoute.class);

    private final String path;
    private final String sourceName;
    private final Supplier<? extends HttpBodyDecoder> decoderSupplier;
    private final WriterFactory writerFactory;
    private final HttpRouteCounters counters = new HttpRouteCounters();
    private final RateLimitedLog badRequestLog;
    private final RateLimitedLog tooLargeLog;
    private final RateLimitedLog unavailableLog;
    private final RateLimitedLog exceptionLog;
    private final Object lock = new Object();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile Worker[] workers = new Worker[0];
    private Worker foreignWorker;

    HttpRoute(
        final String path,
        final String sourceName,
        final Supplier<? extends HttpBodyDecoder> decoderSupplier,
        final WriterFactory writerFactory)
    {
        this.path = path;
        this.sourceName = sourceName;
        this.decoderSupplier = decoderSupplier;
        this.writerFactory = writerFactory;
        final String prefix = "source " + sourceName + " (POST " + path + "): ";
        badRequestLog = new RateLimitedLog(LOGGER, prefix);
        tooLargeLog = new RateLimitedLog(LOGGER, prefix);
        unavailableLog = new RateLimitedLog(LOGGER, prefix);
        exceptionLog = new RateLimitedLog(LOGGER, prefix);
    }

    public String path()
    {
        return path;
    }

    public String sourceName()
    {
        return sourceName;
    }

    public HttpRouteCounters counters()
    {
        return counters;
    }

    RateLimitedLog badRequestLog()
    {
        return badRequestLog;
    }

    RateLimitedLog tooLargeLog()
    {
        return tooLargeLog;
    }

    RateLimitedLog unavailableLog()
    {
        return unavailableLog;
    }

    RateLimitedLog exceptionLog()
    {
        return exceptionLog;
    }

    /**
     * @return the calling event-loop thread's worker, or null when the caller is not an ingest thread (then use
     *         {@link #foreignWorker()} under {@link #lock()}).
     */
    Worker worker()
    {
        final Thread thread = Thread.currentThread();
        if (!(thread instanceof IngestThreads.IngestThread))
        {
            return null;
        }
        final int slot = ((IngestThreads.IngestThread)thread).slot();
        final Worker[] current = workers;
        if (slot < current.length && current[slot] != null)
        {
            return current[slot];
        }
        return createWorker(slot);
    }

    /**
     * Marks a request as being decoded (paired with {@link #exit()}).
     */
    void enter()
    {
        inFlight.incrementAndGet();
    }

    void exit()
    {
        inFlight.decrementAndGet();
    }

    /**
     * Waits (parking, bounded) until no request of this route is being decoded; called after the route was
     * unregistered so that a closing source knows everything accepted is in the engine.
     *
     * @param timeoutNs the longest wait.
     * @return true when idle.
     */
    public boolean awaitIdle(final long timeoutNs)
    {
        final long deadline = System.nanoTime() + timeoutNs;
        while (inFlight.get() > 0)
        {
            if (System.nanoTime() - deadline > 0)
            {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return true;
    }

    Object lock()
    {
        return lock;
    }

    /**
     * @return the worker shared by non-ingest threads; call under {@link #lock()}.
     */
    Worker foreignWorker()
    {
        if (foreignWorker == null)
        {
            foreignWorker = new Worker(decoderSupplier.get(), writerFactory.create(SamplePublisher.Backpressure.WAIT));
        }
        return foreignWorker;
    }

    private Worker createWorker(final int slot)
    {
        synchronized (lock)
        {
            final Worker[] current = workers;
            if (slot < current.length && current[slot] != null)
            {
                return current[slot];
            }
            final Worker[] grown = Arrays.copyOf(current, Math.max(current.length, slot + 1));
            final Worker worker =
                new Worker(decoderSupplier.get(), writerFactory.create(SamplePublisher.Backpressure.WAIT));
            grown[slot] = worker;
            workers = grown;
            return worker;
        }
    }

    /**
     * The state one thread uses to serve this route.
     */
    static final class Worker
    {
        final HttpBodyDecoder decoder;
        final SampleWriter writer;
        final BodyView body = new BodyView();

        Worker(final HttpBodyDecoder decoder, final SampleWriter writer)
        {
            this.decoder = decoder;
            this.writer = writer;
        }
    }
}
