package mad.tuning;

import java.util.Locale;
import java.util.function.Supplier;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

/**
 * A named deployment shape: how many aggregator shards, ring sizes, how idle threads wait, how many ingest threads.
 * Selected by the {@code tuningProfile} key of config.conf or {@code -Dmadx.tuning=NAME}; the wiring class reads it
 * once at start.
 *
 * <ul>
 *   <li>{@code shared-2core} (default): never spins. Aggregators back off to 1 ms parks when idle, the emitter sleeps
 *       2 ms; one aggregator shard and two ingest threads. Safe on small boxes shared with other processes.</li>
 *   <li>{@code dedicated}: for hosts whose cores are reserved for the daemon. Aggregators busy-spin (lowest latency,
 *       a full core each), two shards, larger rings. Use only with isolated cores; it starves everything else.</li>
 * </ul>
 *
 * @param name profile name.
 * @param aggregatorShards aggregator threads per pipeline (power of two).
 * @param ringSize slots per shard ring (power of two).
 * @param ingestThreads Netty event-loop threads shared by every source.
 * @param spinning true when aggregators busy-spin.
 * @param ioUring prefer io_uring over epoll where the kernel allows it.
 */
public record TuningProfile(
    String name, int aggregatorShards, int ringSize, int ingestThreads, boolean spinning, boolean ioUring)
{
    public static final TuningProfile SHARED_2CORE = new TuningProfile("shared-2core", 1, 65536, 2, false, false);
    public static final TuningProfile DEDICATED = new TuningProfile(
        "dedicated", 2, 262144, Math.max(2, Runtime.getRuntime().availableProcessors() / 2), true, false);

    /**
     * @param name a profile name (case-insensitive).
     * @return the profile.
     * @throws IllegalArgumentException for an unknown name, listing the known ones.
     */
    public static TuningProfile byName(final String name)
    {
        switch (name.toLowerCase(Locale.ROOT))
        {
            case "shared-2core":
                return SHARED_2CORE;
            case "dedicated":
                return DEDICATED;
            default:
                throw new IllegalArgumentException("unknown tuning profile '" + name + "' (known: shared-2core, dedicated)");
        }
    }

    /**
     * @return a factory of idle strategies for aggregator threads.
     */
    public Supplier<IdleStrategy> aggregatorIdle()
    {
        return spinning ? BusySpinIdleStrategy::new : () -> new BackoffIdleStrategy(10, 10, 1_000, 1_000_000);
    }

    /**
     * @return a factory of idle strategies for emitter threads (closed periods arrive at most a few per second).
     */
    public Supplier<IdleStrategy> emitterIdle()
    {
        return spinning ? () -> new BackoffIdleStrategy(100, 10, 1_000, 100_000) : () -> new SleepingMillisIdleStrategy(2);
    }
}
