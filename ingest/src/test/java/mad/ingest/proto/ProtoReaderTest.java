package mad.ingest.proto;

import static org.assertj.core.api.Assertions.assertThat;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class ProtoReaderTest
{
    private final ProtoReader reader = new ProtoReader();

    private ProtoReader wrap(final int... bytes)
    {
        final byte[] data = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++)
        {
            data[i] = (byte)bytes[i];
        }
        return reader.wrap(new UnsafeBuffer(data), 0, data.length);
    }

    @Test
    void shouldReadVarints()
    {
        assertThat(wrap(0x01).readVarint()).isEqualTo(1);
        assertThat(wrap(0xAC, 0x02).readVarint()).isEqualTo(300);
        assertThat(wrap(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01).readVarint()).isEqualTo(-1L);
        assertThat(reader.isMalformed()).isFalse();
        assertThat(reader.hasRemaining()).isFalse();
    }

    @Test
    void shouldFlagOverlongAndTruncatedVarints()
    {
        wrap(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01).readVarint();
        assertThat(reader.isMalformed()).isTrue();
        wrap(0x80, 0x80).readVarint();
        assertThat(reader.isMalformed()).isTrue();
        assertThat(reader.hasRemaining()).isFalse();
    }

    @Test
    void shouldReadTagsAndRejectFieldZero()
    {
        assertThat(wrap(0x0A).readTag()).isEqualTo(1 << 3 | ProtoReader.WIRE_LENGTH_DELIMITED);
        assertThat(ProtoReader.fieldNumber(0x0A)).isEqualTo(1);
        assertThat(ProtoReader.wireType(0x0A)).isEqualTo(2);
        assertThat(wrap(0x02).readTag()).isZero();
        assertThat(reader.isMalformed()).isTrue();
        assertThat(wrap().readTag()).isZero();
        assertThat(reader.isMalformed()).isFalse();
    }

    @Test
    void shouldCheckLengthsAgainstTheLimit()
    {
        final ProtoReader r = wrap(0x0A, 0x03, 'a', 'b', 'c', 0x12, 0x05, 'x');
        assertThat(r.readTag()).isEqualTo(0x0A);
        assertThat(r.readBytesView()).isTrue();
        assertThat(r.lastOffset()).isEqualTo(2);
        assertThat(r.lastLength()).isEqualTo(3);
        assertThat(r.readTag()).isEqualTo(0x12);
        assertThat(r.readBytesView()).isFalse();
        assertThat(r.isMalformed()).isTrue();
    }

    @Test
    void shouldNarrowAndRestoreLimits()
    {
        // field 1 = message {field 1 = varint 7}, field 2 = varint 9
        final ProtoReader r = wrap(0x0A, 0x02, 0x08, 0x07, 0x10, 0x09);
        assertThat(r.readTag()).isEqualTo(0x0A);
        final int outer = r.pushLimit(r.readLength());
        assertThat(r.readTag()).isEqualTo(0x08);
        assertThat(r.readVarint()).isEqualTo(7);
        assertThat(r.hasRemaining()).isFalse();
        r.popLimit(outer);
        assertThat(r.readTag()).isEqualTo(0x10);
        assertThat(r.readVarint()).isEqualTo(9);
        assertThat(r.isMalformed()).isFalse();
    }

    @Test
    void shouldReadFixedWidthValuesLittleEndian()
    {
        final ProtoReader r = wrap(0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0x01, 0x00, 0x00, 0x00);
        assertThat(r.readDouble()).isEqualTo(1.0);
        assertThat(r.readFixed32()).isEqualTo(1);
        assertThat(wrap(1, 2, 3).readFixed64()).isZero();
        assertThat(reader.isMalformed()).isTrue();
    }

    @Test
    void shouldSkipFieldsAndRejectGroups()
    {
        final ProtoReader r = wrap(0x08, 0x96, 0x01, 0x11, 1, 2, 3, 4, 5, 6, 7, 8, 0x1A, 0x01, 0x00, 0x25, 1, 2, 3, 4);
        for (int i = 0; i < 4; i++)
        {
            r.skipField(r.readTag());
        }
        assertThat(r.hasRemaining()).isFalse();
        assertThat(r.isMalformed()).isFalse();
        final ProtoReader group = wrap(0x0B, 0x0C);
        group.skipField(group.readTag());
        assertThat(group.isMalformed()).isTrue();
    }
}
