package mad.tuning;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pins threads to the CPU set their {@link ThreadRole} has in the profile, from the thread itself at the start of
 * its run loop (Linux affinity is per thread and inherited by threads it creates later). Roles listed in the
 * profile's {@code cpus.spread} get one CPU per thread, round robin over the set, in the order threads start.
 *
 * <p>Never fails start-up: with every set empty it logs one INFO line and does nothing (the affinity layer is not
 * even loaded); when the platform cannot pin it logs one INFO line and threads run unpinned; a refused pin is logged
 * once per role.
 *
 * <p>Thread ownership: built by the wiring thread; the wrapped tasks run on any thread; counters are atomic.
 */
public final class ThreadPinning
{
    private static final Logger LOG = LoggerFactory.getLogger(ThreadPinning.class);

    private final TuningProfile profile;
    private final CpuAffinity affinity;
    private final boolean active;
    private final Map<ThreadRole, AtomicInteger> started = new EnumMap<>(ThreadRole.class);
    private final Map<ThreadRole, AtomicBoolean> failureLogged = new EnumMap<>(ThreadRole.class);

    /**
     * @param profile the profile whose CPU sets apply.
     * @param affinity the operating-system layer.
     */
    public ThreadPinning(final TuningProfile profile, final CpuAffinity affinity)
    {
        this.profile = profile;
        this.affinity = affinity;
        boolean anySet = false;
        for (final ThreadRole role : ThreadRole.values())
        {
            started.put(role, new AtomicInteger());
            failureLogged.put(role, new AtomicBoolean());
            anySet |= !profile.cpus(role).isEmpty();
        }
        if (!anySet)
        {
            LOG.info("Tuning profile {}: no CPU pinning (every cpus.* set is empty)", profile.name());
            active = false;
        }
        else if (affinity.unavailableReason() != null)
        {
            LOG.info("Tuning profile {}: CPU pinning unavailable, threads run unpinned: {}", profile.name(),
                affinity.unavailableReason());
            active = false;
        }
        else
        {
            active = true;
        }
    }

    /**
     * The production instance: loads the OpenHFT/JNA layer only when some role has a CPU set.
     *
     * @param profile the profile.
     * @return the pinning of that profile.
     */
    public static ThreadPinning of(final TuningProfile profile)
    {
        boolean anySet = false;
        for (final ThreadRole role : ThreadRole.values())
        {
            anySet |= !profile.cpus(role).isEmpty();
        }
        CpuAffinity affinity = CpuAffinity.NONE;
        if (anySet)
        {
            try
            {
                affinity = new OpenHftAffinity();
            }
            catch (final Throwable ex)
            {
                // The optional jar missing from the class path (NoClassDefFoundError): run unpinned.
                affinity = unavailable("CPU affinity layer not on the class path: " + ex);
            }
        }
        return new ThreadPinning(profile, affinity);
    }

    /**
     * @return true when some role is pinned and the platform can pin.
     */
    public boolean active()
    {
        return active;
    }

    /**
     * Pins the calling thread for its role (a no-op when the role's set is empty or pinning is unavailable).
     *
     * @param role the caller's role.
     * @return the CPUs applied, empty when none.
     */
    public CpuSet pinCurrentThread(final ThreadRole role)
    {
        final CpuSet roleSet = profile.cpus(role);
        if (!active || roleSet.isEmpty())
        {
            return CpuSet.EMPTY;
        }
        final int sequence = started.get(role).getAndIncrement();
        final CpuSet cpus = profile.spread().contains(role) ? roleSet.pick(sequence) : roleSet;
        final String threadName = Thread.currentThread().getName();
        try
        {
            affinity.pinCurrentThread(cpus);
            LOG.info("Pinned thread {} ({}) to CPUs {}", threadName, role.key(), cpus);
            return cpus;
        }
        catch (final RuntimeException | LinkageError ex)
        {
            if (failureLogged.get(role).compareAndSet(false, true))
            {
                LOG.info("Cannot pin {} threads to CPUs {} (thread {} runs unpinned; further failures not logged): {}",
                    role.key(), cpus, threadName, ex.toString());
            }
            return CpuSet.EMPTY;
        }
    }

    /**
     * @param role the role of the thread that will run the task.
     * @param task a thread's whole body (a run loop).
     * @return the task preceded by pinning its thread.
     */
    public Runnable pinned(final ThreadRole role, final Runnable task)
    {
        if (!active || profile.cpus(role).isEmpty())
        {
            return task;
        }
        return () ->
        {
            pinCurrentThread(role);
            task.run();
        };
    }

    /**
     * @param role the role of every thread the factory makes.
     * @return a decorator of thread bodies (for thread pools that take one, such as the ingest event loops).
     */
    public UnaryOperator<Runnable> decorator(final ThreadRole role)
    {
        return task -> pinned(role, task);
    }

    /**
     * @param role the role of every thread the factory makes.
     * @param delegate makes the threads (names, daemon flag).
     * @return a factory whose threads pin themselves when they start.
     */
    public ThreadFactory threadFactory(final ThreadRole role, final ThreadFactory delegate)
    {
        return task -> delegate.newThread(pinned(role, task));
    }

    private static CpuAffinity unavailable(final String reason)
    {
        return new CpuAffinity()
        {
            @Override
            public String unavailableReason()
            {
                return reason;
            }

            @Override
            public void pinCurrentThread(final CpuSet cpus)
            {
                throw new UnsupportedOperationException(reason);
            }
        };
    }
}
