package mad.ingest.decode;

import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

import mad.engine.model.InputUnit;
import mad.engine.model.MetricType;
import mad.engine.model.Unit;
import mad.engine.sample.PublishResult;
import mad.engine.sample.SampleEvent;
import mad.engine.sample.SampleWriter;

/**
 * Decodes one statsd line with MAD's {@code StatsdToRecordParser} semantics, without {@code java.util.regex}:
 * the line must fully match
 * {@code ^(?<NAME>[^:@|,]+)(,(?<INFLUXTAGS>[^:@|]+))?:(?<VALUE>[^|]+)\|(?<TYPE>[^|]+)(\|@(?<SAMPLERATE>[^|]+))?(\|#(?<TAGS>.+))?$}.
 * The regex has no ambiguity (every group ends at the first delimiter it excludes), so a single left-to-right scan
 * finds the same groups. Working on UTF-8 bytes is equivalent to MAD's decoded string because no multi-byte sequence
 * contains an ASCII byte; only {@code .} (TAGS) needs care: it excludes the line terminators {@code \r}, U+0085,
 * U+2028 and U+2029, so tags containing one fail the line (as in MAD, a CRLF line is rejected).
 *
 * <ul>
 *   <li>TYPE {@code c}/{@code m} COUNTER, {@code g} GAUGE, {@code h} TIMER, {@code ms} TIMER in MILLISECOND normalised
 *       to SECOND; anything else (sets {@code s}, {@code C}) is rejected.</li>
 *   <li>VALUE: {@link MadNumberParser} (NumberFormat prefix parse; {@code +3} rejected, {@code -5} is -5).</li>
 *   <li>SAMPLERATE: only for c, h, ms; {@code Double.valueOf} semantics; must be in [0, 1] by {@code Double.compareTo}
 *       (so -0.0 and NaN are rejected).</li>
 *   <li>Tags: {@code |#k:v,...} entries with exactly one {@code :}, influx {@code name,k=v,...:} entries with exactly
 *       one {@code =}; empty keys and values allowed (Guava MapSplitter), duplicates within or across sets rejected.
 *       Tags become the record's dimensions; no defaults are added.</li>
 * </ul>
 * Deliberate deviations (COMPAT.md): the unit is the line, not the datagram (the transport counts per line); a rate of
 * 0 drops only that line ({@link #SAMPLED_OUT}); a rate in (0, 1) keeps the line, unscaled, instead of dropping the
 * whole datagram at random.
 *
 * <p>Tag memo: a datagram's lines usually carry the same {@code |#tags} section. The decoder keeps the bytes of the
 * last DogStatsD tag section it wrote (without influx tags) and the writer's {@link SampleWriter#dimensionsId()} of
 * the record it became; a line whose section has the same bytes skips the line-terminator check, the tag split and
 * the dimension calls, and starts its record with {@link SampleWriter#beginRecordRepeating} (the writer keeps the
 * sorted, hashed key). Equal bytes split into the same dimensions, so the result is the same; when the writer cannot
 * repeat (another record was begun since, or a decorator that does not support it) the line takes the full path.
 *
 * <p>Thread ownership: one instance per transport thread. Allocates nothing per line except when a sample rate is not
 * a plain decimal (then {@code Double.valueOf} of a String decides, as in MAD).
 */
public final class StatsdDecoder implements LineDecoder
{
    private static final double[] POW10 = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22
    };

    private final MadNumberParser numbers = new MadNumberParser();
    private int[] keyOffset = new int[16];
    private int[] keyLength = new int[16];
    private int[] valueOffset = new int[16];
    private int[] valueLength = new int[16];
    private int tagCount;
    private double sampleRate;
    private String lastError = "";

    private final UnsafeBuffer memoTags = new UnsafeBuffer(new byte[256]);
    private int memoLength = -1;
    private long memoDimsId = PublishResult.NOT_REPEATABLE;
    private SampleWriter memoWriter;

    @Override
    public int decodeLine(
        final DirectBuffer buffer, final int offset, final int length, final long receiveTimeMs,
        final SampleWriter writer)
    {
        final int code = decode(buffer, offset, length, receiveTimeMs, writer);
        if (code != OK)
        {
            lastError = LineDecoder.describe(code);
        }
        return code;
    }

    @Override
    public String lastError()
    {
        return lastError;
    }

    private int decode(
        final DirectBuffer buffer, final int offset, final int length, final long receiveTimeMs,
        final SampleWriter writer)
    {
        if (length == 0)
        {
            // MAD's splitter omits empty lines: nothing to do, nothing wrong.
            return OK;
        }
        // One bounds check for the line; the scans below read it unchecked (see sameAsMemo and indexOfPipe).
        buffer.boundsCheck(offset, length);
        final int end = offset + length;
        int p = offset;
        final byte[] array = buffer.byteArray();
        final long address = buffer.addressOffset();
        while (p < end && !isNameStop(UnsafeApi.getByte(array, address + p)))
        {
            p++;
        }
        final int nameEnd = p;
        if (p == offset || p == end)
        {
            return INVALID_LINE;
        }
        int influxStart = -1;
        int influxEnd = -1;
        if (buffer.getByte(p) == ',')
        {
            int q = p + 1;
            while (q < end && !isInfluxStop(buffer.getByte(q)))
            {
                q++;
            }
            if (q == p + 1 || q == end || buffer.getByte(q) != ':')
            {
                return INVALID_LINE;
            }
            influxStart = p + 1;
            influxEnd = q;
            p = q;
        }
        else if (buffer.getByte(p) != ':')
        {
            return INVALID_LINE;
        }
        final int valueStart = p + 1;
        final int valueEnd = indexOfPipe(buffer, valueStart, end);
        if (valueEnd == valueStart || valueEnd == end)
        {
            return INVALID_LINE;
        }
        final int typeStart = valueEnd + 1;
        final int typeEnd = indexOfPipe(buffer, typeStart, end);
        if (typeEnd == typeStart)
        {
            return INVALID_LINE;
        }
        p = typeEnd;
        int rateStart = -1;
        int rateEnd = -1;
        int tagsStart = -1;
        boolean memoHit = false;
        if (p < end && p + 1 < end && buffer.getByte(p + 1) == '@')
        {
            rateStart = p + 2;
            rateEnd = indexOfPipe(buffer, rateStart, end);
            if (rateEnd == rateStart)
            {
                return INVALID_LINE;
            }
            p = rateEnd;
        }
        if (p < end)
        {
            if (p + 2 < end && buffer.getByte(p + 1) == '#')
            {
                tagsStart = p + 2;
                memoHit = influxStart < 0 && writer == memoWriter && sameAsMemo(buffer, tagsStart, end - tagsStart);
                if (!memoHit && containsLineTerminator(buffer, tagsStart, end))
                {
                    return INVALID_LINE;
                }
            }
            else
            {
                return INVALID_LINE;
            }
        }

        // TYPE
        final int typeLength = typeEnd - typeStart;
        final MetricType type;
        boolean millis = false;
        boolean sampled = false;
        final byte t0 = buffer.getByte(typeStart);
        if (typeLength == 1 && t0 == 'c')
        {
            type = MetricType.COUNTER;
            sampled = true;
        }
        else if (typeLength == 1 && t0 == 'g')
        {
            type = MetricType.GAUGE;
        }
        else if (typeLength == 1 && t0 == 'h')
        {
            type = MetricType.TIMER;
            sampled = true;
        }
        else if (typeLength == 1 && t0 == 'm')
        {
            type = MetricType.COUNTER;
        }
        else if (typeLength == 2 && t0 == 'm' && buffer.getByte(typeStart + 1) == 's')
        {
            type = MetricType.TIMER;
            millis = true;
            sampled = true;
        }
        else
        {
            return UNSUPPORTED_TYPE;
        }

        // VALUE
        if (!numbers.parseStrict(buffer, valueStart, valueEnd - valueStart))
        {
            return INVALID_VALUE;
        }
        final double value = millis ? InputUnit.MILLISECOND.normalise(numbers.value()) : numbers.value();

        // SAMPLERATE
        if (rateStart >= 0)
        {
            if (!sampled || !parseRate(buffer, rateStart, rateEnd - rateStart)
                || Double.compare(sampleRate, 1.0) > 0 || Double.compare(sampleRate, 0.0) < 0)
            {
                return INVALID_SAMPLE_RATE;
            }
        }

        // TAGS (a memo hit is a section that split without error before)
        tagCount = 0;
        if (tagsStart >= 0 && !memoHit && !splitTags(buffer, tagsStart, end, (byte)':'))
        {
            return INVALID_TAGS;
        }
        if (influxStart >= 0 && !splitTags(buffer, influxStart, influxEnd, (byte)'='))
        {
            return INVALID_TAGS;
        }

        // Sampling: deterministic (see class comment).
        if (rateStart >= 0 && Double.compare(sampleRate, 0.0) == 0)
        {
            return SAMPLED_OUT;
        }

        if (!memoHit || writer.beginRecordRepeating(receiveTimeMs, SampleEvent.NO_REQUEST_TIME, memoDimsId)
            != PublishResult.OK)
        {
            if (memoHit)
            {
                splitTags(buffer, tagsStart, end, (byte)':');
            }
            writer.beginRecord(receiveTimeMs, SampleEvent.NO_REQUEST_TIME);
            for (int i = 0; i < tagCount; i++)
            {
                writer.dimension(buffer, keyOffset[i], keyLength[i], buffer, valueOffset[i], valueLength[i]);
            }
            if (writer.endDimensions() != PublishResult.OK)
            {
                return KEY_TOO_LARGE;
            }
            if (tagsStart >= 0 && influxStart < 0)
            {
                remember(buffer, tagsStart, end - tagsStart, writer);
            }
        }
        if (writer.beginMetric(buffer, offset, nameEnd - offset, type, millis ? Unit.SECOND : Unit.NONE)
            != PublishResult.OK)
        {
            return KEY_TOO_LARGE;
        }
        final int result = writer.sample(value);
        writer.endMetric();
        return result == PublishResult.OK ? OK : RING_FULL;
    }

    private void remember(final DirectBuffer buffer, final int offset, final int length, final SampleWriter writer)
    {
        final long id = writer.dimensionsId();
        if (id == PublishResult.NOT_REPEATABLE)
        {
            memoWriter = null;
            return;
        }
        if (length > memoTags.capacity())
        {
            memoTags.wrap(new byte[Math.max(length, memoTags.capacity() * 2)]);
        }
        memoTags.putBytes(0, buffer, offset, length);
        memoLength = length;
        memoDimsId = id;
        memoWriter = writer;
    }

    /**
     * Compares eight bytes at a time. Both ranges are bounds-checked once (the line by {@link #decode}, the memo by
     * {@code length == memoLength <= capacity}), then read with {@code UnsafeApi}: Agrona's checked {@code getLong}
     * paid a bounds check per word on both sides, a visible share of the per-line cost.
     */
    private boolean sameAsMemo(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length != memoLength)
        {
            return false;
        }
        final byte[] array = buffer.byteArray();
        final long address = buffer.addressOffset() + offset;
        final byte[] memo = memoTags.byteArray();
        final long memoAddress = memoTags.addressOffset();
        int i = 0;
        for (; i + 8 <= length; i += 8)
        {
            if (UnsafeApi.getLong(array, address + i) != UnsafeApi.getLong(memo, memoAddress + i))
            {
                return false;
            }
        }
        for (; i < length; i++)
        {
            if (UnsafeApi.getByte(array, address + i) != UnsafeApi.getByte(memo, memoAddress + i))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Splits {@code k<sep>v,k<sep>v} like Guava's {@code Splitter.on(',').withKeyValueSeparator(sep)}: every entry
     * (including an empty one) must hold exactly one separator; a key seen before is an error.
     */
    private boolean splitTags(final DirectBuffer buffer, final int start, final int end, final byte separator)
    {
        int entryStart = start;
        while (true)
        {
            int entryEnd = entryStart;
            int separatorAt = -1;
            while (entryEnd < end && buffer.getByte(entryEnd) != ',')
            {
                if (buffer.getByte(entryEnd) == separator)
                {
                    if (separatorAt >= 0)
                    {
                        return false;
                    }
                    separatorAt = entryEnd;
                }
                entryEnd++;
            }
            if (separatorAt < 0)
            {
                return false;
            }
            final int kLength = separatorAt - entryStart;
            for (int i = 0; i < tagCount; i++)
            {
                if (keyLength[i] == kLength && equalBytes(buffer, keyOffset[i], entryStart, kLength))
                {
                    return false;
                }
            }
            ensureTagCapacity();
            keyOffset[tagCount] = entryStart;
            keyLength[tagCount] = kLength;
            valueOffset[tagCount] = separatorAt + 1;
            valueLength[tagCount] = entryEnd - separatorAt - 1;
            tagCount++;
            if (entryEnd == end)
            {
                return true;
            }
            entryStart = entryEnd + 1;
        }
    }

    /**
     * {@code Double.valueOf} of the rate text: plain decimals ({@code 0.25}, {@code 1}, {@code .5}) are computed
     * exactly without allocating (at most 15 significant digits, at most 22 fraction digits: one correctly rounded
     * division); anything else goes through {@code Double.valueOf} itself.
     */
    private boolean parseRate(final DirectBuffer buffer, final int offset, final int length)
    {
        long mantissa = 0;
        int significant = 0;
        int fraction = 0;
        boolean sawDot = false;
        boolean sawDigit = false;
        boolean plain = true;
        for (int i = offset; i < offset + length && plain; i++)
        {
            final byte b = buffer.getByte(i);
            if (b >= '0' && b <= '9')
            {
                sawDigit = true;
                if (mantissa != 0 || b != '0')
                {
                    significant++;
                }
                mantissa = mantissa * 10 + (b - '0');
                if (sawDot)
                {
                    fraction++;
                }
            }
            else if (b == '.' && !sawDot)
            {
                sawDot = true;
            }
            else
            {
                plain = false;
            }
        }
        if (plain && sawDigit && significant <= 15 && fraction <= 22)
        {
            sampleRate = mantissa / POW10[fraction];
            return true;
        }
        try
        {
            sampleRate = Double.parseDouble(buffer.getStringWithoutLengthUtf8(offset, length));
            return true;
        }
        catch (final NumberFormatException ex)
        {
            return false;
        }
    }

    private void ensureTagCapacity()
    {
        if (tagCount == keyOffset.length)
        {
            final int size = tagCount * 2;
            keyOffset = java.util.Arrays.copyOf(keyOffset, size);
            keyLength = java.util.Arrays.copyOf(keyLength, size);
            valueOffset = java.util.Arrays.copyOf(valueOffset, size);
            valueLength = java.util.Arrays.copyOf(valueLength, size);
        }
    }

    static boolean equalBytes(final DirectBuffer buffer, final int a, final int b, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            if (buffer.getByte(a + i) != buffer.getByte(b + i))
            {
                return false;
            }
        }
        return true;
    }

    private static boolean isNameStop(final byte b)
    {
        return b == ':' || b == '@' || b == '|' || b == ',';
    }

    private static boolean isInfluxStop(final byte b)
    {
        return b == ':' || b == '@' || b == '|';
    }

    /**
     * @param end at most the end of the line {@link #decode} bounds-checked, so the bytes are read unchecked.
     */
    private static int indexOfPipe(final DirectBuffer buffer, final int from, final int end)
    {
        final byte[] array = buffer.byteArray();
        final long address = buffer.addressOffset();
        int p = from;
        while (p < end && UnsafeApi.getByte(array, address + p) != '|')
        {
            p++;
        }
        return p;
    }

    /**
     * Java regex {@code .} (without DOTALL/UNIX_LINES) rejects {@code \r}, U+0085 (C2 85), U+2028/U+2029
     * (E2 80 A8/A9); {@code \n} cannot occur inside a line.
     */
    private static boolean containsLineTerminator(final DirectBuffer buffer, final int from, final int end)
    {
        for (int i = from; i < end; i++)
        {
            final int b = buffer.getByte(i) & 0xFF;
            if (b == '\r')
            {
                return true;
            }
            if (b == 0xC2 && i + 1 < end && (buffer.getByte(i + 1) & 0xFF) == 0x85)
            {
                return true;
            }
            if (b == 0xE2 && i + 2 < end && (buffer.getByte(i + 1) & 0xFF) == 0x80)
            {
                final int b2 = buffer.getByte(i + 2) & 0xFF;
                if (b2 == 0xA8 || b2 == 0xA9)
                {
                    return true;
                }
            }
        }
        return false;
    }
}
