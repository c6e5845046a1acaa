package mad.compat;

import org.slf4j.Logger;

/**
 * One explicit full collection once the daemon is up. Start-up (configuration, logging, Netty, class loading)
 * leaves ~10 MB of garbage spread over the regions G1 grew the heap to (~180 MB committed after the start-up young
 * collections), and an idle daemon allocates so little that the next collection, G1's periodic one, comes only ~10 s
 * later. The full collection compacts the live ~11 MB and shrinks the committed heap to the free ratios of the
 * profile ({@code -XX:MaxHeapFreeRatio}), giving the touched pages back: idle RSS settles right after start instead
 * of ~10 s later. One pause of ~20 ms on a heap of ~13 MB, before any traffic is usual.
 *
 * <p>Only when the heap can shrink (committed below {@code -Xmx}: not with the fixed, pre-touched heaps of the
 * {@code low-latency-4core} and {@code dedicated} profiles); {@code -Dmadx.compactAfterStart=true|false} forces it.
 *
 * <p>Thread ownership: called once by the main thread after start-up; stateless.
 */
final class StartupCompaction
{
    /** System property that forces ({@code true}) or disables ({@code false}) the collection. */
    static final String PROPERTY = "madx.compactAfterStart";
    private static final long MB = 1024 * 1024;

    private StartupCompaction()
    {
    }

    /**
     * @param property value of {@link #PROPERTY}, or null when unset.
     * @param committedHeap bytes of heap committed now.
     * @param maxHeap the heap's maximum size in bytes.
     * @return whether the collection can give memory back (or is forced).
     */
    static boolean applies(final String property, final long committedHeap, final long maxHeap)
    {
        if (property != null && !property.isBlank())
        {
            return Boolean.parseBoolean(property.trim());
        }
        return committedHeap < maxHeap;
    }

    /** Collects once if {@link #applies} says so, and logs what it gave back. */
    static void runIfUseful(final Logger log)
    {
        final Runtime runtime = Runtime.getRuntime();
        final long committedBefore = runtime.totalMemory();
        if (!applies(System.getProperty(PROPERTY), committedBefore, runtime.maxMemory()))
        {
            return;
        }
        final long usedBefore = committedBefore - runtime.freeMemory();
        final long start = System.nanoTime();
        System.gc();
        final long micros = (System.nanoTime() - start) / 1000;
        final long committedAfter = runtime.totalMemory();
        final long usedAfter = committedAfter - runtime.freeMemory();
        log.info("Start-up garbage collected in {} ms: heap used {} -> {} MB, committed {} -> {} MB (-D{}=false "
            + "turns this off)", micros / 1000, usedBefore / MB, usedAfter / MB, committedBefore / MB,
            committedAfter / MB, PROPERTY);
    }
}
