package mad.tuning;

import java.util.Arrays;
import java.util.BitSet;

/**
 * A set of CPU numbers in the Linux list format ({@code 0-3,6}, as in {@code taskset -c}, {@code isolcpus} and
 * {@code /sys/devices/system/cpu/isolated}). The empty set means "do not pin".
 *
 * <p>Thread ownership: immutable, shared freely.
 */
public final class CpuSet
{
    /** The highest CPU number accepted (glibc's {@code CPU_SETSIZE} is 1024). */
    public static final int MAX_CPU = 1023;
    /** No pinning. */
    public static final CpuSet EMPTY = new CpuSet(new int[0]);

    private final int[] cpus;

    private CpuSet(final int[] cpus)
    {
        this.cpus = cpus;
    }

    /**
     * @param text a CPU list such as {@code 0-3,6}; blank means {@link #EMPTY}.
     * @return the set.
     * @throws IllegalArgumentException naming the bad part and the expected format.
     */
    public static CpuSet parse(final String text)
    {
        final String trimmed = text == null ? "" : text.trim();
        if (trimmed.isEmpty())
        {
            return EMPTY;
        }
        final BitSet bits = new BitSet();
        for (final String rawPart : trimmed.split(",", -1))
        {
            final String part = rawPart.trim();
            final int dash = part.indexOf('-');
            final int low;
            final int high;
            if (dash < 0)
            {
                low = cpuNumber(part, trimmed);
                high = low;
            }
            else
            {
                low = cpuNumber(part.substring(0, dash), trimmed);
                high = cpuNumber(part.substring(dash + 1), trimmed);
                if (high < low)
                {
                    throw bad(trimmed, "range '" + part + "' runs backwards");
                }
            }
            bits.set(low, high + 1);
        }
        return new CpuSet(bits.stream().toArray());
    }

    /**
     * @param cpus CPU numbers.
     * @return the set of them.
     */
    public static CpuSet of(final int... cpus)
    {
        final BitSet bits = new BitSet();
        for (final int cpu : cpus)
        {
            if (cpu < 0 || cpu > MAX_CPU)
            {
                throw new IllegalArgumentException("CPU number out of range 0.." + MAX_CPU + ": " + cpu);
            }
            bits.set(cpu);
        }
        return new CpuSet(bits.stream().toArray());
    }

    public boolean isEmpty()
    {
        return cpus.length == 0;
    }

    public int size()
    {
        return cpus.length;
    }

    /**
     * @return the CPU numbers, ascending (a copy).
     */
    public int[] cpus()
    {
        return cpus.clone();
    }

    /**
     * @return the CPUs as a bit set (bit N = CPU N).
     */
    public BitSet toBitSet()
    {
        final BitSet bits = new BitSet();
        for (final int cpu : cpus)
        {
            bits.set(cpu);
        }
        return bits;
    }

    /**
     * @param index any non-negative number (a thread's sequence number in its role).
     * @return the single CPU at {@code index} modulo the size, for spreading threads one per CPU.
     */
    public CpuSet pick(final int index)
    {
        if (isEmpty())
        {
            return EMPTY;
        }
        return new CpuSet(new int[] {cpus[Math.floorMod(index, cpus.length)]});
    }

    /**
     * @return the set in the Linux list format ({@code 0-3,6}), empty for {@link #EMPTY}.
     */
    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder();
        int index = 0;
        while (index < cpus.length)
        {
            int end = index;
            while (end + 1 < cpus.length && cpus[end + 1] == cpus[end] + 1)
            {
                end++;
            }
            if (text.length() > 0)
            {
                text.append(',');
            }
            text.append(cpus[index]);
            if (end > index)
            {
                text.append('-').append(cpus[end]);
            }
            index = end + 1;
        }
        return text.toString();
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof CpuSet && Arrays.equals(cpus, ((CpuSet)other).cpus);
    }

    @Override
    public int hashCode()
    {
        return Arrays.hashCode(cpus);
    }

    private static int cpuNumber(final String part, final String whole)
    {
        final String digits = part.trim();
        if (digits.isEmpty() || digits.length() > 4 || !digits.chars().allMatch(Character::isDigit))
        {
            throw bad(whole, "'" + digits + "' is not a CPU number");
        }
        final int cpu = Integer.parseInt(digits);
        if (cpu > MAX_CPU)
        {
            throw bad(whole, "CPU " + cpu + " is above " + MAX_CPU);
        }
        return cpu;
    }

    private static IllegalArgumentException bad(final String whole, final String reason)
    {
        return new IllegalArgumentException("bad CPU set '" + whole + "': " + reason +
            " (expected a list such as 0-3,6, or empty for no pinning)");
    }
}
