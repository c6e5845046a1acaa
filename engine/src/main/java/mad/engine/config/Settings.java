package mad.engine.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A read-only view of one configuration object (the daemon file, a pipeline, one source or sink entry), bound the way
 * MAD binds its HOCON through Jackson: numbers given as strings are coerced, durations are ISO-8601 strings
 * ({@code "PT1S"}) or integers meaning seconds, unknown keys are ignored. Every getter that fails throws a
 * {@link ConfigException} naming the file and the full key path.
 *
 * <p>Components read their own keys in their static factory; compat implements this over Typesafe Config.
 */
public interface Settings
{
    /**
     * @return the file this object came from.
     */
    String file();

    /**
     * @return the key path of this object inside the file ("" for the root), e.g. {@code sinks[1].sink}.
     */
    String path();

    /**
     * @param key a key of this object.
     * @return true when the key is present and not null.
     */
    boolean has(String key);

    String string(String key);

    String string(String key, String defaultValue);

    int integer(String key);

    int integer(String key, int defaultValue);

    long longValue(String key, long defaultValue);

    double doubleValue(String key, double defaultValue);

    boolean bool(String key, boolean defaultValue);

    Duration duration(String key);

    Duration duration(String key, Duration defaultValue);

    /**
     * @return the list, or {@code defaultValue} when absent.
     */
    List<String> stringList(String key, List<String> defaultValue);

    /**
     * @return the object's entries in file order (empty when absent); values rendered as strings.
     */
    Map<String, String> stringMap(String key);

    /**
     * @return the object's entries in file order (empty when absent), each value a list of strings.
     */
    Map<String, List<String>> stringListMap(String key);

    /**
     * @return the nested object; throws when absent.
     */
    Settings child(String key);

    /**
     * @return the list of nested objects (empty when absent).
     */
    List<Settings> children(String key);

    /**
     * @param key the key the problem is about (may be null for the object itself).
     * @param reason what is wrong.
     * @return an exception naming file, path and reason, for the caller to throw.
     */
    ConfigException error(String key, String reason);
}
