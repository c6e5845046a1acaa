package mad.tuning;

import java.util.Locale;

/**
 * The roles a madx thread plays, each with its own CPU set in a {@link TuningProfile}.
 *
 * <p>Thread ownership: immutable, shared freely.
 */
public enum ThreadRole
{
    /** Netty event loops that decode network input ({@code ingest-N}). */
    INGEST,
    /** Single-writer aggregator agents ({@code aggregator-<pipeline>-<shard>}). */
    AGGREGATOR,
    /** Emitter agents that hand closed periods to sinks ({@code emitter-<pipeline>}). */
    EMITTER,
    /**
     * The wiring (main) thread, pinned at start so that every thread it creates afterwards without a role of its own
     * (reload watcher, self-metrics, HTTP client) inherits this set. JVM threads (GC, JIT) started before main are not
     * covered: bound the whole process with {@code taskset}/systemd for those.
     */
    OTHER;

    /**
     * @return the lower-case name used in profile keys ({@code cpus.aggregator}).
     */
    public String key()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
