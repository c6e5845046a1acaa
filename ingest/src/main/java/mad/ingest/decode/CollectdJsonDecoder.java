package mad.ingest.decode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import org.agrona.DirectBuffer;

import io.netty.handler.codec.http.HttpHeaders;
import mad.engine.config.Settings;
import mad.engine.model.MetricType;
import mad.engine.model.Unit;
import mad.engine.sample.PublishResult;
import mad.engine.sample.SampleEvent;
import mad.engine.sample.SampleWriter;
import mad.ingest.http.HttpBodyDecoder;

/**
 * MAD's CollectdHttpSourceV1 body decoder ({@code POST /metrics/v1/collectd}, 1.20.1 behaviour): a JSON array of
 * collectd {@code write_http} objects, one record per object. Dimensions are the request's {@code X-TAG-*} headers
 * (lower-cased name after the prefix) plus the object's {@code host}; time is {@code round(time * 1000)} ms; each
 * (value, dstype, dsname) triple is a sample of metric
 * {@code plugin[/plugin_instance]/type[/type_instance][/dsname]} ({@code dsname} left out when empty or
 * {@code value}); {@code gauge} is a GAUGE, {@code counter}, {@code derive} and {@code absolute} are COUNTERs,
 * anything else a GAUGE; values are used as sent.
 *
 * <p>The whole body is parsed first into reusable scratch arrays (a char arena for strings, a double array for
 * values) with a {@link JsonScanner} (Jackson's token semantics with {@code ALLOW_NON_NUMERIC_NUMBERS}, as MAD's
 * mapper), then validated as MAD's builder does (required fields non-null, the three arrays all null or of equal
 * length, no {@code null} value), and only then published, so a bad object rejects the request with nothing written.
 * Triples producing the same name in one object are merged into one metric of the first triple's type, with identical
 * (type, value) triples collapsing into one sample (MAD keeps them in a set). Numbers are read by {@link ExactDouble}
 * (bit-identical to {@code Double.parseDouble}).
 *
 * <p>Thread ownership: one instance per event-loop thread. Per request it allocates only Netty's header iterator;
 * nothing per sample once the scratch arrays and tag builders have grown.
 */
public final class CollectdJsonDecoder implements HttpBodyDecoder
{
    private static final String TAG_PREFIX = "x-tag-";
    private static final String HOST = "host";

    private static final int HOST_FIELD = 0;
    private static final int PLUGIN = 1;
    private static final int PLUGIN_INSTANCE = 2;
    private static final int TYPE = 3;
    private static final int TYPE_INSTANCE = 4;
    private static final int STRING_FIELDS = 5;

    private static final int TIME = 5;
    private static final int VALUES = 6;
    private static final int DSTYPES = 7;
    private static final int DSNAMES = 8;
    private static final char[][] FIELD_NAMES = {
        "host".toCharArray(), "plugin".toCharArray(), "plugin_instance".toCharArray(), "type".toCharArray(),
        "type_instance".toCharArray(), "time".toCharArray(), "values".toCharArray(), "dstypes".toCharArray(),
        "dsnames".toCharArray()
    };

    private static final int READ_OK = 0;
    private static final int READ_INVALID = 1;
    private static final int SYNTAX_ERROR = 2;
    private static final int NUMBER_ERROR = 3;

    private static final String ERROR_JSON = "Error parsing collectd json";

    // Jackson's ALLOW_NON_NUMERIC_NUMBERS, as MAD's collectd mapper enables
    private final JsonScanner scanner = new JsonScanner(true);
    private final ExactDouble exact = new ExactDouble();
    private double number;
    private String numberError;

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

    // pooled builders: the first tagCount hold this request's X-TAG-* dimensions
    private final List<StringBuilder> tagNames = new ArrayList<>();
    private final List<StringBuilder> tagValues = new ArrayList<>();
    private final StringBuilder tagScratch = new StringBuilder(32);
    private int tagCount;
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
        return CollectdJsonDecoder::new;
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
        final JsonScanner parser = scanner.wrap(body, offset, length);
        final int first = parser.next();
        if (first == JsonScanner.ERROR)
        {
            return syntaxError();
        }
        if (first != JsonScanner.START_ARRAY)
        {
            return ERROR_JSON + ": body is not a JSON array";
        }
        while (true)
        {
            final int token = parser.next();
            if (token == JsonScanner.END_ARRAY)
            {
                break;
            }
            if (token == JsonScanner.ERROR)
            {
                return syntaxError();
            }
            if (token != JsonScanner.START_OBJECT)
            {
                return ERROR_JSON + ": array element is not an object";
            }
            final String error = parseObject(parser);
            if (error != null)
            {
                return error;
            }
        }
        final int last = parser.next();
        if (last == JsonScanner.ERROR)
        {
            return syntaxError();
        }
        return null;
    }

    private String syntaxError()
    {
        return ERROR_JSON + ": " + scanner.describeError();
    }

    private String parseObject(final JsonScanner parser)
    {
        final int o = newObject();
        while (true)
        {
            final int token = parser.next();
            if (token == JsonScanner.END_OBJECT)
            {
                break;
            }
            if (token == JsonScanner.ERROR)
            {
                return syntaxError();
            }
            final int field = fieldId(parser.text(), parser.textLength());
            final int value = parser.next();
            if (value == JsonScanner.ERROR)
            {
                return syntaxError();
            }
            switch (field)
            {
                case HOST_FIELD:
                    if (!readString(parser, value, o * STRING_FIELDS + HOST_FIELD))
                    {
                        return ERROR_JSON + ": host is not a string";
                    }
                    break;
                case PLUGIN:
                    if (!readString(parser, value, o * STRING_FIELDS + PLUGIN))
                    {
                        return ERROR_JSON + ": plugin is not a string";
                    }
                    break;
                case PLUGIN_INSTANCE:
                    if (!readString(parser, value, o * STRING_FIELDS + PLUGIN_INSTANCE))
                    {
                        return ERROR_JSON + ": plugin_instance is not a string";
                    }
                    break;
                case TYPE:
                    if (!readString(parser, value, o * STRING_FIELDS + TYPE))
                    {
                        return ERROR_JSON + ": type is not a string";
                    }
                    break;
                case TYPE_INSTANCE:
                    if (!readString(parser, value, o * STRING_FIELDS + TYPE_INSTANCE))
                    {
                        return ERROR_JSON + ": type_instance is not a string";
                    }
                    break;
                case TIME:
                    if (value == JsonScanner.NULL)
                    {
                        hasTime[o] = false;
                    }
                    else
                    {
                        final String error = readDouble(parser, value);
                        if (error != null)
                        {
                            return error;
                        }
                        time[o] = number;
                        hasTime[o] = true;
                    }
                    break;
                case VALUES:
                {
                    final int result = readValues(parser, value, o);
                    if (result == SYNTAX_ERROR)
                    {
                        return syntaxError();
                    }
                    if (result == NUMBER_ERROR)
                    {
                        return numberError;
                    }
                    if (result != READ_OK)
                    {
                        return ERROR_JSON + ": values must be an array of numbers without null";
                    }
                    break;
                }
                case DSTYPES:
                {
                    final int result = readStrings(parser, value, o, typesStart, typesCount);
                    if (result == SYNTAX_ERROR)
                    {
                        return syntaxError();
                    }
                    if (result != READ_OK)
                    {
                        return ERROR_JSON + ": dstypes must be an array of strings without null";
                    }
                    break;
                }
                case DSNAMES:
                {
                    final int result = readStrings(parser, value, o, namesStart, namesCount);
                    if (result == SYNTAX_ERROR)
                    {
                        return syntaxError();
                    }
                    if (result != READ_OK)
                    {
                        return ERROR_JSON + ": dsnames must be an array of strings without null";
                    }
                    break;
                }
                default:
                    if (parser.skipChildren() == JsonScanner.ERROR)
                    {
                        return syntaxError();
                    }
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

    /**
     * @return the field's id (the string-field slots, or TIME, VALUES, DSTYPES, DSNAMES), or -1 for other names.
     */
    private static int fieldId(final char[] name, final int length)
    {
        for (int f = 0; f < FIELD_NAMES.length; f++)
        {
            final char[] candidate = FIELD_NAMES[f];
            if (candidate.length == length && Arrays.equals(candidate, 0, length, name, 0, length))
            {
                return f;
            }
        }
        return -1;
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
    private boolean readString(final JsonScanner parser, final int token, final int slot)
    {
        if (token == JsonScanner.NULL)
        {
            fieldLength[slot] = -1;
            return true;
        }
        if (!JsonScanner.isScalar(token))
        {
            return false;
        }
        fieldOffset[slot] = appendText(parser);
        fieldLength[slot] = parser.textLength();
        return true;
    }

    private int readValues(final JsonScanner parser, final int token, final int o)
    {
        if (token == JsonScanner.NULL)
        {
            valuesCount[o] = -1;
            return READ_OK;
        }
        if (token != JsonScanner.START_ARRAY)
        {
            return READ_INVALID;
        }
        valuesStart[o] = valueCount;
        int count = 0;
        while (true)
        {
            final int element = parser.next();
            if (element == JsonScanner.END_ARRAY)
            {
                break;
            }
            if (element == JsonScanner.ERROR)
            {
                return SYNTAX_ERROR;
            }
            if (element != JsonScanner.NUMBER_INT && element != JsonScanner.NUMBER_FLOAT
                && element != JsonScanner.STRING)
            {
                return READ_INVALID;
            }
            if (valueCount == values.length)
            {
                values = Arrays.copyOf(values, valueCount * 2);
            }
            final String error = readDouble(parser, element);
            if (error != null)
            {
                numberError = error;
                return NUMBER_ERROR;
            }
            values[valueCount++] = number;
            count++;
        }
        valuesCount[o] = count;
        return READ_OK;
    }

    private int readStrings(
        final JsonScanner parser, final int token, final int o, final int[] starts, final int[] counts)
    {
        if (token == JsonScanner.NULL)
        {
            counts[o] = -1;
            return READ_OK;
        }
        if (token != JsonScanner.START_ARRAY)
        {
            return READ_INVALID;
        }
        starts[o] = stringCount;
        int count = 0;
        while (true)
        {
            final int element = parser.next();
            if (element == JsonScanner.END_ARRAY)
            {
                break;
            }
            if (element == JsonScanner.ERROR)
            {
                return SYNTAX_ERROR;
            }
            if (element == JsonScanner.NULL || !JsonScanner.isScalar(element))
            {
                return READ_INVALID;
            }
            if (stringCount == stringOffset.length)
            {
                stringOffset = Arrays.copyOf(stringOffset, stringCount * 2);
                stringLength = Arrays.copyOf(stringLength, stringCount * 2);
            }
            stringOffset[stringCount] = appendText(parser);
            stringLength[stringCount] = parser.textLength();
            stringCount++;
            count++;
        }
        counts[o] = count;
        return READ_OK;
    }

    /**
     * Jackson's Double deserializer into {@link #number}: numbers as parsed; strings as Java would parse them after
     * {@code trim()} (NaN and Infinity included); anything else fails the request.
     *
     * @return null, or the error text.
     */
    private String readDouble(final JsonScanner parser, final int token)
    {
        if (token == JsonScanner.NUMBER_INT || token == JsonScanner.NUMBER_FLOAT)
        {
            number = parser.doubleValue();
            return null;
        }
        if (token == JsonScanner.STRING)
        {
            final char[] text = parser.text();
            int from = 0;
            int to = parser.textLength();
            while (from < to && text[from] <= ' ')
            {
                from++;
            }
            while (to > from && text[to - 1] <= ' ')
            {
                to--;
            }
            if (exact.parse(text, from, to))
            {
                number = exact.value();
                return null;
            }
            try
            {
                // Rare coercion path (NaN, Infinity, hex or suffixed numbers in quotes): allocation is acceptable.
                number = Double.parseDouble(new String(text, from, to - from));
                return null;
            }
            catch (final NumberFormatException ex)
            {
                return ERROR_JSON + ": " + ex.getMessage() + " at byte " + parser.tokenStart();
            }
        }
        return ERROR_JSON + ": not a number at byte " + parser.tokenStart();
    }

    private int appendText(final JsonScanner parser)
    {
        final char[] text = parser.text();
        final int textLength = parser.textLength();
        if (charsLength + textLength > chars.length)
        {
            chars = Arrays.copyOf(chars, Math.max(charsLength + textLength, chars.length * 2));
        }
        System.arraycopy(text, 0, chars, charsLength, textLength);
        final int at = charsLength;
        charsLength += textLength;
        return at;
    }

    /**
     * Collects the {@code X-TAG-*} headers into reused builders (a later duplicate replaces the value, as MAD's map
     * does). Header names are ASCII tokens; a non-ASCII one takes the String path so that lower-casing stays
     * {@code String.toLowerCase(Locale.ENGLISH)}'s.
     */
    private void readTags(final HttpHeaders headers)
    {
        tagCount = 0;
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
            final StringBuilder tag = tagScratch;
            tag.setLength(0);
            boolean ascii = true;
            for (int i = TAG_PREFIX.length(); i < key.length(); i++)
            {
                final char c = key.charAt(i);
                ascii &= c < 0x80;
                tag.append(c >= 'A' && c <= 'Z' ? (char)(c + ('a' - 'A')) : c);
            }
            if (!ascii)
            {
                // Rare: not a token character; allocation is acceptable here.
                tag.setLength(0);
                tag.append(key.toString().toLowerCase(Locale.ENGLISH).substring(TAG_PREFIX.length()));
            }
            if (HOST.contentEquals(tag))
            {
                // every record sets host from its own field, overriding X-TAG-HOST
                continue;
            }
            int existing = -1;
            for (int t = 0; t < tagCount; t++)
            {
                if (contentEquals(tagNames.get(t), tag))
                {
                    existing = t;
                    break;
                }
            }
            if (existing < 0)
            {
                if (tagCount == tagNames.size())
                {
                    tagNames.add(new StringBuilder(32));
                    tagValues.add(new StringBuilder(32));
                }
                existing = tagCount++;
                tagNames.get(existing).setLength(0);
                tagNames.get(existing).append(tag);
            }
            final StringBuilder value = tagValues.get(existing);
            value.setLength(0);
            value.append(header.getValue());
        }
    }

    private static boolean contentEquals(final CharSequence a, final CharSequence b)
    {
        if (a.length() != b.length())
        {
            return false;
        }
        for (int i = 0; i < a.length(); i++)
        {
            if (a.charAt(i) != b.charAt(i))
            {
                return false;
            }
        }
        return true;
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
            for (int t = 0; t < tagCount; t++)
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
