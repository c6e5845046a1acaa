package mad.tuning;

/**
 * The operating-system layer that binds the calling thread to CPUs ({@code sched_setaffinity(0, ...)} on Linux).
 * Behind an interface so that {@link ThreadPinning} can be tested with a fake and run where pinning is impossible.
 *
 * <p>Thread ownership: implementations are stateless or thread-safe; {@link #pinCurrentThread} acts on its caller.
 */
public interface CpuAffinity
{
    /** Pins nothing (the platform cannot, or nothing asks for it). */
    CpuAffinity NONE = new CpuAffinity()
    {
        @Override
        public String unavailableReason()
        {
            return "no CPU affinity layer";
        }

        @Override
        public void pinCurrentThread(final CpuSet cpus)
        {
            throw new UnsupportedOperationException(unavailableReason());
        }
    };

    /**
     * @return null when pinning works here, else why not (for one INFO log line).
     */
    String unavailableReason();

    /**
     * Binds the calling thread to the given CPUs.
     *
     * @param cpus a non-empty set.
     * @throws RuntimeException when the kernel refuses (CPU offline, outside the cgroup's cpuset...).
     */
    void pinCurrentThread(CpuSet cpus);
}
