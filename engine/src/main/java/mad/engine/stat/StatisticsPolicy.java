package mad.engine.stat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import mad.engine.model.MetricType;

/**
 * Decides which statistics a series computes, as MAD does: the first {@code statistics} pattern (in file order) that
 * matches the <em>whole</em> metric name wins and replaces the type defaults; otherwise the per-type default applies
 * ({@code timerStatistics}, {@code counterStatistics}, {@code gaugeStatistics}).
 *
 * <p>Immutable; consulted once per new series by its aggregator (regex matching never runs per sample).
 */
public final class StatisticsPolicy
{
    private final StatisticSet timer;
    private final StatisticSet counter;
    private final StatisticSet gauge;
    private final Pattern[] patterns;
    private final StatisticSet[] patternSets;

    /**
     * @param timer statistics of timers without a matching pattern.
     * @param counter statistics of counters without a matching pattern.
     * @param gauge statistics of gauges without a matching pattern.
     * @param explicit ordered map of name pattern to statistics (first match wins).
     */
    public StatisticsPolicy(
        final StatisticSet timer, final StatisticSet counter, final StatisticSet gauge,
        final Map<Pattern, StatisticSet> explicit)
    {
        this.timer = timer;
        this.counter = counter;
        this.gauge = gauge;
        this.patterns = explicit.keySet().toArray(new Pattern[0]);
        this.patternSets = explicit.values().toArray(new StatisticSet[0]);
    }

    /**
     * @return MAD's defaults: timer {median, tp90, tp99, mean, count}, counter {mean, sum, count},
     *         gauge {min, max, mean}, no patterns.
     */
    public static StatisticsPolicy madDefaults()
    {
        return new StatisticsPolicy(
            StatisticSet.of(Statistic.MEDIAN, Statistic.TP90, Statistic.TP99, Statistic.MEAN, Statistic.COUNT),
            StatisticSet.of(Statistic.MEAN, Statistic.SUM, Statistic.COUNT),
            StatisticSet.of(Statistic.MIN, Statistic.MAX, Statistic.MEAN),
            new LinkedHashMap<>());
    }

    /**
     * @return this policy with every set {@link StatisticSet#retainingHistogram() retaining its histogram}: used when
     *         a sink of the pipeline needs the histogram of every series (CAGG's population size).
     */
    public StatisticsPolicy retainingHistograms()
    {
        final Map<Pattern, StatisticSet> explicit = new LinkedHashMap<>();
        for (int i = 0; i < patterns.length; i++)
        {
            explicit.put(patterns[i], patternSets[i].retainingHistogram());
        }
        return new StatisticsPolicy(timer.retainingHistogram(), counter.retainingHistogram(),
            gauge.retainingHistogram(), explicit);
    }

    /**
     * @param metricName the metric name.
     * @param type the metric type.
     * @return the statistics that series computes.
     */
    public StatisticSet resolve(final String metricName, final MetricType type)
    {
        for (int i = 0; i < patterns.length; i++)
        {
            if (patterns[i].matcher(metricName).matches())
            {
                return patternSets[i];
            }
        }
        switch (type)
        {
            case TIMER:
                return timer;
            case COUNTER:
                return counter;
            default:
                return gauge;
        }
    }
}
