package mad.emit.telemetry;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import mad.emit.RateLimitedLog;
import mad.engine.output.AggregatedMetric;
import mad.engine.output.PeriodicData;

/**
 * One telemetry WebSocket connection (MAD's {@code Connection} actor): its protocol version, its subscriptions
 * (service to metric to statistics), the command handling and the filtering of forwarded buckets.
 *
 * <p>Commands (both versions: {@code heartbeat}, {@code getMetrics}; v1: {@code subscribe}/{@code unsubscribe}; v2:
 * {@code subscribeMetric}/{@code unsubscribeMetric}, {@code getLogs}, {@code subscribeLog}/{@code unsubscribeLog})
 * carry {@code service}, {@code metric}, {@code statistic}. A frame that is not a JSON object, has no or an unknown
 * {@code command}, lacks a field, or is binary is answered {@code {"response":"error","error":<reason>}}, counted and
 * logged (rate-limited); the connection and its subscriptions stay (MAD crashes the handler and loses them).
 *
 * <p>Thread ownership: {@link #onText}/{@link #onBinary}/{@link #close} on the connection's event loop;
 * {@link #forward} on emitter threads. Subscriptions are concurrent maps written by the former, read by the latter.
 */
public final class TelemetryConnection
{
    private static final Logger LOGGER = LoggerFactory.getLogger(TelemetryConnection.class);
    private static final RateLimitedLog BAD_COMMAND_LOG =
        new RateLimitedLog(LOGGER, System::currentTimeMillis, RateLimitedLog.DEFAULT_INTERVAL_MS);

    private final TelemetryHub hub;
    private final TelemetryHub.Protocol protocol;
    private final TelemetryHub.Outbound outbound;
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Set<String>>> subscriptions =
        new ConcurrentHashMap<>();
    private final AtomicLong badCommands = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    TelemetryConnection(final TelemetryHub hub, final TelemetryHub.Protocol protocol,
        final TelemetryHub.Outbound outbound)
    {
        this.hub = hub;
        this.protocol = protocol;
        this.outbound = outbound;
    }

    /**
     * Handles one client text frame.
     *
     * @param text the frame.
     */
    public void onText(final String text)
    {
        final Map<String, String> command;
        try
        {
            command = TelemetryJson.readCommand(text);
        }
        catch (final IllegalArgumentException e)
        {
            reject(e.getMessage(), text);
            return;
        }
        final String name = command.get("command");
        if (name == null)
        {
            reject("missing 'command'", text);
            return;
        }
        switch (name)
        {
            case "heartbeat":
                sendRaw(TelemetryJson.OK);
                return;
            case "getMetrics":
                sendRaw(TelemetryJson.metricsList(hub.metrics()));
                return;
            default:
                break;
        }
        if (protocol == TelemetryHub.Protocol.V1)
        {
            if ("subscribe".equals(name))
            {
                subscribe(command, text, true);
                return;
            }
            if ("unsubscribe".equals(name))
            {
                subscribe(command, text, false);
                return;
            }
        }
        else
        {
            switch (name)
            {
                case "subscribeMetric":
                    subscribe(command, text, true);
                    return;
                case "unsubscribeMetric":
                    subscribe(command, text, false);
                    return;
                case "getLogs":
                    sendRaw(TelemetryJson.logsList());
                    return;
                case "subscribeLog":
                case "unsubscribeLog":
                    // Log tailing is never wired up in the daemon: accepted, nothing to stream.
                    return;
                default:
                    break;
            }
        }
        reject("unknown command '" + name + "' for protocol " + protocol, text);
    }

    /**
     * A binary frame: the protocol has none.
     *
     * @param length its size.
     */
    public void onBinary(final int length)
    {
        reject("binary frames are not part of the telemetry protocol", length + " bytes");
    }

    /**
     * The connection is gone: stop forwarding to it.
     */
    public void close()
    {
        hub.disconnect(this);
    }

    public TelemetryHub.Protocol protocol()
    {
        return protocol;
    }

    /**
     * @return rejected client frames.
     */
    public long badCommands()
    {
        return badCommands.get();
    }

    /**
     * @return messages the outbound side dropped (buffer full).
     */
    public long dropped()
    {
        return dropped.get();
    }

    /**
     * @return true when subscribed to that statistic.
     */
    public boolean subscribed(final String service, final String metric, final String statistic)
    {
        final Map<String, Set<String>> metrics = subscriptions.get(service);
        if (metrics == null)
        {
            return false;
        }
        final Set<String> statistics = metrics.get(metric);
        return statistics != null && statistics.contains(statistic);
    }

    /** On an emitter thread: sends the subscribed values of the bucket. */
    void forward(final PeriodicData data, final String service, final String server)
    {
        final Map<String, Set<String>> metrics = subscriptions.get(service);
        if (metrics == null || metrics.isEmpty())
        {
            return;
        }
        final int metricCount = data.metricCount();
        for (int m = 0; m < metricCount; m++)
        {
            final AggregatedMetric metric = data.metric(m);
            final Set<String> statistics = metrics.get(metric.name());
            if (statistics == null)
            {
                continue;
            }
            final int statisticCount = metric.statisticCount();
            for (int s = 0; s < statisticCount; s++)
            {
                final String statistic = metric.statistic(s).wireName();
                if (statistics.contains(statistic))
                {
                    sendRaw(TelemetryJson.report(protocol, server, service, metric.name(), data.startMs(), statistic,
                        metric.value(s), metric.unit(s)));
                }
            }
        }
    }

    void sendRaw(final String message)
    {
        if (!outbound.send(message))
        {
            dropped.incrementAndGet();
        }
    }

    private void subscribe(final Map<String, String> command, final String text, final boolean add)
    {
        final String service = command.get("service");
        final String metric = command.get("metric");
        final String statistic = command.get("statistic");
        if (service == null || metric == null || statistic == null)
        {
            reject("'" + command.get("command") + "' needs 'service', 'metric' and 'statistic'", text);
            return;
        }
        if (add)
        {
            subscriptions.computeIfAbsent(service, key -> new ConcurrentHashMap<>())
                .computeIfAbsent(metric, key -> ConcurrentHashMap.newKeySet())
                .add(statistic);
            return;
        }
        final Map<String, Set<String>> metrics = subscriptions.get(service);
        if (metrics != null)
        {
            final Set<String> statistics = metrics.get(metric);
            if (statistics != null)
            {
                statistics.remove(statistic);
            }
        }
    }

    private void reject(final String reason, final String frame)
    {
        badCommands.incrementAndGet();
        BAD_COMMAND_LOG.warn("telemetry " + protocol + ": rejected client frame (" + reason + "): "
            + (frame.length() > 200 ? frame.substring(0, 200) + "..." : frame));
        sendRaw(TelemetryJson.error(reason));
    }
}
