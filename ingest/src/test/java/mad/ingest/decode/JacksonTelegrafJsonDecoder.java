package mad.ingest.decode;

import java.io.IOException;
import java.util.Locale;
import java.util.function.Supplier;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import mad.engine.config.Settings;
import mad.engine.model.MetricType;
import mad.engine.model.Unit;
import mad.engine.sample.PublishResult;
import mad.engine.sample.SampleEvent;
import mad.engine.sample.SampleWriter;

/**
 * Reference copy of the Jackson-based decoder before issue 6, for {@code TelegrafJsonDifferentialTest} only.
 * Decodes one telegraf JSON line with MAD's {@code TelegrafJsonToRecordParser} semantics, using Jackson's streaming
 * parser: a single metric {@code {"name":..,"timestamp":..,"tags":{..},"fields":{..}}} or a batch
 * {@code {"metrics":[...]}} (a top-level {@code metrics} key wins, other keys are then ignored). {@code name} and
 * {@code timestamp} (>= 0, converted by {@code timestampUnit} with integer division) are required. Every field is a
 * TIMER named {@code name.field} (or {@code field} when the name is empty): JSON numbers keep their double value
 * (MAD turns them into Java text and back, which round-trips), booleans are 1/0, strings go through
 * {@link MadNumberParser} and otherwise {@code true}/{@code false} (any case) give 1/0 and other text skips the field.
 * Tags become dimensions (numbers and booleans as text). A null or nested value fails the whole line; the whole line
 * is validated before anything is written, as MAD builds all its records first.
 *
 * <p>Thread ownership: one instance per transport thread. Allocates a Jackson parser per line (JSON is not the
 * high-rate path); names and values are copied into reused scratch buffers.
 */
final class JacksonTelegrafJsonDecoder implements LineDecoder
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

    private static final JsonFactory JSON = new JsonFactory();

    private final TimestampUnit timestampUnit;
    private final MadNumberParser numbers = new MadNumberParser();
    private final ExpandableArrayBuffer text = new ExpandableArrayBuffer(1024);
    private final UnsafeBuffer fieldText = new UnsafeBuffer(new byte[0]);
    private byte[] copy = new byte[1024];
    private int textLength;

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
    JacksonTelegrafJsonDecoder(final TimestampUnit timestampUnit)
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
        return () -> new JacksonTelegrafJsonDecoder(unit);
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
        final byte[] bytes;
        final int start;
        if (buffer.byteArray() != null)
        {
            bytes = buffer.byteArray();
            start = (int)buffer.wrapAdjustment() + offset;
        }
        else
        {
            if (copy.length < length)
            {
                copy = new byte[Math.max(length, copy.length * 2)];
            }
            buffer.getBytes(offset, copy, 0, length);
            bytes = copy;
            start = 0;
        }
        metricCount = 0;
        pairCount = 0;
        textLength = 0;
        try (JsonParser parser = JSON.createParser(bytes, start, length))
        {
            if (!readDocument(parser))
            {
                lastError = LineDecoder.describe(INVALID_JSON);
                return INVALID_JSON;
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            lastError = "invalid json: " + ex.getMessage();
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

    private boolean readDocument(final JsonParser parser) throws IOException
    {
        if (parser.nextToken() != JsonToken.START_OBJECT)
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

    private boolean batchSeen;
    private boolean batchValid;

    /**
     * Reads the fields of one metric object (the START_OBJECT already consumed) into slot {@code metricCount}.
     */
    private boolean readMetricBody(final JsonParser parser, final boolean topLevel) throws IOException
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
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME)
        {
            final String key = parser.currentName();
            final JsonToken valueToken = parser.nextToken();
            if (topLevel && "metrics".equals(key))
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
                case "name":
                    if (!valueToken.isScalarValue() || valueToken == JsonToken.VALUE_NULL)
                    {
                        valid = false;
                        parser.skipChildren();
                        break;
                    }
                    nameOffset[slot] = textLength;
                    nameLength[slot] = appendScalar(parser, valueToken);
                    hasName = true;
                    break;
                case "timestamp":
                    if (valueToken == JsonToken.VALUE_NUMBER_INT || valueToken == JsonToken.VALUE_NUMBER_FLOAT)
                    {
                        timestamp[slot] = parser.getValueAsLong();
                        hasTimestamp = true;
                    }
                    else if (valueToken == JsonToken.VALUE_STRING)
                    {
                        try
                        {
                            timestamp[slot] = Long.parseLong(parser.getText().trim());
                            hasTimestamp = true;
                        }
                        catch (final NumberFormatException ex)
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
                case "tags":
                    tagFirst[slot] = pairCount;
                    valid &= readPairs(parser, valueToken, false);
                    tagEnd[slot] = pairCount;
                    break;
                case "fields":
                    fieldFirst[slot] = pairCount;
                    valid &= readPairs(parser, valueToken, true);
                    fieldEnd[slot] = pairCount;
                    break;
                default:
                    parser.skipChildren();
                    break;
            }
        }
        if (token != JsonToken.END_OBJECT)
        {
            return false;
        }
        return valid && hasName && hasTimestamp && timestamp[slot] >= 0;
    }

    private boolean readBatch(final JsonParser parser, final JsonToken token) throws IOException
    {
        if (token != JsonToken.START_ARRAY)
        {
            parser.skipChildren();
            return false;
        }
        metricCount = 0;
        pairCount = 0;
        boolean valid = true;
        JsonToken element;
        while ((element = parser.nextToken()) != JsonToken.END_ARRAY)
        {
            if (element != JsonToken.START_OBJECT)
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
    private boolean readPairs(final JsonParser parser, final JsonToken token, final boolean fields) throws IOException
    {
        if (token == JsonToken.VALUE_NULL)
        {
            return false;
        }
        if (token != JsonToken.START_OBJECT)
        {
            parser.skipChildren();
            return false;
        }
        final int first = pairCount;
        boolean valid = true;
        while (parser.nextToken() == JsonToken.FIELD_NAME)
        {
            ensurePair();
            final int index = pairCount;
            pairKeyOffset[index] = textLength;
            pairKeyLength[index] = appendChars(parser);
            final JsonToken value = parser.nextToken();
            if (!value.isScalarValue() || value == JsonToken.VALUE_NULL)
            {
                parser.skipChildren();
                valid = false;
                continue;
            }
            pairSkip[index] = false;
            if (fields && value.isNumeric())
            {
                pairValue[index] = parser.getDoubleValue();
            }
            else if (fields && value.isBoolean())
            {
                pairValue[index] = value == JsonToken.VALUE_TRUE ? 1.0 : 0.0;
            }
            else
            {
                pairValueOffset[index] = textLength;
                pairValueLength[index] = appendScalar(parser, value);
                if (fields)
                {
                    pairSkip[index] = !fieldValue(index);
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

    private boolean fieldValue(final int index)
    {
        fieldText.wrap(text, pairValueOffset[index], pairValueLength[index]);
        if (numbers.parseStrict(fieldText, 0, pairValueLength[index]))
        {
            pairValue[index] = numbers.value();
            return true;
        }
        final String value = fieldText.getStringWithoutLengthUtf8(0, pairValueLength[index]);
        if ("true".equalsIgnoreCase(value))
        {
            pairValue[index] = 1.0;
            return true;
        }
        if ("false".equalsIgnoreCase(value))
        {
            pairValue[index] = 0.0;
            return true;
        }
        return false;
    }

    /**
     * Appends a scalar as the text Jackson's tree would give ({@code asText()}): strings as-is, integers in decimal,
     * floats as {@code Double.toString}, booleans {@code true}/{@code false}.
     */
    private int appendScalar(final JsonParser parser, final JsonToken token) throws IOException
    {
        if (token == JsonToken.VALUE_STRING)
        {
            return appendChars(parser);
        }
        final String value;
        if (token == JsonToken.VALUE_NUMBER_FLOAT)
        {
            value = Double.toString(parser.getDoubleValue());
        }
        else if (token == JsonToken.VALUE_NUMBER_INT)
        {
            value = parser.getNumberValue().toString();
        }
        else
        {
            value = token == JsonToken.VALUE_TRUE ? "true" : "false";
        }
        final int written = text.putStringWithoutLengthUtf8(textLength, value);
        textLength += written;
        return written;
    }

    /**
     * Appends the current token's characters as UTF-8 without making a String.
     */
    private int appendChars(final JsonParser parser) throws IOException
    {
        final char[] chars = parser.getTextCharacters();
        final int from = parser.getTextOffset();
        final int to = from + parser.getTextLength();
        final int start = textLength;
        int position = start;
        for (int i = from; i < to; i++)
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
            else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(chars[i + 1]))
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
        return "JacksonTelegrafJsonDecoder[" + timestampUnit.name().toLowerCase(Locale.ROOT) + "]";
    }
}
