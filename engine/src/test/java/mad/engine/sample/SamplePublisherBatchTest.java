package mad.engine.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;

import mad.engine.model.MetricType;
import mad.engine.model.Unit;

class SamplePublisherBatchTest
{
    private ShardRings rings;
    private SamplePublisher publisher;
    private final PublisherCounters counters = new PublisherCounters("test");
    private final List<EventPoller<SampleEvent>> pollers = new ArrayList<>();

    private void setUp(final int shards, final int ringSize)
    {
        rings = new ShardRings(shards, ringSize);
        for (int s = 0; s < shards; s++)
        {
            final RingBuffer<SampleEvent> ring = rings.ring(s);
            final EventPoller<SampleEvent> poller = ring.newPoller();
            ring.addGatingSequences(poller.getSequence());
            pollers.add(poller);
        }
        publisher = new SamplePublisher(rings, SamplePublisher.Backpressure.DROP, counters);
    }

    private int record(final String host, final String name, final double value)
    {
        publisher.beginRecord(1000, SampleEvent.NO_REQUEST_TIME);
        publisher.dimension("host", host);
        publisher.endDimensions();
        publisher.beginMetric(name, MetricType.GAUGE, Unit.NONE);
        final int result = publisher.sample(value);
        publisher.endMetric();
        return result;
    }

    /** Drains one shard: "name=value" per data event, "skip" per skipped slot. */
    private List<String> drain(final int shard) throws Exception
    {
        final List<String> seen = new ArrayList<>();
        pollers.get(shard).poll((event, sequence, endOfBatch) ->
        {
            if (event.kind() == SampleEvent.KIND_SKIP)
            {
                seen.add("skip");
            }
            else
            {
                final int nameLength = event.key().getShort(event.dimsLength()) & 0xFFFF;
                seen.add(event.key().getStringWithoutLengthUtf8(event.dimsLength() + 2, nameLength) + "="
                    + event.sample(0));
            }
            return true;
        });
        return seen;
    }

    @Test
    void shouldPublishARangeWhenItIsFullAndNothingBefore() throws Exception
    {
        setUp(1, 64);
        publisher.beginBatch(3);
        record("a", "m1", 1);
        record("a", "m2", 2);
        assertThat(drain(0)).isEmpty();
        assertThat(rings.ring(0).getCursor()).isEqualTo(2); // one range of three claimed at once
        record("b", "m1", 3);
        assertThat(drain(0)).containsExactly("m1=1.0", "m2=2.0", "m1=3.0"); // a full range is published at once
        publisher.endBatch();
        assertThat(drain(0)).isEmpty();
        assertThat(counters.published()).isEqualTo(3);
    }

    @Test
    void shouldPublishUnusedSlotsOfARangeAsSkips() throws Exception
    {
        setUp(1, 64);
        publisher.beginBatch(4);
        record("a", "m1", 1);
        publisher.endBatch();
        assertThat(drain(0)).containsExactly("m1=1.0", "skip", "skip", "skip");
        assertThat(counters.published()).isEqualTo(1);
    }

    @Test
    void shouldClaimFurtherRangesWhenTheHintIsTooSmall() throws Exception
    {
        setUp(1, 64);
        publisher.beginBatch(1);
        for (int i = 0; i < 5; i++)
        {
            record("a", "m" + i, i);
        }
        publisher.endBatch();
        assertThat(drain(0)).containsExactly("m0=0.0", "m1=1.0", "m2=2.0", "m3=3.0", "m4=4.0");
    }

    @Test
    void shouldKeepOrderPerShardAcrossShards() throws Exception
    {
        setUp(2, 64);
        publisher.beginBatch(40);
        for (int i = 0; i < 40; i++)
        {
            record("h" + (i % 4), "m", i);
        }
        publisher.endBatch();
        final List<String> all = new ArrayList<>();
        for (int s = 0; s < 2; s++)
        {
            final List<String> data = new ArrayList<>(drain(s));
            data.removeIf("skip"::equals);
            assertThat(data).isSortedAccordingTo((a, b) -> Double.compare(value(a), value(b)));
            all.addAll(data);
        }
        assertThat(all).hasSize(40);
        assertThat(counters.published()).isEqualTo(40);
    }

    @Test
    void shouldFallBackToSingleSlotsAndDropWhenTheRingIsFull() throws Exception
    {
        setUp(1, 4);
        publisher.beginBatch(6);
        int dropped = 0;
        for (int i = 0; i < 6; i++)
        {
            dropped += record("a", "m" + i, i) == PublishResult.RING_FULL ? 1 : 0;
        }
        publisher.endBatch();
        assertThat(drain(0)).containsExactly("m0=0.0", "m1=1.0", "m2=2.0", "m3=3.0");
        assertThat(dropped).isEqualTo(2);
        assertThat(counters.dropped()).isEqualTo(2);
    }

    @Test
    void shouldRepeatTheDimensionsOfThePreviousRecordOnly() throws Exception
    {
        setUp(1, 64);
        publisher.beginRecord(1000, SampleEvent.NO_REQUEST_TIME);
        publisher.dimension("host", "a");
        assertThat(publisher.dimensionsId()).isEqualTo(PublishResult.NOT_REPEATABLE);
        publisher.endDimensions();
        final long id = publisher.dimensionsId();
        publisher.beginMetric("m1", MetricType.GAUGE, Unit.NONE);
        publisher.sample(1);
        publisher.endMetric();
        assertThat(publisher.beginRecordRepeating(2000, SampleEvent.NO_REQUEST_TIME, id)).isEqualTo(PublishResult.OK);
        publisher.beginMetric("m2", MetricType.GAUGE, Unit.NONE);
        publisher.sample(2);
        publisher.endMetric();
        record("b", "m3", 3);
        assertThat(publisher.beginRecordRepeating(3000, SampleEvent.NO_REQUEST_TIME, id))
            .isEqualTo(PublishResult.NOT_REPEATABLE);

        final List<String> keys = new ArrayList<>();
        pollers.get(0).poll((event, sequence, endOfBatch) ->
        {
            keys.add(event.key().getStringWithoutLengthAscii(0, event.dimsLength()) + "@" + event.timestampMs()
                + "#" + event.dimsHash());
            return true;
        });
        assertThat(keys).hasSize(3);
        assertThat(keys.get(1)).isEqualTo(keys.get(0).replace("@1000", "@2000"));
        assertThat(keys.get(2)).doesNotStartWith(keys.get(0).substring(0, keys.get(0).indexOf('@')));
    }

    @Test
    void shouldWaitBrieflyForSpaceThenDropWithoutWaitingAgainForAWhile() throws Exception
    {
        final FakeClock clock = new FakeClock();
        setUpWaiting(SamplePublisher.Backpressure.WAIT_BRIEFLY, clock);
        publisher.beginBatch(4);
        for (int i = 0; i < 4; i++)
        {
            record("a", "m" + i, i);
        }
        final long start = clock.nanoTime();
        assertThat(record("a", "late", 9)).isEqualTo(PublishResult.RING_FULL); // nobody drains: waits, then drops
        assertThat(clock.nanoTime() - start).isGreaterThanOrEqualTo(50_000_000L);
        assertThat(clock.parks).isPositive();
        final int parksAfterWait = clock.parks;
        assertThat(record("a", "later", 10)).isEqualTo(PublishResult.RING_FULL); // inside the no-wait window
        assertThat(clock.parks).isEqualTo(parksAfterWait);
        clock.now += 50_000_000L; // the window has passed: a full ring waits again
        assertThat(record("a", "last", 11)).isEqualTo(PublishResult.RING_FULL);
        assertThat(clock.parks).isGreaterThan(parksAfterWait);
        publisher.endBatch();
        assertThat(drain(0)).containsExactly("m0=0.0", "m1=1.0", "m2=2.0", "m3=3.0");
        assertThat(counters.dropped()).isEqualTo(3);
    }

    @Test
    void shouldPublishHeldRangesBeforeWaitingAndTakeTheSlotFreedMeanwhile() throws Exception
    {
        final FakeClock clock = new FakeClock();
        setUpWaiting(SamplePublisher.Backpressure.WAIT, clock);
        final List<String> drainedWhileParked = new ArrayList<>();
        clock.onPark = () ->
        {
            try
            {
                drainedWhileParked.addAll(drain(0));
            }
            catch (final Exception e)
            {
                throw new IllegalStateException(e);
            }
        };
        publisher.beginBatch(4);
        for (int i = 0; i < 4; i++)
        {
            record("a", "m" + i, i);
        }
        assertThat(record("a", "late", 9)).isEqualTo(PublishResult.OK);
        publisher.endBatch();

        assertThat(drainedWhileParked).containsExactly("m0=0.0", "m1=1.0", "m2=2.0", "m3=3.0");
        assertThat(clock.parks).isEqualTo(1);
        assertThat(drain(0)).containsExactly("late=9.0");
        assertThat(counters.dropped()).isZero();
        assertThat(counters.published()).isEqualTo(5);
    }

    private void setUpWaiting(final SamplePublisher.Backpressure backpressure, final ParkingClock clock)
    {
        rings = new ShardRings(1, 4);
        final RingBuffer<SampleEvent> ring = rings.ring(0);
        final EventPoller<SampleEvent> poller = ring.newPoller();
        ring.addGatingSequences(poller.getSequence());
        pollers.add(poller);
        publisher = new SamplePublisher(rings, backpressure, counters, clock);
    }

    /** Time moves only when the publisher parks (by the parked amount), so no test waits for real. */
    private static final class FakeClock implements ParkingClock
    {
        private long now = 1_000_000L;
        private int parks;
        private Runnable onPark = () ->
        {
        };

        @Override
        public long nanoTime()
        {
            return now;
        }

        @Override
        public void parkNanos(final long nanos)
        {
            parks++;
            now += nanos;
            onPark.run();
        }
    }

    private static double value(final String entry)
    {
        return Double.parseDouble(entry.substring(entry.indexOf('=') + 1));
    }
}
