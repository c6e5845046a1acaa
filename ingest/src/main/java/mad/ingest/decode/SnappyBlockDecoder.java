package mad.ingest.decode;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Decodes the snappy <em>block</em> (raw) format, as snappy-java's {@code Snappy.uncompress(byte[])} does for MAD's
 * Prometheus source, into a reusable output array. Written by hand because Netty's {@code Snappy} works on
 * {@code ByteBuf}s, waits silently for more input on a truncated stream and reports errors by throwing; this one
 * reads straight from the request's {@link DirectBuffer}, allocates nothing once its output array has grown, and
 * answers a failure as {@code -1}.
 *
 * <p>Format: a varint preamble with the uncompressed length, then tags. The low two bits of a tag select a literal
 * (length in the tag, or in 1-4 following bytes when the tag says 60-63) or a copy of earlier output (copy-1: 3-bit
 * length + 11-bit offset, copy-2: 6-bit length + 16-bit offset, copy-4: 6-bit length + 32-bit offset). The stream is
 * valid only if every tag is complete, every copy offset is in 1..(bytes produced so far), nothing is written past the
 * announced length, and the output ends at exactly that length (the same checks as the C++ decoder snappy-java
 * wraps).
 *
 * <p>Thread ownership: one instance per decoding thread.
 */
public final class SnappyBlockDecoder
{
    /**
     * No valid stream expands by more than about 21x (a 3-byte copy-2 tag yields at most 64 bytes), so an announced
     * length beyond this ratio cannot decode successfully: reject it before growing the output array.
     */
    private static final int MAX_RATIO = 32;

    private final int maxUncompressedBytes;
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    private byte[] output;
    private int length;

    /**
     * @param initialCapacity first size of the output array.
     * @param maxUncompressedBytes largest uncompressed body accepted.
     */
    public SnappyBlockDecoder(final int initialCapacity, final int maxUncompressedBytes)
    {
        this.output = new byte[initialCapacity];
        this.maxUncompressedBytes = maxUncompressedBytes;
    }

    /**
     * Decompresses one block.
     *
     * @param source the compressed bytes.
     * @param offset first byte.
     * @param sourceLength number of bytes.
     * @return the uncompressed length, or -1 when the input is not a valid snappy block.
     */
    public int decode(final DirectBuffer source, final int offset, final int sourceLength)
    {
        length = 0;
        final int end = offset + sourceLength;
        int in = offset;
        long expected = 0;
        int shift = 0;
        while (true)
        {
            if (in >= end || shift > 28)
            {
                return -1;
            }
            final int b = source.getByte(in++) & 0xFF;
            expected |= (long)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                break;
            }
            shift += 7;
        }
        if (expected > maxUncompressedBytes || expected > (long)sourceLength * MAX_RATIO + MAX_RATIO)
        {
            return -1;
        }
        final int total = (int)expected;
        if (isSingleLiteral(source, in, end, total))
        {
            // The whole block is one literal (what encoders emit for incompressible data): the output is that slice
            // of the input, so present it in place instead of copying it.
            length = total;
            view.wrap(source, end - total, total);
            return total;
        }
        if (output.length < total)
        {
            output = new byte[Math.max(total, Math.min(maxUncompressedBytes, output.length * 2))];
        }
        final byte[] out = output;
        int op = 0;
        while (in < end)
        {
            final int tag = source.getByte(in++) & 0xFF;
            final int kind = tag & 3;
            if (kind == 0)
            {
                int literal = tag >>> 2;
                if (literal >= 60)
                {
                    final int extra = literal - 59;
                    if (end - in < extra)
                    {
                        return -1;
                    }
                    long value = 0;
                    for (int i = 0; i < extra; i++)
                    {
                        value |= (long)(source.getByte(in + i) & 0xFF) << (8 * i);
                    }
                    in += extra;
                    if (value + 1 > total - op)
                    {
                        return -1;
                    }
                    literal = (int)value;
                }
                literal += 1;
                if (literal > end - in || literal > total - op)
                {
                    return -1;
                }
                source.getBytes(in, out, op, literal);
                in += literal;
                op += literal;
                continue;
            }
            final int copyLength;
            final long copyOffset;
            if (kind == 1)
            {
                if (in >= end)
                {
                    return -1;
                }
                copyLength = 4 + ((tag >>> 2) & 7);
                copyOffset = ((tag >>> 5) << 8) | (source.getByte(in++) & 0xFF);
            }
            else if (kind == 2)
            {
                if (end - in < 2)
                {
                    return -1;
                }
                copyLength = (tag >>> 2) + 1;
                copyOffset = (source.getByte(in) & 0xFF) | ((source.getByte(in + 1) & 0xFF) << 8);
                in += 2;
            }
            else
            {
                if (end - in < 4)
                {
                    return -1;
                }
                copyLength = (tag >>> 2) + 1;
                copyOffset = (source.getByte(in) & 0xFFL)
                    | ((source.getByte(in + 1) & 0xFFL) << 8)
                    | ((source.getByte(in + 2) & 0xFFL) << 16)
                    | ((source.getByte(in + 3) & 0xFFL) << 24);
                in += 4;
            }
            if (copyOffset == 0 || copyOffset > op || copyLength > total - op)
            {
                return -1;
            }
            final int from = op - (int)copyOffset;
            if (copyOffset >= copyLength)
            {
                System.arraycopy(out, from, out, op, copyLength);
            }
            else
            {
                // Overlapping copy repeats the last copyOffset bytes (run-length style): must go byte by byte.
                for (int i = 0; i < copyLength; i++)
                {
                    out[op + i] = out[from + i];
                }
            }
            op += copyLength;
        }
        if (op != total)
        {
            return -1;
        }
        length = total;
        view.wrap(out, 0, Math.max(total, 0));
        return total;
    }

    /**
     * True when the tags from {@code in} are exactly one literal of {@code total} bytes that ends at {@code end}:
     * tag 0-59 with the length in the tag, or 60-63 with the length - 1 in 1-4 little-endian bytes.
     */
    private static boolean isSingleLiteral(final DirectBuffer source, final int in, final int end, final int total)
    {
        if (total == 0 || in >= end)
        {
            return false;
        }
        final int tag = source.getByte(in) & 0xFF;
        if ((tag & 3) != 0)
        {
            return false;
        }
        final int small = tag >>> 2;
        final int extra = small < 60 ? 0 : small - 59;
        if (end - in - 1 < extra)
        {
            return false;
        }
        long literal = small;
        if (extra > 0)
        {
            literal = 0;
            for (int i = 0; i < extra; i++)
            {
                literal |= (long)(source.getByte(in + 1 + i) & 0xFF) << (8 * i);
            }
        }
        return literal + 1 == total && end - (in + 1 + extra) == total;
    }

    /**
     * @return a view of the last successful output: valid until the next call, and (when the block was a single
     *         literal, presented in place) only while the source bytes are.
     */
    public DirectBuffer output()
    {
        return view;
    }

    /**
     * @return length of the last successful output.
     */
    public int length()
    {
        return length;
    }
}
