package mad.emit.self;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import mad.emit.RateLimitedLog;
import mad.emit.http.HttpFacility;
import mad.engine.config.Settings;

/**
 * The daemon's {@link SelfMetrics}: MAD's {@code TsdMetricsFactory} with the base dimensions {@code cluster},
 * {@code service}, {@code host} and one {@link MonitoringHttpSink} per {@code monitoringSinks} entry (mad-spec §8.1).
 * Every recorded unit goes to every sink. Two timers run on the {@link HttpFacility} scheduler: the "periodic
 * metrics" unit, built from the registered {@link PeriodicSource}s once per second at about x.250 s (as MAD), and
 * the {@link JvmMetrics} unit every {@code jvmMetricsCollectionInterval}.
 *
 * <p>Thread ownership: {@link #record} and {@link #addPeriodic} from any thread; created, started and closed by
 * the wiring thread. {@link #close()} runs one last periodic collection and then drains the sinks (bounded), so it
 * must come after the pipelines (whose sinks record their final units) and before the facility is closed.
 */
public final class HttpSelfMetrics implements SelfMetrics, AutoCloseable
{
    /** MAD's periodic-metrics cadence. */
    public static final long PERIODIC_INTERVAL_MS = 1000;
    /** MAD flushes the periodic unit at about x.250 s. */
    private static final long PERIODIC_PHASE_MS = 250;
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);
    private static final Logger LOGGER = LoggerFactory.getLogger(HttpSelfMetrics.class);

    private final List<MonitoringHttpSink> sinks;
    private final Map<String, String> baseDimensions;
    private final HttpFacility http;
    private final LongSupplier clock;
    private final Duration jvmInterval;
    private final List<PeriodicSource> periodicSources = new CopyOnWriteArrayList<>();
    private final RateLimitedLog sourceErrors;
    private final JvmMetrics jvm = new JvmMetrics();
    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
    private long periodicStartMs;
    private boolean closed;

    /**
     * @param sinks the monitoring sinks (not started).
     * @param baseDimensions cluster, service, host.
     * @param http the facility whose scheduler runs the timers.
     * @param clock epoch-ms clock.
     * @param jvmInterval JVM collection period.
     */
    public HttpSelfMetrics(final List<MonitoringHttpSink> sinks, final Map<String, String> baseDimensions,
        final HttpFacility http, final LongSupplier clock, final Duration jvmInterval)
    {
        this.sinks = List.copyOf(sinks);
        this.baseDimensions = Map.copyOf(baseDimensions);
        this.http = http;
        this.clock = clock;
        this.jvmInterval = jvmInterval;
        this.sourceErrors = new RateLimitedLog(LOGGER, clock, RateLimitedLog.DEFAULT_INTERVAL_MS);
        this.periodicStartMs = clock.getAsLong();
    }

    /**
     * Builds the facility from the daemon configuration.
     *
     * @param sinkSettings the effective {@code monitoringSinks} entries.
     * @param baseDimensions cluster, service and host.
     * @param http the shared HTTP facility.
     * @param clock epoch-ms clock.
     * @param jvmInterval {@code jvmMetricsCollectionInterval}.
     * @return the facility (not started).
     * @throws mad.engine.config.ConfigException when an entry is invalid.
     */
    public static HttpSelfMetrics create(final List<Settings> sinkSettings, final Map<String, String> baseDimensions,
        final HttpFacility http, final LongSupplier clock, final Duration jvmInterval)
    {
        final List<MonitoringHttpSink> sinks = new ArrayList<>();
        for (final Settings settings : sinkSettings)
        {
            sinks.add(MonitoringHttpSink.create(settings, baseDimensions, http, clock));
        }
        return new HttpSelfMetrics(sinks, baseDimensions, http, clock, jvmInterval);
    }

    /**
     * Starts the sinks' senders and the periodic and JVM timers.
     */
    public synchronized void start()
    {
        if (closed || !tasks.isEmpty())
        {
            return;
        }
        for (final MonitoringHttpSink sink : sinks)
        {
            sink.start();
        }
        final ScheduledExecutorService scheduler = http.scheduler();
        final long now = clock.getAsLong();
        final long firstDelay = Math.floorMod(PERIODIC_PHASE_MS - now, PERIODIC_INTERVAL_MS) + PERIODIC_INTERVAL_MS;
        periodicStartMs = now;
        tasks.add(scheduler.scheduleAtFixedRate(this::flushPeriodicQuietly, firstDelay, PERIODIC_INTERVAL_MS,
            TimeUnit.MILLISECONDS));
        final long jvmMs = Math.max(1, jvmInterval.toMillis());
        tasks.add(scheduler.scheduleAtFixedRate(this::collectJvmQuietly, jvmMs, jvmMs, TimeUnit.MILLISECONDS));
        LOGGER.info("Self-metrics: {} monitoring sink(s) {}, dimensions {}", sinks.size(), sinks, baseDimensions);
    }

    @Override
    public void record(final UnitOfWork unit)
    {
        for (final MonitoringHttpSink sink : sinks)
        {
            sink.offer(unit);
        }
    }

    @Override
    public Registration addPeriodic(final PeriodicSource source)
    {
        periodicSources.add(source);
        return () -> periodicSources.remove(source);
    }

    @Override
    public long nowMs()
    {
        return clock.getAsLong();
    }

    public Map<String, String> baseDimensions()
    {
        return baseDimensions;
    }

    public List<MonitoringHttpSink> sinks()
    {
        return sinks;
    }

    /**
     * Builds the periodic unit from every registered source and records it when it has samples.
     */
    public void flushPeriodic()
    {
        final long start;
        final long now = clock.getAsLong();
        synchronized (this)
        {
            start = periodicStartMs;
            periodicStartMs = now;
        }
        final UnitOfWork.Builder unit = UnitOfWork.builder(start);
        for (final PeriodicSource source : periodicSources)
        {
            try
            {
                source.collect(unit);
            }
            catch (final RuntimeException e)
            {
                sourceErrors.warn("self-metrics: periodic source " + source + " failed: " + e);
            }
        }
        if (!unit.isEmpty())
        {
            record(unit.build(now));
        }
    }

    /**
     * Stops the timers, records the last periodic unit and drains every sink (bounded). Idempotent.
     */
    @Override
    public void close()
    {
        synchronized (this)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            for (final ScheduledFuture<?> task : tasks)
            {
                task.cancel(false);
            }
            tasks.clear();
        }
        flushPeriodicQuietly();
        for (final MonitoringHttpSink sink : sinks)
        {
            sink.close(DRAIN_TIMEOUT);
        }
    }

    private void flushPeriodicQuietly()
    {
        try
        {
            flushPeriodic();
        }
        catch (final RuntimeException e)
        {
            sourceErrors.warn("self-metrics: periodic flush failed: " + e);
        }
    }

    private void collectJvmQuietly()
    {
        try
        {
            final long now = clock.getAsLong();
            final UnitOfWork.Builder unit = UnitOfWork.builder(now);
            jvm.collect(unit);
            record(unit.build(clock.getAsLong()));
        }
        catch (final RuntimeException | LinkageError e)
        {
            sourceErrors.warn("self-metrics: JVM collection failed: " + e);
        }
    }
}
