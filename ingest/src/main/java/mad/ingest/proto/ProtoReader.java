package mad.ingest.proto;

import org.agrona.DirectBuffer;

/**
 * A minimal protobuf wire-format reader over a {@link DirectBuffer}: tags, varints, fixed64 and length-delimited
 * fields, with nested messages read by narrowing the limit. Strings and bytes are never materialised: callers get
 * the offset and length of the field inside the buffer and hand that view on.
 *
 * <p>Every read checks bounds and reports malformed input through {@link #isMalformed()} instead of throwing, so a
 * decoder can walk a request once to validate it and once to publish it without allocating.
 *
 * <p>Thread ownership: one instance per decoding thread; reusable through {@link #wrap(DirectBuffer, int, int)}.
 */
public final class ProtoReader
{
    public static final int WIRE_VARINT = 0;
    public static final int WIRE_FIXED64 = 1;
    public static final int WIRE_LENGTH_DELIMITED = 2;
    public static final int WIRE_START_GROUP = 3;
    public static final int WIRE_END_GROUP = 4;
    public static final int WIRE_FIXED32 = 5;

    private DirectBuffer buffer;
    private int position;
    private int limit;
    private boolean malformed;
    private int lastLengthOffset;
    private int lastLength;

    /**
     * @param source the bytes.
     * @param offset first byte of the message.
     * @param length message length.
     * @return this reader.
     */
    public ProtoReader wrap(final DirectBuffer source, final int offset, final int length)
    {
        buffer = source;
        position = offset;
        limit = offset + length;
        malformed = false;
        return this;
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    public int position()
    {
        return position;
    }

    public int limit()
    {
        return limit;
    }

    /**
     * Narrows the reader to a nested message and returns the previous limit, to restore with {@link #popLimit(int)}.
     *
     * @param length the nested message's length (as read by {@link #readLength()}).
     * @return the outer limit.
     */
    public int pushLimit(final int length)
    {
        final int outer = limit;
        limit = position + length;
        return outer;
    }

    /**
     * Restores the outer limit after a nested message; the position moves to the nested message's end.
     *
     * @param outerLimit the value {@link #pushLimit(int)} returned.
     */
    public void popLimit(final int outerLimit)
    {
        position = limit;
        limit = outerLimit;
    }

    /**
     * @return true while unread bytes remain inside the current limit and nothing was malformed.
     */
    public boolean hasRemaining()
    {
        return !malformed && position < limit;
    }

    /**
     * @return true once any read ran past its limit or met an invalid encoding.
     */
    public boolean isMalformed()
    {
        return malformed;
    }

    /**
     * @return the next tag (field number << 3 | wire type), or 0 when malformed or at the limit.
     */
    public int readTag()
    {
        if (!hasRemaining())
        {
            return 0;
        }
        final long tag = readVarint();
        if (malformed || tag <= 0 || tag > 0xFFFFFFFFL || (tag >>> 3) == 0)
        {
            malformed = true;
            return 0;
        }
        return (int)tag;
    }

    /**
     * @return a base-128 varint (up to 10 bytes).
     */
    public long readVarint()
    {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (position >= limit)
            {
                malformed = true;
                return 0;
            }
            final byte b = buffer.getByte(position++);
            result |= (long)(b & 0x7F) << shift;
            if (b >= 0)
            {
                return result;
            }
        }
        malformed = true;
        return 0;
    }

    /**
     * @return a little-endian 64-bit value (fixed64, sfixed64, double bits).
     */
    public long readFixed64()
    {
        if (limit - position < 8)
        {
            malformed = true;
            position = limit;
            return 0;
        }
        final long value = buffer.getLong(position, java.nio.ByteOrder.LITTLE_ENDIAN);
        position += 8;
        return value;
    }

    /**
     * @return a double field.
     */
    public double readDouble()
    {
        return Double.longBitsToDouble(readFixed64());
    }

    /**
     * @return a little-endian 32-bit value.
     */
    public int readFixed32()
    {
        if (limit - position < 4)
        {
            malformed = true;
            position = limit;
            return 0;
        }
        final int value = buffer.getInt(position, java.nio.ByteOrder.LITTLE_ENDIAN);
        position += 4;
        return value;
    }

    /**
     * Reads the length prefix of a length-delimited field and checks it fits.
     *
     * @return the length, or -1 when malformed.
     */
    public int readLength()
    {
        final long length = readVarint();
        if (malformed || length < 0 || length > limit - position)
        {
            malformed = true;
            position = limit;
            return -1;
        }
        return (int)length;
    }

    /**
     * Reads a length-delimited field (string, bytes) as a view: see {@link #lastOffset()} and {@link #lastLength()}.
     *
     * @return false when malformed.
     */
    public boolean readBytesView()
    {
        final int length = readLength();
        if (length < 0)
        {
            return false;
        }
        lastLengthOffset = position;
        lastLength = length;
        position += length;
        return true;
    }

    /**
     * @return offset of the field read by {@link #readBytesView()}.
     */
    public int lastOffset()
    {
        return lastLengthOffset;
    }

    /**
     * @return length of the field read by {@link #readBytesView()}.
     */
    public int lastLength()
    {
        return lastLength;
    }

    /**
     * Skips a field of the given wire type.
     *
     * @param tag the tag just read.
     */
    public void skipField(final int tag)
    {
        switch (tag & 7)
        {
            case WIRE_VARINT:
                readVarint();
                break;
            case WIRE_FIXED64:
                readFixed64();
                break;
            case WIRE_LENGTH_DELIMITED:
                final int length = readLength();
                if (length >= 0)
                {
                    position += length;
                }
                break;
            case WIRE_FIXED32:
                readFixed32();
                break;
            default:
                // groups are deprecated and absent from every protocol MAD speaks
                malformed = true;
                position = limit;
        }
    }

    /**
     * @param tag a tag.
     * @return its field number.
     */
    public static int fieldNumber(final int tag)
    {
        return tag >>> 3;
    }

    /**
     * @param tag a tag.
     * @return its wire type.
     */
    public static int wireType(final int tag)
    {
        return tag & 7;
    }
}
