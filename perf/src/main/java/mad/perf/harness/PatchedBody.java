package mad.perf.harness;

import java.util.ArrayList;
import java.util.List;

/**
 * A pre-encoded request body whose send time (and, optionally, record ids) is patched in place before each send,
 * so that a closed-loop HTTP sender costs one array write per stamp instead of building and serialising the
 * protobuf per request (at 10 M samples/s that build was most of the generator's CPU). The template is encoded once
 * with a sentinel time {@link #SENTINEL_MS}; every occurrence of its 6-byte varint is a stamp site and becomes the
 * varint of the send time, which has the same length for any epoch-millisecond time in [2^35, 2^42) (1971 to 2109),
 * so the body's length prefixes stay valid. Ids are 16-byte fields encoded as {@link #idMarker} and rewritten as
 * two big-endian longs. The construction checks that exactly the expected number of sites was found, so a
 * sentinel colliding with other payload bytes fails loudly instead of corrupting the workload.
 * Owned by one sender thread (each thread patches its own copy).
 */
final class PatchedBody
{
    /** 2025-11-14T22:13:20.123Z: 41 bits, a 6-byte varint. */
    static final long SENTINEL_MS = 1_763_158_400_123L;
    private static final int VARINT_BYTES = 6;
    private static final long MIN_MS = 1L << 35;
    private static final long MAX_MS = 1L << 42;
    private static final int ID_BYTES = 16;

    private final byte[] _body;
    private final int[] _stamps;
    private final int[] _ids;

    /**
     * @param body     the encoded request (copied)
     * @param stamps   how many stamp sites it must contain
     * @param ids      how many id sites it must contain (0: none)
     */
    PatchedBody(final byte[] body, final int stamps, final int ids)
    {
        _body = body.clone();
        _stamps = find(_body, varint(SENTINEL_MS), stamps, "time stamp");
        _ids = ids == 0 ? new int[0] : find(_body, idMarker(), ids, "id");
    }

    /** The 16 bytes a template's ids must be encoded as. */
    static byte[] idMarker()
    {
        final byte[] m = new byte[ID_BYTES];
        for (int i = 0; i < ID_BYTES; i++)
        {
            m[i] = (byte) (0xA5 ^ (i * 0x3B));
        }
        return m;
    }

    /** The body, valid until the next {@link #stamp} / {@link #id}. */
    byte[] bytes()
    {
        return _body;
    }

    /** Writes {@code epochMs} into every stamp site. */
    void stamp(final long epochMs)
    {
        if (epochMs < MIN_MS || epochMs >= MAX_MS)
        {
            throw new IllegalArgumentException("time " + epochMs + " does not encode as a 6-byte varint");
        }
        for (final int at : _stamps)
        {
            long v = epochMs;
            for (int i = 0; i < VARINT_BYTES - 1; i++)
            {
                _body[at + i] = (byte) ((v & 0x7f) | 0x80);
                v >>>= 7;
            }
            _body[at + VARINT_BYTES - 1] = (byte) v;
        }
    }

    /** Writes the id of site {@code index} (in body order) as {@code high} then {@code low}, big endian. */
    void id(final int index, final long high, final long low)
    {
        final int at = _ids[index];
        for (int i = 0; i < 8; i++)
        {
            _body[at + i] = (byte) (high >>> (56 - 8 * i));
            _body[at + 8 + i] = (byte) (low >>> (56 - 8 * i));
        }
    }

    static byte[] varint(final long value)
    {
        final byte[] out = new byte[VARINT_BYTES];
        long v = value;
        for (int i = 0; i < VARINT_BYTES; i++)
        {
            out[i] = (byte) (i == VARINT_BYTES - 1 ? v : (v & 0x7f) | 0x80);
            v >>>= 7;
        }
        if (v != 0)
        {
            throw new IllegalArgumentException(value + " needs more than " + VARINT_BYTES + " varint bytes");
        }
        return out;
    }

    private static int[] find(final byte[] body, final byte[] pattern, final int expected, final String what)
    {
        final List<Integer> at = new ArrayList<>();
        for (int i = 0; i + pattern.length <= body.length; i++)
        {
            int j = 0;
            while (j < pattern.length && body[i + j] == pattern[j])
            {
                j++;
            }
            if (j == pattern.length)
            {
                at.add(i);
                i += pattern.length - 1;
            }
        }
        if (at.size() != expected)
        {
            throw new IllegalStateException("template has " + at.size() + " " + what + " sites, expected " + expected);
        }
        return at.stream().mapToInt(Integer::intValue).toArray();
    }
}
