package mad.emit.cagg;

/**
 * Protobuf wire-format primitives over a byte array (tags, varints, fixed64 doubles, UTF-8 strings), written by hand
 * so that encoding a record allocates nothing ({@code CodedOutputStream.newInstance} allocates an encoder per call).
 * Strings are encoded as {@code String.getBytes(UTF_8)} does, an unpaired surrogate becoming {@code ?}, which is
 * what protobuf falls back to for such strings.
 *
 * <p>Thread ownership: stateless static helpers; the arrays belong to the caller.
 */
final class ProtoBytes
{
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED64 = 1;
    static final int VARINT = 0;

    private ProtoBytes()
    {
    }

    static int varint32Size(final int value)
    {
        if ((value & (~0 << 7)) == 0)
        {
            return 1;
        }
        if ((value & (~0 << 14)) == 0)
        {
            return 2;
        }
        if ((value & (~0 << 21)) == 0)
        {
            return 3;
        }
        if ((value & (~0 << 28)) == 0)
        {
            return 4;
        }
        return 5;
    }

    static int varint64Size(final long value)
    {
        int size = 1;
        long rest = value >>> 7;
        while (rest != 0)
        {
            size++;
            rest >>>= 7;
        }
        return size;
    }

    static int tagSize(final int field)
    {
        return varint32Size(field << 3);
    }

    /** Size of a length-delimited field holding {@code size} bytes. */
    static int nestedSize(final int field, final int size)
    {
        return tagSize(field) + varint32Size(size) + size;
    }

    /** Size of a proto3 string field: 0 when empty. */
    static int stringSize(final int field, final CharSequence value)
    {
        final int length = utf8Length(value);
        return length == 0 ? 0 : nestedSize(field, length);
    }

    /** Size of a proto3 double field: 0 for +0.0 (the generated code compares raw bits, so -0.0 is written). */
    static int doubleSize(final int field, final double value)
    {
        return Double.doubleToRawLongBits(value) == 0 ? 0 : tagSize(field) + 8;
    }

    static int utf8Length(final CharSequence value)
    {
        final int length = value.length();
        int bytes = length;
        for (int i = 0; i < length; i++)
        {
            final char c = value.charAt(i);
            if (c < 0x80)
            {
                continue;
            }
            if (c < 0x800)
            {
                bytes++;
            }
            else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1)))
            {
                // 2 chars, 4 bytes
                bytes += 2;
                i++;
            }
            else if (!Character.isSurrogate(c))
            {
                bytes += 2;
            }
        }
        return bytes;
    }

    static int writeTag(final byte[] out, final int at, final int field, final int wireType)
    {
        return writeVarint32(out, at, (field << 3) | wireType);
    }

    static int writeVarint32(final byte[] out, final int at, final int value)
    {
        int position = at;
        int rest = value;
        while ((rest & ~0x7F) != 0)
        {
            out[position++] = (byte)((rest & 0x7F) | 0x80);
            rest >>>= 7;
        }
        out[position++] = (byte)rest;
        return position;
    }

    static int writeVarint64(final byte[] out, final int at, final long value)
    {
        int position = at;
        long rest = value;
        while ((rest & ~0x7FL) != 0)
        {
            out[position++] = (byte)((rest & 0x7F) | 0x80);
            rest >>>= 7;
        }
        out[position++] = (byte)rest;
        return position;
    }

    /** A proto3 string field; nothing when empty. */
    static int writeString(final byte[] out, final int at, final int field, final CharSequence value)
    {
        final int length = utf8Length(value);
        if (length == 0)
        {
            return at;
        }
        int position = writeTag(out, at, field, LENGTH_DELIMITED);
        position = writeVarint32(out, position, length);
        return writeUtf8(out, position, value);
    }

    /** A string field that is always written (map entries), even when empty. */
    static int writeStringAlways(final byte[] out, final int at, final int field, final CharSequence value)
    {
        int position = writeTag(out, at, field, LENGTH_DELIMITED);
        position = writeVarint32(out, position, utf8Length(value));
        return writeUtf8(out, position, value);
    }

    /** A proto3 double field; nothing for +0.0. */
    static int writeDouble(final byte[] out, final int at, final int field, final double value)
    {
        final long bits = Double.doubleToRawLongBits(value);
        if (bits == 0)
        {
            return at;
        }
        final int position = writeTag(out, at, field, FIXED64);
        for (int i = 0; i < 8; i++)
        {
            out[position + i] = (byte)(bits >>> (8 * i));
        }
        return position + 8;
    }

    static int writeInt32BigEndian(final byte[] out, final int at, final int value)
    {
        out[at] = (byte)(value >>> 24);
        out[at + 1] = (byte)(value >>> 16);
        out[at + 2] = (byte)(value >>> 8);
        out[at + 3] = (byte)value;
        return at + 4;
    }

    private static int writeUtf8(final byte[] out, final int at, final CharSequence value)
    {
        int position = at;
        final int length = value.length();
        for (int i = 0; i < length; i++)
        {
            final char c = value.charAt(i);
            if (c < 0x80)
            {
                out[position++] = (byte)c;
            }
            else if (c < 0x800)
            {
                out[position++] = (byte)(0xC0 | (c >> 6));
                out[position++] = (byte)(0x80 | (c & 0x3F));
            }
            else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1)))
            {
                final int cp = Character.toCodePoint(c, value.charAt(++i));
                out[position++] = (byte)(0xF0 | (cp >> 18));
                out[position++] = (byte)(0x80 | ((cp >> 12) & 0x3F));
                out[position++] = (byte)(0x80 | ((cp >> 6) & 0x3F));
                out[position++] = (byte)(0x80 | (cp & 0x3F));
            }
            else if (Character.isSurrogate(c))
            {
                out[position++] = (byte)'?';
            }
            else
            {
                out[position++] = (byte)(0xE0 | (c >> 12));
                out[position++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                out[position++] = (byte)(0x80 | (c & 0x3F));
            }
        }
        return position;
    }
}
