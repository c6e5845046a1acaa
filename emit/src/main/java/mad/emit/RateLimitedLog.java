package mad.emit;

import java.util.function.LongSupplier;

import org.slf4j.Logger;

/**
 * One warning per interval (30 s, as MAD) for one logger key; occurrences in between are counted and reported with
 * the next line that gets through, so an operator sees the rate without a log flood.
 *
 * <p>Thread ownership: safe for any thread (synchronized); only used on error paths, never per sample.
 */
public final class RateLimitedLog
{
    /** MAD warns at most once per 30 s per logger. */
    public static final long DEFAULT_INTERVAL_MS = 30_000L;

    private final Logger logger;
    private final LongSupplier clock;
    private final long intervalMs;
    private long lastLogMs = Long.MIN_VALUE;
    private long suppressed;

    /**
     * @param logger the logger lines go to.
     * @param clock epoch-ms clock.
     * @param intervalMs minimum distance between two lines.
     */
    public RateLimitedLog(final Logger logger, final LongSupplier clock, final long intervalMs)
    {
        this.logger = logger;
        this.clock = clock;
        this.intervalMs = intervalMs;
    }

    /**
     * Logs a warning unless one was logged less than the interval ago.
     *
     * @param message the complete message (built by the caller only on error paths).
     * @return true when the line was written.
     */
    public boolean warn(final String message)
    {
        final long skipped;
        synchronized (this)
        {
            final long now = clock.getAsLong();
            if (lastLogMs != Long.MIN_VALUE && now - lastLogMs < intervalMs)
            {
                suppressed++;
                return false;
            }
            lastLogMs = now;
            skipped = suppressed;
            suppressed = 0;
        }
        if (skipped == 0)
        {
            logger.warn(message);
        }
        else
        {
            logger.warn("{} ({} similar lines suppressed)", message, skipped);
        }
        return true;
    }
}
