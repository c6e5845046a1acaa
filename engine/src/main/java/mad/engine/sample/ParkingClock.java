package mad.engine.sample;

import java.util.concurrent.locks.LockSupport;

/**
 * The time source and the park of a {@link SamplePublisher} that waits for ring space
 * ({@link SamplePublisher.Backpressure#WAIT_BRIEFLY}, {@link SamplePublisher.Backpressure#WAIT}). Production uses
 * {@link #SYSTEM} ({@link System#nanoTime()} and {@link LockSupport#parkNanos(long)}); a test passes a fake whose
 * {@link #parkNanos} advances its own time, so back-pressure deadlines are tested without waiting for real.
 * It is consulted only when a ring is full, never per published sample.
 *
 * <p>Thread ownership: called only from the owning publisher's producing thread; {@link #SYSTEM} is stateless and
 * shared by every publisher.
 */
public interface ParkingClock
{
    /** {@link System#nanoTime()} and {@link LockSupport#parkNanos(long)}. */
    ParkingClock SYSTEM = new ParkingClock()
    {
        @Override
        public long nanoTime()
        {
            return System.nanoTime();
        }

        @Override
        public void parkNanos(final long nanos)
        {
            LockSupport.parkNanos(nanos);
        }

        @Override
        public String toString()
        {
            return "ParkingClock.SYSTEM";
        }
    };

    /**
     * @return a monotonic time in nanoseconds (only differences are meaningful).
     */
    long nanoTime();

    /**
     * Parks the calling thread for about {@code nanos} (it may return earlier, as {@link LockSupport#parkNanos} may).
     *
     * @param nanos how long.
     */
    void parkNanos(long nanos);
}
