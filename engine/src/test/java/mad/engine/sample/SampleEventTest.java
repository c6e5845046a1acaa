package mad.engine.sample;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;

import mad.engine.model.MetricType;
import mad.engine.model.Unit;

class SampleEventTest
{
    @Test
    void shouldAllocateKeyAndSamplesWithTheSlotButShareTheEmptyHistogram()
    {
        final SampleEvent first = new SampleEvent();
        final SampleEvent second = new SampleEvent();

        // key and samples are allocated beside the slot (locality on the ring), histograms only on first use
        assertThat(first.key().capacity()).isEqualTo(128);
        assertThat(first.samples).hasSize(8);
        assertThat(first.samples).isNotSameAs(second.samples);
        assertThat(first.histogramBits).isEmpty();
        assertThat(first.histogramBits).isSameAs(second.histogramBits).isSameAs(first.histogramCounts);
    }

    @Test
    void shouldGrowSamplesFromEmptyAndKeepThemAcrossReuse()
    {
        final SampleEvent event = new SampleEvent();
        for (int i = 0; i < 9; i++)
        {
            assertThat(event.addSample(i * 1.5)).isTrue();
        }

        assertThat(event.sampleCount()).isEqualTo(9);
        assertThat(event.sample(0)).isEqualTo(0.0);
        assertThat(event.sample(8)).isEqualTo(12.0);
        assertThat(event.samples).hasSize(16);
        final double[] grown = event.samples;
        event.reset();
        event.addSample(7);
        assertThat(event.samples).isSameAs(grown);
        assertThat(event.sample(0)).isEqualTo(7.0);
    }

    @Test
    void shouldStopAtTheEventLimitWhenGrowingFromEmpty()
    {
        final SampleEvent event = new SampleEvent();
        for (int i = 0; i < SampleEvent.MAX_VALUES_PER_EVENT; i++)
        {
            assertThat(event.addSample(i)).isTrue();
        }

        assertThat(event.addSample(-1)).isFalse();
        assertThat(event.sampleCount()).isEqualTo(SampleEvent.MAX_VALUES_PER_EVENT);
        assertThat(event.sample(SampleEvent.MAX_VALUES_PER_EVENT - 1)).isEqualTo(SampleEvent.MAX_VALUES_PER_EVENT - 1.0);
    }

    @Test
    void shouldCarryALongKeyThroughASlotThatNeverHeldOne() throws Exception
    {
        final ShardRings rings = new ShardRings(1, 64);
        final RingBuffer<SampleEvent> ring = rings.ring(0);
        final EventPoller<SampleEvent> poller = ring.newPoller();
        ring.addGatingSequences(poller.getSequence());
        final SamplePublisher publisher = new SamplePublisher(rings, SamplePublisher.Backpressure.DROP,
            new PublisherCounters("test"));
        final String host = "h".repeat(300);

        publisher.beginRecord(1000, SampleEvent.NO_REQUEST_TIME);
        publisher.dimension("host", host);
        publisher.endDimensions();
        publisher.beginMetric("latency", MetricType.TIMER, Unit.NONE);
        publisher.sample(3.0);
        publisher.sample(4.0);
        publisher.endMetric();

        final StringBuilder seen = new StringBuilder();
        poller.poll((event, sequence, endOfBatch) ->
        {
            final int nameLength = event.key().getShort(event.dimsLength()) & 0xFFFF;
            seen.append(event.key().getStringWithoutLengthUtf8(event.dimsLength() + 2, nameLength))
                .append(' ').append(event.dimsLength() > host.length()).append(' ')
                .append(event.sample(0)).append(' ').append(event.sample(1));
            return true;
        });
        assertThat(seen.toString()).isEqualTo("latency true 3.0 4.0");
    }
}
