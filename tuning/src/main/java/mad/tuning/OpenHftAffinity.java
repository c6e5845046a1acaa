package mad.tuning;

import java.util.BitSet;
import java.util.Locale;

import net.openhft.affinity.Affinity;
import net.openhft.affinity.IAffinity;
import net.openhft.affinity.impl.NullAffinity;

/**
 * {@link CpuAffinity} through OpenHFT's {@code net.openhft:affinity} (JNA to {@code sched_setaffinity}). Only its
 * plain per-thread calls are used ({@code Affinity.setAffinity/getAffinity}), not {@code AffinityLock}, so no lock
 * files are written. Any failure to load JNA or the native call turns into "unavailable", never a start-up failure.
 *
 * <p>Thread ownership: stateless after construction; {@link #pinCurrentThread} acts on its caller.
 */
public final class OpenHftAffinity implements CpuAffinity
{
    private final String unavailableReason;

    /**
     * Probes the platform once (loads JNA on Linux).
     */
    public OpenHftAffinity()
    {
        this.unavailableReason = probe();
    }

    @Override
    public String unavailableReason()
    {
        return unavailableReason;
    }

    @Override
    public void pinCurrentThread(final CpuSet cpus)
    {
        if (unavailableReason != null)
        {
            throw new UnsupportedOperationException(unavailableReason);
        }
        final BitSet wanted = cpus.toBitSet();
        Affinity.setAffinity(wanted);
        // The library logs and carries on when the kernel says no: read the mask back to know.
        final BitSet actual = Affinity.getAffinity();
        if (!wanted.equals(actual))
        {
            throw new IllegalStateException("kernel kept CPUs " + actual + " instead of " + wanted +
                " (CPUs offline or outside this process's cpuset?)");
        }
    }

    private static String probe()
    {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux"))
        {
            return "CPU pinning is implemented for Linux only (os.name=" + System.getProperty("os.name") + ")";
        }
        try
        {
            final IAffinity impl = Affinity.getAffinityImpl();
            if (impl instanceof NullAffinity || !Affinity.isJNAAvailable())
            {
                return "JNA is not available (native library not loadable)";
            }
            final BitSet current = Affinity.getAffinity();
            return current == null || current.isEmpty() ? "cannot read the current CPU affinity" : null;
        }
        catch (final Throwable ex)
        {
            // LinkageError from JNA's native library, or anything else: pinning is optional, start-up is not.
            return "CPU affinity layer failed to load: " + ex;
        }
    }
}
