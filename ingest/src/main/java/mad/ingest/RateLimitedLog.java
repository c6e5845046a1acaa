package mad.ingest;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.slf4j.Logger;

/**
 * A warning that is written at most once per {@link #INTERVAL_NS} for one key (one instance = one key, e.g. one
 * source and one kind of rejection), as MAD does for bad input. Lines suppressed in between are counted and reported
 * by the next line that is written. A suppressed call allocates nothing: it reads the clock, compares and increments.
 *
 * <p>Thread safety: any thread may call; when several race at the end of an interval exactly one of them writes.
 */
public final class RateLimitedLog
{
    /** MAD's interval: one line per 30 s per logger. */
    public static final long INTERVAL_NS = TimeUnit.SECONDS.toNanos(30);

    private final Logger logger;
    private final String prefix;
    private final LongSupplier nanoClock;
    private final AtomicLong nextAllowedNs;
    private final AtomicLong suppressed = new AtomicLong();

    /**
     * @param logger where lines go.
     * @param prefix text written before every message (names the source), may be empty.
     * @param nanoClock a monotonic nanosecond clock ({@code System::nanoTime} outside tests).
     */
    public RateLimitedLog(final Logger logger, final String prefix, final LongSupplier nanoClock)
    {
        this.logger = logger;
        this.prefix = prefix;
        this.nanoClock = nanoClock;
        this.nextAllowedNs = new AtomicLong(nanoClock.getAsLong());
    }

    /**
     * @param logger where lines go.
     * @param prefix text written before every message.
     */
    public RateLimitedLog(final Logger logger, final String prefix)
    {
        this(logger, prefix, System::nanoTime);
    }

    /**
     * Decides whether a line may be written now.
     *
     * @return -1 when the line must be suppressed (and it was counted), otherwise the number of lines suppressed
     *         since the last written one.
     */
    public long acquire()
    {
        final long now = nanoClock.getAsLong();
        final long next = nextAllowedNs.get();
        if (now - next < 0 || !nextAllowedNs.compareAndSet(next, now + INTERVAL_NS))
        {
            suppressed.incrementAndGet();
            return -1;
        }
        return suppressed.getAndSet(0);
    }

    /**
     * Writes a warning unless one was written for this key in the last interval.
     *
     * @param message the text (a constant or an existing string: nothing is built when suppressed).
     * @param detail a detail appended after the message, may be null.
     */
    public void warn(final String message, final Object detail)
    {
        final long skipped = acquire();
        if (skipped >= 0 && logger.isWarnEnabled())
        {
            logger.warn(format(message, detail, skipped));
        }
    }

    /**
     * As {@link #warn(String, Object)} with a throwable whose stack is logged.
     */
    public void warn(final String message, final Object detail, final Throwable cause)
    {
        final long skipped = acquire();
        if (skipped >= 0 && logger.isWarnEnabled())
        {
            logger.warn(format(message, detail, skipped), cause);
        }
    }

    /**
     * @return lines suppressed since the last written one.
     */
    public long suppressed()
    {
        return suppressed.get();
    }

    private String format(final String message, final Object detail, final long skipped)
    {
        final StringBuilder line = new StringBuilder(128).append(prefix).append(message);
        if (detail != null)
        {
            line.append(": ").append(detail);
        }
        if (skipped > 0)
        {
            line.append(" (").append(skipped).append(" similar lines suppressed in the last 30 s)");
        }
        return line.toString();
    }
}
