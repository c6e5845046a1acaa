package mad.emit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import mad.engine.config.ConfigException;
import mad.engine.config.Settings;

/**
 * Test {@link Settings} over nested maps and lists (values: String, Number, Boolean, List, Map).
 */
public final class MapSettings implements Settings
{
    private final String path;
    private final Map<String, Object> values;

    public MapSettings(final String path, final Map<String, Object> values)
    {
        this.path = path;
        this.values = values;
    }

    /**
     * @param keysAndValues alternating key, value.
     */
    public static MapSettings of(final Object... keysAndValues)
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2)
        {
            map.put((String)keysAndValues[i], keysAndValues[i + 1]);
        }
        return new MapSettings("sink", map);
    }

    @Override
    public String file()
    {
        return "test.conf";
    }

    @Override
    public String path()
    {
        return path;
    }

    @Override
    public boolean has(final String key)
    {
        return values.get(key) != null;
    }

    @Override
    public String string(final String key)
    {
        if (!has(key))
        {
            throw error(key, "missing");
        }
        return String.valueOf(values.get(key));
    }

    @Override
    public String string(final String key, final String defaultValue)
    {
        return has(key) ? String.valueOf(values.get(key)) : defaultValue;
    }

    @Override
    public int integer(final String key)
    {
        return Integer.parseInt(string(key));
    }

    @Override
    public int integer(final String key, final int defaultValue)
    {
        return has(key) ? integer(key) : defaultValue;
    }

    @Override
    public long longValue(final String key, final long defaultValue)
    {
        return has(key) ? Long.parseLong(string(key)) : defaultValue;
    }

    @Override
    public double doubleValue(final String key, final double defaultValue)
    {
        return has(key) ? Double.parseDouble(string(key)) : defaultValue;
    }

    @Override
    public boolean bool(final String key, final boolean defaultValue)
    {
        return has(key) ? Boolean.parseBoolean(string(key)) : defaultValue;
    }

    @Override
    public Duration duration(final String key)
    {
        return Duration.parse(string(key));
    }

    @Override
    public Duration duration(final String key, final Duration defaultValue)
    {
        return has(key) ? duration(key) : defaultValue;
    }

    @Override
    public List<String> stringList(final String key, final List<String> defaultValue)
    {
        if (!has(key))
        {
            return defaultValue;
        }
        final List<String> list = new ArrayList<>();
        for (final Object value : (List<?>)values.get(key))
        {
            list.add(String.valueOf(value));
        }
        return list;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, String> stringMap(final String key)
    {
        final Map<String, String> map = new LinkedHashMap<>();
        if (has(key))
        {
            ((Map<String, Object>)values.get(key)).forEach((k, v) -> map.put(k, String.valueOf(v)));
        }
        return map;
    }

    @Override
    public Map<String, List<String>> stringListMap(final String key)
    {
        throw new UnsupportedOperationException();
    }

    @Override
    @SuppressWarnings("unchecked")
    public Settings child(final String key)
    {
        if (!has(key))
        {
            throw error(key, "missing");
        }
        return new MapSettings(path + "." + key, (Map<String, Object>)values.get(key));
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Settings> children(final String key)
    {
        final List<Settings> list = new ArrayList<>();
        if (has(key))
        {
            int i = 0;
            for (final Object value : (List<?>)values.get(key))
            {
                list.add(new MapSettings(path + "." + key + "[" + i++ + "]", (Map<String, Object>)value));
            }
        }
        return list;
    }

    @Override
    public ConfigException error(final String key, final String reason)
    {
        return new ConfigException(file(), key == null ? path : path + "." + key, reason);
    }
}
