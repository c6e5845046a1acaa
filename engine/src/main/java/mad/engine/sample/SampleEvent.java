package mad.engine.sample;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

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
 * <h2>Packed events ({@link #KIND_PACKED})</h2>
 * Inside a writer batch (one datagram, one Prometheus request) the sample-only records that go to one shard are
 * packed into one event: the {@link #key()} buffer then holds a flat record area instead of one key, so a datagram of
 * 20 StatsD lines costs one or two slots (one claim, a few contiguous cache lines to hand to the aggregator core)
 * instead of 20 slots of ~5 cache lines each. Per record, in call order:
 * <pre>
 *   | keyHash i32 | dimsHash i32 | timestampMs i64 | requestTimeMs i64 |
 *   | keyLength u16 | dimsLength u16 | type u8 | unit u8 | sampleCount u16 | key bytes | samples f64 ... |
 * </pre>
 * The reader calls {@link #nextRecord()} until it returns false; each call loads the record's fields into the usual
 * accessors ({@link #keyOffset()} then points at its key in {@link #key()}, {@link #sample(int)} reads its samples
 * from the area). A packed area never exceeds {@link #PACK_BYTES}; client statistics and histogram entries never
 * travel packed (they keep a {@link #KIND_DATA} event of their own).
 *
 * <p>Thread ownership: written by exactly one ingest thread between claim and publish, then read by exactly one
 * aggregator thread ({@link #nextRecord()} moves a read cursor, which only that thread uses). Arrays grow on first
 * need and are kept, so the steady state allocates nothing.
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

    /** Several sample-only records packed in {@link #key()} (see the class comment); read with {@link #nextRecord()}. */
    public static final byte KIND_PACKED = 3;

    /** Largest packed record area of one event (bytes): ~16 tagged StatsD lines. */
    public static final int PACK_BYTES = 2048;
    /** Bytes of a packed record before its key. */
    static final int PACKED_HEADER = 32;
    static final int PACKED_KEY_HASH = 0;
    static final int PACKED_DIMS_HASH = 4;
    static final int PACKED_TIMESTAMP = 8;
    static final int PACKED_REQUEST_TIME = 16;
    static final int PACKED_KEY_LENGTH = 24;
    static final int PACKED_DIMS_LENGTH = 26;
    static final int PACKED_TYPE = 28;
    static final int PACKED_UNIT = 29;
    static final int PACKED_SAMPLE_COUNT = 30;

    /** Upper bound of samples (and of histogram entries) in one event; more spill into a continuation event. */
    public static final int MAX_VALUES_PER_EVENT = 1024;
    /** No request time (MAD's absent {@code requestTime}). */
    public static final long NO_REQUEST_TIME = Long.MIN_VALUE;

    static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle DOUBLE = MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

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
    /** Packed events: records in the area, bytes used, and the read cursor (next record, its samples' offset). */
    int packedRecords;
    int packedLength;
    private int readRecord;
    private int readOffset;
    private int keyOffset;
    private int packedSamplesOffset = -1;
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
        packedRecords = 0;
        packedLength = 0;
        readRecord = 0;
        readOffset = 0;
        keyOffset = 0;
        packedSamplesOffset = -1;
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

    /**
     * Loads the next record of a {@link #KIND_PACKED} event into the accessors.
     *
     * @return false when every record was read (or the event is not packed).
     */
    public boolean nextRecord()
    {
        if (kind != KIND_PACKED || readRecord == packedRecords)
        {
            return false;
        }
        // Why not Agrona's getters: this loop runs per line on the aggregator core, and the area is a plain byte[]
        // whose bounds the writer already respected (PACK_BYTES); the array access is checked by the JVM anyway.
        final byte[] area = key.byteArray();
        final int at = readOffset;
        keyHash = (int)INT.get(area, at + PACKED_KEY_HASH);
        dimsHash = (int)INT.get(area, at + PACKED_DIMS_HASH);
        timestampMs = (long)LONG.get(area, at + PACKED_TIMESTAMP);
        requestTimeMs = (long)LONG.get(area, at + PACKED_REQUEST_TIME);
        keyLength = (short)SHORT.get(area, at + PACKED_KEY_LENGTH) & 0xFFFF;
        dimsLength = (short)SHORT.get(area, at + PACKED_DIMS_LENGTH) & 0xFFFF;
        type = area[at + PACKED_TYPE];
        unit = area[at + PACKED_UNIT];
        sampleCount = (short)SHORT.get(area, at + PACKED_SAMPLE_COUNT) & 0xFFFF;
        keyOffset = at + PACKED_HEADER;
        packedSamplesOffset = keyOffset + keyLength;
        readOffset = packedSamplesOffset + (sampleCount << 3);
        readRecord++;
        return true;
    }

    /**
     * @return records packed in this event ({@link #KIND_PACKED}), 0 otherwise.
     */
    public int packedRecords()
    {
        return packedRecords;
    }

    /**
     * @return where the current record's key starts in {@link #key()}: 0, except for packed records.
     */
    public int keyOffset()
    {
        return keyOffset;
    }

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
        final int offset = packedSamplesOffset;
        if (offset >= 0)
        {
            return (double)DOUBLE.get(key.byteArray(), offset + (index << 3));
        }
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
