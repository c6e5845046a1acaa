package mad.engine.histogram;

import java.util.Arrays;

/**
 * MAD's sparse histogram: a value's bucket is the value with its IEEE-754 mantissa truncated to 7 bits.
 *
 * <h2>Why truncating bits gives MAD's buckets</h2>
 * A double is {@code sign(1) | exponent(11) | mantissa(52)}. Keeping the sign, the exponent and the top 7 mantissa
 * bits ({@code bits & 0xFFFFE00000000000L}) rounds the magnitude <em>down</em> to one of 128 linear steps inside its
 * power of two, so the relative error is below 2^-7 and the bucket of a negative value is closer to zero than the
 * value (truncation toward zero, not floor). Zero, subnormals, infinities and NaN fall out of the same mask: -0.0 and
 * 0.0 stay distinct, subnormals collapse onto their top 7 mantissa bits, and every NaN is folded onto the canonical
 * NaN so that all NaNs share one bucket as in MAD's {@code Double.compare}-ordered tree.
 *
 * <h2>Why the sort key flips bits</h2>
 * Buckets are kept as raw truncated bits in a primitive table. To walk them in MAD's order (-Inf ... -0.0,
 * 0.0 ... +Inf, NaN) the bits are turned into a signed long that orders like {@link Double#compare}: positive doubles already
 * order as their bit patterns; for negative doubles ({@code bits >> 63 == -1}) the 63 magnitude bits are inverted so
 * a larger magnitude sorts lower.
 *
 * <h2>Why the storage is a single inline bucket, then a small table</h2>
 * At 100 k series most histograms of a PT1S bucket (and many of a PT1M one) hold one distinct bucket: a StatsD timer
 * sends the same value, or one sample per period. So the first bucket lives in two fields and the table
 * ({@code table}: interleaved key/count pairs, open addressing with linear probing, 4 slots to start) is only
 * allocated when a second distinct bucket arrives; a histogram then costs ~40 bytes instead of ~600 (map, entry
 * array, sort array, cached iterators). Empty slots hold {@link #EMPTY} = 1, which is never a bucket: truncation clears
 * the low 45 bits of every key. The slot of a key is the top bits of {@code key * 2^64/phi} (Fibonacci hashing): the
 * bits that vary are the high ones, and a multiply carries them only upwards, so the high product bits see all of them.
 * While the histogram holds at most one bucket the table (if kept from an earlier use) is all empty.
 *
 * <h2>Why the sort array is per thread</h2>
 * Percentiles and {@link #copySorted} walk the buckets in order; the sorted keys live in one array per reading thread
 * (the emitter), remembered with the histogram they belong to, so three percentiles of one histogram sort once and no
 * histogram carries a sort array of its own.
 *
 * <p>Thread ownership: single writer. The aggregator that owns a bucket records into it; after a bucket is closed and
 * handed over, only the emitter reads it, then gives it back cleared.
 */
public final class TruncatedHistogram
{
    /** MAD's fixed precision in mantissa bits. */
    public static final int PRECISION = 7;
    /** Keeps sign, exponent and the top {@link #PRECISION} mantissa bits. */
    public static final long TRUNCATE_MASK = 0xFFFFE00000000000L;
    private static final int PACK_SHIFT = 45;
    private static final long PACK_MASK = 0x7FFFFL;
    private static final long CANONICAL_NAN_BITS = Double.doubleToLongBits(Double.NaN);
    /** An empty table slot: never a bucket, since every bucket's low 45 bits are zero. */
    private static final long EMPTY = 1L;
    private static final int MIN_SLOTS = 4;
    /** A cleared histogram keeps a table up to this many slots (16 KB); a larger one goes, so pools stay bounded. */
    private static final int MAX_KEPT_SLOTS = 1024;
    private static final long FIBONACCI = 0x9E3779B97F4A7C15L;
    private static final ThreadLocal<SortScratch> SORT_SCRATCH = ThreadLocal.withInitial(SortScratch::new);

    /** The only bucket while {@code size <= 1}; its count is then {@link #totalCount}. */
    private long singleBits;
    /** Key/count pairs once {@code size >= 2}; may be kept (all empty) across {@link #clear()}. */
    private long[] table;
    private int size;
    private long totalCount;
    /** False after any change: the thread's sort array no longer matches. */
    private boolean sorted;

    /**
     * @param value any double.
     * @return the raw bits of the bucket the value falls in (NaN canonicalised).
     */
    public static long truncatedBits(final double value)
    {
        final long bits = Double.doubleToRawLongBits(value) & TRUNCATE_MASK;
        return Double.isNaN(Double.longBitsToDouble(bits)) ? CANONICAL_NAN_BITS : bits;
    }

    /**
     * @param value any double.
     * @return the lower bound (in magnitude) of its bucket.
     */
    public static double bucketOf(final double value)
    {
        return Double.longBitsToDouble(truncatedBits(value));
    }

    /**
     * The client wire key (ClientV3 {@code SparseHistogramEntry.bucket}): the 19 kept bits shifted down.
     *
     * @param value any double.
     * @return the packed key.
     */
    public static long pack(final double value)
    {
        return ((Double.doubleToRawLongBits(value) & TRUNCATE_MASK) >> PACK_SHIFT) & PACK_MASK;
    }

    /**
     * Unpacks a client key assuming precision 7, whatever the client says, as MAD does.
     *
     * @param packed the key from the wire.
     * @return the raw truncated bits of the bucket.
     */
    public static long unpackToBits(final long packed)
    {
        return truncatedBits(Double.longBitsToDouble(packed << PACK_SHIFT));
    }

    /**
     * @param bits raw double bits.
     * @return a signed long that orders like {@link Double#compare} on the doubles.
     */
    public static long sortKey(final long bits)
    {
        return bits ^ ((bits >> 63) & 0x7FFFFFFFFFFFFFFFL);
    }

    /**
     * @param key a {@link #sortKey(long)} result.
     * @return the raw bits it was made from.
     */
    public static long bitsOfSortKey(final long key)
    {
        return key ^ ((key >> 63) & 0x7FFFFFFFFFFFFFFFL);
    }

    /**
     * Records one value.
     *
     * @param value the sample.
     */
    public void record(final double value)
    {
        recordBucket(truncatedBits(value), 1);
    }

    /**
     * Adds a count to a bucket given by its truncated bits (client histograms, merges). A zero count still creates
     * the bucket, as it does in MAD's tree.
     *
     * @param bucketBits raw bits as returned by {@link #truncatedBits(double)} or {@link #unpackToBits(long)}.
     * @param count the number of entries.
     */
    public void recordBucket(final long bucketBits, final long count)
    {
        totalCount += count;
        sorted = false;
        if (size == 0)
        {
            singleBits = bucketBits;
            size = 1;
            return;
        }
        if (size == 1)
        {
            if (singleBits == bucketBits)
            {
                return;
            }
            promote(totalCount - count);
        }
        add(bucketBits, count);
    }

    /**
     * @return the number of entries (MAD's population of the histogram).
     */
    public long totalCount()
    {
        return totalCount;
    }

    /**
     * @return the number of distinct buckets.
     */
    public int bucketCount()
    {
        return size;
    }

    /**
     * MAD's percentile: the first bucket, in ascending order, at which the running count reaches
     * {@code min(ceil(n * q / 100), n)}; never interpolated. An empty histogram answers 0.
     *
     * @param quantile in [0, 100].
     * @return the bucket's lower bound.
     */
    public double percentile(final double quantile)
    {
        if (totalCount == 0)
        {
            return 0.0;
        }
        if (size == 1)
        {
            // The running count reaches min(ceil(n * q / 100), n) <= n at the only bucket.
            return Double.longBitsToDouble(singleBits);
        }
        final double n = totalCount;
        final double target = Math.min(Math.ceil(n * quantile / 100.0), n);
        final long[] keys = sortedKeys();
        long accumulated = 0;
        for (int i = 0; i < size; i++)
        {
            final long bits = bitsOfSortKey(keys[i]);
            accumulated += countOf(bits);
            if (accumulated >= target)
            {
                return Double.longBitsToDouble(bits);
            }
        }
        return Double.longBitsToDouble(bitsOfSortKey(keys[size - 1]));
    }

    /**
     * Copies the buckets in ascending order.
     *
     * @param buckets receives bucket lower bounds; must hold {@link #bucketCount()} entries.
     * @param bucketCounts receives counts; same length.
     * @return the number of buckets written.
     */
    public int copySorted(final double[] buckets, final long[] bucketCounts)
    {
        if (size <= 1)
        {
            if (size == 1)
            {
                buckets[0] = Double.longBitsToDouble(singleBits);
                bucketCounts[0] = totalCount;
            }
            return size;
        }
        final long[] keys = sortedKeys();
        for (int i = 0; i < size; i++)
        {
            final long bits = bitsOfSortKey(keys[i]);
            buckets[i] = Double.longBitsToDouble(bits);
            bucketCounts[i] = countOf(bits);
        }
        return size;
    }

    /**
     * Adds every bucket of another histogram into this one.
     *
     * @param other the histogram to add (not this one).
     */
    public void merge(final TruncatedHistogram other)
    {
        if (other.size == 1)
        {
            recordBucket(other.singleBits, other.totalCount);
            return;
        }
        if (other.size > 1)
        {
            final long[] entries = other.table;
            for (int i = 0; i < entries.length; i += 2)
            {
                if (entries[i] != EMPTY)
                {
                    recordBucket(entries[i], entries[i + 1]);
                }
            }
        }
    }

    /**
     * Empties the histogram, keeping a table of up to 1024 slots so that reuse allocates nothing.
     */
    public void clear()
    {
        if (size > 1)
        {
            if (table.length / 2 > MAX_KEPT_SLOTS)
            {
                table = null;
            }
            else
            {
                Arrays.fill(table, EMPTY);
            }
        }
        size = 0;
        totalCount = 0;
        singleBits = 0;
        sorted = false;
    }

    /**
     * Second distinct bucket: moves the inline one into the (empty or new) table.
     *
     * @param singleCount the inline bucket's count (the total before the new bucket's count was added).
     */
    private void promote(final long singleCount)
    {
        if (table == null)
        {
            table = new long[MIN_SLOTS * 2];
            Arrays.fill(table, EMPTY);
        }
        size = 0;
        add(singleBits, singleCount);
    }

    private void add(final long bits, final long count)
    {
        int index = slot(bits, table.length);
        while (true)
        {
            final long key = table[index];
            if (key == bits)
            {
                table[index + 1] += count;
                return;
            }
            if (key == EMPTY)
            {
                table[index] = bits;
                table[index + 1] = count;
                if (++size * 4 > table.length / 2 * 3)
                {
                    grow();
                }
                return;
            }
            index = (index + 2) & (table.length - 1);
        }
    }

    private void grow()
    {
        final long[] old = table;
        final long[] fresh = new long[old.length * 2];
        Arrays.fill(fresh, EMPTY);
        for (int i = 0; i < old.length; i += 2)
        {
            if (old[i] != EMPTY)
            {
                int index = slot(old[i], fresh.length);
                while (fresh[index] != EMPTY)
                {
                    index = (index + 2) & (fresh.length - 1);
                }
                fresh[index] = old[i];
                fresh[index + 1] = old[i + 1];
            }
        }
        table = fresh;
    }

    /** Only called with {@code size >= 2} and a bucket that is present. */
    private long countOf(final long bits)
    {
        int index = slot(bits, table.length);
        while (table[index] != bits)
        {
            index = (index + 2) & (table.length - 1);
        }
        return table[index + 1];
    }

    /**
     * @param bits a bucket.
     * @param length the table's length in longs (twice its slots, a power of two).
     * @return the index of the key of its home slot.
     */
    private static int slot(final long bits, final int length)
    {
        final int slotBits = Integer.numberOfTrailingZeros(length) - 1;
        return (int)((bits * FIBONACCI) >>> (64 - slotBits)) << 1;
    }

    /** The keys in ascending order, in this thread's sort array; called with {@code size >= 2}. */
    private long[] sortedKeys()
    {
        final SortScratch scratch = SORT_SCRATCH.get();
        if (sorted && scratch.owner == this)
        {
            return scratch.keys;
        }
        if (scratch.keys.length < size)
        {
            scratch.keys = new long[Math.max(size, scratch.keys.length * 2)];
        }
        final long[] keys = scratch.keys;
        int n = 0;
        for (int i = 0; i < table.length; i += 2)
        {
            if (table[i] != EMPTY)
            {
                keys[n++] = sortKey(table[i]);
            }
        }
        Arrays.sort(keys, 0, n);
        scratch.owner = this;
        sorted = true;
        return keys;
    }

    /** One per reading thread: sorted keys of the histogram that was sorted last. */
    private static final class SortScratch
    {
        long[] keys = new long[64];
        TruncatedHistogram owner;
    }
}
