package mad.ingest.decode;

import java.util.Arrays;

import org.agrona.DirectBuffer;

/**
 * A reusable set of byte ranges of one buffer, to find duplicate names inside a record (dimensions, annotations,
 * metric names) without building strings. Lookups compare a hash first, then the bytes; records carry few names, so
 * a linear scan beats any table.
 *
 * <p>Thread ownership: one instance per decoder.
 */
final class ByteRangeSet
{
    private DirectBuffer buffer;
    private int[] offsets = new int[16];
    private int[] lengths = new int[16];
    private int[] hashes = new int[16];
    private int size;

    /**
     * Empties the set; every range added until the next clear must lie in {@code source}.
     *
     * @param source the buffer the ranges refer to.
     */
    void clear(final DirectBuffer source)
    {
        buffer = source;
        size = 0;
    }

    int size()
    {
        return size;
    }

    /**
     * @param offset first byte.
     * @param length number of bytes.
     * @return false when an equal range is already in the set (it is not added again).
     */
    boolean add(final int offset, final int length)
    {
        final int hash = hash(offset, length);
        for (int i = 0; i < size; i++)
        {
            if (hashes[i] == hash && lengths[i] == length && equal(offsets[i], offset, length))
            {
                return false;
            }
        }
        if (size == offsets.length)
        {
            final int capacity = size * 2;
            offsets = Arrays.copyOf(offsets, capacity);
            lengths = Arrays.copyOf(lengths, capacity);
            hashes = Arrays.copyOf(hashes, capacity);
        }
        offsets[size] = offset;
        lengths[size] = length;
        hashes[size] = hash;
        size++;
        return true;
    }

    private int hash(final int offset, final int length)
    {
        int hash = length;
        for (int i = 0; i < length; i++)
        {
            hash = 31 * hash + buffer.getByte(offset + i);
        }
        return hash;
    }

    private boolean equal(final int a, final int b, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            if (buffer.getByte(a + i) != buffer.getByte(b + i))
            {
                return false;
            }
        }
        return true;
    }
}
