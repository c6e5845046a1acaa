package mad.emit;

import java.util.function.LongSupplier;

import mad.emit.http.HttpFacility;
import mad.emit.self.SelfMetrics;
import mad.emit.telemetry.TelemetryHub;
import mad.engine.config.Settings;

/**
 * What a sink factory may use besides its own settings: the pipeline name (for log lines), the epoch-ms clock (fake
 * in tests), the process-wide {@link HttpFacility},
 * {@link SelfMetrics} and {@link TelemetryHub}, and {@link #createSink(Settings)} so decorating sinks build their
 * nested sinks through the same registry.
 *
 * <p>Sink factories may also state what they need from the engine ({@link #requireHistograms()}); the pipeline builds
 * its sinks before its engine and reads {@link #histogramsRequired()} to configure it.
 *
 * <p>Thread ownership: immutable except the requirement flag, which is written and read only on the configuration
 * thread while the pipeline is built (before any engine thread exists); the clock is read by any thread.
 */
public final class EmitContext
{
    private final String pipelineName;
    private final LongSupplier clock;
    private final HttpFacility http;
    private final SelfMetrics selfMetrics;
    private final TelemetryHub telemetry;
    private boolean histogramsRequired;

    /**
     * A context without self-instrumentation ({@link SelfMetrics#NOOP}).
     *
     * @param pipelineName the pipeline the sinks belong to.
     * @param clock epoch-ms clock.
     * @param http the shared HTTP client facility.
     */
    public EmitContext(final String pipelineName, final LongSupplier clock, final HttpFacility http)
    {
        this(pipelineName, clock, http, SelfMetrics.NOOP);
    }

    /**
     * @param pipelineName the pipeline the sinks belong to.
     * @param clock epoch-ms clock.
     * @param http the shared HTTP client facility.
     * @param selfMetrics the process-wide self-instrumentation facility.
     */
    public EmitContext(final String pipelineName, final LongSupplier clock, final HttpFacility http,
        final SelfMetrics selfMetrics)
    {
        this(pipelineName, clock, http, selfMetrics, new TelemetryHub());
    }

    /**
     * @param pipelineName the pipeline the sinks belong to.
     * @param clock epoch-ms clock.
     * @param http the shared HTTP client facility.
     * @param selfMetrics the process-wide self-instrumentation facility.
     * @param telemetry the process-wide telemetry hub ({@code TelemetrySink}s feed it).
     */
    public EmitContext(final String pipelineName, final LongSupplier clock, final HttpFacility http,
        final SelfMetrics selfMetrics, final TelemetryHub telemetry)
    {
        this.pipelineName = pipelineName;
        this.clock = clock;
        this.http = http;
        this.selfMetrics = selfMetrics;
        this.telemetry = telemetry;
    }

    public String pipelineName()
    {
        return pipelineName;
    }

    public LongSupplier clock()
    {
        return clock;
    }

    /**
     * @return the current epoch-ms time.
     */
    public long nowMs()
    {
        return clock.getAsLong();
    }

    public HttpFacility http()
    {
        return http;
    }

    public SelfMetrics selfMetrics()
    {
        return selfMetrics;
    }

    /**
     * @return the process-wide telemetry hub (a private, unconnected one when the wiring gave none).
     */
    public TelemetryHub telemetry()
    {
        return telemetry;
    }

    /**
     * Asks the engine to keep the histogram of every series of this pipeline (not only those whose statistics need
     * one), so a sink can send it as supporting data. Called by sink factories.
     */
    public void requireHistograms()
    {
        histogramsRequired = true;
    }

    /**
     * @return true when a sink created through this context called {@link #requireHistograms()}.
     */
    public boolean histogramsRequired()
    {
        return histogramsRequired;
    }

    /**
     * @param settings a nested sink object (with its own {@code type}).
     * @return the sink it describes.
     */
    public Sink createSink(final Settings settings)
    {
        return SinkType.create(settings, this);
    }
}
