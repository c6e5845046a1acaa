package mad.ingest;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import mad.engine.config.ConfigException;
import mad.engine.config.Settings;

/**
 * Settings over a flat map of strings, for factory tests.
 */
final class MapSettings implements Settings
{
    private final Map<String, String> values;

    MapSettings(final Map<String, String> values)
    {
        this.values = values;
    }

    @Override
    public String file()
    {
        return "pipeline.conf";
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
        if (!has(key))
        {
            throw error(key, "required");
        }
        return values.get(key);
    }

    @Override
    public String string(final String key, final String defaultValue)
    {
        return has(key) ? values.get(key) : defaultValue;
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
        return has(key) ? Long.parseLong(values.get(key)) : defaultValue;
    }

    @Override
    public double doubleValue(final String key, final double defaultValue)
    {
        return has(key) ? Double.parseDouble(values.get(key)) : defaultValue;
    }

    @Override
    public boolean bool(final String key, final boolean defaultValue)
    {
        return has(key) ? Boolean.parseBoolean(values.get(key)) : defaultValue;
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
        return defaultValue;
    }

    @Override
    public Map<String, String> stringMap(final String key)
    {
        return Map.of();
    }

    @Override
    public Map<String, List<String>> stringListMap(final String key)
    {
        return Map.of();
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
        return new ConfigException(file(), key == null ? path() : path() + "." + key, reason);
    }
}
