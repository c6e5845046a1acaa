package mad.engine.stat;

import java.util.Collection;

/**
 * The statistics one series computes, as two bit masks over {@link Statistic} ordinals: the statistics the
 * configuration asked for ({@link #specifiedMask()}, emitted with {@code user_specified=true}) and everything that is
 * computed and emitted ({@link #computedMask()}: specified, their dependencies, and {@code count}, which MAD always
 * has). Immutable; shared by every series that resolves to the same configuration entry.
 *
 * <p>{@link #retainingHistogram()} marks a set whose series keep their histogram although no statistic needs it (a
 * sink asked for it, e.g. {@code AggregationServerHttpSink attachHistogram}); the histogram is then handed to the
 * sinks as supporting data without adding a {@code histogram} statistic, so what other sinks see does not change.
 */
public final class StatisticSet
{
    private final int specifiedMask;
    private final int computedMask;
    private final boolean retainHistogram;

    private StatisticSet(final int specifiedMask)
    {
        this(specifiedMask, false);
    }

    private StatisticSet(final int specifiedMask, final boolean retainHistogram)
    {
        int computed = specifiedMask | Statistic.COUNT.bit();
        for (int i = 0; i < Statistic.count(); i++)
        {
            if ((specifiedMask & (1 << i)) != 0)
            {
                computed |= Statistic.ofOrdinal(i).dependencies();
            }
        }
        this.specifiedMask = specifiedMask;
        this.computedMask = computed;
        this.retainHistogram = retainHistogram;
    }

    /**
     * @return this set, whose series also keep their histogram when no statistic needs one.
     */
    public StatisticSet retainingHistogram()
    {
        return retainHistogram ? this : new StatisticSet(specifiedMask, true);
    }

    /**
     * @param specified the statistics the configuration names.
     * @return the set with MAD's dependencies added.
     */
    public static StatisticSet of(final Collection<Statistic> specified)
    {
        int mask = 0;
        for (final Statistic statistic : specified)
        {
            mask |= statistic.bit();
        }
        return new StatisticSet(mask);
    }

    /**
     * @param specified the statistics the configuration names.
     * @return the set with MAD's dependencies added.
     */
    public static StatisticSet of(final Statistic... specified)
    {
        return of(java.util.Arrays.asList(specified));
    }

    public int specifiedMask()
    {
        return specifiedMask;
    }

    public int computedMask()
    {
        return computedMask;
    }

    /**
     * @param statistic a statistic.
     * @return true when the series computes and emits it.
     */
    public boolean computes(final Statistic statistic)
    {
        return (computedMask & statistic.bit()) != 0;
    }

    /**
     * @param statistic a statistic.
     * @return true when the configuration asked for it.
     */
    public boolean specifies(final Statistic statistic)
    {
        return (specifiedMask & statistic.bit()) != 0;
    }

    /**
     * @return true when samples must be recorded into a histogram (a statistic needs it, or it is retained).
     */
    public boolean needsHistogram()
    {
        return retainHistogram || computes(Statistic.HISTOGRAM);
    }

    /**
     * @return true when the histogram is kept although no statistic needs it.
     */
    public boolean retainsHistogram()
    {
        return retainHistogram;
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof StatisticSet && ((StatisticSet)o).specifiedMask == specifiedMask
            && ((StatisticSet)o).retainHistogram == retainHistogram;
    }

    @Override
    public int hashCode()
    {
        return retainHistogram ? ~specifiedMask : specifiedMask;
    }

    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < Statistic.count(); i++)
        {
            if ((computedMask & (1 << i)) != 0)
            {
                text.append(text.length() > 1 ? ", " : "").append(Statistic.ofOrdinal(i).wireName())
                    .append((specifiedMask & (1 << i)) != 0 ? "" : "*");
            }
        }
        return text.append(retainHistogram ? ", +histogram]" : "]").toString();
    }
}
