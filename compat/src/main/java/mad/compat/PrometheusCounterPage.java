package mad.compat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Renders every counter of every running pipeline in the Prometheus text exposition format (version 0.0.4) for
 * {@code GET /metrics}: the same drops and rejects the self-instrumentation reports, readable by any scraper.
 * Each counter is {@code madx_<name>_total} with the labels {@code pipeline} plus the component's own
 * ({@code source}, {@code sink}, {@code reason}).
 *
 * <p>Thread ownership: {@link #render()} runs on an HTTP event loop; it only reads counters (allocation is fine here,
 * this is not a data path).
 */
final class PrometheusCounterPage
{
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Supplier<List<PipelineRuntime>> pipelines;

    /**
     * @param pipelines the pipelines running at the time of the request.
     */
    PrometheusCounterPage(final Supplier<List<PipelineRuntime>> pipelines)
    {
        this.pipelines = pipelines;
    }

    /**
     * @return the page.
     */
    CharSequence render()
    {
        // Samples of one metric family must be contiguous: group by name first.
        final Map<String, StringBuilder> families = new TreeMap<>();
        for (final PipelineRuntime pipeline : pipelines.get())
        {
            pipeline.visitCounters((name, value, labels) ->
            {
                final StringBuilder family = families.computeIfAbsent(name, key -> new StringBuilder());
                family.append("madx_").append(name).append("_total{pipeline=\"");
                escape(family, pipeline.name());
                family.append('"');
                for (int i = 0; i + 1 < labels.length; i += 2)
                {
                    family.append(',').append(labels[i]).append("=\"");
                    escape(family, labels[i + 1]);
                    family.append('"');
                }
                family.append("} ").append(value).append('\n');
            });
        }
        final StringBuilder page = new StringBuilder(4096);
        for (final Map.Entry<String, StringBuilder> family : families.entrySet())
        {
            page.append("# TYPE madx_").append(family.getKey()).append("_total counter\n").append(family.getValue());
        }
        return page;
    }

    private static void escape(final StringBuilder out, final String value)
    {
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (c == '\\' || c == '"')
            {
                out.append('\\').append(c);
            }
            else if (c == '\n')
            {
                out.append("\\n");
            }
            else
            {
                out.append(c);
            }
        }
    }
}
