package mad.ingest.decode;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

import mad.engine.config.Settings;
import mad.engine.model.MetricType;
import mad.engine.model.Unit;
import mad.engine.sample.PublishResult;
import mad.engine.sample.SampleEvent;
import mad.engine.sample.SampleWriter;

/**
 * Decodes one graphite plaintext line with MAD's {@code GraphitePlaintextToRecordParser} semantics: the line must fully
 * match {@code ^(?<NAME>[^ ]+) (?<VALUE>[^ ]+)( (?<TIMESTAMP>[0-9]+))?[\s]*$} (scanned by hand: exactly one space
 * between fields, trailing whitespace including {@code \r} allowed), VALUE by {@link MadNumberParser}, TIMESTAMP in
 * epoch seconds (absent: receive time). Dimensions start from {@code globalTags}; with {@code parseCarbonTags} the
 * name is split on {@code ;} and every further part {@code k=v} (Java {@code split("=")}: exactly two non-empty parts,
 * trailing {@code =} ignored) adds or overrides a dimension; other parts are silently ignored. One GAUGE sample.
 *
 * <p>Deviations: a name that is empty after carbon-tag splitting is rejected (MAD creates an empty metric name or
 * throws); a timestamp whose milliseconds overflow a long is rejected (MAD wraps).
 *
 * <p>Thread ownership: one instance per transport thread; allocates nothing per line.
 */
public final class GraphiteDecoder implements LineDecoder
{
    private static final long MAX_SECONDS = Long.MAX_VALUE / 1000;

    private final MadNumberParser numbers = new MadNumberParser();
    private final ExpandableArrayBuffer globals = new ExpandableArrayBuffer(64);
    private final int globalCount;
    private final int[] globalOffsets;
    private final boolean parseCarbonTags;

    private DirectBuffer[] keyBuffer = new DirectBuffer[16];
    private int[] keyOffset = new int[16];
    private int[] keyLength = new int[16];
    private DirectBuffer[] valueBuffer = new DirectBuffer[16];
    private int[] valueOffset = new int[16];
    private int[] valueLength = new int[16];
    private int dimCount;
    private String lastError = "";

    /**
     * @param globalTags dimensions every record starts with.
     * @param parseCarbonTags whether {@code name;k=v} tags are parsed.
     */
    public GraphiteDecoder(final Map<String, String> globalTags, final boolean parseCarbonTags)
    {
        this.parseCarbonTags = parseCarbonTags;
        int position = 0;
        int count = 0;
        for (final Map.Entry<String, String> entry : globalTags.entrySet())
        {
            final byte[] key = entry.getKey().getBytes(StandardCharsets.UTF_8);
            final byte[] value = entry.getValue().getBytes(StandardCharsets.UTF_8);
            ensureCapacity(count);
            globals.putBytes(position, key);
            keyBuffer[count] = globals;
            keyOffset[count] = position;
            keyLength[count] = key.length;
            position += key.length;
            globals.putBytes(position, value);
            valueBuffer[count] = globals;
            valueOffset[count] = position;
            valueLength[count] = value.length;
            position += value.length;
            count++;
        }
        this.globalCount = count;
        this.globalOffsets = new int[count * 4];
        for (int i = 0; i < count; i++)
        {
            globalOffsets[4 * i] = keyOffset[i];
            globalOffsets[4 * i + 1] = keyLength[i];
            globalOffsets[4 * i + 2] = valueOffset[i];
            globalOffsets[4 * i + 3] = valueLength[i];
        }
    }

    /**
     * Reads MAD's parser keys {@code globalTags} (map, {@code {}}) and {@code parseCarbonTags} (false).
     *
     * @param settings the {@code parser} object.
     * @return a factory making one decoder per transport thread.
     */
    public static Supplier<LineDecoder> factory(final Settings settings)
    {
        final Map<String, String> globalTags = Map.copyOf(settings.stringMap("globalTags"));
        final boolean carbon = settings.bool("parseCarbonTags", false);
        return () -> new GraphiteDecoder(globalTags, carbon);
    }

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
        final int end = offset + length;
        final int nameEnd = indexOfSpace(buffer, offset, end);
        if (nameEnd == offset || nameEnd == end)
        {
            return INVALID_LINE;
        }
        final int valueStart = nameEnd + 1;
        final int valueEnd = indexOfSpace(buffer, valueStart, end);
        if (valueEnd == valueStart)
        {
            return INVALID_LINE;
        }
        long timeMs = receiveTimeMs;
        if (valueEnd < end)
        {
            // Either " DIGITS" followed by whitespace only, or whitespace only.
            int p = valueEnd + 1;
            long seconds = 0;
            boolean overflow = false;
            while (p < end && isDigit(buffer.getByte(p)))
            {
                final long next = seconds * 10 + (buffer.getByte(p) - '0');
                overflow |= next < seconds || next > MAX_SECONDS;
                seconds = next;
                p++;
            }
            final boolean hasTimestamp = p > valueEnd + 1 && allWhitespace(buffer, p, end);
            if (hasTimestamp)
            {
                if (overflow)
                {
                    return INVALID_TIMESTAMP;
                }
                timeMs = seconds * 1000L;
            }
            else if (!allWhitespace(buffer, valueEnd, end))
            {
                return INVALID_LINE;
            }
        }
        // MAD's VALUE group ([^ ]+) also takes trailing \t or \r (a CRLF line): that whitespace is not part of it.
        int valueLast = valueEnd;
        while (valueLast > valueStart && isRegexWhitespace(buffer.getByte(valueLast - 1)))
        {
            valueLast--;
        }
        if (!numbers.parseStrict(buffer, valueStart, valueLast - valueStart))
        {
            return INVALID_VALUE;
        }
        final double value = numbers.value();

        // Carbon tags may have overridden global slots on the previous line: start again from the globals.
        for (int i = 0; i < globalCount; i++)
        {
            keyBuffer[i] = globals;
            keyOffset[i] = globalOffsets[4 * i];
            keyLength[i] = globalOffsets[4 * i + 1];
            valueBuffer[i] = globals;
            valueOffset[i] = globalOffsets[4 * i + 2];
            valueLength[i] = globalOffsets[4 * i + 3];
        }
        dimCount = globalCount;
        int metricEnd = nameEnd;
        if (parseCarbonTags)
        {
            metricEnd = indexOf(buffer, offset, nameEnd, (byte)';');
            int partStart = metricEnd + 1;
            while (partStart < nameEnd)
            {
                final int partEnd = indexOf(buffer, partStart, nameEnd, (byte)';');
                carbonTag(buffer, partStart, partEnd);
                partStart = partEnd + 1;
            }
        }
        if (metricEnd == offset)
        {
            return INVALID_LINE;
        }

        writer.beginRecord(timeMs, SampleEvent.NO_REQUEST_TIME);
        for (int i = 0; i < dimCount; i++)
        {
            writer.dimension(
                keyBuffer[i], keyOffset[i], keyLength[i], valueBuffer[i], valueOffset[i], valueLength[i]);
        }
        if (writer.endDimensions() != PublishResult.OK
            || writer.beginMetric(buffer, offset, metricEnd - offset, MetricType.GAUGE, Unit.NONE) != PublishResult.OK)
        {
            return KEY_TOO_LARGE;
        }
        final int result = writer.sample(value);
        writer.endMetric();
        return result == PublishResult.OK ? OK : RING_FULL;
    }

    /**
     * {@code part.split("=")} must give exactly two non-empty strings; split drops trailing empty strings, so
     * trailing {@code =} are ignored first.
     */
    private void carbonTag(final DirectBuffer buffer, final int start, final int end)
    {
        int trimmed = end;
        while (trimmed > start && buffer.getByte(trimmed - 1) == '=')
        {
            trimmed--;
        }
        final int equals = indexOf(buffer, start, trimmed, (byte)'=');
        if (equals == trimmed || equals == start || indexOf(buffer, equals + 1, trimmed, (byte)'=') != trimmed)
        {
            return;
        }
        final int kLength = equals - start;
        int slot = dimCount;
        for (int i = 0; i < dimCount; i++)
        {
            if (keyLength[i] == kLength && sameBytes(keyBuffer[i], keyOffset[i], buffer, start, kLength))
            {
                slot = i;
                break;
            }
        }
        if (slot == dimCount)
        {
            ensureCapacity(slot);
            dimCount++;
        }
        keyBuffer[slot] = buffer;
        keyOffset[slot] = start;
        keyLength[slot] = kLength;
        valueBuffer[slot] = buffer;
        valueOffset[slot] = equals + 1;
        valueLength[slot] = trimmed - equals - 1;
    }

    private void ensureCapacity(final int index)
    {
        if (index == keyOffset.length)
        {
            final int size = index * 2;
            keyBuffer = java.util.Arrays.copyOf(keyBuffer, size);
            keyOffset = java.util.Arrays.copyOf(keyOffset, size);
            keyLength = java.util.Arrays.copyOf(keyLength, size);
            valueBuffer = java.util.Arrays.copyOf(valueBuffer, size);
            valueOffset = java.util.Arrays.copyOf(valueOffset, size);
            valueLength = java.util.Arrays.copyOf(valueLength, size);
        }
    }

    private static boolean sameBytes(
        final DirectBuffer a, final int aOffset, final DirectBuffer b, final int bOffset, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            if (a.getByte(aOffset + i) != b.getByte(bOffset + i))
            {
                return false;
            }
        }
        return true;
    }

    private static int indexOfSpace(final DirectBuffer buffer, final int from, final int end)
    {
        return indexOf(buffer, from, end, (byte)' ');
    }

    private static int indexOf(final DirectBuffer buffer, final int from, final int end, final byte value)
    {
        int p = from;
        while (p < end && buffer.getByte(p) != value)
        {
            p++;
        }
        return p;
    }

    private static boolean isDigit(final byte b)
    {
        return b >= '0' && b <= '9';
    }

    /**
     * Java regex {@code \s}: space, tab, newline, vertical tab, form feed, carriage return.
     */
    private static boolean allWhitespace(final DirectBuffer buffer, final int from, final int end)
    {
        for (int i = from; i < end; i++)
        {
            final byte b = buffer.getByte(i);
            if (b != ' ' && b != '\t' && b != '\n' && b != 0x0B && b != '\f' && b != '\r')
            {
                return false;
            }
        }
        return true;
    }

    /** Java regex {@code \s}: space, \t, \n, \x0B, \f, \r. */
    private static boolean isRegexWhitespace(final byte b)
    {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }
}
