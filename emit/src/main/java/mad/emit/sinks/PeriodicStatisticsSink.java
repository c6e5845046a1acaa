package mad.emit.sinks;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import mad.emit.EmitContext;
import mad.emit.RateLimitedLog;
import mad.emit.Sink;
import mad.emit.self.SelfMetrics;
import mad.emit.self.UnitOfWork;
import mad.engine.config.Settings;
import mad.engine.output.AggregatedMetric;
import mad.engine.output.PeriodicData;

/**
 * MAD's {@code PeriodicStatisticsSink} (mad-spec §7.7): metrics about the aggregated data, published through
 * {@link SelfMetrics}. Buckets are grouped by a key of {@code periodDimensionName} ({@code _period}) = the period
 * text plus, for every configured {@code dimensions} entry and {@code mappedDimensions} source -> target, target =
 * the bucket's value of the source dimension or its {@code defaultDimensionsValues} entry (absent when neither).
 * Every {@code intervalInMilliseconds} (500) each group that received data becomes one unit of work with the key
 * as dimensions and the counters {@code sinks/periodic_statistics/<name>/aggregated_data} (statistic values
 * received), {@code unique_metrics} (distinct metric names), {@code unique_statistics} (distinct metric name and
 * full dimension map), {@code metric_samples} (per metric name of a bucket, the population size of its first
 * statistic) and the timers (ms) {@code age} = max(now - (start + period)) and {@code request_age} =
 * max(now - minimum request time), 0 when none. {@code <name>} is the sink name with {@code /} and {@code .}
 * replaced by {@code _}. {@link #close()} flushes once more.
 *
 * <p>Validation as MAD: mapped targets unique, not among {@code dimensions}, neither equal to the period dimension
 * name; defaults only for dimensions named in {@code dimensions} or as a {@code mappedDimensions} source.
 *
 * <p>Thread ownership: {@link #recordAggregateData} runs on the emitter thread, the interval flush on the
 * {@link mad.emit.http.HttpFacility} timer. They hand the group table over under one lock that each holds only for
 * a table update or a reference swap; building and recording the units happens after the swap, outside the lock.
 */
public final class PeriodicStatisticsSink implements Sink
{
    private static final Logger LOGGER = LoggerFactory.getLogger(PeriodicStatisticsSink.class);

    private final String name;
    private final long intervalMs;
    private final String periodDimensionName;
    private final String[] sources;
    private final String[] targets;
    private final Map<String, String> defaults;
    private final SelfMetrics selfMetrics;
    private final LongSupplier clock;
    private final RateLimitedLog failureLog;
    private final String aggregatedDataName;
    private final String uniqueMetricsName;
    private final String uniqueStatisticsName;
    private final String metricSamplesName;
    private final String ageName;
    private final String requestAgeName;

    /** Guarded by {@link #lock}: the groups receiving data since the last flush. */
    private Map<Map<String, String>, Group> groups = new HashMap<>();
    private long intervalStartMs;
    private final Object lock = new Object();
    /** Emitter thread only: metric names already counted for {@code metric_samples} in the current bucket. */
    private final Set<String> bucketNames = new HashSet<>();
    private final ScheduledFuture<?> timer;
    private boolean closed;

    private PeriodicStatisticsSink(final Settings settings, final EmitContext context, final boolean schedule)
    {
        this.name = settings.string("name");
        this.intervalMs = settings.longValue("intervalInMilliseconds", 500L);
        if (intervalMs < 1)
        {
            throw settings.error("intervalInMilliseconds", "must be >= 1, got " + intervalMs);
        }
        this.periodDimensionName = settings.string("periodDimensionName", "_period");
        if (periodDimensionName.isEmpty())
        {
            throw settings.error("periodDimensionName", "must not be empty");
        }
        final Set<String> dimensions = new LinkedHashSet<>(settings.stringList("dimensions", List.of()));
        final Map<String, String> mapped = settings.stringMap("mappedDimensions");
        final Set<String> mappedTargets = new HashSet<>(mapped.values());
        if (mappedTargets.size() != mapped.size())
        {
            throw settings.error("mappedDimensions", "mapped dimensions target the same key name: " + mapped);
        }
        for (final String target : mappedTargets)
        {
            if (dimensions.contains(target))
            {
                throw settings.error("mappedDimensions", "mapped dimension target '" + target
                    + "' overlaps with (unmapped) dimensions " + dimensions);
            }
        }
        if (mappedTargets.contains(periodDimensionName))
        {
            throw settings.error("mappedDimensions", "mapped dimensions overlap with periodDimensionName '"
                + periodDimensionName + "'");
        }
        if (dimensions.contains(periodDimensionName))
        {
            throw settings.error("dimensions", "(unmapped) dimensions overlap with periodDimensionName '"
                + periodDimensionName + "'");
        }
        this.defaults = Map.copyOf(settings.stringMap("defaultDimensionsValues"));
        for (final String key : defaults.keySet())
        {
            if (!dimensions.contains(key) && !mapped.containsKey(key))
            {
                throw settings.error("defaultDimensionsValues", "default for '" + key
                    + "', which is neither in dimensions nor a mappedDimensions key");
            }
        }
        final int count = dimensions.size() + mapped.size();
        this.sources = new String[count];
        this.targets = new String[count];
        int index = 0;
        for (final String dimension : dimensions)
        {
            sources[index] = dimension;
            targets[index++] = dimension;
        }
        for (final Map.Entry<String, String> entry : mapped.entrySet())
        {
            sources[index] = entry.getKey();
            targets[index++] = entry.getValue();
        }
        this.selfMetrics = context.selfMetrics();
        this.clock = context.clock();
        this.failureLog = new RateLimitedLog(LOGGER, clock, RateLimitedLog.DEFAULT_INTERVAL_MS);
        final String prefix = "sinks/periodic_statistics/" + metricSafe(name) + "/";
        this.aggregatedDataName = prefix + "aggregated_data";
        this.uniqueMetricsName = prefix + "unique_metrics";
        this.uniqueStatisticsName = prefix + "unique_statistics";
        this.metricSamplesName = prefix + "metric_samples";
        this.ageName = prefix + "age";
        this.requestAgeName = prefix + "request_age";
        this.intervalStartMs = clock.getAsLong();
        this.timer = schedule
            ? context.http().scheduler().scheduleAtFixedRate(this::flushQuietly, intervalMs, intervalMs,
                TimeUnit.MILLISECONDS)
            : null;
    }

    /**
     * @param settings the sink object.
     * @param context the pipeline's emit context (self-metrics, clock, the timer of its HTTP facility).
     * @return the sink, its interval timer started.
     */
    public static PeriodicStatisticsSink create(final Settings settings, final EmitContext context)
    {
        return new PeriodicStatisticsSink(settings, context, true);
    }

    /**
     * @return a sink without its own timer: the caller drives {@link #flush()} (tests).
     */
    static PeriodicStatisticsSink createUnscheduled(final Settings settings, final EmitContext context)
    {
        return new PeriodicStatisticsSink(settings, context, false);
    }

    @Override
    public void recordAggregateData(final PeriodicData data)
    {
        final long now = clock.getAsLong();
        final Map<String, String> key = key(data);
        synchronized (lock)
        {
            if (closed)
            {
                return;
            }
            Group group = groups.get(key);
            if (group == null)
            {
                group = new Group(key);
                groups.put(key, group);
            }
            group.record(data, now, bucketNames);
        }
    }

    /**
     * Publishes one unit of work per group that received data since the last flush and starts a new interval.
     */
    void flush()
    {
        final Map<Map<String, String>, Group> flushed;
        final long startMs;
        final long now = clock.getAsLong();
        synchronized (lock)
        {
            flushed = groups;
            groups = new HashMap<>(Math.max(16, flushed.size() * 2));
            startMs = intervalStartMs;
            intervalStartMs = now;
        }
        for (final Group group : flushed.values())
        {
            final UnitOfWork.Builder unit = UnitOfWork.builder(startMs).dimensions(group.key);
            unit.counter(aggregatedDataName, group.aggregatedData);
            unit.counter(uniqueMetricsName, group.uniqueMetrics.size());
            unit.counter(uniqueStatisticsName, group.uniqueStatistics());
            unit.counter(metricSamplesName, group.metricSamples);
            unit.timer(ageName, group.maxAgeMs);
            unit.timer(requestAgeName, group.maxRequestAgeMs);
            selfMetrics.record(unit.build(now));
        }
    }

    /**
     * Stops the timer and flushes once more.
     */
    @Override
    public void close()
    {
        if (timer != null)
        {
            timer.cancel(false);
        }
        flushQuietly();
        synchronized (lock)
        {
            closed = true;
        }
    }

    public String name()
    {
        return name;
    }

    public long intervalMs()
    {
        return intervalMs;
    }

    @Override
    public String toString()
    {
        return "PeriodicStatisticsSink{" + name + ", every " + intervalMs + " ms}";
    }

    private Map<String, String> key(final PeriodicData data)
    {
        final Map<String, String> dimensions = data.dimensions();
        final Map<String, String> key = new LinkedHashMap<>();
        key.put(periodDimensionName, data.period().toString());
        for (int i = 0; i < sources.length; i++)
        {
            String value = dimensions.get(sources[i]);
            if (value == null)
            {
                value = defaults.get(sources[i]);
            }
            if (value != null)
            {
                key.put(targets[i], value);
            }
        }
        return key;
    }

    private void flushQuietly()
    {
        try
        {
            flush();
        }
        catch (final RuntimeException e)
        {
            failureLog.warn("sink '" + name + "': periodic statistics flush failed: " + e);
        }
    }

    private static String metricSafe(final String sinkName)
    {
        return sinkName.replace("/", "_").replace(".", "_");
    }

    /**
     * The statistics of one key during one interval. Touched under the sink's lock by the emitter, then read by the
     * flushing thread after the table was swapped out (the lock hand-off orders the accesses).
     */
    private static final class Group
    {
        private final Map<String, String> key;
        private long aggregatedData;
        private long metricSamples;
        private long maxAgeMs;
        private long maxRequestAgeMs;
        private final Set<String> uniqueMetrics = new HashSet<>();
        /** Per dimension map of a bucket, the metric names seen with it. */
        private final Map<Map<String, String>, Set<String>> namesByDimensions = new HashMap<>();

        private Group(final Map<String, String> key)
        {
            this.key = key;
        }

        private void record(final PeriodicData data, final long now, final Set<String> bucketNames)
        {
            final long age = now - (data.startMs() + data.period().toMillis());
            maxAgeMs = Math.max(maxAgeMs, age);
            if (data.hasMinRequestTime())
            {
                maxRequestAgeMs = Math.max(maxRequestAgeMs, now - data.minRequestTimeMs());
            }
            Set<String> names = namesByDimensions.get(data.dimensions());
            if (names == null)
            {
                // Copied once per distinct dimension map and interval: PeriodicData is only valid during the call.
                names = new HashSet<>();
                namesByDimensions.put(Map.copyOf(data.dimensions()), names);
            }
            bucketNames.clear();
            for (int i = 0, n = data.metricCount(); i < n; i++)
            {
                final AggregatedMetric metric = data.metric(i);
                aggregatedData += metric.statisticCount();
                if (bucketNames.add(metric.name()))
                {
                    metricSamples += metric.populationSize();
                    uniqueMetrics.add(metric.name());
                    names.add(metric.name());
                }
            }
        }

        private long uniqueStatistics()
        {
            long count = 0;
            for (final Set<String> names : namesByDimensions.values())
            {
                count += names.size();
            }
            return count;
        }
    }
}
