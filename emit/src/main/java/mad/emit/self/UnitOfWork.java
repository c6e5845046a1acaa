package mad.emit.self;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One self-instrumentation "unit of work" as the metrics client records it: a time range, the dimensions it adds to
 * the daemon's base dimensions (cluster, service, host), and named counter, timer and gauge samples. It becomes one
 * ClientV3 {@code Record}.
 *
 * <p>Thread ownership: immutable once built; the {@link Builder} belongs to the thread that fills it.
 */
public final class UnitOfWork
{
    private final long startMs;
    private final long endMs;
    private final Map<String, String> dimensions;
    private final List<Entry> entries;

    private UnitOfWork(final long startMs, final long endMs, final Map<String, String> dimensions,
        final List<Entry> entries)
    {
        this.startMs = startMs;
        this.endMs = endMs;
        this.dimensions = dimensions;
        this.entries = entries;
    }

    /**
     * @param startMs epoch-ms start of the unit.
     * @return an empty builder.
     */
    public static Builder builder(final long startMs)
    {
        return new Builder(startMs);
    }

    public long startMs()
    {
        return startMs;
    }

    public long endMs()
    {
        return endMs;
    }

    /**
     * @return the dimensions of this unit (in insertion order); they override base dimensions of the same name.
     */
    public Map<String, String> dimensions()
    {
        return dimensions;
    }

    public List<Entry> entries()
    {
        return entries;
    }

    /**
     * @param name a metric name.
     * @return the first entry with that name, or null.
     */
    public Entry entry(final String name)
    {
        for (final Entry entry : entries)
        {
            if (entry.name().equals(name))
            {
                return entry;
            }
        }
        return null;
    }

    @Override
    public String toString()
    {
        return "UnitOfWork{" + startMs + ".." + endMs + " " + dimensions + " " + entries + "}";
    }

    /**
     * What the client distinguishes when recording; ClientV3 itself carries only numbers.
     */
    public enum Kind
    {
        COUNTER, TIMER, GAUGE
    }

    /**
     * One named metric of a unit with its samples.
     *
     * @param name the metric name.
     * @param kind counter, timer (milliseconds unless the name says otherwise) or gauge.
     * @param samples the values (not copied: the builder hands over its own array).
     */
    public record Entry(String name, Kind kind, double[] samples)
    {
        @Override
        public String toString()
        {
            return kind + " " + name + "=" + Arrays.toString(samples);
        }
    }

    /**
     * Collects dimensions and samples. Samples of the same name and kind are appended to one entry, as the client's
     * {@code Metrics} instance does.
     *
     * <p>Thread ownership: one thread.
     */
    public static final class Builder
    {
        private final long startMs;
        private final Map<String, String> dimensions = new LinkedHashMap<>();
        private final List<String> names = new ArrayList<>();
        private final List<Kind> kinds = new ArrayList<>();
        private final List<double[]> samples = new ArrayList<>();
        private final List<int[]> counts = new ArrayList<>();

        private Builder(final long startMs)
        {
            this.startMs = startMs;
        }

        /**
         * Adds (or replaces) a dimension.
         */
        public Builder dimension(final String name, final String value)
        {
            dimensions.put(name, value);
            return this;
        }

        /**
         * Adds all dimensions of a map.
         */
        public Builder dimensions(final Map<String, String> values)
        {
            dimensions.putAll(values);
            return this;
        }

        /**
         * Records a counter sample (the client's {@code incrementCounter(name, value)}).
         */
        public Builder counter(final String name, final double value)
        {
            return add(name, Kind.COUNTER, value);
        }

        /**
         * Records a timer sample in milliseconds.
         */
        public Builder timer(final String name, final double milliseconds)
        {
            return add(name, Kind.TIMER, milliseconds);
        }

        /**
         * Records a gauge sample.
         */
        public Builder gauge(final String name, final double value)
        {
            return add(name, Kind.GAUGE, value);
        }

        /**
         * @return true when no sample was recorded.
         */
        public boolean isEmpty()
        {
            return names.isEmpty();
        }

        /**
         * @param endMs epoch-ms end of the unit.
         * @return the immutable unit.
         */
        public UnitOfWork build(final long endMs)
        {
            final List<Entry> entries = new ArrayList<>(names.size());
            for (int i = 0; i < names.size(); i++)
            {
                entries.add(new Entry(names.get(i), kinds.get(i), Arrays.copyOf(samples.get(i), counts.get(i)[0])));
            }
            return new UnitOfWork(startMs, endMs, Collections.unmodifiableMap(new LinkedHashMap<>(dimensions)),
                Collections.unmodifiableList(entries));
        }

        private Builder add(final String name, final Kind kind, final double value)
        {
            for (int i = 0; i < names.size(); i++)
            {
                if (kinds.get(i) == kind && names.get(i).equals(name))
                {
                    final int[] count = counts.get(i);
                    double[] values = samples.get(i);
                    if (count[0] == values.length)
                    {
                        values = Arrays.copyOf(values, values.length * 2);
                        samples.set(i, values);
                    }
                    values[count[0]++] = value;
                    return this;
                }
            }
            names.add(name);
            kinds.add(kind);
            samples.add(new double[] {value});
            counts.add(new int[] {1});
            return this;
        }
    }
}
