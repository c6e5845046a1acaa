package mad.emit.sinks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import mad.emit.Sink;
import mad.engine.output.PeriodicData;

/**
 * Test sink that remembers what it saw (period millis and dimensions) and whether it was closed.
 */
final class RecordingSink implements Sink
{
    final List<Long> periods = new ArrayList<>();
    final List<Map<String, String>> dimensions = new ArrayList<>();
    final List<String> order;
    final String label;
    boolean closed;

    RecordingSink(final String label, final List<String> order)
    {
        this.label = label;
        this.order = order;
    }

    RecordingSink()
    {
        this("", new ArrayList<>());
    }

    @Override
    public void recordAggregateData(final PeriodicData data)
    {
        periods.add(data.period().toMillis());
        dimensions.add(Map.copyOf(data.dimensions()));
        order.add(label);
    }

    @Override
    public void close()
    {
        closed = true;
    }
}
