package mad.engine.aggregate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;

import mad.engine.histogram.TruncatedHistogram;
import mad.engine.model.MetricType;
import mad.engine.sample.SampleEvent;
import mad.engine.stat.StatisticsPolicy;

/**
 * The single writer of one shard: drains its ring, keeps every open bucket of the series it owns, and closes buckets
 * when MAD would. One duty cycle ({@link #doWork()}) polls a bounded batch of events, closes expired buckets, and
 * recycles buckets the emitter gave back; it returns the amount of work so the idle strategy can back off.
 *
 * <h2>Buckets (mad-spec.md section 5)</h2>
 * A sample at epoch millisecond t goes, for every period P, to the bucket starting at {@code t - t % P} of its
 * dimension set. A bucket created at wall time {@code now} expires at {@code max(now + T, start + P + T)} with
 * {@code T = clamp(P / 2, 1 s, 10 min)} and closes on the first duty cycle after its expiry. Data for a start whose
 * bucket already closed opens a new bucket for the same start (MAD emits late data as a second aggregate).
 *
 * <p>Thread ownership: everything here belongs to the agent's thread. Closed buckets cross to the emitter through a
 * single-producer/single-consumer queue and come back the same way; the series and dimension objects they reference
 * are immutable where the emitter reads them.
 */
public final class AggregatorAgent implements Agent, EventPoller.Handler<SampleEvent>
{
    private static final Logger LOG = LoggerFactory.getLogger(AggregatorAgent.class);
    private static final int BATCH_LIMIT = 4096;
    private static final int LARGE_BUCKET = 1024;

    private final int shard;
    private final String roleName;
    private final EventPoller<SampleEvent> poller;
    private final long[] periodsMs;
    private final long[] closeDelaysMs;
    private final StatisticsPolicy statisticsPolicy;
    private final EpochClock clock;
    private final long idleTimeoutMs;
    private final int maxSeries;
    private final String pipelineName;
    /** Next time (epoch ms) a series rejection may be logged: one line per 30 s, the counter counts them all. */
    private long nextSeriesRejectionLogMs;
    private final long maxBucketLifeMs;
    private final ByteKeyTable<DimensionSet> dimensionSets =
        new ByteKeyTable<>(new ByteKeyTable.KeyOf<>()
        {
            @Override
            public byte[] key(final DimensionSet entry)
            {
                return entry.key;
            }
        }, 1024);
    private final ByteKeyTable<Series> series =
        new ByteKeyTable<>(new ByteKeyTable.KeyOf<>()
        {
            @Override
            public byte[] key(final Series entry)
            {
                return entry.key;
            }

            /** Copy of the candidate's ASCII name, compared with the vectorised array compare; aggregator only. */
            private byte[] nameBytes = new byte[64];

            @Override
            public byte[] prefix(final Series entry)
            {
                return entry.dimensionSet.key;
            }

            @Override
            @SuppressWarnings("deprecation")
            public boolean tailMatches(final Series entry, final DirectBuffer buffer, final int offset, final int length)
            {
                final byte[] tail = entry.key;
                if (tail != null)
                {
                    return tail.length == length && ByteKeyTable.sameBytes(tail, length, buffer, offset);
                }
                // ASCII name: the tail is its length (u16 LE) and its chars as bytes. String.getBytes(int, int, byte[],
                // int) copies the low byte of each char (exact for ASCII; an arraycopy for a Latin-1 string).
                final String name = entry.name;
                final int nameLength = name.length();
                if (length != nameLength + 2
                    || ((buffer.getByte(offset) & 0xFF) | (buffer.getByte(offset + 1) & 0xFF) << 8) != nameLength)
                {
                    return false;
                }
                if (nameBytes.length < nameLength)
                {
                    nameBytes = new byte[Math.max(nameLength, nameBytes.length * 2)];
                }
                name.getBytes(0, nameLength, nameBytes, 0);
                return ByteKeyTable.sameBytes(nameBytes, nameLength, buffer, offset + 2);
            }
        }, 4096);
    private final BucketHeap openBuckets = new BucketHeap();
    private final OneToOneConcurrentArrayQueue<Bucket> closedQueue;
    private final OneToOneConcurrentArrayQueue<Bucket> returnQueue;
    private final ArrayDeque<Bucket> handoffOverflow = new ArrayDeque<>();
    /** Pooled buckets whose arrays hold at least {@link #LARGE_BUCKET} slots, and the others (see openBucket). */
    private final ArrayDeque<Bucket> largeBucketPool = new ArrayDeque<>();
    private final ArrayDeque<Bucket> smallBucketPool = new ArrayDeque<>();
    private final ArrayDeque<TruncatedHistogram> histogramPool = new ArrayDeque<>();
    private final AggregatorCounters counters = new AggregatorCounters();

    private long now;
    private int batchCount;
    private long batchSamples;
    private long nextEvictionCheckMs;
    private volatile long flushRequests;
    private volatile long flushesDone;

    /**
     * @param shard index of this shard.
     * @param pipelineName for the thread name.
     * @param ring the shard's ring, polled in place.
     * @param periods the pipeline's periods.
     * @param statisticsPolicy which statistics each new series computes.
     * @param clock wall clock (epoch ms); tests pass a fake.
     * @param idleTimeout series and dimension sets without data for this long, and with no open bucket, are forgotten.
     * @param handoffCapacity capacity of the closed-bucket queue to the emitter (power of two).
     * @param maxSeries active series this shard keeps at most; samples of further new series are rejected.
     */
    public AggregatorAgent(
        final int shard, final String pipelineName, final RingBuffer<SampleEvent> ring, final Duration[] periods,
        final StatisticsPolicy statisticsPolicy, final EpochClock clock, final Duration idleTimeout,
        final int handoffCapacity, final int maxSeries)
    {
        this.maxSeries = maxSeries;
        this.pipelineName = pipelineName;
        this.shard = shard;
        this.roleName = "aggregator-" + pipelineName + "-" + shard;
        this.poller = ring.newPoller();
        ring.addGatingSequences(poller.getSequence());
        this.periodsMs = new long[periods.length];
        this.closeDelaysMs = new long[periods.length];
        for (int i = 0; i < periods.length; i++)
        {
            periodsMs[i] = periods[i].toMillis();
            closeDelaysMs[i] = closeDelayMs(periodsMs[i]);
        }
        long longest = 0;
        for (int i = 0; i < periods.length; i++)
        {
            longest = Math.max(longest, periodsMs[i] + closeDelaysMs[i]);
        }
        this.maxBucketLifeMs = longest;
        this.statisticsPolicy = statisticsPolicy;
        this.clock = clock;
        this.idleTimeoutMs = Math.max(1, idleTimeout.toMillis());
        this.closedQueue = new OneToOneConcurrentArrayQueue<>(handoffCapacity);
        this.returnQueue = new OneToOneConcurrentArrayQueue<>(handoffCapacity * 2);
        this.nextEvictionCheckMs = clock.time() + idleTimeoutMs;
    }

    /**
     * MAD's close delay: half the period, at least one second and at most ten minutes.
     *
     * @param periodMs the period.
     * @return the delay after the period's end (or after creation, for late buckets) before a bucket closes.
     */
    public static long closeDelayMs(final long periodMs)
    {
        return Math.min(600_000L, Math.max(1_000L, periodMs / 2));
    }

    @Override
    public String roleName()
    {
        return roleName;
    }

    public AggregatorCounters counters()
    {
        return counters;
    }

    OneToOneConcurrentArrayQueue<Bucket> closedQueue()
    {
        return closedQueue;
    }

    OneToOneConcurrentArrayQueue<Bucket> returnQueue()
    {
        return returnQueue;
    }

    int openBucketCount()
    {
        return openBuckets.size();
    }

    int seriesCount()
    {
        return series.size();
    }

    /**
     * @return how many flush events this agent has completed (see {@link mad.engine.Engine#flush}).
     */
    public long flushesDone()
    {
        return flushesDone;
    }

    @Override
    public int doWork() throws Exception
    {
        now = clock.time();
        batchCount = 0;
        batchSamples = 0;
        poller.poll(this);
        int work = batchCount;
        if (batchSamples > 0)
        {
            counters.samples.lazySet(counters.samples.get() + batchSamples);
        }
        work += closeExpired();
        work += recycleReturned();
        work += drainOverflow();
        if (now >= nextEvictionCheckMs)
        {
            evictIdle();
            nextEvictionCheckMs = now + idleTimeoutMs;
        }
        return work;
    }

    @Override
    public boolean onEvent(final SampleEvent event, final long sequence, final boolean endOfBatch)
    {
        try
        {
            apply(event);
        }
        catch (final RuntimeException ex)
        {
            // A defect must not cost the shard: drop this event, keep running.
            LOG.error("aggregator {} failed on an event; event dropped", roleName, ex);
        }
        return ++batchCount < BATCH_LIMIT;
    }

    private void apply(final SampleEvent event)
    {
        if (event.kind() == SampleEvent.KIND_SKIP)
        {
            return;
        }
        if (event.kind() == SampleEvent.KIND_FLUSH)
        {
            closeAll();
            flushesDone = flushesDone + 1;
            return;
        }
        Series target = series.get(event.key(), 0, event.keyLength(), event.keyHash());
        if (target == null)
        {
            if (series.size() >= maxSeries)
            {
                rejectSeries(event);
                return;
            }
            target = createSeries(event);
        }
        target.lastSeenMs = now;
        target.dimensionSet.lastSeenMs = now;
        final long timestamp = event.timestampMs();
        for (int p = 0; p < periodsMs.length; p++)
        {
            final long start = timestamp - timestamp % periodsMs[p];
            final DimensionSet dimensionSet = target.dimensionSet;
            Bucket bucket = dimensionSet.find(p, start);
            if (bucket == null)
            {
                bucket = openBucket(dimensionSet, p, start);
            }
            bucket.noteRequestTime(event.requestTimeMs());
            accumulate(bucket, bucket.slotOf(target, histogramPool), event);
        }
    }

    private Bucket openBucket(final DimensionSet dimensionSet, final int period, final long start)
    {
        final long periodMs = periodsMs[period];
        final long delay = closeDelaysMs[period];
        final long expiry = Math.max(now + delay, start + periodMs + delay);
        if (now >= start + periodMs + delay)
        {
            counters.lateBuckets.lazySet(counters.lateBuckets.get() + 1);
        }
        final Bucket bucket = pooledBucket(dimensionSet.localCount);
        bucket.ensureCapacity(dimensionSet.localCount);
        bucket.reset(dimensionSet, period, start, expiry);
        dimensionSet.add(period, bucket);
        openBuckets.add(bucket);
        return bucket;
    }

    /**
     * A pooled bucket, preferring one whose arrays fit the expected size: large dimension sets take large buckets and
     * small ones small buckets, so that large arrays do not drift onto every small dimension set's buckets (and a
     * large set does not keep growing small ones).
     */
    private Bucket pooledBucket(final int expectedSize)
    {
        final ArrayDeque<Bucket> preferred = expectedSize >= LARGE_BUCKET / 2 ? largeBucketPool : smallBucketPool;
        final ArrayDeque<Bucket> other = preferred == largeBucketPool ? smallBucketPool : largeBucketPool;
        if (!preferred.isEmpty())
        {
            return preferred.pop();
        }
        if (!other.isEmpty())
        {
            return other.pop();
        }
        return new Bucket(shard);
    }

    private void accumulate(final Bucket bucket, final int slot, final SampleEvent event)
    {
        final byte unit = (byte)event.unit().ordinal();
        final byte slotUnit = bucket.unit[slot];
        if (slotUnit == Bucket.NO_UNIT)
        {
            bucket.unit[slot] = unit;
        }
        else if (slotUnit != unit)
        {
            // MAD throws here and loses every open bucket of the dimension set; we reject this sample alone.
            counters.unitConflicts.lazySet(counters.unitConflicts.get() + 1);
            return;
        }
        final int samples = event.sampleCount();
        for (int i = 0; i < samples; i++)
        {
            bucket.addSample(slot, event.sample(i));
        }
        batchSamples += samples;
        if (event.hasClientStats())
        {
            bucket.count[slot] += event.clientCount();
            bucket.addSum(slot, event.clientSum());
            bucket.addMinMax(slot, event.clientMin(), event.clientMax());
            batchSamples += event.clientCount();
        }
        final TruncatedHistogram histogram = bucket.histograms[slot];
        if (histogram != null)
        {
            for (int i = 0, n = event.histogramCount(); i < n; i++)
            {
                histogram.recordBucket(event.histogramBits(i), event.histogramCountAt(i));
            }
        }
    }

    /** The series table is full: this sample's new series is rejected alone; existing series are untouched. */
    private void rejectSeries(final SampleEvent event)
    {
        counters.seriesRejected.lazySet(counters.seriesRejected.get() + 1);
        if (now >= nextSeriesRejectionLogMs)
        {
            nextSeriesRejectionLogMs = now + 30_000;
            final int nameLength = (event.key().getByte(event.dimsLength()) & 0xFF)
                | (event.key().getByte(event.dimsLength() + 1) & 0xFF) << 8;
            LOG.warn("pipeline {}: series limit of {} active series per aggregator reached; rejecting new series "
                + "(first: '{}'; {} rejected so far; further warnings suppressed for 30 s)", pipelineName, maxSeries,
                event.key().getStringWithoutLengthUtf8(event.dimsLength() + 2, nameLength),
                counters.seriesRejected.get());
        }
    }

    private Series createSeries(final SampleEvent event)
    {
        DimensionSet dimensionSet = dimensionSets.get(event.key(), 0, event.dimsLength(), event.dimsHash());
        if (dimensionSet == null)
        {
            final byte[] dimsKey = new byte[event.dimsLength()];
            event.key().getBytes(0, dimsKey);
            dimensionSet = new DimensionSet(dimsKey, event.dimsHash(), decodeDimensions(dimsKey), periodsMs.length);
            dimensionSets.put(dimensionSet, event.dimsHash());
        }
        // Only the tail after the dimensions: the series borrows those bytes from its dimension set (ByteKeyTable.KeyOf);
        // and an ASCII name's tail is its String's chars, so it is kept only for other names (see the series KeyOf).
        final byte[] key = new byte[event.keyLength() - event.dimsLength()];
        event.key().getBytes(event.dimsLength(), key);
        final int nameLength = (key[0] & 0xFF) | (key[1] & 0xFF) << 8;
        final String name = new String(key, 2, nameLength, StandardCharsets.UTF_8);
        final byte[] tail = isAscii(key, 2, nameLength) ? null : key;
        final MetricType type = event.type();
        final Series created = new Series(
            tail, dimensionSet, name, type, statisticsPolicy.resolve(name, type));
        series.put(created, event.keyHash());
        counters.seriesCreated.lazySet(counters.seriesCreated.get() + 1);
        return created;
    }

    private static boolean isAscii(final byte[] bytes, final int from, final int length)
    {
        for (int i = from, end = from + length; i < end; i++)
        {
            if (bytes[i] < 0)
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Decodes the canonical dimension bytes (see {@link SampleEvent}) into an immutable, name-ordered map.
     */
    static Map<String, String> decodeDimensions(final byte[] dims)
    {
        final Map<String, String> map = new LinkedHashMap<>();
        int position = 0;
        while (position < dims.length)
        {
            final int nameLength = (dims[position] & 0xFF) | (dims[position + 1] & 0xFF) << 8;
            final String name = new String(dims, position + 2, nameLength, StandardCharsets.UTF_8);
            position += 2 + nameLength;
            final int valueLength = (dims[position] & 0xFF) | (dims[position + 1] & 0xFF) << 8;
            final String value = new String(dims, position + 2, valueLength, StandardCharsets.UTF_8);
            position += 2 + valueLength;
            map.put(name, value);
        }
        return Collections.unmodifiableMap(map);
    }

    private int closeExpired()
    {
        int closed = 0;
        Bucket next = openBuckets.peek();
        while (next != null && next.expiryMs < now)
        {
            close(openBuckets.poll());
            closed++;
            next = openBuckets.peek();
        }
        return closed;
    }

    private void closeAll()
    {
        Bucket next = openBuckets.poll();
        while (next != null)
        {
            close(next);
            next = openBuckets.poll();
        }
    }

    private void close(final Bucket bucket)
    {
        bucket.dimensionSet.remove(bucket.periodIndex, bucket);
        counters.bucketsClosed.lazySet(counters.bucketsClosed.get() + 1);
        if (!handoffOverflow.isEmpty() || !closedQueue.offer(bucket))
        {
            handoffOverflow.add(bucket);
            counters.handoffOverflows.lazySet(counters.handoffOverflows.get() + 1);
        }
    }

    private int drainOverflow()
    {
        int moved = 0;
        while (!handoffOverflow.isEmpty() && closedQueue.offer(handoffOverflow.peek()))
        {
            handoffOverflow.poll();
            moved++;
        }
        return moved;
    }

    private int recycleReturned()
    {
        int recycled = 0;
        Bucket bucket = returnQueue.poll();
        while (bucket != null)
        {
            bucket.release(histogramPool);
            (bucket.capacity() >= LARGE_BUCKET ? largeBucketPool : smallBucketPool).push(bucket);
            recycled++;
            bucket = returnQueue.poll();
        }
        return recycled;
    }

    private void evictIdle()
    {
        // Keep anything that might still sit in an open bucket: the longest period plus its close delay.
        final long cutoff = now - idleTimeoutMs - maxBucketLifeMs;
        final int evicted = series.removeIf(s -> evictable(s, cutoff));
        dimensionSets.removeIf(d -> d.lastSeenMs < cutoff && !d.hasOpenBuckets());
        if (evicted > 0)
        {
            counters.seriesEvicted.lazySet(counters.seriesEvicted.get() + evicted);
        }
    }

    private static boolean evictable(final Series candidate, final long cutoff)
    {
        final DimensionSet dimensionSet = candidate.dimensionSet;
        if (candidate.lastSeenMs >= cutoff || dimensionSet.holds(candidate.local()))
        {
            return false;
        }
        dimensionSet.freeLocal(candidate.local());
        return true;
    }
}
