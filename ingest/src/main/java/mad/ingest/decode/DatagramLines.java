package mad.ingest.decode;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;

/**
 * A reusable flyweight that splits one datagram into its {@code \n}-separated lines without allocating: {@link #wrap}
 * scans the bytes once and records where each non-empty line starts and how long it is (empty lines are skipped, as
 * MAD's splitter omits them); {@link #count()}, {@link #offset(int)} and {@link #length(int)} then read them. The
 * count lets the transport size a ring batch before decoding.
 *
 * <p>Newlines are found eight bytes at a time. Why the word trick is exact: for {@code x = word ^ 0x0A..0A} a byte
 * of {@code x} is zero exactly where the datagram has {@code \n}; {@code (x - 0x01..01) & ~x & 0x80..80} sets the high
 * bit of the lowest zero byte of {@code x} and never of a byte below it (the borrow of the subtraction only
 * propagates upwards from a zero byte, so any false positive lies above a true zero). Reading little-endian, the
 * lowest byte is the first in memory, so {@code numberOfTrailingZeros >>> 3} is the position of the first newline
 * in the word; after it the scan resumes at the next byte.
 *
 * <p>The range is bounds-checked once, then read with {@code UnsafeApi} through the buffer's {@code byteArray()} /
 * {@code addressOffset()} (array-backed or direct alike): with Agrona's checked {@code getLong} every word paid a
 * bounds check, and those checks were ~10 % of the StatsD ingest profile.
 *
 * <p>Thread ownership: one instance per transport thread; valid until the next {@link #wrap}.
 */
public final class DatagramLines
{
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final boolean NATIVE_LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private int[] offsets = new int[64];
    private int[] lengths = new int[64];
    private int count;

    /**
     * Splits {@code [offset, offset + length)} of the buffer.
     *
     * @return the number of non-empty lines.
     */
    public int wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        count = 0;
        buffer.boundsCheck(offset, length);
        final byte[] array = buffer.byteArray();
        final long address = buffer.addressOffset();
        final int end = offset + length;
        int lineStart = offset;
        int p = offset;
        while (p + 8 <= end)
        {
            final long word = UnsafeApi.getLong(array, address + p);
            final long x = (NATIVE_LITTLE_ENDIAN ? word : Long.reverseBytes(word)) ^ NEWLINES;
            final long found = (x - ONES) & ~x & HIGHS;
            if (found == 0)
            {
                p += 8;
                continue;
            }
            final int newline = p + (Long.numberOfTrailingZeros(found) >>> 3);
            add(lineStart, newline);
            lineStart = newline + 1;
            p = lineStart;
        }
        for (; p < end; p++)
        {
            if (UnsafeApi.getByte(array, address + p) == '\n')
            {
                add(lineStart, p);
                lineStart = p + 1;
            }
        }
        add(lineStart, end);
        return count;
    }

    /**
     * @return the number of non-empty lines of the wrapped datagram.
     */
    public int count()
    {
        return count;
    }

    /**
     * @param index line index, below {@link #count()}.
     * @return offset of that line's first byte in the wrapped buffer.
     */
    public int offset(final int index)
    {
        return offsets[index];
    }

    /**
     * @param index line index, below {@link #count()}.
     * @return bytes in that line, without its {@code \n}; never 0.
     */
    public int length(final int index)
    {
        return lengths[index];
    }

    private void add(final int start, final int end)
    {
        if (end == start)
        {
            return;
        }
        if (count == offsets.length)
        {
            offsets = java.util.Arrays.copyOf(offsets, count * 2);
            lengths = java.util.Arrays.copyOf(lengths, count * 2);
        }
        offsets[count] = start;
        lengths[count] = end - start;
        count++;
    }
}
