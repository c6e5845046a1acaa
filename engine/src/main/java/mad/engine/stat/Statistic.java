package mad.engine.stat;

/**
 * MAD's fixed table of statistics. The enum name order is the bit position in {@link StatisticSet} masks.
 *
 * <p>{@link #wireName()} is what MAD emits (note {@code tp99.9} with a dot); {@link #byName(String)} accepts every
 * alias MAD accepts. Percentiles carry their quantile; {@link #dependencies()} lists the statistics MAD computes
 * alongside (mean needs sum and count; percentiles need the histogram). {@code expression} is a name MAD knows but
 * cannot compute: configuration that names it is rejected.
 */
public enum Statistic
{
    COUNT("count", -1, "count", "n"),
    SUM("sum", -1, "sum"),
    MIN("min", -1, "min", "tp0", "p0"),
    MAX("max", -1, "max", "tp100", "p100"),
    MEAN("mean", -1, "mean"),
    MEDIAN("median", 50, "median", "tp50", "p50"),
    TP75("tp75", 75, "tp75", "p75"),
    TP90("tp90", 90, "tp90", "p90"),
    TP95("tp95", 95, "tp95", "p95"),
    TP99("tp99", 99, "tp99", "p99"),
    TP99_9("tp99.9", 99.9, "tp99.9", "p99.9", "tp99p9", "p99p9"),
    HISTOGRAM("histogram", -1, "histogram");

    private static final Statistic[] VALUES = values();
    private final String wireName;
    private final double quantile;
    private final String[] aliases;

    Statistic(final String wireName, final double quantile, final String... aliases)
    {
        this.wireName = wireName;
        this.quantile = quantile;
        this.aliases = aliases;
    }

    /**
     * @return the name MAD writes into {@code StatisticRecord.statistic}.
     */
    public String wireName()
    {
        return wireName;
    }

    /**
     * @return the percentile in [0, 100] for percentile statistics, otherwise a negative number.
     */
    public double quantile()
    {
        return quantile;
    }

    /**
     * @return true when the value is read from the histogram.
     */
    public boolean isPercentile()
    {
        return quantile >= 0;
    }

    /**
     * @return the bit of this statistic in a {@link StatisticSet} mask.
     */
    public int bit()
    {
        return 1 << ordinal();
    }

    /**
     * @return mask of the statistics MAD computes with this one (one level deep, as in MAD).
     */
    public int dependencies()
    {
        if (this == MEAN)
        {
            return SUM.bit() | COUNT.bit();
        }
        if (isPercentile())
        {
            return HISTOGRAM.bit();
        }
        return 0;
    }

    /**
     * @param ordinal the bit position.
     * @return the statistic at that position.
     */
    public static Statistic ofOrdinal(final int ordinal)
    {
        return VALUES[ordinal];
    }

    /**
     * @return the number of statistics.
     */
    public static int count()
    {
        return VALUES.length;
    }

    /**
     * Looks a statistic up by any name MAD accepts (exact, case-sensitive).
     *
     * @param name the configured name.
     * @return the statistic, or null when MAD does not know the name ({@code expression} included: it cannot be
     *         computed, so callers reject it with their own message).
     */
    public static Statistic byName(final String name)
    {
        for (final Statistic statistic : VALUES)
        {
            for (final String alias : statistic.aliases)
            {
                if (alias.equals(name))
                {
                    return statistic;
                }
            }
        }
        return null;
    }
}
