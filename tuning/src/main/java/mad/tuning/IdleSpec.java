package mad.tuning;

import java.util.Locale;
import java.util.function.Supplier;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

/**
 * How an agent thread waits when it has no work, written as text in a profile and made into a fresh Agrona
 * {@link IdleStrategy} per thread (strategies keep per-thread state):
 *
 * <ul>
 *   <li>{@code busy-spin}: never yields the CPU (a full core per thread; isolated cores only);</li>
 *   <li>{@code yielding}: {@code Thread.yield()} in a loop (still 100% CPU while idle);</li>
 *   <li>{@code backoff:SPINS,YIELDS,MIN_PARK_NS,MAX_PARK_NS}: spins, then yields, then parks with doubling
 *       duration up to the maximum;</li>
 *   <li>{@code sleep-ns:N} / {@code sleep-ms:N}: parks a fixed time.</li>
 * </ul>
 *
 * @param text the specification as written (normalised to lower case).
 * @param kind the strategy name before the colon.
 * @param args the numeric arguments.
 *
 * <p>Thread ownership: immutable, shared freely; {@link #get()} may be called from any thread.
 */
public record IdleSpec(String text, String kind, long[] args) implements Supplier<IdleStrategy>
{
    /**
     * @param text the specification.
     * @return the parsed specification.
     * @throws IllegalArgumentException naming the known forms.
     */
    public static IdleSpec parse(final String text)
    {
        final String spec = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        final int colon = spec.indexOf(':');
        final String kind = colon < 0 ? spec : spec.substring(0, colon).trim();
        final long[] args = colon < 0 ? new long[0] : numbers(spec, spec.substring(colon + 1));
        final int expected;
        switch (kind)
        {
            case "busy-spin":
            case "yielding":
                expected = 0;
                break;
            case "backoff":
                expected = 4;
                break;
            case "sleep-ns":
            case "sleep-ms":
                expected = 1;
                break;
            default:
                throw bad(spec, "unknown idle strategy '" + kind + "'");
        }
        if (args.length != expected)
        {
            throw bad(spec, kind + " takes " + expected + " argument(s), got " + args.length);
        }
        if ("backoff".equals(kind) && (args[2] > args[3] || args[2] < 1))
        {
            throw bad(spec, "backoff needs 1 <= MIN_PARK_NS <= MAX_PARK_NS");
        }
        if (expected == 1 && args[0] < 1)
        {
            throw bad(spec, "the sleep must be at least 1");
        }
        return new IdleSpec(spec, kind, args);
    }

    /**
     * @return true when the strategy keeps the CPU busy while idle ({@code busy-spin}, {@code yielding}).
     */
    public boolean spinning()
    {
        return "busy-spin".equals(kind) || "yielding".equals(kind);
    }

    /**
     * @return a new strategy (one per thread).
     */
    @Override
    public IdleStrategy get()
    {
        switch (kind)
        {
            case "busy-spin":
                return new BusySpinIdleStrategy();
            case "yielding":
                return new YieldingIdleStrategy();
            case "backoff":
                return new BackoffIdleStrategy(args[0], args[1], args[2], args[3]);
            case "sleep-ns":
                return new SleepingIdleStrategy(args[0]);
            default:
                return new SleepingMillisIdleStrategy(args[0]);
        }
    }

    @Override
    public String toString()
    {
        return text;
    }

    private static long[] numbers(final String spec, final String list)
    {
        final String[] parts = list.split(",", -1);
        final long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++)
        {
            try
            {
                values[i] = Long.parseLong(parts[i].trim());
            }
            catch (final NumberFormatException ex)
            {
                throw bad(spec, "'" + parts[i].trim() + "' is not a number");
            }
            if (values[i] < 0)
            {
                throw bad(spec, "negative argument " + values[i]);
            }
        }
        return values;
    }

    private static IllegalArgumentException bad(final String spec, final String reason)
    {
        return new IllegalArgumentException("bad idle strategy '" + spec + "': " + reason +
            " (known: busy-spin, yielding, backoff:SPINS,YIELDS,MIN_PARK_NS,MAX_PARK_NS, sleep-ns:N, sleep-ms:N)");
    }
}
