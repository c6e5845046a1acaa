package mad.engine.stat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import mad.engine.model.MetricType;

class StatisticTest
{
    @Test
    void shouldAcceptEveryMadAliasAndEmitTheCanonicalName()
    {
        assertThat(Statistic.byName("n")).isEqualTo(Statistic.COUNT);
        assertThat(Statistic.byName("tp0")).isEqualTo(Statistic.MIN);
        assertThat(Statistic.byName("p100")).isEqualTo(Statistic.MAX);
        assertThat(Statistic.byName("p50")).isEqualTo(Statistic.MEDIAN);
        assertThat(Statistic.byName("tp99p9").wireName()).isEqualTo("tp99.9");
        assertThat(Statistic.byName("p99.9").quantile()).isEqualTo(99.9);
        assertThat(Statistic.byName("tp65")).isNull();
        assertThat(Statistic.byName("expression")).isNull();
        assertThat(Statistic.byName("Count")).isNull();
    }

    @Test
    void shouldAddMadDependenciesAndCountAsNotSpecified()
    {
        final StatisticSet timer = StatisticSet.of(Statistic.MEDIAN, Statistic.TP90, Statistic.TP99, Statistic.MEAN,
            Statistic.COUNT);
        assertThat(timer.toString()).isEqualTo("[count, sum*, mean, median, tp90, tp99, histogram*]");
        final StatisticSet gauge = StatisticSet.of(Statistic.MIN, Statistic.MAX, Statistic.MEAN);
        assertThat(gauge.toString()).isEqualTo("[count*, sum*, min, max, mean]");
        assertThat(gauge.needsHistogram()).isFalse();
        final StatisticSet explicit = StatisticSet.of(Statistic.TP95, Statistic.MIN);
        assertThat(explicit.toString()).isEqualTo("[count*, min, tp95, histogram*]");
    }

    @Test
    void shouldResolveFirstFullMatchBeforeTypeDefaults()
    {
        final java.util.Map<java.util.regex.Pattern, StatisticSet> explicit = new java.util.LinkedHashMap<>();
        explicit.put(java.util.regex.Pattern.compile("^special\\..*"), StatisticSet.of(Statistic.TP95));
        explicit.put(java.util.regex.Pattern.compile("special.*"), StatisticSet.of(Statistic.MAX));
        final StatisticsPolicy defaults = StatisticsPolicy.madDefaults();
        final StatisticsPolicy policy = new StatisticsPolicy(defaults.resolve("t", MetricType.TIMER),
            defaults.resolve("c", MetricType.COUNTER), defaults.resolve("g", MetricType.GAUGE), explicit);
        assertThat(policy.resolve("special.x", MetricType.GAUGE)).isEqualTo(StatisticSet.of(Statistic.TP95));
        assertThat(policy.resolve("specialx", MetricType.GAUGE)).isEqualTo(StatisticSet.of(Statistic.MAX));
        assertThat(policy.resolve("not.special.x", MetricType.COUNTER))
            .isEqualTo(StatisticSet.of(Statistic.MEAN, Statistic.SUM, Statistic.COUNT));
    }
}
