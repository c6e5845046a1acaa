package mad.ingest.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class DatagramLinesTest
{
    private final DatagramLines lines = new DatagramLines();

    private List<String> split(final String text, final int pad)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        final byte[] padded = new byte[bytes.length + 2 * pad];
        java.util.Arrays.fill(padded, (byte)'\n');
        System.arraycopy(bytes, 0, padded, pad, bytes.length);
        final UnsafeBuffer buffer = new UnsafeBuffer(padded);
        final int count = lines.wrap(buffer, pad, bytes.length);
        final List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            out.add(buffer.getStringWithoutLengthUtf8(lines.offset(i), lines.length(i)));
        }
        assertThat(lines.count()).isEqualTo(count);
        return out;
    }

    @Test
    void shouldSplitOnNewlinesAndSkipEmptyLines()
    {
        assertThat(split("a:1|c\nbb:2|g\n\n\nccc:3|ms\n", 0)).containsExactly("a:1|c", "bb:2|g", "ccc:3|ms");
        assertThat(split("", 0)).isEmpty();
        assertThat(split("\n\n\n\n\n\n\n\n\n\n", 0)).isEmpty();
        assertThat(split("no-newline-and-longer-than-eight", 0)).containsExactly("no-newline-and-longer-than-eight");
        assertThat(split("x\r\ny", 3)).containsExactly("x\r", "y");
    }

    @Test
    void shouldMatchAPlainSplitOnRandomDatagramsAtAnyOffset()
    {
        final Random random = new Random(42);
        final String alphabet = "ab:|#,\n\u00e9\n";
        for (int round = 0; round < 2000; round++)
        {
            final StringBuilder text = new StringBuilder();
            final int length = random.nextInt(70);
            for (int i = 0; i < length; i++)
            {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            final List<String> expected = new ArrayList<>();
            for (final String part : text.toString().split("\n", -1))
            {
                if (!part.isEmpty())
                {
                    expected.add(part);
                }
            }
            assertThat(split(text.toString(), random.nextInt(9))).as(text.toString()).isEqualTo(expected);
        }
    }

    @Test
    void shouldGrowBeyondSixtyFourLines()
    {
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < 200; i++)
        {
            text.append("m").append(i).append(":1|c\n");
        }
        final List<String> out = split(text.toString(), 1);
        assertThat(out).hasSize(200);
        assertThat(out.get(199)).isEqualTo("m199:1|c");
    }
}
