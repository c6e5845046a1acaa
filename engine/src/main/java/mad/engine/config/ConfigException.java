package mad.engine.config;

/**
 * A configuration that cannot be used: names the file, the key path inside it and the reason, so that an operator can
 * fix it without reading code. Thrown before any thread starts (or, on reload, before a pipeline is replaced).
 */
public final class ConfigException extends RuntimeException
{
    private static final long serialVersionUID = 1L;
    private final String file;
    private final String keyPath;
    private final String reason;

    /**
     * @param file the configuration file.
     * @param keyPath the HOCON path of the offending key, e.g. {@code sources[2].port}.
     * @param reason what is wrong.
     */
    public ConfigException(final String file, final String keyPath, final String reason)
    {
        super(file + ": " + (keyPath == null || keyPath.isEmpty() ? "" : keyPath + ": ") + reason);
        this.file = file;
        this.keyPath = keyPath;
        this.reason = reason;
    }

    public String file()
    {
        return file;
    }

    public String keyPath()
    {
        return keyPath;
    }

    public String reason()
    {
        return reason;
    }
}
