package mad.engine.aggregate;

import java.util.Arrays;
import java.util.function.Predicate;

import org.agrona.DirectBuffer;

/**
 * Open-addressing hash table from key bytes to an entry ({@link DimensionSet} or {@link Series}), looked up with a view
 * of the bytes in a ring event so that a hit allocates nothing. Linear probing over a power-of-two array. The full
 * hash of every entry is kept in a parallel {@code int[]}, so a probe compares hashes in one dense array and touches
 * an entry (and its key bytes) only when the hash matches: a lookup costs about one cache miss in the hash array and
 * one in the entry, instead of one per probed entry.
 *
 * <p>Thread ownership: the owning aggregator only.
 *
 * @param <T> entry type.
 */
final class ByteKeyTable<T>
{
    /**
     * How an entry exposes its key: {@link #prefix} followed by the tail {@link #tailMatches} compares (by default the
     * bytes of {@link #key}). Why a prefix: a series' key is its dimension set's key followed by its name, and the
     * dimension bytes are the same for every series of the set, so a series borrows them from its (shared)
     * {@link DimensionSet}; and why a tail hook: a series with an ASCII name compares against its name's chars and
     * keeps no copy of those bytes either.
     */
    interface KeyOf<T>
    {
        /** @return the key bytes after {@link #prefix} (only read by the default {@link #tailMatches}). */
        byte[] key(T entry);

        /** @return the bytes the key starts with, or {@code null} when the tail is the whole key. */
        default byte[] prefix(final T entry)
        {
            return null;
        }

        /** @return whether the {@code length} bytes of {@code buffer} at {@code offset} are the entry's tail. */
        default boolean tailMatches(final T entry, final DirectBuffer buffer, final int offset, final int length)
        {
            final byte[] key = key(entry);
            return key.length == length && sameBytes(key, length, buffer, offset);
        }
    }

    private final KeyOf<T> keyOf;
    private Object[] slots;
    private int[] hashes;
    private int size;
    private int mask;

    ByteKeyTable(final KeyOf<T> keyOf, final int initialCapacity)
    {
        this.keyOf = keyOf;
        final int capacity = Integer.highestOneBit(Math.max(16, initialCapacity) * 2 - 1);
        slots = new Object[capacity];
        hashes = new int[capacity];
        mask = capacity - 1;
    }

    int size()
    {
        return size;
    }

    @SuppressWarnings("unchecked")
    T get(final DirectBuffer buffer, final int offset, final int length, final int hash)
    {
        int index = hash & mask;
        while (true)
        {
            final Object slot = slots[index];
            if (slot == null)
            {
                return null;
            }
            // The slot reference is in the (dense) slots array; the entry itself is only read on a hash match.
            if (hashes[index] == hash && matches((T)slot, buffer, offset, length))
            {
                return (T)slot;
            }
            index = (index + 1) & mask;
        }
    }

    /**
     * @param hash the entry's key hash: kept here only (the table's hash array), entries need not store it.
     */
    void put(final T entry, final int hash)
    {
        if ((size + 1) * 3 > slots.length * 2)
        {
            resize(slots.length * 2);
        }
        insert(slots, hashes, mask, entry, hash);
        size++;
    }

    /**
     * Drops every entry the predicate selects (idle eviction); rebuilds the table, so call it rarely.
     *
     * @return number of entries removed.
     */
    @SuppressWarnings("unchecked")
    int removeIf(final Predicate<T> evict)
    {
        final Object[] old = slots;
        final int[] oldHashes = hashes;
        final Object[] fresh = new Object[old.length];
        final int[] freshHashes = new int[old.length];
        int kept = 0;
        for (int i = 0; i < old.length; i++)
        {
            final Object slot = old[i];
            if (slot != null && !evict.test((T)slot))
            {
                insert(fresh, freshHashes, mask, (T)slot, oldHashes[i]);
                kept++;
            }
        }
        final int removed = size - kept;
        slots = fresh;
        hashes = freshHashes;
        size = kept;
        return removed;
    }

    private void resize(final int capacity)
    {
        final Object[] old = slots;
        final int[] oldHashes = hashes;
        slots = new Object[capacity];
        hashes = new int[capacity];
        mask = capacity - 1;
        for (int i = 0; i < old.length; i++)
        {
            if (old[i] != null)
            {
                @SuppressWarnings("unchecked")
                final T entry = (T)old[i];
                insert(slots, hashes, mask, entry, oldHashes[i]);
            }
        }
    }

    private void insert(
        final Object[] target, final int[] targetHashes, final int targetMask, final T entry, final int hash)
    {
        int index = hash & targetMask;
        while (target[index] != null)
        {
            index = (index + 1) & targetMask;
        }
        target[index] = entry;
        targetHashes[index] = hash;
    }

    private boolean matches(final T entry, final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] prefix = keyOf.prefix(entry);
        if (prefix == null)
        {
            return keyOf.tailMatches(entry, buffer, offset, length);
        }
        return prefix.length <= length && sameBytes(prefix, prefix.length, buffer, offset)
            && keyOf.tailMatches(entry, buffer, offset + prefix.length, length - prefix.length);
    }

    /** @return whether the {@code length} bytes of {@code buffer} at {@code offset} are {@code key[0 .. length)}. */
    static boolean sameBytes(final byte[] key, final int length, final DirectBuffer buffer, final int offset)
    {
        final byte[] array = buffer.byteArray();
        if (array != null)
        {
            // Ring events keep their key in a heap array: Arrays.equals is the JDK's vectorised mismatch intrinsic.
            final int from = buffer.wrapAdjustment() + offset;
            return Arrays.equals(key, 0, length, array, from, from + length);
        }
        int i = 0;
        for (; i + 8 <= length; i += 8)
        {
            if (buffer.getLong(offset + i, java.nio.ByteOrder.LITTLE_ENDIAN) != getLongLE(key, i))
            {
                return false;
            }
        }
        for (; i < length; i++)
        {
            if (buffer.getByte(offset + i) != key[i])
            {
                return false;
            }
        }
        return true;
    }

    private static long getLongLE(final byte[] bytes, final int index)
    {
        return (bytes[index] & 0xFFL) |
            (bytes[index + 1] & 0xFFL) << 8 |
            (bytes[index + 2] & 0xFFL) << 16 |
            (bytes[index + 3] & 0xFFL) << 24 |
            (bytes[index + 4] & 0xFFL) << 32 |
            (bytes[index + 5] & 0xFFL) << 40 |
            (bytes[index + 6] & 0xFFL) << 48 |
            (bytes[index + 7] & 0xFFL) << 56;
    }
}
