package mad.emit.self;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The JVM unit of work recorded every {@code jvmMetricsCollectionInterval}, with the metric names MAD's
 * {@code jvm-extra} collector produces (mad-spec §8.2): {@code jvm/heap_memory/{used,max}},
 * {@code jvm/heap_memory/<pool>/{used,max}}, {@code jvm/non_heap_memory/<pool>/{used,max}},
 * {@code jvm/buffer_pool/<pool>/{count,memory_used,total_capacity}}, {@code jvm/file_descriptor/{open_count,
 * max_count}}, {@code jvm/garbage_collector/<gc>/{collection_count,collection_time,collection_count_delta}},
 * {@code jvm/threads/{thread_count,daemon_thread_count,peak_thread_count}}, all as gauges. Pool and collector names
 * are made metric-safe: lower case, every run of other characters than letters and digits becomes {@code _}
 * ({@code G1 Young Generation} -> {@code g1_young_generation}). Pool names are those of madx's JVM and collector.
 *
 * <p>Thread ownership: one timer thread (the previous collection counts for the deltas are its state).
 */
final class JvmMetrics
{
    private final Map<String, Long> lastCollectionCounts = new HashMap<>();

    /**
     * @param unit receives the samples.
     */
    void collect(final UnitOfWork.Builder unit)
    {
        final MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        unit.gauge("jvm/heap_memory/used", heap.getUsed());
        if (heap.getMax() >= 0)
        {
            unit.gauge("jvm/heap_memory/max", heap.getMax());
        }
        for (final MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans())
        {
            final MemoryUsage usage = pool.getUsage();
            if (usage == null)
            {
                continue;
            }
            final String prefix = (pool.getType() == MemoryType.HEAP ? "jvm/heap_memory/" : "jvm/non_heap_memory/")
                + safe(pool.getName());
            unit.gauge(prefix + "/used", usage.getUsed());
            if (usage.getMax() >= 0)
            {
                unit.gauge(prefix + "/max", usage.getMax());
            }
        }
        for (final BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class))
        {
            final String prefix = "jvm/buffer_pool/" + safe(pool.getName());
            unit.gauge(prefix + "/count", pool.getCount());
            unit.gauge(prefix + "/memory_used", pool.getMemoryUsed());
            unit.gauge(prefix + "/total_capacity", pool.getTotalCapacity());
        }
        final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean)
        {
            final com.sun.management.UnixOperatingSystemMXBean unix = (com.sun.management.UnixOperatingSystemMXBean)os;
            unit.gauge("jvm/file_descriptor/open_count", unix.getOpenFileDescriptorCount());
            unit.gauge("jvm/file_descriptor/max_count", unix.getMaxFileDescriptorCount());
        }
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
        {
            final String prefix = "jvm/garbage_collector/" + safe(gc.getName());
            final long count = gc.getCollectionCount();
            if (count < 0)
            {
                continue;
            }
            final Long previous = lastCollectionCounts.put(gc.getName(), count);
            unit.gauge(prefix + "/collection_count", count);
            unit.gauge(prefix + "/collection_time", Math.max(0, gc.getCollectionTime()));
            unit.gauge(prefix + "/collection_count_delta", previous == null ? count : count - previous);
        }
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        unit.gauge("jvm/threads/thread_count", threads.getThreadCount());
        unit.gauge("jvm/threads/daemon_thread_count", threads.getDaemonThreadCount());
        unit.gauge("jvm/threads/peak_thread_count", threads.getPeakThreadCount());
    }

    /**
     * @param name a pool or collector name.
     * @return its metric-safe form.
     */
    static String safe(final String name)
    {
        final String lower = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        int start = 0;
        int end = lower.length();
        while (start < end && lower.charAt(start) == '_')
        {
            start++;
        }
        while (end > start && lower.charAt(end - 1) == '_')
        {
            end--;
        }
        return lower.substring(start, end);
    }
}
