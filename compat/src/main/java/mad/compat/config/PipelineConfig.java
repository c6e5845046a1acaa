package mad.compat.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import mad.engine.config.Settings;
import mad.engine.stat.Statistic;

/**
 * One pipeline file (mad-spec §1.3, §5.5) bound with MAD's defaults and validation. Sources and sinks stay as
 * {@link Settings}: the ingest/emit registries bind them by their {@code type}.
 *
 * <p>Statistic lists are de-duplicated in first-seen order. The {@code statistics} map keeps the order MAD sees (see
 * {@link KeyOrder}: sorted keys for HOCON files, file order for JSON files); the first pattern that matches the whole
 * metric name wins.
 *
 * <p>Thread ownership: immutable; built by the loading thread, then shared read-only. {@link Pattern} is thread-safe.
 *
 * @param name the pipeline name (required, non-empty).
 * @param periods the aggregation periods, distinct, ascending, each at least 1 ms (default PT1S, PT1M).
 * @param idleTimeout how long an idle worker lives (default PT5M).
 * @param timerStatistics statistics for timers (default median, tp90, tp99, mean, count).
 * @param counterStatistics statistics for counters (default mean, sum, count).
 * @param gaugeStatistics statistics for gauges (default min, max, mean).
 * @param statistics regex to statistics, in match order.
 * @param sources the source objects, in file order.
 * @param sinks the sink objects, in file order.
 */
public record PipelineConfig(
        String name,
        List<Duration> periods,
        Duration idleTimeout,
        List<Statistic> timerStatistics,
        List<Statistic> counterStatistics,
        List<Statistic> gaugeStatistics,
        LinkedHashMap<Pattern, List<Statistic>> statistics,
        List<Settings> sources,
        List<Settings> sinks)
{
    /** MAD's default periods. */
    public static final List<Duration> DEFAULT_PERIODS = List.of(Duration.ofSeconds(1), Duration.ofMinutes(1));
    /** MAD's default idle timeout. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);
    /** MAD's default timer statistics. */
    public static final List<Statistic> DEFAULT_TIMER_STATISTICS =
            List.of(Statistic.MEDIAN, Statistic.TP90, Statistic.TP99, Statistic.MEAN, Statistic.COUNT);
    /** MAD's default counter statistics. */
    public static final List<Statistic> DEFAULT_COUNTER_STATISTICS =
            List.of(Statistic.MEAN, Statistic.SUM, Statistic.COUNT);
    /** MAD's default gauge statistics. */
    public static final List<Statistic> DEFAULT_GAUGE_STATISTICS =
            List.of(Statistic.MIN, Statistic.MAX, Statistic.MEAN);

    private static final Duration MIN_PERIOD = Duration.ofMillis(1);

    /**
     * Canonical constructor: defensive copies (the statistics map is copied but stays a LinkedHashMap so callers
     * see its order in the type).
     */
    public PipelineConfig
    {
        periods = List.copyOf(periods);
        timerStatistics = List.copyOf(timerStatistics);
        counterStatistics = List.copyOf(counterStatistics);
        gaugeStatistics = List.copyOf(gaugeStatistics);
        statistics = new LinkedHashMap<>(statistics);
        sources = List.copyOf(sources);
        sinks = List.copyOf(sinks);
    }

    /**
     * @return a copy of the pattern map in match order (the record's map is private to it).
     */
    @Override
    public LinkedHashMap<Pattern, List<Statistic>> statistics()
    {
        return new LinkedHashMap<>(statistics);
    }

    /**
     * Binds and validates a pipeline file.
     *
     * @param settings the root of the pipeline file (from {@link ConfigLoader#load(java.nio.file.Path)}).
     * @return the pipeline configuration.
     * @throws mad.engine.config.ConfigException naming the key (e.g. {@code timerStatistics[2]}) and the reason.
     */
    public static PipelineConfig from(final Settings settings)
    {
        final String name = settings.string("name");
        if (name.isEmpty())
        {
            throw settings.error("name", "must not be empty");
        }
        final List<Duration> periods = periods(settings);
        final Duration idleTimeout = settings.duration("idleTimeout", DEFAULT_IDLE_TIMEOUT);
        if (idleTimeout.isNegative() || idleTimeout.isZero())
        {
            throw settings.error("idleTimeout", "must be positive but is " + idleTimeout);
        }
        final List<Statistic> timer = statisticList(settings, "timerStatistics", DEFAULT_TIMER_STATISTICS);
        final List<Statistic> counter = statisticList(settings, "counterStatistics", DEFAULT_COUNTER_STATISTICS);
        final List<Statistic> gauge = statisticList(settings, "gaugeStatistics", DEFAULT_GAUGE_STATISTICS);
        final LinkedHashMap<Pattern, List<Statistic>> statistics = new LinkedHashMap<>();
        for (final Map.Entry<String, List<String>> entry : settings.stringListMap("statistics").entrySet())
        {
            final String entryKey = "statistics." + HoconSettings.quoteKey(entry.getKey());
            final Pattern pattern;
            try
            {
                pattern = Pattern.compile(entry.getKey());
            }
            catch (final PatternSyntaxException e)
            {
                throw settings.error(entryKey, "invalid regular expression: "
                        + e.getDescription() + " near index " + e.getIndex());
            }
            statistics.put(pattern, statistics(settings, entryKey, entry.getValue()));
        }
        return new PipelineConfig(name, periods, idleTimeout, timer, counter, gauge, statistics,
                settings.children("sources"), settings.children("sinks"));
    }

    private static List<Duration> periods(final Settings settings)
    {
        final List<Duration> configured;
        if (settings instanceof HoconSettings)
        {
            configured = ((HoconSettings) settings).durationList("periods", DEFAULT_PERIODS);
        }
        else
        {
            final List<String> texts = settings.stringList("periods", null);
            configured = texts == null ? DEFAULT_PERIODS : parseAll(settings, texts);
        }
        if (configured.isEmpty())
        {
            throw settings.error("periods", "must not be empty");
        }
        final TreeSet<Duration> distinct = new TreeSet<>();
        for (int i = 0; i < configured.size(); i++)
        {
            final Duration period = configured.get(i);
            if (period.compareTo(MIN_PERIOD) < 0)
            {
                // MAD divides by the period in milliseconds: anything under 1 ms would crash its workers.
                throw settings.error("periods[" + i + "]", "must be at least 1 ms (PT0.001S) but is " + period);
            }
            distinct.add(period);
        }
        return new ArrayList<>(distinct);
    }

    private static List<Duration> parseAll(final Settings settings, final List<String> texts)
    {
        final List<Duration> durations = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++)
        {
            final Duration duration = HoconSettings.parseIso(texts.get(i));
            if (duration == null)
            {
                throw settings.error("periods[" + i + "]", "expected an ISO-8601 duration such as \"PT1S\" but found \""
                        + texts.get(i) + "\"");
            }
            durations.add(duration);
        }
        return durations;
    }

    private static List<Statistic> statisticList(
            final Settings settings,
            final String key,
            final List<Statistic> defaultValue)
    {
        final List<String> names = settings.stringList(key, null);
        if (names == null)
        {
            return defaultValue;
        }
        if (names.isEmpty())
        {
            throw settings.error(key, "must not be empty");
        }
        return statistics(settings, key, names);
    }

    private static List<Statistic> statistics(final Settings settings, final String key, final List<String> names)
    {
        final List<Statistic> result = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++)
        {
            final String name = names.get(i);
            final Statistic statistic = Statistic.byName(name);
            if (statistic == null)
            {
                final String elementKey = key + "[" + i + "]";
                if ("expression".equals(name))
                {
                    throw settings.error(elementKey, "statistic \"expression\" is not supported: MAD knows the name "
                            + "but cannot compute it");
                }
                throw settings.error(elementKey, "unknown statistic \"" + name + "\" (Invalid statistic name); known: "
                        + knownNames());
            }
            if (!result.contains(statistic))
            {
                result.add(statistic);
            }
        }
        return Collections.unmodifiableList(result);
    }

    private static String knownNames()
    {
        final StringBuilder names = new StringBuilder();
        for (int i = 0; i < Statistic.count(); i++)
        {
            if (i > 0)
            {
                names.append(", ");
            }
            names.append(Statistic.ofOrdinal(i).wireName());
        }
        return names.toString();
    }
}
