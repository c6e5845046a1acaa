package mad.emit.sinks;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import mad.emit.EmitContext;
import mad.emit.Sink;
import mad.emit.self.SelfMetrics;
import mad.emit.self.UnitOfWork;
import mad.engine.config.Settings;
import mad.engine.output.PeriodicData;

/**
 * MAD's {@code TracingSink} (mad-spec 7.9): a terminal sink that, for every bucket and every configured pattern
 * ({@code patterns}: label to regex, required), counts the metric names the regex matches <em>fully</em>; when the
 * count is positive it records one self-metrics unit of work with the counter {@code tracingSink/hit} (value = the
 * count) and the dimensions {@code sink=<name>}, {@code pattern=<label>}. It forwards nothing.
 *
 * <p>Thread ownership: {@link #recordAggregateData} on the emitter thread, which owns the reused matchers.
 */
public final class TracingSink implements Sink
{
    /** The self-metric MAD records on a hit. */
    public static final String HIT_METRIC = "tracingSink/hit";

    private final String name;
    private final String[] labels;
    private final Matcher[] matchers;
    private final SelfMetrics selfMetrics;

    private TracingSink(final String name, final String[] labels, final Matcher[] matchers,
        final SelfMetrics selfMetrics)
    {
        this.name = name;
        this.labels = labels;
        this.matchers = matchers;
        this.selfMetrics = selfMetrics;
    }

    /**
     * Reads {@code name} and {@code patterns} (a non-empty map of label to Java regex).
     *
     * @param settings the sink object.
     * @param context the pipeline's emit context (its self-metrics receive the hits).
     * @return the sink.
     */
    public static TracingSink create(final Settings settings, final EmitContext context)
    {
        if (!settings.has("patterns"))
        {
            throw settings.error("patterns", "required: a map of label to regular expression");
        }
        final Map<String, String> patterns = settings.stringMap("patterns");
        final String[] labels = new String[patterns.size()];
        final Matcher[] matchers = new Matcher[patterns.size()];
        int i = 0;
        for (final Map.Entry<String, String> entry : patterns.entrySet())
        {
            try
            {
                matchers[i] = Pattern.compile(entry.getValue()).matcher("");
            }
            catch (final PatternSyntaxException e)
            {
                throw settings.error("patterns." + entry.getKey(), "invalid regular expression: " + e.getMessage());
            }
            labels[i] = entry.getKey();
            i++;
        }
        return new TracingSink(settings.string("name"), labels, matchers, context.selfMetrics());
    }

    @Override
    public void recordAggregateData(final PeriodicData data)
    {
        final int metrics = data.metricCount();
        for (int p = 0; p < matchers.length; p++)
        {
            final Matcher matcher = matchers[p];
            int hits = 0;
            for (int m = 0; m < metrics; m++)
            {
                if (matcher.reset(data.metric(m).name()).matches())
                {
                    hits++;
                }
            }
            if (hits > 0)
            {
                final long now = selfMetrics.nowMs();
                selfMetrics.record(UnitOfWork.builder(now)
                    .dimension("sink", name)
                    .dimension("pattern", labels[p])
                    .counter(HIT_METRIC, hits)
                    .build(now));
            }
        }
    }

    @Override
    public void close()
    {
    }

    public String name()
    {
        return name;
    }
}
