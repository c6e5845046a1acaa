package mad.engine.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import mad.engine.model.MetricType;
import mad.engine.model.Unit;
import mad.engine.sample.SampleEvent;
import mad.engine.stat.Statistic;

class PeriodicDataTest
{
    private final PeriodicData data = new PeriodicData();

    @Test
    void shouldKeepEachMetricsStatisticsApartInTheSharedColumnsAndReuseCursors()
    {
        data.reset(Map.of(), Duration.ofSeconds(1), 1000, SampleEvent.NO_REQUEST_TIME);
        for (int m = 0; m < 100; m++)
        {
            final AggregatedMetric metric = data.addMetric();
            metric.reset("m" + m, m % 2 == 0 ? MetricType.TIMER : MetricType.COUNTER);
            for (int s = 0; s <= m % 4; s++)
            {
                metric.add(Statistic.ofOrdinal(s), m * 10 + s, s == 0 ? null : Unit.SECOND, s % 2 == 0);
            }
            metric.populationSize(m);
        }
        final AggregatedMetric first = data.metric(0);
        assertThat(data.metricCount()).isEqualTo(100);
        for (int m = 0; m < 100; m++)
        {
            final AggregatedMetric metric = data.metric(m);
            assertThat(metric.name()).isEqualTo("m" + m);
            assertThat(metric.type()).isEqualTo(m % 2 == 0 ? MetricType.TIMER : MetricType.COUNTER);
            assertThat(metric.statisticCount()).isEqualTo(m % 4 + 1);
            assertThat(metric.populationSize()).isEqualTo(m);
            for (int s = 0; s <= m % 4; s++)
            {
                assertThat(metric.statistic(s)).isEqualTo(Statistic.ofOrdinal(s));
                assertThat(metric.value(s)).isEqualTo(m * 10 + s);
                assertThat(metric.unit(s)).isEqualTo(s == 0 ? null : Unit.SECOND);
                assertThat(metric.specified(s)).isEqualTo(s % 2 == 0);
            }
        }
        data.reset(Map.of(), Duration.ofSeconds(1), 2000, SampleEvent.NO_REQUEST_TIME);
        final AggregatedMetric again = data.addMetric();
        assertThat(again).isSameAs(first);
        again.reset("n", MetricType.GAUGE);
        assertThat(again.statisticCount()).isZero();
        assertThat(again.bucketCount()).isZero();
        assertThat(data.withDimensions(Map.of("a", "b")).metric(0).name()).isEqualTo("n");
        assertThatThrownBy(() -> data.metric(1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void shouldRejectStatisticsAddedToAnEarlierMetric()
    {
        data.reset(Map.of(), Duration.ofSeconds(1), 1000, SampleEvent.NO_REQUEST_TIME);
        final AggregatedMetric first = data.addMetric();
        first.reset("a", MetricType.COUNTER);
        data.addMetric().reset("b", MetricType.COUNTER);
        assertThatThrownBy(() -> first.add(Statistic.SUM, 1, Unit.NONE, true))
            .isInstanceOf(IllegalStateException.class);
    }
}
