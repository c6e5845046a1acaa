package mad.ingest.decode;

import java.util.Locale;
import java.util.function.Supplier;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import mad.engine.config.Settings;
import mad.engine.model.MetricType;
import mad.engine.model.Unit;
import mad.engine.sample.PublishResult;
import mad.engine.sample.SampleEvent;
import mad.engine.sample.SampleWriter;

/**
 * Decodes one telegraf JSON line with MAD's {@code TelegrafJsonToRecordParser} semantics, with a {@link JsonScanner}
 * (Jackson's token semantics; content after the root object is ignored, as Jackson's parser never reads it): a
 * single metric {@code {"name":..,"timestamp":..,"tags":{..},"fields":{..}}} or a batch
 * {@code {"metrics":[...]}} (a top-level {@code metrics} key wins, other keys are then ignored). {@code name} and
 * {@code timestamp} (>= 0, converted by {@code timestampUnit} with integer division) are required. Every field is a
 * TIMER named {@code name.field} (or {@code field} when the name is empty): JSON numbers keep their double value
 * (MAD turns them into Java text and back, which round-trips), booleans are 1/0, strings go through
 * {@link MadNumberParser} and otherwise {@code true}/{@code false} (any case) give 1/0 and other text skips the field.
 * Tags become dimensions (numbers and booleans as text). A null or nested value fails the whole line; the whole line
 * is validated before anything is written, as MAD builds all its records first.
 *
 * <p>Thread ownership: one instance per transport thread. Allocates nothing per line in steady state: names and values
 * are copied into reused scratch buffers (only rare inputs allocate: float tags, Unicode-digit timestamps, errors).
 */
public final class TelegrafJsonDecoder implements LineDecoder
{
    /** MAD's {@code TelegrafJsonToRecordParser.TimestampUnit}. */
    public enum TimestampUnit
    {
        SECONDS, MILLISECONDS, MICROSECONDS, NANOSECONDS;

        long toMillis(final long timestamp)
        {
            switch (this)
            {
                case SECONDS:
                    return timestamp * 1000;
                case MILLISECONDS:
                    return timestamp;
                case MICROSECONDS:
                    return timestamp / 1000;
                default:
                    return timestamp / 1_000_000;
            }
        }
    }

    private static final int KEY_METRICS = 0;
    private static final int KEY_NAME = 1;
    private static final int KEY_TIMESTAMP = 2;
    private static final int KEY_TAGS = 3;
    private static final int KEY_FIELDS = 4;
    private static final char[][] KEYS = {
        "metrics".toCharArray(), "name".toCharArray(), "timestamp".toCharArray(), "tags".toCharArray(),
        "fields".toCharArray()
    };
    // Jackson's bounds for coercing a float to a long
    private static final double MIN_LONG_D = Long.MIN_VALUE;
    private static final double MAX_LONG_D = Long.MAX_VALUE;

    private final TimestampUnit timestampUnit;
    private final MadNumberParser numbers = new MadNumberParser();
    private final ExpandableArrayBuffer text = new ExpandableArrayBuffer(1024);
    private final UnsafeBuffer fieldText = new UnsafeBuffer(new byte[0]);
    // strict JSON: no NaN/Infinity tokens (Jackson's default factory)
    private final JsonScanner scanner = new JsonScanner(false);
    private int textLength;
    private long parsedLong;
    // a Jackson exception (number out of range) ends the line as invalid json
    private String fatal;
    private boolean batchSeen;
    private boolean batchValid;

    // One entry per metric of the line.
    private int metricCount;
    private int[] nameOffset = new int[4];
    private int[] nameLength = new int[4];
    private long[] timestamp = new long[4];
    private int[] tagFirst = new int[4];
    private int[] tagEnd = new int[4];
    private int[] fieldFirst = new int[4];
    private int[] fieldEnd = new int[4];
    // Pairs (key, value) of tags, and (key, value) of fields, as spans in text.
    private int pairCount;
    private int[] pairKeyOffset = new int[32];
    private int[] pairKeyLength = new int[32];
    private int[] pairValueOffset = new int[32];
    private int[] pairValueLength = new int[32];
    private double[] pairValue = new double[32];
    private boolean[] pairSkip = new boolean[32];
    private String lastError = "";

    /**
     * @param timestampUnit how {@code timestamp} is read.
     */
    public TelegrafJsonDecoder(final TimestampUnit timestampUnit)
    {
        this.timestampUnit = timestampUnit;
    }

    /**
     * Reads MAD's parser key {@code timestampUnit} ({@code SECONDS}).
     *
     * @param settings the {@code parser} object.
     * @return a factory making one decoder per transport thread.
     */
    public static Supplier<LineDecoder> factory(final Settings settings)
    {
        final String name = settings.string("timestampUnit", "SECONDS");
        final TimestampUnit unit;
        try
        {
            unit = TimestampUnit.valueOf(name);
        }
        catch (final IllegalArgumentException ex)
        {
            throw settings.error("timestampUnit", "unknown timestamp unit " + name);
        }
        return () -> new TelegrafJsonDecoder(unit);
    }

    @Override
    public String lastError()
    {
        return lastError;
    }

    @Override
    public int decodeLine(
        final DirectBuffer buffer, final int offset, final int length, final long receiveTimeMs,
        final SampleWriter writer)
    {
        metricCount = 0;
        pairCount = 0;
        textLength = 0;
        fatal = null;
        final JsonScanner parser = scanner.wrap(buffer, offset, length);
        final boolean valid = readDocument(parser);
        if (parser.token() == JsonScanner.ERROR)
        {
            lastError = "invalid json: " + parser.describeError();
            return INVALID_JSON;
        }
        if (fatal != null)
        {
            lastError = "invalid json: " + fatal;
            return INVALID_JSON;
        }
        if (!valid)
        {
            lastError = LineDecoder.describe(INVALID_JSON);
            return INVALID_JSON;
        }
        return write(writer);
    }

    private int write(final SampleWriter writer)
    {
        int result = OK;
        for (int m = 0; m < metricCount; m++)
        {
            writer.beginRecord(timestampUnit.toMillis(timestamp[m]), SampleEvent.NO_REQUEST_TIME);
            for (int i = tagFirst[m]; i < tagEnd[m]; i++)
            {
                if (!pairSkip[i])
                {
                    writer.dimension(text, pairKeyOffset[i], pairKeyLength[i], text, pairValueOffset[i],
                        pairValueLength[i]);
                }
            }
            if (writer.endDimensions() != PublishResult.OK)
            {
                result = KEY_TOO_LARGE;
                continue;
            }
            for (int i = fieldFirst[m]; i < fieldEnd[m]; i++)
            {
                if (pairSkip[i])
                {
                    continue;
                }
                // Metric name = name + "." + field, built after the text written so far.
                final int nameStart = textLength;
                int position = nameStart;
                if (nameLength[m] > 0)
                {
                    text.putBytes(position, text, nameOffset[m], nameLength[m]);
                    position += nameLength[m];
                    text.putByte(position++, (byte)'.');
                }
                text.putBytes(position, text, pairKeyOffset[i], pairKeyLength[i]);
                position += pairKeyLength[i];
                if (writer.beginMetric(text, nameStart, position - nameStart, MetricType.TIMER, Unit.NONE)
                    != PublishResult.OK)
                {
                    result = KEY_TOO_LARGE;
                    continue;
                }
                if (writer.sample(pairValue[i]) != PublishResult.OK)
                {
                    result = RING_FULL;
                }
                writer.endMetric();
            }
        }
        if (result != OK)
        {
            lastError = LineDecoder.describe(result);
        }
        return result;
    }

    private boolean readDocument(final JsonScanner parser)
    {
        if (parser.next() != JsonScanner.START_OBJECT)
        {
            return false;
        }
        // Read the top level as a single metric, but keep going if it is malformed: a "metrics" key anywhere wins.
        ensureMetric();
        final boolean single = readMetricBody(parser, true);
        if (batchSeen)
        {
            return batchValid;
        }
        if (single)
        {
            metricCount = 1;
        }
        return single;
    }

    /**
     * Reads the fields of one metric object (the START_OBJECT already consumed) into slot {@code metricCount}.
     * A syntax error leaves the scanner on {@link JsonScanner#ERROR}, which every loop here stops on.
     */
    private boolean readMetricBody(final JsonScanner parser, final boolean topLevel)
    {
        if (topLevel)
        {
            batchSeen = false;
            batchValid = false;
        }
        final int slot = metricCount;
        boolean valid = true;
        boolean hasName = false;
        boolean hasTimestamp = false;
        tagFirst[slot] = pairCount;
        tagEnd[slot] = pairCount;
        fieldFirst[slot] = pairCount;
        fieldEnd[slot] = pairCount;
        int token;
        while ((token = parser.next()) == JsonScanner.FIELD_NAME)
        {
            final int key = keyId(parser.text(), parser.textLength());
            final int valueToken = parser.next();
            if (valueToken == JsonScanner.ERROR)
            {
                return false;
            }
            if (topLevel && key == KEY_METRICS)
            {
                batchValid = readBatch(parser, valueToken);
                batchSeen = true;
                continue;
            }
            if (topLevel && batchSeen)
            {
                parser.skipChildren();
                continue;
            }
            switch (key)
            {
                case KEY_NAME:
                    if (!JsonScanner.isScalar(valueToken) || valueToken == JsonScanner.NULL)
                    {
                        valid = false;
                        parser.skipChildren();
                        break;
                    }
                    nameOffset[slot] = textLength;
                    nameLength[slot] = appendScalar(parser, valueToken);
                    hasName = true;
                    break;
                case KEY_TIMESTAMP:
                    if (valueToken == JsonScanner.NUMBER_INT || valueToken == JsonScanner.NUMBER_FLOAT)
                    {
                        timestamp[slot] = valueAsLong(parser, valueToken);
                        hasTimestamp = true;
                    }
                    else if (valueToken == JsonScanner.STRING)
                    {
                        if (parseLong(parser.text(), parser.textLength()))
                        {
                            timestamp[slot] = parsedLong;
                            hasTimestamp = true;
                        }
                        else
                        {
                            valid = false;
                        }
                    }
                    else
                    {
                        valid = false;
                        parser.skipChildren();
                    }
                    break;
                case KEY_TAGS:
                    tagFirst[slot] = pairCount;
                    valid &= readPairs(parser, valueToken, false);
                    tagEnd[slot] = pairCount;
                    break;
                case KEY_FIELDS:
                    fieldFirst[slot] = pairCount;
                    valid &= readPairs(parser, valueToken, true);
                    fieldEnd[slot] = pairCount;
                    break;
                default:
                    parser.skipChildren();
                    break;
            }
        }
        if (token != JsonScanner.END_OBJECT)
        {
            return false;
        }
        return valid && hasName && hasTimestamp && timestamp[slot] >= 0;
    }

    private boolean readBatch(final JsonScanner parser, final int token)
    {
        if (token != JsonScanner.START_ARRAY)
        {
            parser.skipChildren();
            return false;
        }
        metricCount = 0;
        pairCount = 0;
        boolean valid = true;
        int element;
        while ((element = parser.next()) != JsonScanner.END_ARRAY)
        {
            if (element == JsonScanner.ERROR)
            {
                return false;
            }
            if (element != JsonScanner.START_OBJECT)
            {
                parser.skipChildren();
                valid = false;
                continue;
            }
            ensureMetric();
            if (readMetricBody(parser, false))
            {
                metricCount++;
            }
            else
            {
                valid = false;
            }
        }
        return valid;
    }

    /**
     * Reads an object of scalars into pairs; a later duplicate key replaces the earlier one (Jackson's tree, which MAD
     * reads first, keeps the last).
     */
    private boolean readPairs(final JsonScanner parser, final int token, final boolean fields)
    {
        if (token == JsonScanner.NULL)
        {
            return false;
        }
        if (token != JsonScanner.START_OBJECT)
        {
            parser.skipChildren();
            return false;
        }
        final int first = pairCount;
        boolean valid = true;
        while (parser.next() == JsonScanner.FIELD_NAME)
        {
            ensurePair();
            final int index = pairCount;
            pairKeyOffset[index] = textLength;
            pairKeyLength[index] = appendChars(parser.text(), parser.textLength());
            final int value = parser.next();
            if (value == JsonScanner.ERROR)
            {
                return false;
            }
            if (!JsonScanner.isScalar(value) || value == JsonScanner.NULL)
            {
                parser.skipChildren();
                valid = false;
                continue;
            }
            pairSkip[index] = false;
            if (fields && (value == JsonScanner.NUMBER_INT || value == JsonScanner.NUMBER_FLOAT))
            {
                pairValue[index] = parser.doubleValue();
            }
            else if (fields && (value == JsonScanner.TRUE || value == JsonScanner.FALSE))
            {
                pairValue[index] = value == JsonScanner.TRUE ? 1.0 : 0.0;
            }
            else
            {
                pairValueOffset[index] = textLength;
                pairValueLength[index] = appendScalar(parser, value);
                if (fields)
                {
                    pairSkip[index] = !fieldValue(index, parser.text(), parser.textLength());
                }
            }
            for (int i = first; i < index; i++)
            {
                if (!pairSkip[i] && pairKeyLength[i] == pairKeyLength[index]
                    && StatsdDecoder.equalBytes(text, pairKeyOffset[i], pairKeyOffset[index], pairKeyLength[index]))
                {
                    pairSkip[i] = true;
                }
            }
            pairCount++;
        }
        return valid;
    }

    /**
     * Jackson's {@code getValueAsLong()} of a number token: an integer must fit a long, a float is range-checked
     * against [Long.MIN_VALUE, Long.MAX_VALUE] as doubles and truncated; out of range is a parse error of the line.
     */
    private long valueAsLong(final JsonScanner parser, final int token)
    {
        if (token == JsonScanner.NUMBER_INT)
        {
            if (parser.integerFitsLong())
            {
                return parser.longValue();
            }
        }
        else
        {
            final double value = parser.doubleValue();
            if (!(value < MIN_LONG_D || value > MAX_LONG_D))
            {
                return (long)value;
            }
        }
        if (fatal == null)
        {
            fatal = "timestamp out of range of long at byte " + parser.tokenStart();
        }
        return 0;
    }

    /**
     * {@code Long.parseLong(text.trim())} into {@link #parsedLong}; false where it would throw.
     */
    private boolean parseLong(final char[] chars, final int length)
    {
        int from = 0;
        int to = length;
        while (from < to && chars[from] <= ' ')
        {
            from++;
        }
        while (to > from && chars[to - 1] <= ' ')
        {
            to--;
        }
        for (int i = from; i < to; i++)
        {
            if (chars[i] >= 0x80)
            {
                // Rare: Long.parseLong accepts any Unicode decimal digit; let the JDK decide.
                try
                {
                    parsedLong = Long.parseLong(new String(chars, from, to - from));
                    return true;
                }
                catch (final NumberFormatException ex)
                {
                    return false;
                }
            }
        }
        int i = from;
        boolean negative = false;
        if (i < to && (chars[i] == '-' || chars[i] == '+'))
        {
            negative = chars[i] == '-';
            i++;
        }
        if (i == to)
        {
            return false;
        }
        // accumulate negatively, as Long.parseLong, so that Long.MIN_VALUE fits
        final long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
        long value = 0;
        for (; i < to; i++)
        {
            final int digit = chars[i] - '0';
            if (digit < 0 || digit > 9 || value < limit / 10)
            {
                return false;
            }
            value *= 10;
            if (value < limit + digit)
            {
                return false;
            }
            value -= digit;
        }
        parsedLong = negative ? value : -value;
        return true;
    }

    private boolean fieldValue(final int index, final char[] chars, final int length)
    {
        fieldText.wrap(text, pairValueOffset[index], pairValueLength[index]);
        if (numbers.parseStrict(fieldText, 0, pairValueLength[index]))
        {
            pairValue[index] = numbers.value();
            return true;
        }
        if (equalsIgnoreCase(chars, length, "true"))
        {
            pairValue[index] = 1.0;
            return true;
        }
        if (equalsIgnoreCase(chars, length, "false"))
        {
            pairValue[index] = 0.0;
            return true;
        }
        return false;
    }

    /**
     * {@code String.equalsIgnoreCase} on decoded characters (so {@code "falſe"} matches, as in Java).
     */
    private static boolean equalsIgnoreCase(final char[] chars, final int length, final String word)
    {
        if (length != word.length())
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            final char c1 = chars[i];
            final char c2 = word.charAt(i);
            if (c1 == c2)
            {
                continue;
            }
            final char u1 = Character.toUpperCase(c1);
            final char u2 = Character.toUpperCase(c2);
            if (u1 != u2 && Character.toLowerCase(u1) != Character.toLowerCase(u2))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Appends a scalar as the text Jackson's tree would give ({@code asText()}): strings as-is, integers in decimal
     * ({@code -0} is the int 0), floats as {@code Double.toString} (allocates: floats are not expected as tags or
     * names), booleans {@code true}/{@code false}.
     */
    private int appendScalar(final JsonScanner parser, final int token)
    {
        if (token == JsonScanner.NUMBER_FLOAT)
        {
            final String value = Double.toString(parser.doubleValue());
            final int written = text.putStringWithoutLengthUtf8(textLength, value);
            textLength += written;
            return written;
        }
        final char[] chars = parser.text();
        final int length = parser.textLength();
        if (token == JsonScanner.NUMBER_INT && length == 2 && chars[0] == '-' && chars[1] == '0')
        {
            text.putByte(textLength++, (byte)'0');
            return 1;
        }
        return appendChars(chars, length);
    }

    /**
     * Appends decoded characters as UTF-8 (a lone surrogate as {@code ?}) without making a String.
     */
    private int appendChars(final char[] chars, final int length)
    {
        final int start = textLength;
        int position = start;
        for (int i = 0; i < length; i++)
        {
            final char c = chars[i];
            if (c < 0x80)
            {
                text.putByte(position++, (byte)c);
            }
            else if (c < 0x800)
            {
                text.putByte(position++, (byte)(0xC0 | (c >> 6)));
                text.putByte(position++, (byte)(0x80 | (c & 0x3F)));
            }
            else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(chars[i + 1]))
            {
                final int cp = Character.toCodePoint(c, chars[++i]);
                text.putByte(position++, (byte)(0xF0 | (cp >> 18)));
                text.putByte(position++, (byte)(0x80 | ((cp >> 12) & 0x3F)));
                text.putByte(position++, (byte)(0x80 | ((cp >> 6) & 0x3F)));
                text.putByte(position++, (byte)(0x80 | (cp & 0x3F)));
            }
            else if (Character.isSurrogate(c))
            {
                text.putByte(position++, (byte)'?');
            }
            else
            {
                text.putByte(position++, (byte)(0xE0 | (c >> 12)));
                text.putByte(position++, (byte)(0x80 | ((c >> 6) & 0x3F)));
                text.putByte(position++, (byte)(0x80 | (c & 0x3F)));
            }
        }
        textLength = position;
        return position - start;
    }

    private static int keyId(final char[] key, final int length)
    {
        for (int k = 0; k < KEYS.length; k++)
        {
            final char[] candidate = KEYS[k];
            if (candidate.length == length && java.util.Arrays.equals(candidate, 0, length, key, 0, length))
            {
                return k;
            }
        }
        return -1;
    }

    private void ensureMetric()
    {
        if (metricCount == nameOffset.length)
        {
            final int size = metricCount * 2;
            nameOffset = java.util.Arrays.copyOf(nameOffset, size);
            nameLength = java.util.Arrays.copyOf(nameLength, size);
            timestamp = java.util.Arrays.copyOf(timestamp, size);
            tagFirst = java.util.Arrays.copyOf(tagFirst, size);
            tagEnd = java.util.Arrays.copyOf(tagEnd, size);
            fieldFirst = java.util.Arrays.copyOf(fieldFirst, size);
            fieldEnd = java.util.Arrays.copyOf(fieldEnd, size);
        }
    }

    private void ensurePair()
    {
        if (pairCount == pairKeyOffset.length)
        {
            final int size = pairCount * 2;
            pairKeyOffset = java.util.Arrays.copyOf(pairKeyOffset, size);
            pairKeyLength = java.util.Arrays.copyOf(pairKeyLength, size);
            pairValueOffset = java.util.Arrays.copyOf(pairValueOffset, size);
            pairValueLength = java.util.Arrays.copyOf(pairValueLength, size);
            pairValue = java.util.Arrays.copyOf(pairValue, size);
            pairSkip = java.util.Arrays.copyOf(pairSkip, size);
        }
    }

    @Override
    public String toString()
    {
        return "TelegrafJsonDecoder[" + timestampUnit.name().toLowerCase(Locale.ROOT) + "]";
    }
}
