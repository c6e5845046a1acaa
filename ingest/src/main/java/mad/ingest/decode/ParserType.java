package mad.ingest.decode;

import java.util.function.Function;
import java.util.function.Supplier;

import mad.engine.config.Settings;

/**
 * Registry of MAD line parser class names ({@code parser.type}) accepted by line transports (TcpLineSource), each
 * mapped to a factory that reads the parser's own keys and returns a per-thread {@link LineDecoder} supplier.
 *
 * <p>Thread safety: immutable.
 */
public enum ParserType
{
    GRAPHITE("com.arpnetworking.metrics.mad.parsers.GraphitePlaintextToRecordParser", GraphiteDecoder::factory),
    TELEGRAF("com.arpnetworking.metrics.mad.parsers.TelegrafJsonToRecordParser", TelegrafJsonDecoder::factory),
    STATSD("com.arpnetworking.metrics.mad.parsers.StatsdToRecordParser", settings -> StatsdDecoder::new);

    private final String className;
    private final Function<Settings, Supplier<LineDecoder>> factory;

    ParserType(final String className, final Function<Settings, Supplier<LineDecoder>> factory)
    {
        this.className = className;
        this.factory = factory;
    }

    public String className()
    {
        return className;
    }

    /**
     * @param settings the parser object (its {@code type} and own keys).
     * @return a supplier of per-thread decoders.
     */
    public Supplier<LineDecoder> decoders(final Settings settings)
    {
        return factory.apply(settings);
    }

    /**
     * @param className MAD's parser class name.
     * @return the parser type, or null when unknown.
     */
    public static ParserType byClassName(final String className)
    {
        for (final ParserType type : values())
        {
            if (type.className.equals(className))
            {
                return type;
            }
        }
        return null;
    }

    /**
     * Reads {@code parser} of a source: its {@code type} must be a known line parser.
     *
     * @param source the source settings holding a {@code parser} object.
     * @return a supplier of per-thread decoders.
     */
    public static Supplier<LineDecoder> fromSource(final Settings source)
    {
        final Settings parser = source.child("parser");
        final String type = parser.string("type");
        final ParserType parserType = byClassName(type);
        if (parserType == null)
        {
            throw parser.error("type", "unsupported line parser " + type);
        }
        return parserType.decoders(parser);
    }
}
