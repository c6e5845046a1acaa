package mad.ingest.wrap;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import mad.engine.config.Settings;
import mad.engine.model.MetricType;
import mad.engine.model.Unit;
import mad.engine.sample.ForwardingSampleWriter;
import mad.engine.sample.KeyHash;
import mad.engine.sample.PublishResult;
import mad.engine.sample.SampleEvent;
import mad.engine.sample.SampleWriter;
import mad.ingest.WriterFactory;

/**
 * MAD's MappingSource as a {@link SampleWriter} decorator: every metric name is tried against every
 * {@code findAndReplace} pattern with {@code find()}; each matching pattern contributes one new name per replacement
 * ({@code replaceAll} on the <em>original</em> name, patterns are not chained); a matched name is not kept under its
 * original name, so a pattern mapped to {@code []} drops the metric; unmatched names pass through. Within one record,
 * metrics landing on the same name are merged when their types agree, and a later metric of another type is discarded
 * (as MAD's merge does). The record's request time is dropped (MAD rebuilds the record without it).
 *
 * <p>Regexes run once per distinct name: results are cached in a bounded open-addressing map keyed by the name's
 * bytes, so the steady state hashes and compares bytes and allocates nothing. A metric mapped to one name streams
 * straight through; one mapped to several is buffered (samples, client statistics and histogram entries, in order)
 * and replayed under each name at {@link #endMetric()}.
 *
 * <p>Dimensions, {@code endDimensions} and the batch calls (pure ring mechanics) are inherited from
 * {@link ForwardingSampleWriter}; the repeated-dimensions fast path is switched off ({@link #dimensionsId()} and
 * {@link #beginRecordRepeating} answer {@link PublishResult#NOT_REPEATABLE}), because a repeated record would skip
 * {@link #beginRecord}, which resets the per-record name set and drops the request time.
 *
 * <p>Thread ownership: one instance per producing thread, created by the {@link WriterFactory} from
 * {@link #factory(WriterFactory, Map)}; the compiled rules are immutable and shared.
 */
public final class MappingWriter extends ForwardingSampleWriter
{
    private static final Logger LOG = LoggerFactory.getLogger(MappingWriter.class);

    private static final int CACHE_SLOTS = 8192;
    private static final int CACHE_MAX_ENTRIES = CACHE_SLOTS / 2;

    private static final int MODE_PASS = 0;
    private static final int MODE_DROP = 1;
    private static final int MODE_FAN_OUT = 2;

    private static final byte OP_SAMPLE = 0;
    private static final byte OP_STATISTICS = 1;
    private static final byte OP_HISTOGRAM = 2;

    private final Rules rules;

    // name -> mapping cache
    private final Entry[] cache = new Entry[CACHE_SLOTS];
    private int cacheEntries;
    private final ExpandableArrayBuffer nameScratch = new ExpandableArrayBuffer(128);

    // current metric
    private int mode;
    private Entry current;
    private MetricType type;
    private Unit unit;

    // buffered operations of a fanned-out metric
    private byte[] opKind = new byte[64];
    private double[] opA = new double[64];
    private double[] opB = new double[64];
    private double[] opC = new double[64];
    private long[] opL = new long[64];
    private long[] opM = new long[64];
    private int opCount;

    private final RecordNames recordNames = new RecordNames();

    /**
     * @param delegate the writer the mapped records go to.
     * @param rules the compiled {@code findAndReplace} rules.
     */
    public MappingWriter(final SampleWriter delegate, final Rules rules)
    {
        super(delegate);
        this.rules = rules;
    }

    /**
     * Reads MAD's MappingSource keys ({@code findAndReplace}, required); the nested {@code source} is bound by the
     * caller, which passes the factory of the writers it feeds.
     *
     * @param settings the MappingSource's settings.
     * @param inner the factory of the writers mapped records go to.
     * @return a factory of mapping writers.
     */
    public static WriterFactory create(final Settings settings, final WriterFactory inner)
    {
        if (!settings.has("findAndReplace"))
        {
            throw settings.error("findAndReplace", "required");
        }
        final Map<String, List<String>> findAndReplace = settings.stringListMap("findAndReplace");
        try
        {
            return factory(inner, findAndReplace);
        }
        catch (final PatternSyntaxException ex)
        {
            throw settings.error("findAndReplace", "invalid regex: " + ex.getMessage());
        }
    }

    /**
     * @param inner the factory of the writers mapped records go to.
     * @param findAndReplace regex to replacements, in the order to try them.
     * @return a factory of mapping writers sharing one compiled rule set.
     */
    public static WriterFactory factory(final WriterFactory inner, final Map<String, List<String>> findAndReplace)
    {
        final Rules rules = new Rules(findAndReplace);
        return backpressure -> new MappingWriter(inner.create(backpressure), rules);
    }

    @Override
    public void beginRecord(final long timestampMs, final long requestTimeMs)
    {
        recordNames.clear();
        delegate.beginRecord(timestampMs, SampleEvent.NO_REQUEST_TIME);
    }

    /**
     * Not supported: a repeated record would bypass {@link #beginRecord} (per-record names, request time).
     *
     * @return {@link PublishResult#NOT_REPEATABLE}.
     */
    @Override
    public long dimensionsId()
    {
        return PublishResult.NOT_REPEATABLE;
    }

    /**
     * Not supported (see {@link #dimensionsId()}): nothing is started.
     *
     * @return {@link PublishResult#NOT_REPEATABLE}.
     */
    @Override
    public int beginRecordRepeating(final long timestampMs, final long requestTimeMs, final long dimensionsId)
    {
        return PublishResult.NOT_REPEATABLE;
    }

    @Override
    public int beginMetric(
        final DirectBuffer nameBuffer, final int nameOffset, final int nameLength, final MetricType metricType,
        final Unit metricUnit)
    {
        type = metricType;
        unit = metricUnit;
        opCount = 0;
        final Entry entry = lookup(nameBuffer, nameOffset, nameLength);
        current = entry;
        if (entry.targets == null)
        {
            mode = MODE_PASS;
            if (!recordNames.admit(nameBuffer, nameOffset, nameLength, metricType))
            {
                mode = MODE_DROP;
                return PublishResult.OK;
            }
            return delegate.beginMetric(nameBuffer, nameOffset, nameLength, metricType, metricUnit);
        }
        if (entry.targets.length == 0)
        {
            mode = MODE_DROP;
            return PublishResult.OK;
        }
        if (entry.targets.length == 1)
        {
            final UnsafeBuffer target = entry.targets[0];
            if (!recordNames.admit(target, 0, target.capacity(), metricType))
            {
                mode = MODE_DROP;
                return PublishResult.OK;
            }
            mode = MODE_PASS;
            return delegate.beginMetric(target, 0, target.capacity(), metricType, metricUnit);
        }
        mode = MODE_FAN_OUT;
        return PublishResult.OK;
    }

    @Override
    public int beginMetric(final CharSequence name, final MetricType metricType, final Unit metricUnit)
    {
        final int length = putUtf8(nameScratch, name);
        return beginMetric(nameScratch, 0, length, metricType, metricUnit);
    }

    @Override
    public int sample(final double value)
    {
        if (mode == MODE_PASS)
        {
            return delegate.sample(value);
        }
        if (mode == MODE_FAN_OUT)
        {
            addOp(OP_SAMPLE, value, 0, 0, 0, 0);
        }
        return PublishResult.OK;
    }

    @Override
    public int clientStatistics(final double min, final double max, final double sum, final long count)
    {
        if (mode == MODE_PASS)
        {
            return delegate.clientStatistics(min, max, sum, count);
        }
        if (mode == MODE_FAN_OUT)
        {
            addOp(OP_STATISTICS, min, max, sum, count, 0);
        }
        return PublishResult.OK;
    }

    @Override
    public int clientHistogramEntry(final long packedKey, final long count)
    {
        if (mode == MODE_PASS)
        {
            return delegate.clientHistogramEntry(packedKey, count);
        }
        if (mode == MODE_FAN_OUT)
        {
            addOp(OP_HISTOGRAM, 0, 0, 0, count, packedKey);
        }
        return PublishResult.OK;
    }

    @Override
    public void endMetric()
    {
        if (mode == MODE_PASS)
        {
            delegate.endMetric();
        }
        else if (mode == MODE_FAN_OUT)
        {
            replay();
        }
        mode = MODE_DROP;
        current = null;
    }

    private void replay()
    {
        for (final UnsafeBuffer target : current.targets)
        {
            if (!recordNames.admit(target, 0, target.capacity(), type))
            {
                continue;
            }
            if (delegate.beginMetric(target, 0, target.capacity(), type, unit) != PublishResult.OK)
            {
                continue;
            }
            for (int i = 0; i < opCount; i++)
            {
                final int result;
                switch (opKind[i])
                {
                    case OP_SAMPLE:
                        result = delegate.sample(opA[i]);
                        break;
                    case OP_STATISTICS:
                        result = delegate.clientStatistics(opA[i], opB[i], opC[i], opL[i]);
                        break;
                    default:
                        result = delegate.clientHistogramEntry(opM[i], opL[i]);
                }
                if (result != PublishResult.OK)
                {
                    // ring full: the publisher counted the drop; the rest of this target would be dropped too
                    break;
                }
            }
            delegate.endMetric();
        }
    }

    private void addOp(
        final byte kind, final double a, final double b, final double c, final long l, final long m)
    {
        if (opCount == opKind.length)
        {
            final int size = opCount * 2;
            opKind = Arrays.copyOf(opKind, size);
            opA = Arrays.copyOf(opA, size);
            opB = Arrays.copyOf(opB, size);
            opC = Arrays.copyOf(opC, size);
            opL = Arrays.copyOf(opL, size);
            opM = Arrays.copyOf(opM, size);
        }
        opKind[opCount] = kind;
        opA[opCount] = a;
        opB[opCount] = b;
        opC[opCount] = c;
        opL[opCount] = l;
        opM[opCount] = m;
        opCount++;
    }

    private Entry lookup(final DirectBuffer buffer, final int offset, final int length)
    {
        final int hash = KeyHash.hash(buffer, offset, length, 0x6D61);
        int slot = hash & (CACHE_SLOTS - 1);
        while (true)
        {
            final Entry entry = cache[slot];
            if (entry == null)
            {
                break;
            }
            if (entry.hash == hash && entry.matches(buffer, offset, length))
            {
                return entry;
            }
            slot = (slot + 1) & (CACHE_SLOTS - 1);
        }
        if (cacheEntries == CACHE_MAX_ENTRIES)
        {
            // Bounded: on overflow start again (names seen again are re-mapped once).
            Arrays.fill(cache, null);
            cacheEntries = 0;
            slot = hash & (CACHE_SLOTS - 1);
        }
        final Entry entry = new Entry(hash, buffer, offset, length, rules.map(buffer.getStringWithoutLengthUtf8(
            offset, length)));
        cache[slot] = entry;
        cacheEntries++;
        return entry;
    }

    private static int putUtf8(final ExpandableArrayBuffer buffer, final CharSequence text)
    {
        final int length = text.length();
        for (int i = 0; i < length; i++)
        {
            if (text.charAt(i) >= 0x80)
            {
                final byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
                buffer.putBytes(0, bytes);
                return bytes.length;
            }
        }
        for (int i = 0; i < length; i++)
        {
            buffer.putByte(i, (byte)text.charAt(i));
        }
        return length;
    }

    /**
     * The compiled {@code findAndReplace} rules. Immutable, shared by every writer of one MappingSource.
     */
    public static final class Rules
    {
        private final Pattern[] patterns;
        private final String[][] replacements;

        /**
         * @param findAndReplace regex to replacements.
         * @throws PatternSyntaxException when a regex does not compile.
         */
        public Rules(final Map<String, List<String>> findAndReplace)
        {
            patterns = new Pattern[findAndReplace.size()];
            replacements = new String[findAndReplace.size()][];
            int i = 0;
            for (final Map.Entry<String, List<String>> rule : findAndReplace.entrySet())
            {
                patterns[i] = Pattern.compile(rule.getKey());
                replacements[i] = rule.getValue().toArray(new String[0]);
                i++;
            }
        }

        /**
         * Maps one name (cache-miss path).
         *
         * @param name the original metric name.
         * @return null when no pattern matches, else the new names (possibly none, possibly repeated).
         */
        public List<String> map(final String name)
        {
            List<String> mapped = null;
            for (int p = 0; p < patterns.length; p++)
            {
                final Matcher matcher = patterns[p].matcher(name);
                if (!matcher.find())
                {
                    continue;
                }
                if (mapped == null)
                {
                    mapped = new ArrayList<>();
                }
                for (final String replacement : replacements[p])
                {
                    try
                    {
                        mapped.add(matcher.replaceAll(replacement));
                    }
                    catch (final IllegalArgumentException | IndexOutOfBoundsException ex)
                    {
                        // MAD fails the whole request here; we drop this replacement for this name, once, loudly.
                        LOG.warn("MappingSource replacement '{}' for pattern '{}' fails on metric '{}': {}",
                            replacement, patterns[p].pattern(), name, ex.getMessage());
                    }
                }
            }
            return mapped;
        }
    }

    /**
     * A cached mapping: the original name's bytes and its targets (null = unmatched, empty = dropped).
     */
    private static final class Entry
    {
        final int hash;
        final byte[] name;
        final UnsafeBuffer[] targets;

        Entry(final int hash, final DirectBuffer buffer, final int offset, final int length, final List<String> mapped)
        {
            this.hash = hash;
            this.name = new byte[length];
            buffer.getBytes(offset, name);
            if (mapped == null)
            {
                targets = null;
            }
            else
            {
                targets = new UnsafeBuffer[mapped.size()];
                for (int i = 0; i < targets.length; i++)
                {
                    targets[i] = new UnsafeBuffer(mapped.get(i).getBytes(StandardCharsets.UTF_8));
                }
            }
        }

        boolean matches(final DirectBuffer buffer, final int offset, final int length)
        {
            if (length != name.length)
            {
                return false;
            }
            for (int i = 0; i < length; i++)
            {
                if (buffer.getByte(offset + i) != name[i])
                {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * The names (and their types) already written in the current record, so that a metric landing on a name already
     * used with another type is discarded like MAD's merge does. Open addressing over name hashes, cleared per record
     * by visiting only the slots used.
     */
    private static final class RecordNames
    {
        private int[] slots = new int[64];
        private int[] used = new int[32];
        private int[] hashes = new int[32];
        private int[] offsets = new int[32];
        private int[] lengths = new int[32];
        private MetricType[] types = new MetricType[32];
        private int count;
        private int arenaLength;
        private final ExpandableArrayBuffer arena = new ExpandableArrayBuffer(256);

        void clear()
        {
            for (int i = 0; i < count; i++)
            {
                slots[used[i]] = 0;
            }
            count = 0;
            arenaLength = 0;
        }

        /**
         * @return false when the name was already written in this record with another type.
         */
        boolean admit(final DirectBuffer buffer, final int offset, final int length, final MetricType type)
        {
            final int hash = KeyHash.hash(buffer, offset, length, 0x7265);
            final int mask = slots.length - 1;
            int slot = hash & mask;
            while (slots[slot] != 0)
            {
                final int e = slots[slot] - 1;
                if (hashes[e] == hash && lengths[e] == length && sameBytes(e, buffer, offset, length))
                {
                    return types[e] == type;
                }
                slot = (slot + 1) & mask;
            }
            if (count * 2 >= slots.length - 2)
            {
                grow();
                return admit(buffer, offset, length, type);
            }
            if (count == hashes.length)
            {
                final int size = count * 2;
                used = Arrays.copyOf(used, size);
                hashes = Arrays.copyOf(hashes, size);
                offsets = Arrays.copyOf(offsets, size);
                lengths = Arrays.copyOf(lengths, size);
                types = Arrays.copyOf(types, size);
            }
            arena.putBytes(arenaLength, buffer, offset, length);
            hashes[count] = hash;
            offsets[count] = arenaLength;
            lengths[count] = length;
            types[count] = type;
            used[count] = slot;
            slots[slot] = count + 1;
            count++;
            arenaLength += length;
            return true;
        }

        private boolean sameBytes(final int e, final DirectBuffer buffer, final int offset, final int length)
        {
            final int at = offsets[e];
            for (int i = 0; i < length; i++)
            {
                if (arena.getByte(at + i) != buffer.getByte(offset + i))
                {
                    return false;
                }
            }
            return true;
        }

        private void grow()
        {
            slots = new int[slots.length * 2];
            final int mask = slots.length - 1;
            for (int e = 0; e < count; e++)
            {
                int slot = hashes[e] & mask;
                while (slots[slot] != 0)
                {
                    slot = (slot + 1) & mask;
                }
                slots[slot] = e + 1;
                used[e] = slot;
            }
        }
    }
}
