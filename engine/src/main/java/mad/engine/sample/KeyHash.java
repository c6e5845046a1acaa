package mad.engine.sample;

import org.agrona.DirectBuffer;

/**
 * Hash of key bytes, used to route a sample to its shard and to find its series in the shard's table.
 *
 * <h2>Why this mixing</h2>
 * Keys are short UTF-8 strings that often share long prefixes ({@code host}, {@code service}, ...). Reading 8 bytes at
 * a time and multiplying by a large odd constant spreads every input bit over the high bits of the product; rotating
 * by 31 brings those high bits down before the next word is folded in, so prefixes do not cancel. The final
 * avalanche (the murmur3 fmix64 finaliser) makes the low bits, which the power-of-two masks use, depend on every input
 * bit. Quality matters more than speed here only up to a point: keys are hashed once per event on the ingest thread.
 */
public final class KeyHash
{
    private static final long PRIME = 0x9E3779B97F4A7C15L;

    private KeyHash()
    {
    }

    /**
     * @param buffer bytes to hash.
     * @param offset first byte.
     * @param length number of bytes.
     * @param seed mixed in first (e.g. the metric type).
     * @return a well-mixed 32-bit hash.
     */
    public static int hash(final DirectBuffer buffer, final int offset, final int length, final long seed)
    {
        long h = seed * PRIME + length;
        int i = 0;
        for (; i + 8 <= length; i += 8)
        {
            h = Long.rotateLeft(h ^ (buffer.getLong(offset + i) * PRIME), 31) * PRIME;
        }
        long tail = 0;
        for (int shift = 0; i < length; i++, shift += 8)
        {
            tail |= (buffer.getByte(offset + i) & 0xFFL) << shift;
        }
        h = Long.rotateLeft(h ^ (tail * PRIME), 31) * PRIME;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return (int)h;
    }
}
