package mad.ingest;

import mad.engine.metrics.CounterVisitor;

/**
 * One configured MAD source: a transport (HTTP route, UDP socket, TCP listener, Kafka consumer) bound to a decoder,
 * writing into its pipeline's engine. Created by its {@code SourceType} factory from settings, started once, closed
 * once.
 *
 * <p>Thread ownership: start and close are called from the wiring thread; the transport's own threads decode.
 */
public interface Source extends AutoCloseable
{
    /**
     * @return the configured {@code name}.
     */
    String name();

    /**
     * Binds sockets or registers routes. Returns once the source accepts data.
     *
     * @throws Exception when it cannot (port in use, ...).
     */
    void start() throws Exception;

    /**
     * Reports this source's counters (requests, lines, rejections by reason) for exposition.
     *
     * @param visitor receives each counter; the source's name is added as label {@code source} by the caller.
     */
    default void visitCounters(final CounterVisitor visitor)
    {
    }

    /**
     * Stops accepting data; data already accepted is handed to the engine before this returns.
     */
    @Override
    void close();
}
