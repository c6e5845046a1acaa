package mad.engine.metrics;

/**
 * Receives a component's counters when they are read for exposition (the Prometheus text endpoint, status pages):
 * sources, aggregators and sinks each report what they count, named in snake case without prefix or suffix
 * ({@code lines_rejected}), with label name/value pairs that say which instance it is.
 *
 * <p>Thread ownership: called on the thread that reads the counters (an HTTP event loop), never on a hot path;
 * components read their own counters with plain volatile/opaque loads while their owners keep writing.
 */
@FunctionalInterface
public interface CounterVisitor
{
    /**
     * @param name counter name, snake case ({@code samples_published}).
     * @param value its current value (monotonic).
     * @param labels label name/value pairs ({@code "source", "statsd", "reason", "invalid_value"}).
     */
    void counter(String name, long value, String... labels);
}
