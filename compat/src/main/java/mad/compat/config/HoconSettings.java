package mad.compat.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import mad.engine.config.ConfigException;
import mad.engine.config.Settings;

/**
 * {@link Settings} over one Typesafe {@link ConfigObject}, binding values the way MAD's Jackson mapper (2.9.8 with
 * the jsr310 module, as shipped in 1.20.1) binds the JSON that Typesafe renders:
 * <ul>
 *   <li>strings: any scalar (numbers keep their written text, booleans become {@code "true"}/{@code "false"});</li>
 *   <li>integers: numbers (fractions truncated, out of range rejected) or strings holding a plain integer;</li>
 *   <li>booleans: {@code true}/{@code false}, the strings {@code "true"}, {@code "True"}, {@code "false"},
 *       {@code "False"}, or an integer (non-zero is true); {@code yes}/{@code on} are rejected;</li>
 *   <li>durations: ISO-8601 strings ({@code Duration.parse}, case-insensitive, trimmed) or numbers meaning
 *       seconds; HOCON's own {@code 5m} syntax is rejected;</li>
 *   <li>a {@code null} value is treated as absent.</li>
 * </ul>
 * Keys are looked up as single object entries, never parsed as paths, so a quoted key such as
 * {@code "^special\\..*"} stays one key. Maps are returned in {@link KeyOrder} order.
 *
 * <p>Thread ownership: immutable after construction (Typesafe values are immutable); safe to share, normally used by
 * the one thread that loads a configuration.
 */
public final class HoconSettings implements Settings
{
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");

    private final ConfigObject object;
    private final String file;
    private final String path;
    private final KeyOrder keyOrder;
    private final Set<String> declaredKeys;

    /**
     * @param object the object to read.
     * @param file the file it came from (for messages).
     * @param path its key path inside the file ("" for the root).
     * @param keyOrder the entry order MAD would see.
     * @param declaredKeys the keys the file itself declares (the root of a HOCON file also holds JVM system
     *        properties as fallback keys), or null when every key of {@code object} is the file's.
     */
    HoconSettings(
            final ConfigObject object,
            final String file,
            final String path,
            final KeyOrder keyOrder,
            final Set<String> declaredKeys)
    {
        this.object = object;
        this.file = file;
        this.path = path;
        this.keyOrder = keyOrder;
        this.declaredKeys = declaredKeys;
    }

    /**
     * Wraps an object that is not the root of a file (tests, synthesized defaults).
     *
     * @param object the object to read.
     * @param file the file name to use in messages.
     * @param path the key path to use in messages.
     * @return the settings.
     */
    public static HoconSettings of(final ConfigObject object, final String file, final String path)
    {
        return new HoconSettings(object, file, path, KeyOrder.RENDERED, null);
    }

    @Override
    public String file()
    {
        return file;
    }

    @Override
    public String path()
    {
        return path;
    }

    /**
     * @return the underlying Typesafe object (for components that pass a subtree on verbatim).
     */
    public ConfigObject object()
    {
        return object;
    }

    /**
     * @return the order in which map entries are returned.
     */
    public KeyOrder keyOrder()
    {
        return keyOrder;
    }

    /**
     * @return the keys this object declares in the file, in {@link #keyOrder()} order, excluding JVM system
     *         properties merged in as fallback at the root of a HOCON file.
     */
    public List<String> keys()
    {
        final List<String> keys = new ArrayList<>();
        for (final Map.Entry<String, ConfigValue> entry : orderedEntries(object))
        {
            if (declaredKeys == null || declaredKeys.contains(entry.getKey()))
            {
                keys.add(entry.getKey());
            }
        }
        return keys;
    }

    @Override
    public boolean has(final String key)
    {
        final ConfigValue value = object.get(key);
        return value != null && value.valueType() != ConfigValueType.NULL;
    }

    @Override
    public String string(final String key)
    {
        return scalarText(key, required(key), "a string");
    }

    @Override
    public String string(final String key, final String defaultValue)
    {
        final ConfigValue value = value(key);
        return value == null ? defaultValue : scalarText(key, value, "a string");
    }

    @Override
    public int integer(final String key)
    {
        return toInt(key, required(key));
    }

    @Override
    public int integer(final String key, final int defaultValue)
    {
        final ConfigValue value = value(key);
        return value == null ? defaultValue : toInt(key, value);
    }

    @Override
    public long longValue(final String key, final long defaultValue)
    {
        final ConfigValue value = value(key);
        return value == null ? defaultValue : toLong(key, value);
    }

    @Override
    public double doubleValue(final String key, final double defaultValue)
    {
        final ConfigValue value = value(key);
        if (value == null)
        {
            return defaultValue;
        }
        if (value.valueType() == ConfigValueType.NUMBER)
        {
            return ((Number) value.unwrapped()).doubleValue();
        }
        if (value.valueType() == ConfigValueType.STRING)
        {
            try
            {
                return Double.parseDouble(((String) value.unwrapped()).trim());
            }
            catch (final NumberFormatException e)
            {
                throw error(key, "expected a number but found \"" + value.unwrapped() + "\"");
            }
        }
        throw wrongType(key, value, "a number");
    }

    @Override
    public boolean bool(final String key, final boolean defaultValue)
    {
        final ConfigValue value = value(key);
        if (value == null)
        {
            return defaultValue;
        }
        switch (value.valueType())
        {
            case BOOLEAN:
                return (Boolean) value.unwrapped();
            case NUMBER:
                // Jackson 2.9 coerces an integer to a boolean (non-zero = true); a fraction is not an integer.
                if (value.unwrapped() instanceof Double)
                {
                    throw error(key, "expected a boolean (true or false) but found " + render(value));
                }
                return ((Number) value.unwrapped()).longValue() != 0;
            case STRING:
                final String text = ((String) value.unwrapped()).trim();
                if ("true".equals(text) || "True".equals(text))
                {
                    return true;
                }
                if ("false".equals(text) || "False".equals(text))
                {
                    return false;
                }
                throw error(key, "expected a boolean (true or false) but found \"" + text + "\"");
            default:
                throw wrongType(key, value, "a boolean (true or false)");
        }
    }

    @Override
    public Duration duration(final String key)
    {
        return toDuration(key, required(key));
    }

    @Override
    public Duration duration(final String key, final Duration defaultValue)
    {
        final ConfigValue value = value(key);
        return value == null ? defaultValue : toDuration(key, value);
    }

    /**
     * @param key a key holding a list of durations.
     * @param defaultValue returned when the key is absent.
     * @return the durations in list order (duplicates kept; callers that want a set de-duplicate).
     */
    public List<Duration> durationList(final String key, final List<Duration> defaultValue)
    {
        final ConfigValue value = value(key);
        if (value == null)
        {
            return defaultValue;
        }
        final List<ConfigValue> list = list(key, value);
        final List<Duration> result = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++)
        {
            result.add(toDuration(key + "[" + i + "]", list.get(i)));
        }
        return result;
    }

    @Override
    public List<String> stringList(final String key, final List<String> defaultValue)
    {
        final ConfigValue value = value(key);
        if (value == null)
        {
            return defaultValue;
        }
        return strings(key, value);
    }

    @Override
    public Map<String, String> stringMap(final String key)
    {
        final ConfigValue value = value(key);
        if (value == null)
        {
            return Collections.emptyMap();
        }
        final ConfigObject map = objectValue(key, value);
        final Map<String, String> result = new LinkedHashMap<>();
        for (final Map.Entry<String, ConfigValue> entry : orderedEntries(map))
        {
            final String entryPath = key + "." + quoteKey(entry.getKey());
            if (entry.getValue().valueType() == ConfigValueType.NULL)
            {
                result.put(entry.getKey(), null);
            }
            else
            {
                result.put(entry.getKey(), scalarText(entryPath, entry.getValue(), "a string"));
            }
        }
        return Collections.unmodifiableMap(result);
    }

    @Override
    public Map<String, List<String>> stringListMap(final String key)
    {
        final ConfigValue value = value(key);
        if (value == null)
        {
            return Collections.emptyMap();
        }
        final ConfigObject map = objectValue(key, value);
        final Map<String, List<String>> result = new LinkedHashMap<>();
        for (final Map.Entry<String, ConfigValue> entry : orderedEntries(map))
        {
            final String entryPath = key + "." + quoteKey(entry.getKey());
            if (entry.getValue().valueType() == ConfigValueType.NULL)
            {
                result.put(entry.getKey(), List.of());
            }
            else
            {
                result.put(entry.getKey(), strings(entryPath, entry.getValue()));
            }
        }
        return Collections.unmodifiableMap(result);
    }

    @Override
    public Settings child(final String key)
    {
        final ConfigValue value = required(key);
        return new HoconSettings(objectValue(key, value), file, childPath(key), keyOrder, null);
    }

    @Override
    public List<Settings> children(final String key)
    {
        final ConfigValue value = value(key);
        if (value == null)
        {
            return List.of();
        }
        final List<ConfigValue> list = list(key, value);
        final List<Settings> result = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++)
        {
            final String elementKey = key + "[" + i + "]";
            final ConfigValue element = list.get(i);
            if (element.valueType() != ConfigValueType.OBJECT)
            {
                throw wrongType(elementKey, element, "an object");
            }
            result.add(new HoconSettings((ConfigObject) element, file, childPath(elementKey), keyOrder, null));
        }
        return Collections.unmodifiableList(result);
    }

    @Override
    public ConfigException error(final String key, final String reason)
    {
        return new ConfigException(file, key == null || key.isEmpty() ? path : childPath(key), reason);
    }

    @Override
    public String toString()
    {
        return file + (path.isEmpty() ? "" : ":" + path);
    }

    /**
     * Parses a duration the way MAD's jsr310 deserializer parses a JSON string: trimmed ISO-8601.
     *
     * @param text the text.
     * @return the duration, or null when the text is not ISO-8601.
     */
    static Duration parseIso(final String text)
    {
        try
        {
            return Duration.parse(text.trim());
        }
        catch (final DateTimeParseException e)
        {
            return null;
        }
    }

    /**
     * @param key a key (plain or already a path fragment such as {@code x[2]}).
     * @return the key quoted when it holds characters that would make the path ambiguous.
     */
    static String quoteKey(final String key)
    {
        return PLAIN_KEY.matcher(key).matches() ? key : ConfigUtil.quoteString(key);
    }

    private List<Map.Entry<String, ConfigValue>> orderedEntries(final ConfigObject map)
    {
        final List<Map.Entry<String, ConfigValue>> entries = new ArrayList<>(map.entrySet());
        entries.sort(keyOrder.comparator());
        return entries;
    }

    private String childPath(final String key)
    {
        return path.isEmpty() ? key : path + "." + key;
    }

    /**
     * @return the value, or null when absent or null.
     */
    private ConfigValue value(final String key)
    {
        final ConfigValue value = object.get(key);
        return value == null || value.valueType() == ConfigValueType.NULL ? null : value;
    }

    private ConfigValue required(final String key)
    {
        final ConfigValue value = value(key);
        if (value == null)
        {
            throw error(key, "is required");
        }
        return value;
    }

    private String scalarText(final String key, final ConfigValue value, final String expected)
    {
        switch (value.valueType())
        {
            case STRING:
                return (String) value.unwrapped();
            case NUMBER:
            case BOOLEAN:
                // Jackson reads a scalar token into a String field as its text; Typesafe keeps the written number.
                return render(value);
            default:
                throw wrongType(key, value, expected);
        }
    }

    private int toInt(final String key, final ConfigValue value)
    {
        final long parsed = toLong(key, value);
        if (parsed < Integer.MIN_VALUE || parsed > Integer.MAX_VALUE)
        {
            throw error(key, "expected an integer but " + parsed + " is out of range");
        }
        return (int) parsed;
    }

    private long toLong(final String key, final ConfigValue value)
    {
        if (value.valueType() == ConfigValueType.NUMBER)
        {
            final Number number = (Number) value.unwrapped();
            if (number instanceof Double)
            {
                // Jackson's ACCEPT_FLOAT_AS_INT (on by default) truncates a fraction.
                final double d = number.doubleValue();
                if (Double.isNaN(d) || d < Long.MIN_VALUE || d > Long.MAX_VALUE)
                {
                    throw error(key, "expected an integer but " + render(value) + " is out of range");
                }
                return (long) d;
            }
            return number.longValue();
        }
        if (value.valueType() == ConfigValueType.STRING)
        {
            final String text = ((String) value.unwrapped()).trim();
            if (!INTEGER.matcher(text).matches())
            {
                throw error(key, "expected an integer but found \"" + value.unwrapped() + "\"");
            }
            try
            {
                return Long.parseLong(text);
            }
            catch (final NumberFormatException e)
            {
                throw error(key, "expected an integer but \"" + text + "\" is out of range");
            }
        }
        throw wrongType(key, value, "an integer");
    }

    private Duration toDuration(final String key, final ConfigValue value)
    {
        if (value.valueType() == ConfigValueType.NUMBER)
        {
            // jsr310: a JSON number is seconds, a fraction gives nanoseconds.
            final BigDecimal seconds = new BigDecimal(render(value));
            final BigDecimal nanos = seconds.remainder(BigDecimal.ONE).movePointRight(9);
            return Duration.ofSeconds(seconds.longValue(), nanos.longValue());
        }
        if (value.valueType() == ConfigValueType.STRING)
        {
            final String text = (String) value.unwrapped();
            final Duration duration = parseIso(text);
            if (duration == null)
            {
                throw error(key, "expected an ISO-8601 duration such as \"PT1S\", \"PT0.5S\" or \"PT5M\" (or a number "
                        + "of seconds) but found \"" + text + "\"; HOCON durations like \"5m\" are not accepted");
            }
            return duration;
        }
        throw wrongType(key, value, "an ISO-8601 duration string such as \"PT1S\"");
    }

    private List<ConfigValue> list(final String key, final ConfigValue value)
    {
        if (value.valueType() != ConfigValueType.LIST)
        {
            throw wrongType(key, value, "a list");
        }
        @SuppressWarnings("unchecked")
        final List<ConfigValue> list = (List<ConfigValue>) value;
        return list;
    }

    private List<String> strings(final String key, final ConfigValue value)
    {
        final List<ConfigValue> list = list(key, value);
        final List<String> result = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++)
        {
            result.add(scalarText(key + "[" + i + "]", list.get(i), "a string"));
        }
        return Collections.unmodifiableList(result);
    }

    private ConfigObject objectValue(final String key, final ConfigValue value)
    {
        if (value.valueType() != ConfigValueType.OBJECT)
        {
            throw wrongType(key, value, "an object");
        }
        return (ConfigObject) value;
    }

    private ConfigException wrongType(final String key, final ConfigValue value, final String expected)
    {
        final String found;
        switch (value.valueType())
        {
            case OBJECT:
                found = "an object";
                break;
            case LIST:
                found = "a list";
                break;
            case STRING:
                found = "the string \"" + value.unwrapped() + "\"";
                break;
            default:
                found = render(value);
                break;
        }
        final int line = value.origin().lineNumber();
        return error(key, "expected " + expected + " but found " + found + (line > 0 ? " (line " + line + ")" : ""));
    }

    private static String render(final ConfigValue value)
    {
        return value.render(ConfigRenderOptions.concise());
    }
}
