package mad.ingest.decode;

import org.agrona.DirectBuffer;

/**
 * Strict UTF-8 validation of a byte range, with protobuf-java's rules (which MAD's parsers apply to every proto3
 * {@code string} field): no overlong forms, no surrogates, nothing above U+10FFFF, no truncated sequences.
 *
 * <p>Thread safety: stateless.
 */
public final class Utf8
{
    private static final long HIGH_BITS = 0x8080808080808080L;

    private Utf8()
    {
    }

    /**
     * @param buffer the bytes.
     * @param offset first byte.
     * @param length number of bytes.
     * @return true when the range is well-formed UTF-8.
     */
    public static boolean isValid(final DirectBuffer buffer, final int offset, final int length)
    {
        final int end = offset + length;
        int i = offset;
        // ASCII fast path: eight bytes at a time while no byte has its high bit set.
        while (i + 8 <= end && (buffer.getLong(i) & HIGH_BITS) == 0)
        {
            i += 8;
        }
        while (i < end)
        {
            final int b0 = buffer.getByte(i) & 0xFF;
            if (b0 < 0x80)
            {
                i++;
            }
            else if (b0 < 0xC2)
            {
                // a continuation byte first, or an overlong two-byte form
                return false;
            }
            else if (b0 < 0xE0)
            {
                if (i + 1 >= end || !continuation(buffer.getByte(i + 1)))
                {
                    return false;
                }
                i += 2;
            }
            else if (b0 < 0xF0)
            {
                if (i + 2 >= end)
                {
                    return false;
                }
                final int b1 = buffer.getByte(i + 1) & 0xFF;
                if (!continuation((byte)b1) || !continuation(buffer.getByte(i + 2))
                    || b0 == 0xE0 && b1 < 0xA0      // overlong
                    || b0 == 0xED && b1 >= 0xA0)    // UTF-16 surrogate
                {
                    return false;
                }
                i += 3;
            }
            else if (b0 < 0xF5)
            {
                if (i + 3 >= end)
                {
                    return false;
                }
                final int b1 = buffer.getByte(i + 1) & 0xFF;
                if (!continuation((byte)b1) || !continuation(buffer.getByte(i + 2))
                    || !continuation(buffer.getByte(i + 3))
                    || b0 == 0xF0 && b1 < 0x90      // overlong
                    || b0 == 0xF4 && b1 >= 0x90)    // above U+10FFFF
                {
                    return false;
                }
                i += 4;
            }
            else
            {
                return false;
            }
        }
        return true;
    }

    private static boolean continuation(final byte b)
    {
        return (b & 0xC0) == 0x80;
    }
}
