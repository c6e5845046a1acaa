package mad.ingest.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class SnappyBlockDecoderTest
{
    private final SnappyBlockDecoder decoder = new SnappyBlockDecoder(4, 1 << 20);

    @Test
    void shouldExpandOverlappingCopy()
    {
        // length 11; literal "a"; copy-1 of length 10 at offset 1 (tag: len-4=6 -> 6<<2 | 1, offset low byte 1)
        assertThat(decode(11, 0x00, 'a', (6 << 2) | 1, 1)).isEqualTo("aaaaaaaaaaa");
    }

    @Test
    void shouldDecodeCopy2AndLongLiteral()
    {
        final int[] stream = new int[2 + 61 + 3];
        stream[0] = 60 << 2; // literal, length in one extra byte
        stream[1] = 60;      // length - 1 = 60 -> 61 bytes
        for (int i = 0; i < 61; i++)
        {
            stream[2 + i] = 'a' + (i % 26);
        }
        stream[63] = (9 << 2) | 2; // copy-2, length 10
        stream[64] = 61;           // offset 61 (LE)
        stream[65] = 0;
        final int[] full = new int[stream.length + 1];
        full[0] = 71;
        System.arraycopy(stream, 0, full, 1, stream.length);
        final String out = decodeRaw(full);
        assertThat(out).hasSize(71).endsWith("abcdefghij");
    }

    @Test
    void shouldRejectBadOffsetsAndLengths()
    {
        assertThat(decodeRaw(new int[] {11, 0x00, 'a', (6 << 2) | 1, 0})).isNull();    // offset 0
        assertThat(decodeRaw(new int[] {11, 0x00, 'a', (6 << 2) | 1, 2})).isNull();    // offset past output
        assertThat(decodeRaw(new int[] {2, 0x00, 'a'})).isNull();                      // output too short
        assertThat(decodeRaw(new int[] {1, 0x04, 'a', 'b'})).isNull();                 // output too long
        assertThat(decodeRaw(new int[] {3, 0x08, 'a'})).isNull();                      // literal truncated
        assertThat(decodeRaw(new int[] {0x80})).isNull();                              // preamble truncated
        assertThat(decodeRaw(new int[] {0xFF, 0xFF, 0xFF, 0xFF, 0x7F})).isNull();      // absurd length
        assertThat(decodeRaw(new int[] {0})).isEmpty();
    }

    @Test
    void shouldPresentASingleLiteralBlockInPlace()
    {
        final byte[] in = {9, 9, 3, 0x08, 'a', 'b', 'c', 9};
        final UnsafeBuffer source = new UnsafeBuffer(in);
        assertThat(decoder.decode(source, 2, 5)).isEqualTo(3);
        final byte[] out = new byte[3];
        decoder.output().getBytes(0, out);
        assertThat(new String(out, StandardCharsets.US_ASCII)).isEqualTo("abc");
        assertThat(decoder.output().addressOffset()).isEqualTo(source.addressOffset() + 4);

        // 4-byte literal length (tag 63), as the harness and incompressible data send it.
        final int[] long4 = new int[1 + 5 + 70];
        long4[0] = 70;
        long4[1] = 63 << 2;
        long4[2] = 69;
        for (int i = 0; i < 70; i++)
        {
            long4[6 + i] = 'a' + (i % 26);
        }
        assertThat(decodeRaw(long4)).hasSize(70).startsWith("abcdefghijklmnopqrstuvwxyzab");
    }

    @Test
    void shouldStillRejectSingleLiteralOfTheWrongLength()
    {
        assertThat(decodeRaw(new int[] {4, 0x08, 'a', 'b', 'c'})).isNull();            // literal shorter than output
        assertThat(decodeRaw(new int[] {3, 0x08, 'a', 'b', 'c', 'd'})).isNull();       // bytes after the literal
        assertThat(decodeRaw(new int[] {3, 0xF0, 2, 0, 0})).isNull();                 // long literal truncated
        assertThat(decodeRaw(new int[] {2, 0x04, 'a', 'b', 0x00, 'c'})).isNull();     // second literal too long
    }

    private String decode(final int length, final int... tags)
    {
        final int[] full = new int[tags.length + 1];
        full[0] = length;
        System.arraycopy(tags, 0, full, 1, tags.length);
        return decodeRaw(full);
    }

    private String decodeRaw(final int... bytes)
    {
        final byte[] in = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++)
        {
            in[i] = (byte)bytes[i];
        }
        final int length = decoder.decode(new UnsafeBuffer(in), 0, in.length);
        if (length < 0)
        {
            return null;
        }
        final byte[] out = new byte[length];
        decoder.output().getBytes(0, out);
        return new String(out, StandardCharsets.US_ASCII);
    }
}
