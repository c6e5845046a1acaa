package mad.engine.sample;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;

import mad.engine.histogram.TruncatedHistogram;
import mad.engine.model.MetricType;
import mad.engine.model.Unit;

/**
 * The only way ingest hands data to the engine: a decoder describes one record at a time and the publisher writes
 * straight into pre-allocated ring events, with no object per sample.
 *
 * <pre>
 *   beginRecord(time, requestTime)
 *   dimension(name, value) ...          // any order; sorted and checked for duplicates by endDimensions()
 *   endDimensions()                     // OK or DUPLICATE_DIMENSION / KEY_TOO_LARGE
 *   beginMetric(name, type, unit)       // then samples and/or client statistics
 *     sample(v) ...
 *     clientStatistics(min, max, sum, count)   clientHistogramEntry(packedKey, count) ...
 *   endMetric()
 *   ... more metrics of the same record
 * </pre>
 * Order is MAD's: within one series, values reach the aggregator in the order they were given, and events that carry
 * both samples and client statistics are applied samples first. Continuations (more than
 * {@link SampleEvent#MAX_VALUES_PER_EVENT} values) are split transparently.
 *
 * <h2>Batches</h2>
 * Between {@link #beginBatch(int)} and {@link #endBatch()} (one UDP datagram) slots are claimed per shard as a range
 * ({@code tryNext(n)}, n from the hint) and published as a range ({@code publish(lo, hi)}) when the range is filled
 * or the batch ends; slots of a range left unused are published as {@link SampleEvent#KIND_SKIP}. One claim CAS and
 * one publish per datagram and shard, instead of one per line, is what makes the producer/aggregator hand-off cheap.
 * The slots of a range are filled in call order, so order per series (per shard, in fact) is unchanged. A producer
 * holds unpublished slots only while it decodes one datagram; before it parks for space (WAIT) it publishes every
 * range it holds, so two producers can never wait on each other's unpublished slots.
 *
 * <h2>Repeated dimensions</h2>
 * {@link #dimensionsId()} / {@link #beginRecordRepeating} reuse the canonical dimension key (bytes, hash) of the
 * previous record: the key scratch keeps the dimensions in front of the metric name, so a record with the same
 * dimensions only rewrites the name.
 *
 * <p>Thread ownership: one instance per producing thread (it holds scratch state). Counters are single-writer and may
 * be read from any thread.
 */
public final class SamplePublisher implements SampleWriter
{
    /** Largest encoded key (dimensions and metric name) accepted. */
    public static final int MAX_KEY_BYTES = 0xFFFF;
    /** Most dimensions one record may carry. */
    public static final int MAX_DIMENSIONS = 256;

    /** How a full ring is handled. */
    public enum Backpressure
    {
        /** Drop at once and count. */
        DROP(0),
        /**
         * Park up to 50 ms, then drop and count (UDP): a full ring only means the aggregator was descheduled for a
         * moment on a busy box; while the producer parks, the socket's receive buffer (MiBs, far more than the ring)
         * holds the backlog, and the kernel drops only if that fills too. After a wait that ran out, further full
         * rings drop at once for the same 50 ms, so a stuck aggregator cannot slow the loop to one datagram per wait.
         */
        WAIT_BRIEFLY(TimeUnit.MILLISECONDS.toNanos(50)),
        /** Park the producing thread up to 5 s, which stops it reading its socket (HTTP, TCP, Kafka). */
        WAIT(TimeUnit.SECONDS.toNanos(5));

        private final long limitNs;

        Backpressure(final long limitNs)
        {
            this.limitNs = limitNs;
        }
    }

    /** One park while waiting for ring space. */
    private static final long PARK_NS = 20_000;

    /** Largest range claimed at once (a datagram of 8 KiB holds ~100 lines). */
    private static final int MAX_BATCH_CLAIM = 256;

    private final ShardRings rings;
    private final Backpressure backpressure;
    private final PublisherCounters counters;
    private final ParkingClock clock;

    private final ExpandableArrayBuffer dimScratch = new ExpandableArrayBuffer(256);
    private int[] dimOffset = new int[16];
    private int[] dimNameLength = new int[16];
    private int[] dimValueLength = new int[16];
    private int[] dimOrder = new int[16];
    private int dimCount;
    private int dimScratchLength;
    private boolean dimOverflow;

    private final ExpandableArrayBuffer keyScratch = new ExpandableArrayBuffer(256);
    private int dimsLength;
    private int dimsHash;
    private int keyLength;
    private int keyHash;

    /** Incremented by every beginRecord; the id of the current dimensions when {@link #dimsValid}. */
    private long dimsId;
    private boolean dimsValid;

    private long timestampMs;
    private long requestTimeMs;
    private byte type;
    private byte unit;
    private int metricResult;

    private RingBuffer<SampleEvent> ring;
    private SampleEvent event;
    private long sequence;
    private long eventSamples;

    /** {@link ParkingClock#nanoTime()} until which a full ring drops without waiting (after a wait ran out). */
    private long noWaitUntilNs;
    private boolean hasNoWaitWindow;

    private boolean batching;
    private int batchRemaining;
    private long batchSamples;
    /** Per shard: first claimed, not yet published slot of the open range; -1 when none. */
    private final long[] rangeLo;
    /** Per shard: next slot to fill in the open range. */
    private final long[] rangeNext;
    /** Per shard: last slot of the open range. */
    private final long[] rangeHi;

    /**
     * @param rings the engine's shard rings.
     * @param backpressure what to do when a ring is full.
     * @param counters where this publisher counts what it published and dropped.
     */
    public SamplePublisher(final ShardRings rings, final Backpressure backpressure, final PublisherCounters counters)
    {
        this(rings, backpressure, counters, ParkingClock.SYSTEM);
    }

    /**
     * @param rings the engine's shard rings.
     * @param backpressure what to do when a ring is full.
     * @param counters where this publisher counts what it published and dropped.
     * @param clock times and parks the waits for ring space ({@link ParkingClock#SYSTEM} in production).
     */
    public SamplePublisher(final ShardRings rings, final Backpressure backpressure, final PublisherCounters counters,
        final ParkingClock clock)
    {
        this.rings = rings;
        this.backpressure = backpressure;
        this.counters = counters;
        this.clock = clock;
        final int shards = rings.shardCount();
        rangeLo = new long[shards];
        rangeNext = new long[shards];
        rangeHi = new long[shards];
        java.util.Arrays.fill(rangeLo, -1);
    }

    public PublisherCounters counters()
    {
        return counters;
    }

    /**
     * Starts a record.
     *
     * @param timestampMs the record time (epoch ms) that picks the bucket.
     * @param requestTimeMs the client's request time (epoch ms) or {@link SampleEvent#NO_REQUEST_TIME}.
     */
    @Override
    public void beginRecord(final long timestampMs, final long requestTimeMs)
    {
        this.timestampMs = timestampMs;
        this.requestTimeMs = requestTimeMs;
        dimCount = 0;
        dimScratchLength = 0;
        dimOverflow = false;
        dimsId++;
        dimsValid = false;
    }

    @Override
    public long dimensionsId()
    {
        return dimsValid ? dimsId : PublishResult.NOT_REPEATABLE;
    }

    @Override
    public int beginRecordRepeating(final long timestampMs, final long requestTimeMs, final long dimensionsId)
    {
        if (!dimsValid || dimensionsId != dimsId)
        {
            return PublishResult.NOT_REPEATABLE;
        }
        this.timestampMs = timestampMs;
        this.requestTimeMs = requestTimeMs;
        return PublishResult.OK;
    }

    @Override
    public void beginBatch(final int expectedRecords)
    {
        batching = true;
        batchRemaining = Math.max(1, expectedRecords);
    }

    @Override
    public void endBatch()
    {
        if (event != null)
        {
            publishCurrent();
        }
        batching = false;
        publishRanges();
    }

    /**
     * Adds a dimension from bytes already in a buffer (UTF-8).
     */
    @Override
    public void dimension(
        final DirectBuffer nameBuffer, final int nameOffset, final int nameLength,
        final DirectBuffer valueBuffer, final int valueOffset, final int valueLength)
    {
        if (dimCount == MAX_DIMENSIONS || nameLength > MAX_KEY_BYTES || valueLength > MAX_KEY_BYTES)
        {
            dimOverflow = true;
            return;
        }
        ensureDimCapacity();
        final int offset = dimScratchLength;
        dimScratch.putBytes(offset, nameBuffer, nameOffset, nameLength);
        dimScratch.putBytes(offset + nameLength, valueBuffer, valueOffset, valueLength);
        dimOffset[dimCount] = offset;
        dimNameLength[dimCount] = nameLength;
        dimValueLength[dimCount] = valueLength;
        dimCount++;
        dimScratchLength = offset + nameLength + valueLength;
    }

    /**
     * Adds a dimension from text (slower path for decoders that already hold strings, and for tests).
     */
    @Override
    public void dimension(final CharSequence name, final CharSequence value)
    {
        if (dimCount == MAX_DIMENSIONS)
        {
            dimOverflow = true;
            return;
        }
        ensureDimCapacity();
        final int offset = dimScratchLength;
        final int nameLength = putUtf8(dimScratch, offset, name);
        final int valueLength = putUtf8(dimScratch, offset + nameLength, value);
        if (nameLength > MAX_KEY_BYTES || valueLength > MAX_KEY_BYTES)
        {
            dimOverflow = true;
            return;
        }
        dimOffset[dimCount] = offset;
        dimNameLength[dimCount] = nameLength;
        dimValueLength[dimCount] = valueLength;
        dimCount++;
        dimScratchLength = offset + nameLength + valueLength;
    }

    /**
     * Sorts the dimensions into the canonical key and hashes them.
     *
     * @return {@link PublishResult#OK}, {@link PublishResult#DUPLICATE_DIMENSION} or
     *         {@link PublishResult#KEY_TOO_LARGE}; after an error the record must not be published.
     */
    @Override
    public int endDimensions()
    {
        if (dimOverflow)
        {
            return PublishResult.KEY_TOO_LARGE;
        }
        for (int i = 0; i < dimCount; i++)
        {
            dimOrder[i] = i;
        }
        // Insertion sort: records carry a handful of dimensions and this allocates nothing.
        for (int i = 1; i < dimCount; i++)
        {
            final int current = dimOrder[i];
            int j = i - 1;
            while (j >= 0 && compareNames(dimOrder[j], current) > 0)
            {
                dimOrder[j + 1] = dimOrder[j];
                j--;
            }
            dimOrder[j + 1] = current;
        }
        int position = 0;
        for (int i = 0; i < dimCount; i++)
        {
            final int d = dimOrder[i];
            if (i > 0 && compareNames(dimOrder[i - 1], d) == 0)
            {
                return PublishResult.DUPLICATE_DIMENSION;
            }
            final int needed = 4 + dimNameLength[d] + dimValueLength[d];
            if (position + needed > MAX_KEY_BYTES)
            {
                return PublishResult.KEY_TOO_LARGE;
            }
            keyScratch.putShort(position, (short)dimNameLength[d]);
            keyScratch.putBytes(position + 2, dimScratch, dimOffset[d], dimNameLength[d]);
            position += 2 + dimNameLength[d];
            keyScratch.putShort(position, (short)dimValueLength[d]);
            keyScratch.putBytes(position + 2, dimScratch, dimOffset[d] + dimNameLength[d], dimValueLength[d]);
            position += 2 + dimValueLength[d];
        }
        dimsLength = position;
        dimsHash = KeyHash.hash(keyScratch, 0, dimsLength, 0);
        dimsValid = true;
        return PublishResult.OK;
    }

    /**
     * Starts a metric of the current record.
     *
     * @return {@link PublishResult#OK} or {@link PublishResult#KEY_TOO_LARGE}.
     */
    @Override
    public int beginMetric(
        final DirectBuffer nameBuffer, final int nameOffset, final int nameLength, final MetricType type,
        final Unit unit)
    {
        if (dimsLength + 2 + nameLength > MAX_KEY_BYTES)
        {
            metricResult = PublishResult.KEY_TOO_LARGE;
            return metricResult;
        }
        keyScratch.putShort(dimsLength, (short)nameLength);
        keyScratch.putBytes(dimsLength + 2, nameBuffer, nameOffset, nameLength);
        return startMetric(dimsLength + 2 + nameLength, type, unit);
    }

    /**
     * Starts a metric from text (slower path).
     *
     * @return {@link PublishResult#OK} or {@link PublishResult#KEY_TOO_LARGE}.
     */
    @Override
    public int beginMetric(final CharSequence name, final MetricType type, final Unit unit)
    {
        final int nameLength = putUtf8(keyScratch, dimsLength + 2, name);
        if (dimsLength + 2 + nameLength > MAX_KEY_BYTES)
        {
            metricResult = PublishResult.KEY_TOO_LARGE;
            return metricResult;
        }
        keyScratch.putShort(dimsLength, (short)nameLength);
        return startMetric(dimsLength + 2 + nameLength, type, unit);
    }

    private int startMetric(final int length, final MetricType metricType, final Unit metricUnit)
    {
        keyLength = length;
        type = (byte)metricType.ordinal();
        unit = (byte)metricUnit.ordinal();
        // The dimensions are hashed once per record (dimsHash): the key hash folds that in and hashes only the name.
        keyHash = KeyHash.hash(keyScratch, dimsLength, keyLength - dimsLength, ((long)dimsHash << 8) | (type + 1));
        metricResult = PublishResult.OK;
        return metricResult;
    }

    /**
     * Adds one sample to the current metric.
     *
     * @return {@link PublishResult#OK} or {@link PublishResult#RING_FULL} (the sample was dropped and counted).
     */
    @Override
    public int sample(final double value)
    {
        if (metricResult != PublishResult.OK)
        {
            return metricResult;
        }
        if (event == null && !claim())
        {
            counters.addDropped(1);
            return PublishResult.RING_FULL;
        }
        if (!event.addSample(value))
        {
            publishCurrent();
            if (!claim())
            {
                counters.addDropped(1);
                return PublishResult.RING_FULL;
            }
            event.addSample(value);
        }
        eventSamples++;
        return PublishResult.OK;
    }

    /**
     * Adds a client-computed statistic set (ClientV3 AugmentedHistogram) to the current metric: min, max and sum as
     * given, and {@code count} (MAD: the sum of the entries' counts). Follow with the histogram entries.
     *
     * @return {@link PublishResult#OK} or {@link PublishResult#RING_FULL}.
     */
    @Override
    public int clientStatistics(final double min, final double max, final double sum, final long count)
    {
        if (metricResult != PublishResult.OK)
        {
            return metricResult;
        }
        if (event != null && (event.hasClientStats || event.histogramCount > 0))
        {
            publishCurrent();
        }
        if (event == null && !claim())
        {
            counters.addDropped(count);
            return PublishResult.RING_FULL;
        }
        event.hasClientStats = true;
        event.clientMin = min;
        event.clientMax = max;
        event.clientSum = sum;
        event.clientCount = count;
        eventSamples += count;
        return PublishResult.OK;
    }

    /**
     * Adds one client histogram entry, given by its packed ClientV3 key (unpacked with MAD's fixed precision 7).
     *
     * @return {@link PublishResult#OK} or {@link PublishResult#RING_FULL}.
     */
    @Override
    public int clientHistogramEntry(final long packedKey, final long count)
    {
        return clientHistogramBucket(TruncatedHistogram.unpackToBits(packedKey), count);
    }

    /**
     * Adds one client histogram entry given as the raw bits of its bucket.
     *
     * @return {@link PublishResult#OK} or {@link PublishResult#RING_FULL}.
     */
    public int clientHistogramBucket(final long bucketBits, final long count)
    {
        if (metricResult != PublishResult.OK)
        {
            return metricResult;
        }
        if (event == null && !claim())
        {
            return PublishResult.RING_FULL;
        }
        if (!event.addHistogramEntry(bucketBits, count))
        {
            publishCurrent();
            if (!claim())
            {
                return PublishResult.RING_FULL;
            }
            event.addHistogramEntry(bucketBits, count);
        }
        return PublishResult.OK;
    }

    /**
     * Publishes what the current metric still holds.
     */
    @Override
    public void endMetric()
    {
        if (event != null)
        {
            publishCurrent();
        }
    }

    /**
     * Asks every shard to close all its open buckets now (used at shutdown). Waits for ring space.
     */
    public void publishFlush()
    {
        for (int shard = 0; shard < rings.shardCount(); shard++)
        {
            final RingBuffer<SampleEvent> flushRing = rings.ring(shard);
            final long seq = flushRing.next();
            final SampleEvent flush = flushRing.get(seq);
            flush.reset();
            flush.kind = SampleEvent.KIND_FLUSH;
            flushRing.publish(seq);
        }
    }

    private boolean claim()
    {
        final int shard = rings.shardFor(dimsHash);
        final RingBuffer<SampleEvent> target = rings.ring(shard);
        final long seq = batching ? claimInRange(shard, target) : claimOne(target);
        if (seq < 0)
        {
            return false;
        }
        ring = target;
        sequence = seq;
        event = target.get(seq);
        event.reset();
        // Plain arraycopy between the two byte[] (both ExpandableArrayBuffers): putBytes(DirectBuffer) re-checked
        // capacity and both bounds per event; arraycopy still checks both arrays, once, inside the intrinsic.
        final ExpandableArrayBuffer eventKey = event.key;
        if (eventKey.capacity() < keyLength)
        {
            eventKey.checkLimit(keyLength);
        }
        System.arraycopy(keyScratch.byteArray(), 0, eventKey.byteArray(), 0, keyLength);
        event.keyLength = keyLength;
        event.dimsLength = dimsLength;
        event.dimsHash = dimsHash;
        event.keyHash = keyHash;
        event.type = type;
        event.unit = unit;
        event.timestampMs = timestampMs;
        event.requestTimeMs = requestTimeMs;
        return true;
    }

    private long claimOne(final RingBuffer<SampleEvent> target)
    {
        try
        {
            return target.tryNext();
        }
        catch (final InsufficientCapacityException ex)
        {
            if (backpressure.limitNs == 0
                || hasNoWaitWindow && clock.nanoTime() - noWaitUntilNs < 0)
            {
                return -1;
            }
            // Never park while holding unpublished slots: another producer may be waiting for them to drain.
            publishRanges();
            final long seq = waitForSlot(target);
            if (seq < 0 && backpressure == Backpressure.WAIT_BRIEFLY)
            {
                noWaitUntilNs = clock.nanoTime() + backpressure.limitNs;
                hasNoWaitWindow = true;
            }
            return seq;
        }
    }

    /**
     * The next slot of this shard's open range, claiming a new range when there is none: an even share of the records
     * the batch still expects (all of them with one shard). A full ring falls back to one slot (or drops).
     */
    private long claimInRange(final int shard, final RingBuffer<SampleEvent> target)
    {
        final int expected = batchRemaining;
        if (expected > 0)
        {
            batchRemaining = expected - 1;
        }
        if (rangeLo[shard] >= 0)
        {
            return rangeNext[shard]++;
        }
        final int shards = rings.shardCount();
        final int share = Math.max(1, (expected + shards - 1) / shards);
        final int n = Math.min(MAX_BATCH_CLAIM, Math.min(target.getBufferSize(), share));
        long hi = -1;
        if (n > 1)
        {
            try
            {
                hi = target.tryNext(n);
                rangeLo[shard] = hi - n + 1;
            }
            catch (final InsufficientCapacityException ex)
            {
                hi = -1;
            }
        }
        if (hi < 0)
        {
            hi = claimOne(target);
            if (hi < 0)
            {
                return -1;
            }
            rangeLo[shard] = hi;
        }
        rangeHi[shard] = hi;
        rangeNext[shard] = rangeLo[shard] + 1;
        return rangeLo[shard];
    }

    /**
     * Publishes every open range: its unfilled tail as skips. The event being filled (if any) must be finished first.
     */
    private void publishRanges()
    {
        for (int shard = 0; shard < rangeLo.length; shard++)
        {
            final long lo = rangeLo[shard];
            if (lo < 0)
            {
                continue;
            }
            final RingBuffer<SampleEvent> target = rings.ring(shard);
            final long hi = rangeHi[shard];
            for (long seq = rangeNext[shard]; seq <= hi; seq++)
            {
                final SampleEvent skip = target.get(seq);
                skip.reset();
                skip.kind = SampleEvent.KIND_SKIP;
            }
            rangeLo[shard] = -1;
            target.publish(lo, hi);
        }
        if (batchSamples != 0)
        {
            counters.addPublished(batchSamples);
            batchSamples = 0;
        }
    }

    private long waitForSlot(final RingBuffer<SampleEvent> target)
    {
        final long deadline = clock.nanoTime() + backpressure.limitNs;
        while (clock.nanoTime() - deadline < 0)
        {
            clock.parkNanos(PARK_NS);
            try
            {
                return target.tryNext();
            }
            catch (final InsufficientCapacityException ignore)
            {
                // still full: keep waiting until the deadline
            }
        }
        return -1;
    }

    private void publishCurrent()
    {
        if (batching)
        {
            batchSamples += eventSamples;
            final int shard = rings.shardFor(event.dimsHash);
            if (rangeNext[shard] > rangeHi[shard])
            {
                // The range is full: hand it over now, so no filled slot waits for the end of the datagram.
                ring.publish(rangeLo[shard], rangeHi[shard]);
                rangeLo[shard] = -1;
            }
        }
        else
        {
            ring.publish(sequence);
            counters.addPublished(eventSamples);
        }
        eventSamples = 0;
        event = null;
        ring = null;
    }

    private int compareNames(final int a, final int b)
    {
        final int aLength = dimNameLength[a];
        final int bLength = dimNameLength[b];
        final int aOffset = dimOffset[a];
        final int bOffset = dimOffset[b];
        final int common = Math.min(aLength, bLength);
        for (int i = 0; i < common; i++)
        {
            final int diff = (dimScratch.getByte(aOffset + i) & 0xFF) - (dimScratch.getByte(bOffset + i) & 0xFF);
            if (diff != 0)
            {
                return diff;
            }
        }
        return aLength - bLength;
    }

    private void ensureDimCapacity()
    {
        if (dimCount == dimOffset.length)
        {
            final int size = dimCount * 2;
            dimOffset = java.util.Arrays.copyOf(dimOffset, size);
            dimNameLength = java.util.Arrays.copyOf(dimNameLength, size);
            dimValueLength = java.util.Arrays.copyOf(dimValueLength, size);
            dimOrder = java.util.Arrays.copyOf(dimOrder, size);
        }
    }

    /**
     * Writes text as UTF-8 without allocating for ASCII (the common case).
     *
     * @return bytes written.
     */
    static int putUtf8(final ExpandableArrayBuffer buffer, final int offset, final CharSequence text)
    {
        final int length = text.length();
        for (int i = 0; i < length; i++)
        {
            if (text.charAt(i) >= 0x80)
            {
                final byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
                buffer.putBytes(offset, bytes);
                return bytes.length;
            }
        }
        for (int i = 0; i < length; i++)
        {
            buffer.putByte(offset + i, (byte)text.charAt(i));
        }
        return length;
    }
}
