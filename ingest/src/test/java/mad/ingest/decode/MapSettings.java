package mad.ingest.decode;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import mad.engine.config.ConfigException;
import mad.engine.config.Settings;

/**
 * Test {@link Settings} over a map (only the getters these components use).
 */
public final class MapSettings implements Settings
{
    private final Map<String, Object> values = new LinkedHashMap<>();

    public MapSettings with(final String key, final Object value)
    {
        values.put(key, value);
        return this;
    }

    @Override
    public String file()
    {
        return "test.conf";
    }

    @Override
    public String path()
    {
        return "sources[0]";
    }

    @Override
    public boolean has(final String key)
    {
        return values.get(key) != null;
    }

    @Override
    public String string(final String key)
    {
        return (String)values.get(key);
    }

    @Override
    public String string(final String key, final String defaultValue)
    {
        return has(key) ? string(key) : defaultValue;
    }

    @Override
    public int integer(final String key)
    {
        return ((Number)values.get(key)).intValue();
    }

    @Override
    public int integer(final String key, final int defaultValue)
    {
        return has(key) ? integer(key) : defaultValue;
    }

    @Override
    public long longValue(final String key, final long defaultValue)
    {
        return has(key) ? ((Number)values.get(key)).longValue() : defaultValue;
    }

    @Override
    public double doubleValue(final String key, final double defaultValue)
    {
        return has(key) ? ((Number)values.get(key)).doubleValue() : defaultValue;
    }

    @Override
    public boolean bool(final String key, final boolean defaultValue)
    {
        return has(key) ? (Boolean)values.get(key) : defaultValue;
    }

    @Override
    public Duration duration(final String key)
    {
        return Duration.parse((String)values.get(key));
    }

    @Override
    public Duration duration(final String key, final Duration defaultValue)
    {
        return has(key) ? duration(key) : defaultValue;
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<String> stringList(final String key, final List<String> defaultValue)
    {
        return has(key) ? (List<String>)values.get(key) : defaultValue;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, String> stringMap(final String key)
    {
        return has(key) ? (Map<String, String>)values.get(key) : Map.of();
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, List<String>> stringListMap(final String key)
    {
        return has(key) ? (Map<String, List<String>>)values.get(key) : Map.of();
    }

    @Override
    public Settings child(final String key)
    {
        throw error(key, "absent");
    }

    @Override
    public List<Settings> children(final String key)
    {
        return List.of();
    }

    @Override
    public ConfigException error(final String key, final String reason)
    {
        return new ConfigException(file(), path() + "." + key, reason);
    }
}
