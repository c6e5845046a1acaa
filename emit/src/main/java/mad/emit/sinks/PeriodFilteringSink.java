package mad.emit.sinks;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;

import mad.engine.metrics.CounterVisitor;
import mad.emit.EmitContext;
import mad.emit.Sink;
import mad.engine.config.Settings;
import mad.engine.output.PeriodicData;

/**
 * MAD's {@code PeriodFilteringSink}: forwards a bucket to {@code sink} depending on its period. Rule order (MAD): in
 * {@code include} -> pass; else in {@code exclude} -> drop; else shorter than {@code excludeLessThan} -> drop; else
 * longer than {@code excludeGreaterThan} -> drop; else pass. The decision is made once per period and cached in
 * two small parallel arrays keyed by period millis (a pipeline has a handful of periods).
 *
 * <p>Thread ownership: the pipeline's emitter thread (the cache is unsynchronised).
 */
public final class PeriodFilteringSink implements Sink
{
    private final Sink sink;
    private final long[] include;
    private final long[] exclude;
    private final long excludeLessThanMs;
    private final long excludeGreaterThanMs;
    private long[] cachedPeriods = new long[4];
    private boolean[] cachedPass = new boolean[4];
    private int cached;

    /**
     * @param sink the sink that receives passing buckets.
     * @param include periods always passed.
     * @param exclude periods dropped (unless included).
     * @param excludeLessThan drop shorter periods; null = not set.
     * @param excludeGreaterThan drop longer periods; null = not set.
     */
    public PeriodFilteringSink(
        final Sink sink, final List<Duration> include, final List<Duration> exclude, final Duration excludeLessThan,
        final Duration excludeGreaterThan)
    {
        this.sink = sink;
        this.include = toMillis(include);
        this.exclude = toMillis(exclude);
        this.excludeLessThanMs = excludeLessThan == null ? Long.MIN_VALUE : excludeLessThan.toMillis();
        this.excludeGreaterThanMs = excludeGreaterThan == null ? Long.MAX_VALUE : excludeGreaterThan.toMillis();
    }

    /**
     * Reads {@code include}, {@code exclude} (lists of durations), {@code excludeLessThan},
     * {@code excludeGreaterThan} (durations) and {@code sink} (required).
     */
    public static PeriodFilteringSink create(final Settings settings, final EmitContext context)
    {
        final List<Duration> include = durations(settings, "include");
        final List<Duration> exclude = durations(settings, "exclude");
        final Duration lessThan = settings.duration("excludeLessThan", null);
        final Duration greaterThan = settings.duration("excludeGreaterThan", null);
        final Sink inner = context.createSink(settings.child("sink"));
        return new PeriodFilteringSink(inner, include, exclude, lessThan, greaterThan);
    }

    @Override
    public void recordAggregateData(final PeriodicData data)
    {
        if (passes(data.period().toMillis()))
        {
            sink.recordAggregateData(data);
        }
    }

    @Override
    public void close()
    {
        sink.close();
    }

    /**
     * @param periodMs a period in milliseconds.
     * @return true when buckets of that period are forwarded.
     */
    boolean passes(final long periodMs)
    {
        for (int i = 0; i < cached; i++)
        {
            if (cachedPeriods[i] == periodMs)
            {
                return cachedPass[i];
            }
        }
        final boolean pass = decide(periodMs);
        if (cached == cachedPeriods.length)
        {
            cachedPeriods = Arrays.copyOf(cachedPeriods, cached * 2);
            cachedPass = Arrays.copyOf(cachedPass, cached * 2);
        }
        cachedPeriods[cached] = periodMs;
        cachedPass[cached] = pass;
        cached++;
        return pass;
    }

    private boolean decide(final long periodMs)
    {
        if (contains(include, periodMs))
        {
            return true;
        }
        if (contains(exclude, periodMs))
        {
            return false;
        }
        if (periodMs < excludeLessThanMs)
        {
            return false;
        }
        return periodMs <= excludeGreaterThanMs;
    }

    private static boolean contains(final long[] periods, final long periodMs)
    {
        for (final long period : periods)
        {
            if (period == periodMs)
            {
                return true;
            }
        }
        return false;
    }

    private static long[] toMillis(final List<Duration> durations)
    {
        final long[] millis = new long[durations.size()];
        for (int i = 0; i < millis.length; i++)
        {
            millis[i] = durations.get(i).toMillis();
        }
        return millis;
    }

    /**
     * Binds a list of durations as MAD does: ISO-8601 text, or an integer meaning seconds.
     */
    static List<Duration> durations(final Settings settings, final String key)
    {
        final List<String> texts = settings.stringList(key, List.of());
        final Duration[] durations = new Duration[texts.size()];
        for (int i = 0; i < durations.length; i++)
        {
            final String text = texts.get(i).trim();
            try
            {
                durations[i] = text.matches("-?[0-9]+") ? Duration.ofSeconds(Long.parseLong(text)) : Duration.parse(text);
            }
            catch (final DateTimeParseException | ArithmeticException | NumberFormatException e)
            {
                throw settings.error(key, "'" + text + "' is not an ISO-8601 duration (e.g. PT1M)");
            }
        }
        return List.of(durations);
    }

    @Override
    public String toString()
    {
        return "PeriodFilteringSink{" + sink + "}";
    }

    @Override
    public void visitCounters(final CounterVisitor visitor)
    {
        sink.visitCounters(visitor);
    }
}
