package mad.compat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.status.AtomicCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import mad.compat.config.ConfigLoader;
import mad.compat.config.PipelineConfig;
import mad.emit.EmitContext;
import mad.emit.Sink;
import mad.emit.SinkType;
import mad.emit.runtime.EmitterAgent;
import mad.emit.self.SelfMetrics;
import mad.emit.self.UnitOfWork;
import mad.emit.sinks.MultiSink;
import mad.engine.Engine;
import mad.engine.EngineConfig;
import mad.engine.aggregate.AggregatorCounters;
import mad.engine.config.Settings;
import mad.engine.metrics.CounterVisitor;
import mad.engine.sample.PublisherCounters;
import mad.engine.stat.Statistic;
import mad.engine.stat.StatisticSet;
import mad.engine.stat.StatisticsPolicy;
import mad.ingest.IngestContext;
import mad.ingest.Source;
import mad.tuning.TuningProfile;

/**
 * One running pipeline (one file of {@code pipelinesDirectory}): its engine with aggregator threads, its emitter
 * thread with the root sink, and its sources. Built completely before anything starts, so a bad file changes nothing.
 *
 * <p>Stop order is the reverse of the data flow, so nothing accepted is lost: sources stop accepting; the engine
 * closes every open bucket; the emitter hands them to the sinks; sinks drain their queues within a bound.
 *
 * <p>Thread ownership: created, started and closed by the wiring thread ({@link Appliance}).
 */
final class PipelineRuntime implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(PipelineRuntime.class);
    private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(10);
    /** MAD's HTTP sources: the ones reporting {@code sources/http/<src>/metric_samples}. */
    private static final Set<String> HTTP_SOURCE_TYPES = Set.of(
        "com.arpnetworking.metrics.common.sources.ClientHttpSourceV1",
        "com.arpnetworking.metrics.common.sources.ClientHttpSourceV2",
        "com.arpnetworking.metrics.common.sources.ClientHttpSourceV3",
        "com.arpnetworking.metrics.common.sources.PrometheusHttpSource",
        "com.arpnetworking.metrics.common.sources.CollectdHttpSourceV1");

    private final Path file;
    private final PipelineConfig config;
    private final Engine engine;
    private final Sink rootSink;
    private final EmitterAgent emitter;
    private final List<Source> sources;
    private final Map<String, PublisherCounters> sourceCounters;
    private final Set<String> httpSources;
    private SelfMetrics selfMetrics = SelfMetrics.NOOP;
    private PipelineSelfMetrics periodic;
    private SelfMetrics.Registration periodicRegistration;
    private AgentRunner emitterRunner;
    private boolean closed;

    private PipelineRuntime(
        final Path file, final PipelineConfig config, final Engine engine, final Sink rootSink,
        final List<Source> sources, final Map<String, PublisherCounters> sourceCounters,
        final Set<String> httpSources)
    {
        this.file = file;
        this.config = config;
        this.engine = engine;
        this.rootSink = rootSink;
        this.emitter = new EmitterAgent(config.name(), engine, rootSink);
        this.sources = sources;
        this.sourceCounters = sourceCounters;
        this.httpSources = httpSources;
    }

    /**
     * Reads and builds a pipeline without starting any thread or socket.
     *
     * @throws mad.engine.config.ConfigException when the file is invalid (nothing is left running).
     */
    static PipelineRuntime build(final Path file, final Appliance.Shared shared)
    {
        final Settings settings = ConfigLoader.load(file);
        final PipelineConfig config = PipelineConfig.from(settings);
        final TuningProfile profile = shared.profile();
        final EmitContext emitContext = new EmitContext(config.name(), shared.clock()::time, shared.http(),
            shared.selfMetrics(), shared.telemetry());
        final List<Sink> sinks = new ArrayList<>();
        final List<Source> sources = new ArrayList<>();
        final Map<String, PublisherCounters> counters = new LinkedHashMap<>();
        final Set<String> httpSources = new HashSet<>();
        final Engine engine;
        try
        {
            // Sinks first: their factories may ask the engine for more (EmitContext.requireHistograms).
            for (final Settings sink : config.sinks())
            {
                sinks.add(SinkType.create(sink, emitContext));
            }
            final StatisticsPolicy policy = emitContext.histogramsRequired()
                ? statisticsPolicy(config).retainingHistograms() : statisticsPolicy(config);
            engine = new Engine(new EngineConfig(config.name(), config.periods(), config.idleTimeout(), policy,
                profile.aggregatorShards(), profile.ringSize(), 4096, profile.aggregatorIdle(),
                maximumSeries(settings)), shared.clock());
            for (final Settings source : config.sources())
            {
                final String name = source.string("name", "");
                if (HTTP_SOURCE_TYPES.contains(source.string("type", "")))
                {
                    httpSources.add(name);
                }
                final PublisherCounters sourceCounters = counters.computeIfAbsent(name, PublisherCounters::new);
                final IngestContext context = new IngestContext(config.name(), shared.routes(), shared.threads(),
                    backpressure -> engine.newPublisher(backpressure, sourceCounters), shared.clock()::time);
                sources.add(context.createSource(source));
            }
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(sinks);
            throw ex;
        }
        final Sink root = new MultiSink(config.name(), sinks, emitContext);
        return new PipelineRuntime(file, config, engine, root, sources, counters, httpSources);
    }

    /** madx only: the pipeline's active-series bound (see {@link EngineConfig#DEFAULT_MAX_SERIES}). */
    private static int maximumSeries(final Settings settings)
    {
        final int maximum = settings.integer("maximumSeries", EngineConfig.DEFAULT_MAX_SERIES);
        if (maximum < 1)
        {
            throw settings.error("maximumSeries", "must be at least 1 but is " + maximum);
        }
        return maximum;
    }

    private static StatisticsPolicy statisticsPolicy(final PipelineConfig config)
    {
        final Map<Pattern, StatisticSet> explicit = new LinkedHashMap<>();
        for (final Map.Entry<Pattern, List<Statistic>> entry : config.statistics().entrySet())
        {
            explicit.put(entry.getKey(), StatisticSet.of(entry.getValue()));
        }
        return new StatisticsPolicy(StatisticSet.of(config.timerStatistics()),
            StatisticSet.of(config.counterStatistics()), StatisticSet.of(config.gaugeStatistics()), explicit);
    }

    /**
     * Starts aggregators, the emitter and then the sources (which bind their sockets or routes).
     *
     * @throws Exception when a source cannot start; everything started so far is stopped again.
     */
    void start(final Appliance.Shared shared) throws Exception
    {
        engine.start(shared.aggregatorThreads());
        selfMetrics = shared.selfMetrics();
        periodic = new PipelineSelfMetrics(engine.counters(), sourceCounters, httpSources);
        periodicRegistration = selfMetrics.addPeriodic(periodic);
        emitterRunner = new AgentRunner(shared.profile().emitterIdle().get(),
            ex -> LOG.error("emitter error in pipeline {}", config.name(), ex), (AtomicCounter)null, emitter);
        AgentRunner.startOnThread(emitterRunner, shared.emitterThreads());
        try
        {
            for (final Source source : sources)
            {
                source.start();
            }
        }
        catch (final Exception ex)
        {
            close();
            throw ex;
        }
        LOG.info("Pipeline {} started from {}: {} sources, {} periods", config.name(), file, sources.size(),
            config.periods());
    }

    String name()
    {
        return config.name();
    }

    Path file()
    {
        return file;
    }

    Engine engine()
    {
        return engine;
    }

    Map<String, PublisherCounters> sourceCounters()
    {
        return sourceCounters;
    }

    EmitterAgent emitter()
    {
        return emitter;
    }

    /**
     * Reports the pipeline's counters: samples published and dropped per source, each source's own counters, the
     * aggregators' (summed over shards) and the sinks'. The caller adds the {@code pipeline} label.
     */
    void visitCounters(final CounterVisitor visitor)
    {
        for (final PublisherCounters counters : sourceCounters.values())
        {
            visitor.counter("source_samples_published", counters.published(), "source", counters.source());
            visitor.counter("source_samples_dropped", counters.dropped(), "source", counters.source());
        }
        for (final Source source : sources)
        {
            source.visitCounters((name, value, labels) ->
            {
                final String[] withSource = new String[labels.length + 2];
                withSource[0] = "source";
                withSource[1] = source.name();
                System.arraycopy(labels, 0, withSource, 2, labels.length);
                visitor.counter(name, value, withSource);
            });
        }
        long samples = 0;
        long closedBuckets = 0;
        long lateBuckets = 0;
        long unitConflicts = 0;
        long seriesCreated = 0;
        long seriesEvicted = 0;
        long handoffOverflows = 0;
        long seriesRejected = 0;
        for (final AggregatorCounters counters : engine.counters())
        {
            samples += counters.samples();
            closedBuckets += counters.bucketsClosed();
            lateBuckets += counters.lateBuckets();
            unitConflicts += counters.unitConflicts();
            seriesCreated += counters.seriesCreated();
            seriesEvicted += counters.seriesEvicted();
            handoffOverflows += counters.handoffOverflows();
            seriesRejected += counters.seriesRejected();
        }
        visitor.counter("aggregator_samples", samples);
        visitor.counter("aggregator_buckets_closed", closedBuckets);
        visitor.counter("aggregator_late_buckets", lateBuckets);
        visitor.counter("aggregator_unit_conflicts", unitConflicts);
        visitor.counter("aggregator_series_created", seriesCreated);
        visitor.counter("aggregator_series_evicted", seriesEvicted);
        visitor.counter("aggregator_handoff_overflows", handoffOverflows);
        visitor.counter("aggregator_series_rejected", seriesRejected);
        rootSink.visitCounters(visitor);
    }

    /**
     * Stops the pipeline without losing accepted data: sources, flush, emit, sinks.
     */
    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        for (int i = sources.size() - 1; i >= 0; i--)
        {
            CloseHelper.quietClose(sources.get(i));
        }
        if (!engine.flush(FLUSH_TIMEOUT))
        {
            LOG.warn("Pipeline {}: aggregators did not flush within {}", config.name(), FLUSH_TIMEOUT);
        }
        CloseHelper.quietClose(emitterRunner);
        final int emitted = emitter.drain();
        engine.close();
        CloseHelper.quietClose(rootSink);
        if (periodicRegistration != null)
        {
            // The last counts of this pipeline go out now: the facility's final poll no longer sees it.
            periodicRegistration.close();
            final UnitOfWork.Builder unit = UnitOfWork.builder(selfMetrics.nowMs());
            periodic.collect(unit);
            if (!unit.isEmpty())
            {
                selfMetrics.record(unit.build(selfMetrics.nowMs()));
            }
        }
        LOG.info("Pipeline {} stopped; {} buckets flushed at shutdown", config.name(), emitted);
    }
}
