package mad.ingest.http;

import java.util.concurrent.atomic.LongAdder;

/**
 * What one POST route saw: requests, accepted requests, rejections by reason and samples written. Incremented by the
 * event-loop threads, read by self-metrics from any thread.
 *
 * <p>Thread safety: all methods may be called from any thread ({@link LongAdder}s: no lock, no allocation once the
 * adders' cells exist).
 */
public final class HttpRouteCounters
{
    /** Why a request was not accepted. */
    public enum Rejection
    {
        /** The decoder said the body is invalid (400). */
        BAD_REQUEST,
        /** The body exceeded the server's size limit (413). */
        TOO_LARGE,
        /** The engine could not take the data in time (503). */
        UNAVAILABLE,
        /** The decoder threw; answered 400 with the exception's message. */
        DECODER_EXCEPTION
    }

    private static final Rejection[] REJECTIONS = Rejection.values();

    private final LongAdder requests = new LongAdder();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder samples = new LongAdder();
    private final LongAdder[] rejected = new LongAdder[REJECTIONS.length];

    HttpRouteCounters()
    {
        for (int i = 0; i < rejected.length; i++)
        {
            rejected[i] = new LongAdder();
        }
    }

    public long requests()
    {
        return requests.sum();
    }

    public long accepted()
    {
        return accepted.sum();
    }

    public long samples()
    {
        return samples.sum();
    }

    /**
     * @param reason a rejection reason.
     * @return requests rejected for it.
     */
    public long rejected(final Rejection reason)
    {
        return rejected[reason.ordinal()].sum();
    }

    /**
     * @return requests rejected for any reason.
     */
    public long rejectedTotal()
    {
        long total = 0;
        for (final LongAdder adder : rejected)
        {
            total += adder.sum();
        }
        return total;
    }

    void onRequest()
    {
        requests.increment();
    }

    void onAccepted(final long sampleCount)
    {
        accepted.increment();
        samples.add(sampleCount);
    }

    void onRejected(final Rejection reason)
    {
        rejected[reason.ordinal()].increment();
    }
}
