package mad.compat;

import java.util.Map;
import java.util.Set;

import mad.emit.self.SelfMetrics;
import mad.emit.self.UnitOfWork;
import mad.engine.aggregate.AggregatorCounters;
import mad.engine.sample.PublisherCounters;

/**
 * One pipeline's contribution to the once-per-second "periodic metrics" unit (mad-spec §8.1, §8.2), polled from the
 * counters the engine keeps anyway, so nothing is added to the per-sample path: gauge {@code aggregator/samples} =
 * samples the pipeline's aggregators consumed since the last poll, and per HTTP source gauge
 * {@code sources/http/<src>/metric_samples} = samples it published since the last poll; each only when > 0, as MAD.
 * {@code <src>} is the source name with {@code /}, {@code .} and space replaced by {@code _} (MAD's metric-safe name).
 *
 * <p>Thread ownership: {@link #collect} runs on the self-metrics timer thread, and once more on the closing thread
 * after the registration was closed; the previous totals are only touched by whichever runs (never both at once).
 */
final class PipelineSelfMetrics implements SelfMetrics.PeriodicSource
{
    private final AggregatorCounters[] aggregators;
    private final PublisherCounters[] httpSources;
    private final String[] sourceMetricNames;
    private final long[] lastPublished;
    private long lastAggregated;

    /**
     * @param aggregators the pipeline's aggregator counters.
     * @param sourceCounters counters by source name.
     * @param httpSourceNames names of the pipeline's HTTP sources.
     */
    PipelineSelfMetrics(final AggregatorCounters[] aggregators, final Map<String, PublisherCounters> sourceCounters,
        final Set<String> httpSourceNames)
    {
        this.aggregators = aggregators.clone();
        this.httpSources = sourceCounters.entrySet().stream()
            .filter(entry -> httpSourceNames.contains(entry.getKey()))
            .map(Map.Entry::getValue)
            .toArray(PublisherCounters[]::new);
        this.sourceMetricNames = new String[httpSources.length];
        for (int i = 0; i < httpSources.length; i++)
        {
            sourceMetricNames[i] = "sources/http/" + httpSources[i].source().replaceAll("[/. ]", "_")
                + "/metric_samples";
        }
        this.lastPublished = new long[httpSources.length];
    }

    @Override
    public synchronized void collect(final UnitOfWork.Builder unit)
    {
        long aggregated = 0;
        for (final AggregatorCounters counters : aggregators)
        {
            aggregated += counters.samples();
        }
        if (aggregated > lastAggregated)
        {
            unit.gauge("aggregator/samples", aggregated - lastAggregated);
        }
        lastAggregated = aggregated;
        for (int i = 0; i < httpSources.length; i++)
        {
            final long published = httpSources[i].published();
            if (published > lastPublished[i])
            {
                unit.gauge(sourceMetricNames[i], published - lastPublished[i]);
            }
            lastPublished[i] = published;
        }
    }
}
