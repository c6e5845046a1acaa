package mad.ingest.decode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import org.agrona.DirectBuffer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;

import io.netty.handler.codec.http.HttpHeaders;
import mad.engine.config.Settings;
import mad.engine.model.MetricType;
import mad.engine.model.Unit;
import mad.engine.sample.PublishResult;
import mad.engine.sample.SampleEvent;
import mad.engine.sample.SampleWriter;
import mad.ingest.http.HttpBodyDecoder;

/**
 * Reference copy of the Jackson-based decoder before issue 6, for {@code CollectdJsonDifferentialTest} only.
 * MAD's CollectdHttpSourceV1 body decoder ({@code POST /metrics/v1/collectd}, 1.20.1 behaviour): a JSON array of
 * collectd {@code write_http} objects, one record per object. Dimensions are the request's {@code X-TAG-*} headers
 * (lower-cased name after the prefix) plus the object's {@code host}; time is {@code round(time * 1000)} ms; each
 * (value, dstype, dsname) triple is a sample of metric
 * {@code plugin[/plugin_instance]/type[/type_instance][/dsname]} ({@code dsname} left out when empty or
 * {@code value}); {@code gauge} is a GAUGE, {@code counter}, {@code derive} and {@code absolute} are COUNTERs,
 * anything else a GAUGE; values are used as sent.
 *
 * <p>The whole body is parsed first into reusable scratch arrays (a char arena for strings, a double array for
 * values) with Jackson's streaming parser, then validated as MAD's builder does (required fields non-null, the three
 * arrays all null or of equal length, no {@code null} value), and only then published, so a bad object rejects the
 * request with nothing written. Triples producing the same name in one object are merged into one metric of the
 * first triple's type, with identical (type, value) triples collapsing into one sample (MAD keeps them in a set).
 *
 * <p>Thread ownership: one instance per event-loop thread. Per request it allocates the Jackson parser and the
 * {@code X-TAG-*} dimension strings; nothing per sample once the scratch arrays have grown (Jackson's fast double
 * parser reads numbers from its char buffer).
 */
final class JacksonCollectdJsonDecoder implements HttpBodyDecoder
{
    private static final String TAG_PREFIX = "x-tag-";
    private static final String HOST = "host";

    private static final int HOST_FIELD = 0;
    private static final int PLUGIN = 1;
    private static final int PLUGIN_INSTANCE = 2;
    private static final int TYPE = 3;
    private static final int TYPE_INSTANCE = 4;
    private static final int STRING_FIELDS = 5;

    private static final JsonFactory FACTORY = JsonFactory.builder()
        .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
        .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
        .build();

    private static final String ERROR_JSON = "Error parsing collectd json";

    private byte[] bodyCopy = new byte[0];

    // char arena holding every string of the request
    private char[] chars = new char[1024];
    private int charsLength;

    // per object: string fields (offset, length; length -1 = null), time, and the three arrays
    private int objectCount;
    private int[] fieldOffset = new int[16 * STRING_FIELDS];
    private int[] fieldLength = new int[16 * STRING_FIELDS];
    private double[] time = new double[16];
    private boolean[] hasTime = new boolean[16];
    private int[] valuesStart = new int[16];
    private int[] valuesCount = new int[16];
    private int[] typesStart = new int[16];
    private int[] typesCount = new int[16];
    private int[] namesStart = new int[16];
    private int[] namesCount = new int[16];

    private double[] values = new double[64];
    private int valueCount;
    private int[] stringOffset = new int[64];
    private int[] stringLength = new int[64];
    private int stringCount;

    private final List<String> tagNames = new ArrayList<>();
    private final List<String> tagValues = new ArrayList<>();
    private final StringBuilder name = new StringBuilder(128);
    private final CharView view = new CharView();

    private String lastError;
    private long lastSampleCount;

    /**
     * CollectdHttpSourceV1 has no keys of its own beyond the common source keys.
     *
     * @param settings the source's settings.
     * @return a supplier of per-thread decoders.
     */
    public static Supplier<HttpBodyDecoder> create(final Settings settings)
    {
        return JacksonCollectdJsonDecoder::new;
    }

    @Override
    public int decode(
        final DirectBuffer body, final int offset, final int length, final HttpHeaders headers,
        final SampleWriter writer)
    {
        lastSampleCount = 0;
        lastError = null;
        final String error = parse(body, offset, length);
        if (error != null)
        {
            lastError = error;
            return BAD_REQUEST;
        }
        readTags(headers);
        return publish(writer);
    }

    @Override
    public String lastError()
    {
        return lastError;
    }

    @Override
    public long lastSampleCount()
    {
        return lastSampleCount;
    }

    private String parse(final DirectBuffer body, final int offset, final int length)
    {
        objectCount = 0;
        charsLength = 0;
        valueCount = 0;
        stringCount = 0;
        final byte[] array;
        final int start;
        if (body.byteArray() != null)
        {
            array = body.byteArray();
            start = (int)(body.wrapAdjustment() + offset);
        }
        else
        {
            if (bodyCopy.length < length)
            {
                bodyCopy = new byte[Math.max(length, bodyCopy.length * 2)];
            }
            body.getBytes(offset, bodyCopy, 0, length);
            array = bodyCopy;
            start = 0;
        }
        try (JsonParser parser = FACTORY.createParser(array, start, length))
        {
            if (parser.nextToken() != JsonToken.START_ARRAY)
            {
                return ERROR_JSON + ": body is not a JSON array";
            }
            while (true)
            {
                final JsonToken token = parser.nextToken();
                if (token == JsonToken.END_ARRAY)
                {
                    break;
                }
                if (token != JsonToken.START_OBJECT)
                {
                    return ERROR_JSON + ": array element is not an object";
                }
                final String error = parseObject(parser);
                if (error != null)
                {
                    return error;
                }
            }
            if (parser.nextToken() != null)
            {
                return ERROR_JSON + ": trailing content after the array";
            }
        }
        catch (final IOException | NumberFormatException ex)
        {
            return ERROR_JSON + ": " + ex.getMessage();
        }
        return null;
    }

    private String parseObject(final JsonParser parser) throws IOException
    {
        final int o = newObject();
        while (true)
        {
            final JsonToken token = parser.nextToken();
            if (token == JsonToken.END_OBJECT)
            {
                break;
            }
            final String field = parser.currentName();
            final JsonToken value = parser.nextToken();
            switch (field)
            {
                case "host":
                    if (!readString(parser, value, o * STRING_FIELDS + HOST_FIELD))
                    {
                        return ERROR_JSON + ": host is not a string";
                    }
                    break;
                case "plugin":
                    if (!readString(parser, value, o * STRING_FIELDS + PLUGIN))
                    {
                        return ERROR_JSON + ": plugin is not a string";
                    }
                    break;
                case "plugin_instance":
                    if (!readString(parser, value, o * STRING_FIELDS + PLUGIN_INSTANCE))
                    {
                        return ERROR_JSON + ": plugin_instance is not a string";
                    }
                    break;
                case "type":
                    if (!readString(parser, value, o * STRING_FIELDS + TYPE))
                    {
                        return ERROR_JSON + ": type is not a string";
                    }
                    break;
                case "type_instance":
                    if (!readString(parser, value, o * STRING_FIELDS + TYPE_INSTANCE))
                    {
                        return ERROR_JSON + ": type_instance is not a string";
                    }
                    break;
                case "time":
                    if (value == JsonToken.VALUE_NULL)
                    {
                        hasTime[o] = false;
                    }
                    else
                    {
                        time[o] = readDouble(parser, value);
                        hasTime[o] = true;
                    }
                    break;
                case "values":
                    if (!readValues(parser, value, o))
                    {
                        return ERROR_JSON + ": values must be an array of numbers without null";
                    }
                    break;
                case "dstypes":
                    if (!readStrings(parser, value, o, typesStart, typesCount))
                    {
                        return ERROR_JSON + ": dstypes must be an array of strings without null";
                    }
                    break;
                case "dsnames":
                    if (!readStrings(parser, value, o, namesStart, namesCount))
                    {
                        return ERROR_JSON + ": dsnames must be an array of strings without null";
                    }
                    break;
                default:
                    parser.skipChildren();
            }
        }
        for (int f = 0; f < STRING_FIELDS; f++)
        {
            if (fieldLength[o * STRING_FIELDS + f] < 0)
            {
                return ERROR_JSON + ": missing required field " + fieldName(f);
            }
        }
        if (!hasTime[o])
        {
            return ERROR_JSON + ": missing required field time";
        }
        final boolean allNull = valuesCount[o] < 0 && typesCount[o] < 0 && namesCount[o] < 0;
        if (!allNull && (valuesCount[o] < 0 || typesCount[o] < 0 || namesCount[o] < 0
            || valuesCount[o] != typesCount[o] || valuesCount[o] != namesCount[o]))
        {
            return ERROR_JSON + ": values, dstypes, and dsnames must have the same number of entries";
        }
        return null;
    }

    private int newObject()
    {
        final int o = objectCount++;
        if (o == time.length)
        {
            final int size = o * 2;
            fieldOffset = Arrays.copyOf(fieldOffset, size * STRING_FIELDS);
            fieldLength = Arrays.copyOf(fieldLength, size * STRING_FIELDS);
            time = Arrays.copyOf(time, size);
            hasTime = Arrays.copyOf(hasTime, size);
            valuesStart = Arrays.copyOf(valuesStart, size);
            valuesCount = Arrays.copyOf(valuesCount, size);
            typesStart = Arrays.copyOf(typesStart, size);
            typesCount = Arrays.copyOf(typesCount, size);
            namesStart = Arrays.copyOf(namesStart, size);
            namesCount = Arrays.copyOf(namesCount, size);
        }
        for (int f = 0; f < STRING_FIELDS; f++)
        {
            fieldLength[o * STRING_FIELDS + f] = -1;
        }
        hasTime[o] = false;
        // MAD's builder defaults the arrays to empty lists; only an explicit null makes them null
        valuesCount[o] = 0;
        typesCount[o] = 0;
        namesCount[o] = 0;
        return o;
    }

    /**
     * Jackson's String deserializer: any scalar becomes its text, null stays null, structures are errors.
     */
    private boolean readString(final JsonParser parser, final JsonToken token, final int slot) throws IOException
    {
        if (token == JsonToken.VALUE_NULL)
        {
            fieldLength[slot] = -1;
            return true;
        }
        if (token == null || !token.isScalarValue())
        {
            return false;
        }
        fieldOffset[slot] = appendText(parser);
        fieldLength[slot] = parser.getTextLength();
        return true;
    }

    private boolean readValues(final JsonParser parser, final JsonToken token, final int o) throws IOException
    {
        if (token == JsonToken.VALUE_NULL)
        {
            valuesCount[o] = -1;
            return true;
        }
        if (token != JsonToken.START_ARRAY)
        {
            return false;
        }
        valuesStart[o] = valueCount;
        int count = 0;
        while (true)
        {
            final JsonToken element = parser.nextToken();
            if (element == JsonToken.END_ARRAY)
            {
                break;
            }
            if (element != JsonToken.VALUE_NUMBER_INT && element != JsonToken.VALUE_NUMBER_FLOAT
                && element != JsonToken.VALUE_STRING)
            {
                return false;
            }
            if (valueCount == values.length)
            {
                values = Arrays.copyOf(values, valueCount * 2);
            }
            values[valueCount++] = readDouble(parser, element);
            count++;
        }
        valuesCount[o] = count;
        return true;
    }

    private boolean readStrings(
        final JsonParser parser, final JsonToken token, final int o, final int[] starts, final int[] counts)
        throws IOException
    {
        if (token == JsonToken.VALUE_NULL)
        {
            counts[o] = -1;
            return true;
        }
        if (token != JsonToken.START_ARRAY)
        {
            return false;
        }
        starts[o] = stringCount;
        int count = 0;
        while (true)
        {
            final JsonToken element = parser.nextToken();
            if (element == JsonToken.END_ARRAY)
            {
                break;
            }
            if (element == null || element == JsonToken.VALUE_NULL || !element.isScalarValue())
            {
                return false;
            }
            if (stringCount == stringOffset.length)
            {
                stringOffset = Arrays.copyOf(stringOffset, stringCount * 2);
                stringLength = Arrays.copyOf(stringLength, stringCount * 2);
            }
            stringOffset[stringCount] = appendText(parser);
            stringLength[stringCount] = parser.getTextLength();
            stringCount++;
            count++;
        }
        counts[o] = count;
        return true;
    }

    /**
     * Jackson's Double deserializer: numbers as parsed; strings as Java would parse them (NaN and Infinity
     * included); anything else fails the request.
     */
    private static double readDouble(final JsonParser parser, final JsonToken token) throws IOException
    {
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT)
        {
            return parser.getDoubleValue();
        }
        if (token == JsonToken.VALUE_STRING)
        {
            // Rare coercion path (quoted numbers): allocation is acceptable here.
            return Double.parseDouble(parser.getText().trim());
        }
        throw new NumberFormatException("not a number: " + token);
    }

    private int appendText(final JsonParser parser) throws IOException
    {
        final char[] text = parser.getTextCharacters();
        final int textOffset = parser.getTextOffset();
        final int textLength = parser.getTextLength();
        if (charsLength + textLength > chars.length)
        {
            chars = Arrays.copyOf(chars, Math.max(charsLength + textLength, chars.length * 2));
        }
        System.arraycopy(text, textOffset, chars, charsLength, textLength);
        final int at = charsLength;
        charsLength += textLength;
        return at;
    }

    private void readTags(final HttpHeaders headers)
    {
        tagNames.clear();
        tagValues.clear();
        if (headers == null || headers.isEmpty())
        {
            return;
        }
        final Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence();
        while (it.hasNext())
        {
            final Map.Entry<CharSequence, CharSequence> header = it.next();
            final CharSequence key = header.getKey();
            if (key.length() < TAG_PREFIX.length() || !startsWithIgnoreCase(key))
            {
                continue;
            }
            final String tag = key.toString().toLowerCase(Locale.ENGLISH).substring(TAG_PREFIX.length());
            if (HOST.equals(tag))
            {
                // every record sets host from its own field, overriding X-TAG-HOST
                continue;
            }
            final String value = header.getValue().toString();
            final int existing = tagNames.indexOf(tag);
            if (existing >= 0)
            {
                tagValues.set(existing, value);
            }
            else
            {
                tagNames.add(tag);
                tagValues.add(value);
            }
        }
    }

    private static boolean startsWithIgnoreCase(final CharSequence key)
    {
        for (int i = 0; i < TAG_PREFIX.length(); i++)
        {
            if (Character.toLowerCase(key.charAt(i)) != TAG_PREFIX.charAt(i))
            {
                return false;
            }
        }
        return true;
    }

    private int publish(final SampleWriter writer)
    {
        for (int o = 0; o < objectCount; o++)
        {
            final int count = valuesCount[o];
            if (count <= 0)
            {
                // a record without metrics contributes nothing to aggregation
                continue;
            }
            writer.beginRecord(Math.round(time[o] * 1000), SampleEvent.NO_REQUEST_TIME);
            for (int t = 0; t < tagNames.size(); t++)
            {
                writer.dimension(tagNames.get(t), tagValues.get(t));
            }
            writer.dimension(HOST, field(o, HOST_FIELD));
            if (writer.endDimensions() != PublishResult.OK)
            {
                continue;
            }
            final int prefixLength = buildPrefix(o);
            for (int j = 0; j < count; j++)
            {
                if (firstWithSameSuffix(o, j) != j)
                {
                    continue;
                }
                name.setLength(prefixLength);
                final int dsName = namesStart[o] + j;
                if (suffixLength(dsName) > 0)
                {
                    name.append('/').append(chars, stringOffset[dsName], stringLength[dsName]);
                }
                final MetricType type = dsType(typesStart[o] + j);
                if (writer.beginMetric(name, type, Unit.NONE) != PublishResult.OK)
                {
                    continue;
                }
                for (int k = j; k < count; k++)
                {
                    if (firstWithSameSuffix(o, k) != j || isDuplicateSample(o, j, k))
                    {
                        continue;
                    }
                    if (writer.sample(values[valuesStart[o] + k]) == PublishResult.RING_FULL)
                    {
                        writer.endMetric();
                        lastError = PublishResult.describe(PublishResult.RING_FULL);
                        return UNAVAILABLE;
                    }
                    lastSampleCount++;
                }
                writer.endMetric();
            }
        }
        return OK;
    }

    private int buildPrefix(final int o)
    {
        name.setLength(0);
        appendField(o, PLUGIN);
        if (fieldLength[o * STRING_FIELDS + PLUGIN_INSTANCE] > 0)
        {
            name.append('/');
            appendField(o, PLUGIN_INSTANCE);
        }
        name.append('/');
        appendField(o, TYPE);
        if (fieldLength[o * STRING_FIELDS + TYPE_INSTANCE] > 0)
        {
            name.append('/');
            appendField(o, TYPE_INSTANCE);
        }
        return name.length();
    }

    private void appendField(final int o, final int f)
    {
        name.append(chars, fieldOffset[o * STRING_FIELDS + f], fieldLength[o * STRING_FIELDS + f]);
    }

    private CharSequence field(final int o, final int f)
    {
        return view.wrap(chars, fieldOffset[o * STRING_FIELDS + f], fieldLength[o * STRING_FIELDS + f]);
    }

    /**
     * @return the length of the name suffix a dsname contributes: 0 when it is empty or {@code value}.
     */
    private int suffixLength(final int dsName)
    {
        final int length = stringLength[dsName];
        if (length == 5)
        {
            final int at = stringOffset[dsName];
            if (chars[at] == 'v' && chars[at + 1] == 'a' && chars[at + 2] == 'l' && chars[at + 3] == 'u'
                && chars[at + 4] == 'e')
            {
                return 0;
            }
        }
        return length;
    }

    /**
     * @return the first triple index of object {@code o} whose metric name equals that of triple {@code j}.
     */
    private int firstWithSameSuffix(final int o, final int j)
    {
        final int a = namesStart[o] + j;
        final int aLength = suffixLength(a);
        for (int i = 0; i < j; i++)
        {
            final int b = namesStart[o] + i;
            if (suffixLength(b) == aLength && Arrays.equals(
                chars, stringOffset[a], stringOffset[a] + aLength, chars, stringOffset[b], stringOffset[b] + aLength))
            {
                return i;
            }
        }
        return j;
    }

    /**
     * MAD collects an object's metrics in a set: a triple equal in name, type and value (bit-wise, as
     * {@code Double.compare}) to an earlier one adds nothing.
     */
    private boolean isDuplicateSample(final int o, final int first, final int k)
    {
        final MetricType type = dsType(typesStart[o] + k);
        final long bits = Double.doubleToLongBits(values[valuesStart[o] + k]);
        for (int i = first; i < k; i++)
        {
            if (firstWithSameSuffix(o, i) == first && dsType(typesStart[o] + i) == type
                && Double.doubleToLongBits(values[valuesStart[o] + i]) == bits)
            {
                return true;
            }
        }
        return false;
    }

    private MetricType dsType(final int s)
    {
        final int at = stringOffset[s];
        final int length = stringLength[s];
        if (is(at, length, "gauge"))
        {
            return MetricType.GAUGE;
        }
        if (is(at, length, "counter") || is(at, length, "derive") || is(at, length, "absolute"))
        {
            return MetricType.COUNTER;
        }
        return MetricType.GAUGE;
    }

    private boolean is(final int at, final int length, final String text)
    {
        if (length != text.length())
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (chars[at + i] != text.charAt(i))
            {
                return false;
            }
        }
        return true;
    }

    private static String fieldName(final int f)
    {
        switch (f)
        {
            case HOST_FIELD:
                return "host";
            case PLUGIN:
                return "plugin";
            case PLUGIN_INSTANCE:
                return "plugin_instance";
            case TYPE:
                return "type";
            default:
                return "type_instance";
        }
    }

    /**
     * A reusable window on a char array, so a string field reaches the writer without a String.
     */
    private static final class CharView implements CharSequence
    {
        private char[] array;
        private int offset;
        private int length;

        CharView wrap(final char[] source, final int from, final int count)
        {
            array = source;
            offset = from;
            length = count;
            return this;
        }

        @Override
        public int length()
        {
            return length;
        }

        @Override
        public char charAt(final int index)
        {
            return array[offset + index];
        }

        @Override
        public CharSequence subSequence(final int start, final int end)
        {
            return new String(array, offset + start, end - start);
        }

        @Override
        public String toString()
        {
            return new String(array, offset, length);
        }
    }
}
