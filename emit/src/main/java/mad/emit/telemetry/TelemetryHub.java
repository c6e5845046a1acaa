package mad.emit.telemetry;

import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import mad.engine.output.AggregatedMetric;
import mad.engine.output.PeriodicData;

/**
 * The process-wide telemetry hub (MAD's {@code Telemetry} actor, mad-spec 7.11): a registry service to metric to
 * statistics of everything {@link TelemetrySink}s have seen (specified or not), a {@code newMetric} broadcast to every
 * connection on the first sighting of a (service, metric, statistic), and each bucket's values forwarded as
 * {@code report} (v1) / {@code reportMetric} (v2) to the connections subscribed to them.
 *
 * <p>Thread ownership: {@link #record} runs on any pipeline's emitter thread (several at once); it reads the bucket
 * during the call and only queues finished text on the connections ({@link Outbound#send} never blocks), so the
 * emitter never waits for a client. {@link #connect} and the connections' commands run on the connections' event
 * loops. The registry and the connection list are concurrent collections; created once by the wiring
 * ({@code Appliance}) and shared by every pipeline and both WebSocket paths.
 */
public final class TelemetryHub
{
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Set<String>>> registry =
        new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<TelemetryConnection> connections = new CopyOnWriteArrayList<>();
    private final AtomicLong periodicData = new AtomicLong();
    private final AtomicLong withoutService = new AtomicLong();
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong quits = new AtomicLong();

    /**
     * The protocol version of a connection's path.
     */
    public enum Protocol
    {
        /** {@code /telemetry/v1/stream}. */
        V1,
        /** {@code /telemetry/v2/stream}. */
        V2
    }

    /**
     * Where a connection's messages go (the WebSocket peer).
     */
    @FunctionalInterface
    public interface Outbound
    {
        /**
         * @param text one message; must not block.
         * @return false when it was dropped.
         */
        boolean send(String text);
    }

    /**
     * Registers a new connection.
     *
     * @param protocol the version of its path.
     * @param outbound its outbound side.
     * @return the connection, whose {@link TelemetryConnection#onText} the transport calls per message.
     */
    public TelemetryConnection connect(final Protocol protocol, final Outbound outbound)
    {
        final TelemetryConnection connection = new TelemetryConnection(this, protocol, outbound);
        connections.add(connection);
        connects.incrementAndGet();
        return connection;
    }

    /**
     * Registers the bucket's (service, metric, statistic) triples (broadcasting the new ones) and forwards its values
     * to the subscribed connections. A bucket without a {@code service} dimension is counted and skipped.
     *
     * @param data a bucket, read only during the call.
     */
    public void record(final PeriodicData data)
    {
        periodicData.incrementAndGet();
        final Map<String, String> dimensions = data.dimensions();
        final String service = dimensions.get("service");
        if (service == null)
        {
            withoutService.incrementAndGet();
            return;
        }
        final ConcurrentHashMap<String, Set<String>> metrics =
            registry.computeIfAbsent(service, key -> new ConcurrentHashMap<>());
        final int metricCount = data.metricCount();
        for (int m = 0; m < metricCount; m++)
        {
            final AggregatedMetric metric = data.metric(m);
            final Set<String> statistics = metrics.computeIfAbsent(metric.name(), key -> ConcurrentHashMap.newKeySet());
            final int statisticCount = metric.statisticCount();
            for (int s = 0; s < statisticCount; s++)
            {
                final String statistic = metric.statistic(s).wireName();
                if (statistics.add(statistic))
                {
                    final String message = TelemetryJson.newMetric(service, metric.name(), statistic);
                    for (final TelemetryConnection connection : connections)
                    {
                        connection.sendRaw(message);
                    }
                }
            }
        }
        final String server = dimensions.get("host");
        for (final TelemetryConnection connection : connections)
        {
            connection.forward(data, service, server);
        }
    }

    /**
     * @return a sorted copy of the registry (the {@code metricsList} answer).
     */
    public SortedMap<String, SortedMap<String, SortedSet<String>>> metrics()
    {
        final SortedMap<String, SortedMap<String, SortedSet<String>>> copy = new TreeMap<>();
        for (final Map.Entry<String, ConcurrentHashMap<String, Set<String>>> service : registry.entrySet())
        {
            final SortedMap<String, SortedSet<String>> metrics = new TreeMap<>();
            for (final Map.Entry<String, Set<String>> metric : service.getValue().entrySet())
            {
                metrics.put(metric.getKey(), new TreeSet<>(metric.getValue()));
            }
            copy.put(service.getKey(), metrics);
        }
        return copy;
    }

    /**
     * @return open connections.
     */
    public int connectionCount()
    {
        return connections.size();
    }

    /**
     * @return buckets received.
     */
    public long periodicDataCount()
    {
        return periodicData.get();
    }

    /**
     * @return buckets skipped because they have no {@code service} dimension.
     */
    public long withoutServiceCount()
    {
        return withoutService.get();
    }

    /**
     * @return connections opened / closed so far.
     */
    public long connectCount()
    {
        return connects.get();
    }

    public long quitCount()
    {
        return quits.get();
    }

    void disconnect(final TelemetryConnection connection)
    {
        if (connections.remove(connection))
        {
            quits.incrementAndGet();
        }
    }
}
