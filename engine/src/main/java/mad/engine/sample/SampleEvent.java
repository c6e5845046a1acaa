package mad.engine.sample;

import org.agrona.ExpandableArrayBuffer;

import mad.engine.model.MetricType;
import mad.engine.model.Unit;

/**
 * One pre-allocated ring slot: samples and client statistics of one series (dimensions + metric name + type) from one
 * record. Decoders never touch it directly: {@link SamplePublisher} fills it; the aggregator of the shard reads it.
 *
 * <h2>Key layout</h2>
 * <pre>
 *   key: | dimension 0 | dimension 1 | ... | metric name |
 *        |<------------ dimsLength -------->|
 *   dimension = u16 nameLength | name (UTF-8) | u16 valueLength | value (UTF-8), sorted by name bytes
 *   metric name = u16 length | name (UTF-8)
 * </pre>
 * Sorting makes the encoding canonical, so equal dimension maps give equal bytes whatever order the client used.
 *
 * <p>Thread ownership: written by exactly one ingest thread between claim and publish, then read by exactly one
 * aggregator thread. Arrays grow on first need and are kept, so the steady state allocates nothing.
 *
 * <p>A slot allocates its key buffer and sample array with itself, so they sit next to the slot in memory: with
 * both grown lazily (tried for idle RSS, ~4 MB less on a 16 Ki ring) they landed wherever the first sample found the
 * allocator, and RingPublishBenchmark went from ~280 to ~480 ns per sample. Histogram arrays, which only client
 * histograms use, start as one shared empty array.
 */
public final class SampleEvent
{
    /** Carries samples and/or client statistics. */
    public static final byte KIND_DATA = 0;
    /** Claimed but abandoned by the producer (it must still be published); the aggregator skips it. */
    public static final byte KIND_SKIP = 1;
    /** No data: asks the aggregator to close every open bucket now (shutdown flush). */
    public static final byte KIND_FLUSH = 2;

    /** Upper bound of samples (and of histogram entries) in one event; more spill into a continuation event. */
    public static final int MAX_VALUES_PER_EVENT = 1024;
    /** No request time (MAD's absent {@code requestTime}). */
    public static final long NO_REQUEST_TIME = Long.MIN_VALUE;

    private static final long[] NO_HISTOGRAM = new long[0];
    /** First size of a slot's sample array (a continuation doubles it up to {@link #MAX_VALUES_PER_EVENT}). */
    private static final int FIRST_SAMPLES = 8;

    final ExpandableArrayBuffer key = new ExpandableArrayBuffer(128);
    int keyLength;
    int dimsLength;
    int dimsHash;
    int keyHash;
    byte kind;
    byte type;
    byte unit;
    long timestampMs;
    long requestTimeMs;

    int sampleCount;
    double[] samples = new double[FIRST_SAMPLES];

    /** True when the client sent an AugmentedHistogram (min, max, sum present; count and entries may follow). */
    boolean hasClientStats;
    double clientMin;
    double clientMax;
    double clientSum;
    long clientCount;
    int histogramCount;
    long[] histogramBits = NO_HISTOGRAM;
    long[] histogramCounts = NO_HISTOGRAM;

    void reset()
    {
        kind = KIND_DATA;
        sampleCount = 0;
        hasClientStats = false;
        clientMin = 0;
        clientMax = 0;
        clientSum = 0;
        clientCount = 0;
        histogramCount = 0;
        requestTimeMs = NO_REQUEST_TIME;
    }

    boolean addSample(final double value)
    {
        if (sampleCount == samples.length)
        {
            if (sampleCount >= MAX_VALUES_PER_EVENT)
            {
                return false;
            }
            samples = java.util.Arrays.copyOf(samples,
                Math.min(MAX_VALUES_PER_EVENT, Math.max(FIRST_SAMPLES, sampleCount * 2)));
        }
        samples[sampleCount++] = value;
        return true;
    }

    boolean addHistogramEntry(final long bucketBits, final long count)
    {
        if (histogramCount == histogramBits.length)
        {
            if (histogramCount >= MAX_VALUES_PER_EVENT)
            {
                return false;
            }
            final int size = Math.min(MAX_VALUES_PER_EVENT, Math.max(8, histogramCount * 2));
            histogramBits = java.util.Arrays.copyOf(histogramBits, size);
            histogramCounts = java.util.Arrays.copyOf(histogramCounts, size);
        }
        histogramBits[histogramCount] = bucketBits;
        histogramCounts[histogramCount++] = count;
        return true;
    }

    // Read accessors for the aggregator (and for tests).

    public ExpandableArrayBuffer key()
    {
        return key;
    }

    public int keyLength()
    {
        return keyLength;
    }

    public int dimsLength()
    {
        return dimsLength;
    }

    public int dimsHash()
    {
        return dimsHash;
    }

    public int keyHash()
    {
        return keyHash;
    }

    public byte kind()
    {
        return kind;
    }

    public MetricType type()
    {
        return MetricType.ofCode(type);
    }

    public Unit unit()
    {
        return Unit.ofCode(unit);
    }

    public long timestampMs()
    {
        return timestampMs;
    }

    public long requestTimeMs()
    {
        return requestTimeMs;
    }

    public int sampleCount()
    {
        return sampleCount;
    }

    public double sample(final int index)
    {
        return samples[index];
    }

    public boolean hasClientStats()
    {
        return hasClientStats;
    }

    public double clientMin()
    {
        return clientMin;
    }

    public double clientMax()
    {
        return clientMax;
    }

    public double clientSum()
    {
        return clientSum;
    }

    public long clientCount()
    {
        return clientCount;
    }

    public int histogramCount()
    {
        return histogramCount;
    }

    public long histogramBits(final int index)
    {
        return histogramBits[index];
    }

    public long histogramCountAt(final int index)
    {
        return histogramCounts[index];
    }
}
