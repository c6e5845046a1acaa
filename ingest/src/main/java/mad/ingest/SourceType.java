package mad.ingest;

import mad.engine.config.Settings;
import mad.ingest.decode.ClientV1Decoder;
import mad.ingest.decode.ClientV2Decoder;
import mad.ingest.decode.ClientV3Decoder;
import mad.ingest.decode.CollectdJsonDecoder;
import mad.ingest.decode.PrometheusDecoder;
import mad.ingest.http.ClientHttpSource;
import mad.ingest.tcp.TcpLineReceiver;
import mad.ingest.udp.StatsdUdpReceiver;
import mad.ingest.wrap.MappingWriter;
import mad.ingest.wrap.TimeStampingWriter;

/**
 * MAD's source class names ({@code type=} in a pipeline file, mad-spec §10) and the factory of each. Adding a source
 * is its class plus one line here.
 *
 * <p>Thread safety: immutable.
 */
public enum SourceType
{
    CLIENT_HTTP_V1("com.arpnetworking.metrics.common.sources.ClientHttpSourceV1",
        (s, c) -> ClientHttpSource.create(s, c, ClientHttpSource.V1_PATH, ClientV1Decoder::new)),
    CLIENT_HTTP_V2("com.arpnetworking.metrics.common.sources.ClientHttpSourceV2",
        (s, c) -> ClientHttpSource.create(s, c, ClientHttpSource.V2_PATH, ClientV2Decoder::new)),
    CLIENT_HTTP_V3("com.arpnetworking.metrics.common.sources.ClientHttpSourceV3",
        (s, c) -> ClientHttpSource.create(s, c, ClientHttpSource.V3_PATH, ClientV3Decoder::new)),
    PROMETHEUS("com.arpnetworking.metrics.common.sources.PrometheusHttpSource",
        (s, c) -> ClientHttpSource.create(s, c, "/metrics/prometheus", PrometheusDecoder.create(s))),
    COLLECTD("com.arpnetworking.metrics.common.sources.CollectdHttpSourceV1",
        (s, c) -> ClientHttpSource.create(s, c, "/metrics/v1/collectd", CollectdJsonDecoder.create(s))),
    STATSD("com.arpnetworking.metrics.common.sources.StatsdSource",
        (s, c) -> StatsdUdpReceiver.create(
            s, c.threads().group(), c.threads().datagramChannelClass(), c.writerFactory(), c.clock())),
    TCP_LINE("com.arpnetworking.metrics.common.sources.TcpLineSource",
        (s, c) -> TcpLineReceiver.create(
            s, c.threads().group(), c.threads().serverChannelClass(), c.writerFactory(), c.clock())),
    MAPPING("com.arpnetworking.metrics.mad.sources.MappingSource",
        (s, c) -> c.withWriterFactory(MappingWriter.create(s, c.writerFactory())).createSource(s.child("source"))),
    TIME_STAMPING("com.arpnetworking.metrics.mad.sources.TimeStampingSource",
        (s, c) -> c.withWriterFactory(TimeStampingWriter.create(s, c.writerFactory())).createSource(s.child("source")));

    private static final SourceType[] VALUES = values();

    private final String className;
    private final Factory factory;

    SourceType(final String className, final Factory factory)
    {
        this.className = className;
        this.factory = factory;
    }

    /**
     * @return MAD's class name.
     */
    public String className()
    {
        return className;
    }

    /**
     * @param settings the source's settings.
     * @param context the pipeline's ingest context.
     * @return a new source, not started.
     */
    public Source create(final Settings settings, final IngestContext context)
    {
        return factory.create(settings, context);
    }

    /**
     * @param type MAD's class name, matched exactly.
     * @return the source type, or null when unknown (see {@link IngestContext#sourceType}).
     */
    public static SourceType of(final String type)
    {
        for (final SourceType value : VALUES)
        {
            if (value.className.equals(type))
            {
                return value;
            }
        }
        return null;
    }

    /**
     * Builds a source from its settings.
     */
    @FunctionalInterface
    public interface Factory
    {
        Source create(Settings settings, IngestContext context);
    }
}
