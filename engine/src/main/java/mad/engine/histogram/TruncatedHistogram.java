package mad.engine.histogram;

import java.util.Arrays;

import org.agrona.collections.Long2LongHashMap;

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
 * Buckets are kept as raw truncated bits in a primitive map. To walk them in MAD's order (-Inf ... -0.0, 0.0 ... +Inf,
 * NaN) the bits are turned into a signed long that orders like {@link Double#compare}: positive doubles already
 * order as their bit patterns; for negative doubles ({@code bits >> 63 == -1}) the 63 magnitude bits are inverted so
 * a larger magnitude sorts lower.
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
    /** Not a count: lets a client's zero-count bucket exist, as it does in MAD's tree. */
    private static final long MISSING = Long.MIN_VALUE;
    private static final long CANONICAL_NAN_BITS = Double.doubleToLongBits(Double.NaN);

    private final Long2LongHashMap counts = new Long2LongHashMap(16, 0.65f, MISSING);
    private long totalCount;
    private long[] sortScratch = new long[16];
    private int sortedSize = -1;

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
     * Adds a count to a bucket given by its truncated bits (client histograms, merges).
     *
     * @param bucketBits raw bits as returned by {@link #truncatedBits(double)} or {@link #unpackToBits(long)}.
     * @param count the number of entries.
     */
    public void recordBucket(final long bucketBits, final long count)
    {
        final long previous = counts.get(bucketBits);
        counts.put(bucketBits, previous == MISSING ? count : previous + count);
        totalCount += count;
        sortedSize = -1;
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
        return counts.size();
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
        final double n = totalCount;
        final double target = Math.min(Math.ceil(n * quantile / 100.0), n);
        sort();
        long accumulated = 0;
        for (int i = 0; i < sortedSize; i++)
        {
            final long bits = bitsOfSortKey(sortScratch[i]);
            accumulated += counts.get(bits);
            if (accumulated >= target)
            {
                return Double.longBitsToDouble(bits);
            }
        }
        return Double.longBitsToDouble(bitsOfSortKey(sortScratch[sortedSize - 1]));
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
        sort();
        for (int i = 0; i < sortedSize; i++)
        {
            final long bits = bitsOfSortKey(sortScratch[i]);
            buckets[i] = Double.longBitsToDouble(bits);
            bucketCounts[i] = counts.get(bits);
        }
        return sortedSize;
    }

    /**
     * Adds every bucket of another histogram into this one.
     *
     * @param other the histogram to add.
     */
    public void merge(final TruncatedHistogram other)
    {
        final Long2LongHashMap.EntryIterator it = other.counts.entrySet().iterator();
        while (it.hasNext())
        {
            it.next();
            recordBucket(it.getLongKey(), it.getLongValue());
        }
    }

    /**
     * Empties the histogram, keeping its capacity so that reuse allocates nothing.
     */
    public void clear()
    {
        counts.clear();
        totalCount = 0;
        sortedSize = -1;
    }

    private void sort()
    {
        if (sortedSize >= 0)
        {
            return;
        }
        final int size = counts.size();
        if (sortScratch.length < size)
        {
            sortScratch = new long[Math.max(size, sortScratch.length * 2)];
        }
        int i = 0;
        final Long2LongHashMap.KeyIterator keys = counts.keySet().iterator();
        while (keys.hasNext())
        {
            sortScratch[i++] = sortKey(keys.nextValue());
        }
        Arrays.sort(sortScratch, 0, size);
        sortedSize = size;
    }
}
