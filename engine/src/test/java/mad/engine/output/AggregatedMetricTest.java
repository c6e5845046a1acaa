package mad.engine.output;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import mad.engine.model.MetricType;
import mad.engine.model.Unit;
import mad.engine.stat.Statistic;

class AggregatedMetricTest
{
    @Test
    void shouldGrowPastTheInitialStatisticsAndKeepStatisticUnitAndFlagPerEntry()
    {
        final AggregatedMetric metric = new AggregatedMetric();
        for (int round = 0; round < 2; round++)
        {
            metric.reset("m" + round, MetricType.TIMER);
            for (int i = 0; i < Statistic.count(); i++)
            {
                metric.add(Statistic.ofOrdinal(i), i * 1.5 + round, Unit.ofCode((i + round) % 4), (i + round) % 2 == 0);
            }
            assertThat(metric.statisticCount()).isEqualTo(Statistic.count());
            for (int i = 0; i < Statistic.count(); i++)
            {
                assertThat(metric.statistic(i)).isEqualTo(Statistic.ofOrdinal(i));
                assertThat(metric.value(i)).isEqualTo(i * 1.5 + round);
                assertThat(metric.unit(i)).isEqualTo(Unit.ofCode((i + round) % 4));
                assertThat(metric.specified(i)).isEqualTo((i + round) % 2 == 0);
                assertThat(metric.indexOf(Statistic.ofOrdinal(i))).isEqualTo(i);
            }
        }
        metric.reset("few", MetricType.GAUGE);
        metric.add(Statistic.MAX, 3, Unit.NONE, true);
        assertThat(metric.indexOf(Statistic.MIN)).isEqualTo(-1);
        assertThat(metric.toString()).isEqualTo("few(GAUGE){max=3.0}");
    }

    @Test
    void shouldStartWithoutHistogramArraysAndGrowThemOnDemand()
    {
        final AggregatedMetric metric = new AggregatedMetric();
        metric.reset("t", MetricType.TIMER);
        assertThat(metric.bucketCount()).isZero();
        metric.histogram(3, Unit.SECOND);
        assertThat(metric.bucketArray()).hasSizeGreaterThanOrEqualTo(3);
        assertThat(metric.bucketCountArray()).hasSameSizeAs(metric.bucketArray());
        metric.bucketArray()[2] = 4.0;
        metric.bucketCountArray()[2] = 7;
        assertThat(metric.bucket(2)).isEqualTo(4.0);
        assertThat(metric.bucketCountAt(2)).isEqualTo(7);
        assertThat(metric.histogramUnit()).isEqualTo(Unit.SECOND);
    }
}
