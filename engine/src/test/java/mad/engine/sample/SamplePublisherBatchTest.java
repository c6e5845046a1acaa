package mad.engine.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;

import mad.engine.model.MetricType;
import mad.engine.model.Unit;

class SamplePublisherBatchTest
{
    /** A dimension value that leaves room for one record per packed event. */
    private static final String BIG_HOST = "h".repeat(SampleEvent.PACK_BYTES / 2);

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

    /** A record whose key leaves room for only one record per packed event. */
    private int bigRecord(final String name, final double value)
    {
        return record(BIG_HOST, name, value);
    }

    /** Drains one shard: "name=value" per sample of every record, packed or not, "skip" per skipped slot. */
    private List<String> drain(final int shard) throws Exception
    {
        final List<String> seen = new ArrayList<>();
        pollers.get(shard).poll((event, sequence, endOfBatch) ->
        {
            if (event.kind() == SampleEvent.KIND_SKIP)
            {
                seen.add("skip");
            }
            else if (event.kind() == SampleEvent.KIND_PACKED)
            {
                while (event.nextRecord())
                {
                    addSamples(event, seen);
                }
            }
            else
            {
                addSamples(event, seen);
            }
            return true;
        });
        return seen;
    }

    /** Drains one shard: per slot its kind, and the records (names) a packed event holds: "P[m1,m2]", "D[m3]". */
    private List<String> drainSlots(final int shard) throws Exception
    {
        final List<String> seen = new ArrayList<>();
        pollers.get(shard).poll((event, sequence, endOfBatch) ->
        {
            if (event.kind() == SampleEvent.KIND_SKIP)
            {
                seen.add("skip");
            }
            else if (event.kind() == SampleEvent.KIND_PACKED)
            {
                final List<String> names = new ArrayList<>();
                while (event.nextRecord())
                {
                    names.add(name(event));
                }
                seen.add("P" + names.toString().replace(" ", ""));
            }
            else
            {
                seen.add("D[" + name(event) + (event.hasClientStats() ? "+stats" : "") + "]");
            }
            return true;
        });
        return seen;
    }

    private static String name(final SampleEvent event)
    {
        final int at = event.keyOffset() + event.dimsLength();
        final int nameLength = event.key().getShort(at) & 0xFFFF;
        return event.key().getStringWithoutLengthUtf8(at + 2, nameLength);
    }

    private static void addSamples(final SampleEvent event, final List<String> seen)
    {
        for (int i = 0; i < event.sampleCount(); i++)
        {
            seen.add(name(event) + "=" + event.sample(i));
        }
    }

    @Test
    void shouldPackTheRecordsOfABatchIntoOneSlotAndPublishItAtTheEnd() throws Exception
    {
        setUp(1, 64);
        publisher.beginBatch(3);
        record("a", "m1", 1);
        record("a", "m2", 2);
        record("b", "m1", 3);
        assertThat(drain(0)).isEmpty();
        assertThat(rings.ring(0).getCursor()).isEqualTo(0); // three small records need one slot
        publisher.endBatch();
        assertThat(drainSlots(0)).containsExactly("P[m1,m2,m1]");
        assertThat(counters.published()).isEqualTo(3);
    }

    @Test
    void shouldCarryEveryFieldOfAPackedRecord() throws Exception
    {
        setUp(1, 64);
        publisher.beginBatch(2);
        publisher.beginRecord(1234, 99);
        publisher.dimension("host", "a");
        publisher.endDimensions();
        publisher.beginMetric("t", MetricType.TIMER, Unit.SECOND);
        publisher.sample(1.5);
        publisher.sample(-2.5);
        publisher.endMetric();
        final int dimsHash = publisherDimsHash();
        publisher.endBatch();

        final List<String> seen = new ArrayList<>();
        pollers.get(0).poll((event, sequence, endOfBatch) ->
        {
            assertThat(event.kind()).isEqualTo(SampleEvent.KIND_PACKED);
            assertThat(event.packedRecords()).isEqualTo(1);
            assertThat(event.nextRecord()).isTrue();
            seen.add(name(event) + " " + event.type() + " " + event.unit() + " @" + event.timestampMs() + " r"
                + event.requestTimeMs() + " " + event.sample(0) + "," + event.sample(1) + " n" + event.sampleCount());
            assertThat(event.dimsHash()).isEqualTo(dimsHash);
            assertThat(event.key().getStringWithoutLengthAscii(event.keyOffset() + 2, 4)).isEqualTo("host");
            assertThat(event.nextRecord()).isFalse();
            return true;
        });
        assertThat(seen).containsExactly("t TIMER SECOND @1234 r99 1.5,-2.5 n2");
    }

    /** The dims hash of {host=a}, computed from its canonical bytes like the publisher does. */
    private static int publisherDimsHash()
    {
        final ExpandableArrayBuffer key = new ExpandableArrayBuffer(16);
        key.putShort(0, (short)4);
        key.putStringWithoutLengthAscii(2, "host");
        key.putShort(6, (short)1);
        key.putStringWithoutLengthAscii(8, "a");
        return KeyHash.hash(key, 0, 9, 0);
    }

    @Test
    void shouldPublishUnusedSlotsOfARangeAsSkips() throws Exception
    {
        setUp(1, 64);
        publisher.beginBatch(200); // the hint asks for more slots than one record fills
        record("a", "m1", 1);
        publisher.endBatch();
        final List<String> slots = drainSlots(0);
        assertThat(slots).hasSizeGreaterThan(1);
        assertThat(slots.get(0)).isEqualTo("P[m1]");
        assertThat(slots.subList(1, slots.size())).containsOnly("skip");
        assertThat(counters.published()).isEqualTo(1);
    }

    @Test
    void shouldStartANewPackWhenTheAreaIsFullAndKeepOrder() throws Exception
    {
        setUp(1, 64);
        publisher.beginBatch(1);
        for (int i = 0; i < 200; i++)
        {
            record("a", "m" + i, i);
        }
        publisher.endBatch();
        final List<String> data = drain(0);
        assertThat(data).hasSize(200);
        assertThat(data).isSortedAccordingTo((a, b) -> Double.compare(value(a), value(b)));
        assertThat(rings.ring(0).getCursor()).isGreaterThan(2); // 200 records of ~55 bytes: several packs
        assertThat(counters.published()).isEqualTo(200);
    }

    @Test
    void shouldSplitARecordWhoseSamplesDoNotFitIntoTheNextPack() throws Exception
    {
        setUp(1, 64);
        publisher.beginBatch(1);
        publisher.beginRecord(1000, SampleEvent.NO_REQUEST_TIME);
        publisher.dimension("host", "a");
        publisher.endDimensions();
        publisher.beginMetric("m", MetricType.GAUGE, Unit.NONE);
        for (int i = 0; i < 1000; i++)
        {
            assertThat(publisher.sample(i)).isEqualTo(PublishResult.OK);
        }
        publisher.endMetric();
        publisher.endBatch();
        final List<String> slots = drainSlots(0);
        assertThat(slots).hasSizeGreaterThan(3).allMatch("P[m]"::equals);
        assertThat(counters.published()).isEqualTo(1000);
    }

    @Test
    void shouldKeepClientStatisticsInAnEventOfTheirOwnAfterThePackedSamples() throws Exception
    {
        setUp(1, 64);
        publisher.beginBatch(3);
        record("a", "m1", 1);
        publisher.beginRecord(1000, SampleEvent.NO_REQUEST_TIME);
        publisher.dimension("host", "a");
        publisher.endDimensions();
        publisher.beginMetric("h", MetricType.TIMER, Unit.NONE);
        publisher.sample(2);
        publisher.clientStatistics(1, 3, 4, 2);
        publisher.sample(3);
        publisher.endMetric();
        record("a", "m2", 4);
        publisher.endBatch();
        final List<String> slots = drainSlots(0);
        slots.removeIf("skip"::equals);
        assertThat(slots).containsExactly("P[m1,h]", "D[h+stats]", "P[m2]");
        assertThat(counters.published()).isEqualTo(1 + 1 + 2 + 1 + 1);
    }

    @Test
    void shouldGiveAKeyTooLargeForAPackASlotOfItsOwn() throws Exception
    {
        setUp(1, 64);
        publisher.beginBatch(3);
        record("a", "m1", 1);
        record("h".repeat(SampleEvent.PACK_BYTES), "m2", 2);
        record("a", "m3", 3);
        publisher.endBatch();
        final List<String> slots = drainSlots(0);
        slots.removeIf("skip"::equals);
        assertThat(slots).containsExactly("P[m1]", "D[m2]", "P[m3]");
    }

    @Test
    void shouldPackPerShardAndKeepOrderPerShard() throws Exception
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
            assertThat(rings.ring(s).getCursor()).isLessThan(4); // a few slots per shard, not one per record
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
            dropped += bigRecord("m" + i, i) == PublishResult.RING_FULL ? 1 : 0;
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
            bigRecord("m" + i, i);
        }
        final long start = clock.nanoTime();
        assertThat(bigRecord("late", 9)).isEqualTo(PublishResult.RING_FULL); // nobody drains: waits, then drops
        assertThat(clock.nanoTime() - start).isGreaterThanOrEqualTo(50_000_000L);
        assertThat(clock.parks).isPositive();
        final int parksAfterWait = clock.parks;
        assertThat(bigRecord("later", 10)).isEqualTo(PublishResult.RING_FULL); // inside the no-wait window
        assertThat(clock.parks).isEqualTo(parksAfterWait);
        clock.now += 50_000_000L; // the window has passed: a full ring waits again
        assertThat(bigRecord("last", 11)).isEqualTo(PublishResult.RING_FULL);
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
            bigRecord("m" + i, i);
        }
        assertThat(bigRecord("late", 9)).isEqualTo(PublishResult.OK);
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
