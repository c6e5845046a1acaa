package mad.ingest.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The scanner-based {@link TelegrafJsonDecoder} against the Jackson-based reference it replaced: same result code
 * and the same writer calls (bytes and value bits) on generated, edge-case and mutated lines.
 */
class TelegrafJsonDifferentialTest
{
    private final TelegrafJsonDecoder decoder = new TelegrafJsonDecoder(TelegrafJsonDecoder.TimestampUnit.SECONDS);
    private final JacksonTelegrafJsonDecoder reference =
        new JacksonTelegrafJsonDecoder(JacksonTelegrafJsonDecoder.TimestampUnit.SECONDS);

    @Test
    void shouldMatchTheJacksonDecoderOnEdgeCases()
    {
        final String good = "{\"fields\":{\"usage_user\":0.5,\"n\":3},\"name\":\"cpu\",\"tags\":{\"host\":\"h-1\","
            + "\"cpu\":\"cpu0\"},\"timestamp\":1795586897}";
        final String[] lines = {
            good, "\uFEFF" + good, good + "garbage", good + "}", good + "{", " " + good + " ", "", "[]", "{}", "null",
            "{\"metrics\":[" + good + "," + good + "]}", "{\"metrics\":[" + good + ",1]}", "{\"metrics\":{}}",
            "{\"name\":\"x\",\"metrics\":[" + good + "],\"bad\":[}", "{\"metrics\":[]}",
            good.replace("1795586897", "-1"), good.replace("1795586897", "1795586897.9"),
            good.replace("1795586897", "9.3e18"), good.replace("1795586897", "9.223372036854775807e18"),
            good.replace("1795586897", "9223372036854775808"), good.replace("1795586897", "1e400"),
            good.replace("1795586897", "\" 1795586897 \""), good.replace("1795586897", "\"+5\""),
            good.replace("1795586897", "\"1.5\""), good.replace("1795586897", "\"\u0661\u0662\""),
            good.replace("1795586897", "null"), good.replace("1795586897", "[1]"), good.replace("1795586897", "NaN"),
            good.replace("0.5", "\"12abc\""), good.replace("0.5", "\"TRUE\""), good.replace("0.5", "\"fal\u017fe\""),
            good.replace("0.5", "\"nope\""), good.replace("0.5", "true"), good.replace("0.5", "null"),
            good.replace("0.5", "{\"a\":1}"), good.replace("0.5", "-0"), good.replace("0.5", "-0.0"),
            good.replace("0.5", "12.345678901234567"), good.replace("\"h-1\"", "12.50"),
            good.replace("\"h-1\"", "-0"), good.replace("\"h-1\"", "123456789012345678901234567890"),
            good.replace("\"h-1\"", "true"), good.replace("\"h-1\"", "\"\\ud83d\\ude00\\ud800\u00e9\""),
            good.replace("\"cpu\",\"tags\"", "\"\",\"tags\""), good.replace("\"cpu\",\"tags\"", "1.5,\"tags\""),
            good.replace("\"n\":3", "\"usage_user\":3"), good.replace("\"cpu\":\"cpu0\"", "\"host\":\"h2\""),
            good.replace("\"fields\"", "\"\\u0066ields\""), good.replace("{\"usage_user\"", "{\"a\\\"b\""),
            good.replace(",\"n\":3", ",\"n\":3,}"), good.replace("0.5", "01"),
            "{\"name\":\"x\",\"timestamp\":1,\"fields\":{\"a\":1},\"tags\":null}",
        };
        for (final String line : lines)
        {
            compare(line.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void shouldMatchTheJacksonDecoderOnGeneratedLines()
    {
        final JsonFuzz fuzz = new JsonFuzz(62);
        int accepted = 0;
        for (int n = 0; n < 20_000; n++)
        {
            final String line = fuzz.chance(20)
                ? "{\"metrics\":[" + metric(fuzz) + "," + metric(fuzz) + "]" + (fuzz.chance(30) ? ",\"x\":1" : "") + "}"
                : metric(fuzz);
            if (compare(line.getBytes(StandardCharsets.UTF_8)))
            {
                accepted++;
            }
            compare(fuzz.mutate(line));
        }
        assertThat(accepted).isGreaterThan(2_000);
    }

    private static String metric(final JsonFuzz fuzz)
    {
        final boolean sane = fuzz.chance(70);
        final List<String> keys = new ArrayList<>();
        if (fuzz.chance(95))
        {
            keys.add("\"name\":" + (sane || fuzz.chance(60) ? "\"cpu\"" : fuzz.anyValue(1)));
        }
        if (fuzz.chance(95))
        {
            keys.add("\"timestamp\":" + (sane || fuzz.chance(50) ? Integer.toString(fuzz.nextInt(2_000_000_000))
                : fuzz.anyValue(1)));
        }
        keys.add("\"tags\":" + pairs(fuzz, sane, false));
        keys.add("\"fields\":" + pairs(fuzz, sane, true));
        if (fuzz.chance(20))
        {
            keys.add("\"other\":" + fuzz.anyValue(0));
        }
        java.util.Collections.shuffle(keys, new java.util.Random(fuzz.nextInt(1000)));
        return "{" + fuzz.ws() + String.join("," + fuzz.ws(), keys) + fuzz.ws() + "}";
    }

    private static String pairs(final JsonFuzz fuzz, final boolean sane, final boolean fields)
    {
        if (!sane && fuzz.chance(10))
        {
            return fuzz.anyValue(1);
        }
        final StringBuilder out = new StringBuilder("{");
        final int count = fuzz.nextInt(4);
        for (int i = 0; i < count; i++)
        {
            out.append(i > 0 ? "," : "").append(fuzz.chance(80) ? "\"k" + fuzz.nextInt(3) + "\"" : fuzz.string())
                .append(':');
            if (fields)
            {
                out.append(sane || fuzz.chance(60) ? fuzz.number() : fuzz.anyValue(1));
            }
            else
            {
                out.append(sane || fuzz.chance(60) ? fuzz.string() : fuzz.anyValue(1));
            }
        }
        return out.append('}').toString();
    }

    private boolean compare(final byte[] line)
    {
        final String text = new String(line, StandardCharsets.ISO_8859_1);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[line.length + 2]);
        buffer.putBytes(2, line);
        final DiffRecorder expected = new DiffRecorder();
        final DiffRecorder actual = new DiffRecorder();
        final int expectedResult = reference.decodeLine(buffer, 2, line.length, 0, expected);
        final int actualResult = decoder.decodeLine(buffer, 2, line.length, 0, actual);
        assertThat(actualResult).as("%s: %s / %s", text, reference.lastError(), decoder.lastError())
            .isEqualTo(expectedResult);
        assertThat(actual.calls).as(text).isEqualTo(expected.calls);
        return actualResult == 0 && !expected.calls.isEmpty();
    }
}
