package mad.emit.self;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * Test {@link SelfMetrics}: keeps every recorded unit and every registered periodic source.
 */
public final class RecordingSelfMetrics implements SelfMetrics
{
    public final List<UnitOfWork> units = new CopyOnWriteArrayList<>();
    public final List<PeriodicSource> periodic = new CopyOnWriteArrayList<>();
    private final LongSupplier clock;

    public RecordingSelfMetrics(final LongSupplier clock)
    {
        this.clock = clock;
    }

    @Override
    public void record(final UnitOfWork unit)
    {
        units.add(unit);
    }

    @Override
    public Registration addPeriodic(final PeriodicSource source)
    {
        periodic.add(source);
        return () -> periodic.remove(source);
    }

    @Override
    public long nowMs()
    {
        return clock.getAsLong();
    }
}
