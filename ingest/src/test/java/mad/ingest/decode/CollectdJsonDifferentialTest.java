package mad.ingest.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * The scanner-based {@link CollectdJsonDecoder} against the Jackson-based reference it replaced: same status, same
 * writer calls (values bit for bit), same sample count, on generated, edge-case and mutated bodies.
 */
class CollectdJsonDifferentialTest
{
    private final CollectdJsonDecoder decoder = new CollectdJsonDecoder();
    private final JacksonCollectdJsonDecoder reference = new JacksonCollectdJsonDecoder();
    private final HttpHeaders headers = new DefaultHttpHeaders().set("X-TAG-SERVICE", "svc")
        .set("x-tag-Host", "h").add("X-Tag-Cluster", "c1").add("x-tag-service", "svc2").add("X-TAG-", "empty");

    @Test
    void shouldMatchTheJacksonDecoderOnEdgeCases()
    {
        final String good = "{\"host\":\"h\",\"plugin\":\"cpu\",\"plugin_instance\":\"0\",\"type\":\"cpu\","
            + "\"type_instance\":\"idle\",\"time\":1795586897.123,\"interval\":10,\"values\":[1,2.5],"
            + "\"dstypes\":[\"gauge\",\"derive\"],\"dsnames\":[\"value\",\"rx\"]}";
        final String[] bodies = {
            "[" + good + "]", "\uFEFF[" + good + "]", "[" + good + "," + good + "]", "[]", "", " ", "{}", "[1]",
            "[" + good + "] ", "[" + good + "]x", "[" + good + "]]", "[" + good + "][]", "[" + good + ",]",
            "[" + good.replace("[1,2.5]", "[NaN,-Infinity]") + "]",
            "[" + good.replace("[1,2.5]", "[+INF,-INF]") + "]",
            "[" + good.replace("[1,2.5]", "[INF,1]") + "]",
            "[" + good.replace("[1,2.5]", "[\" 1.5 \",\"NaN\"]") + "]",
            "[" + good.replace("[1,2.5]", "[\"0x1p3\",\"1d\"]") + "]",
            "[" + good.replace("[1,2.5]", "[\"abc\",1]") + "]",
            "[" + good.replace("[1,2.5]", "[null,1]") + "]",
            "[" + good.replace("[1,2.5]", "[-0,-0.0]") + "]",
            "[" + good.replace("[1,2.5]", "[1,1]").replace("\"rx\"", "\"value\"") + "]",
            "[" + good.replace("1795586897.123", "\"1795586897.5\"") + "]",
            "[" + good.replace("1795586897.123", "null") + "]",
            "[" + good.replace("1795586897.123", "true") + "]",
            "[" + good.replace("1795586897.123", "{}") + "]",
            "[" + good.replace("\"h\"", "12.50") + "]",
            "[" + good.replace("\"h\"", "\"\\u00e9\\ud83d\\ude00\\ud800\"") + "]",
            "[" + good.replace("\"h\"", "\"\u00e9\u65e5\"") + "]",
            "[" + good.replace("\"host\"", "\"\\u0068ost\"") + "]",
            "[" + good.replace("\"idle\"", "null") + "]",
            "[" + good.replace("\"idle\"", "[]") + "]",
            "[" + good.replace("\"values\":[1,2.5],", "") + "]",
            "[" + good.replace("[1,2.5]", "null").replace("[\"gauge\",\"derive\"]", "null")
                .replace("[\"value\",\"rx\"]", "null") + "]",
            "[" + good.replace("\"interval\":10", "\"interval\":{\"a\":[1,{\"b\":null}]}") + "]",
            "[" + good.replace("\"interval\":10", "\"interval\":01") + "]",
            "[" + good.replace("\"interval\":10", "\"interval\":\"\\x\"") + "]",
            "[" + "[".repeat(999) + "]".repeat(999) + "]", "[" + "[".repeat(1000) + "]".repeat(1000) + "]",
        };
        for (final String body : bodies)
        {
            compare(body.getBytes(StandardCharsets.UTF_8));
        }
        compare(new byte[] {'[', '"', (byte)0xC0, (byte)0x80, '"', ']'});
        compare(("[" + good.replace("\"h\"", "\"\u0000\"") + "]").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldMatchTheJacksonDecoderOnGeneratedBodies()
    {
        final JsonFuzz fuzz = new JsonFuzz(61);
        int accepted = 0;
        for (int n = 0; n < 20_000; n++)
        {
            final String body = body(fuzz);
            if (compare(body.getBytes(StandardCharsets.UTF_8)))
            {
                accepted++;
            }
            compare(fuzz.mutate(body));
        }
        // the generator must exercise the success path too
        assertThat(accepted).isGreaterThan(1_000);
    }

    private static String body(final JsonFuzz fuzz)
    {
        final StringBuilder out = new StringBuilder("[");
        final int objects = fuzz.nextInt(4);
        for (int o = 0; o < objects; o++)
        {
            if (o > 0)
            {
                out.append(',');
            }
            final List<String> fields = new ArrayList<>();
            final boolean sane = fuzz.chance(70);
            for (final String name : new String[] {"host", "plugin", "plugin_instance", "type", "type_instance"})
            {
                if (fuzz.chance(97))
                {
                    fields.add("\"" + name + "\":" + (sane || fuzz.chance(70) ? fuzz.string() : fuzz.anyValue(1)));
                }
            }
            if (fuzz.chance(97))
            {
                fields.add("\"time\":" + (sane || fuzz.chance(70) ? fuzz.number() : fuzz.anyValue(1)));
            }
            final int count = fuzz.nextInt(4);
            final int typesCount = sane || fuzz.chance(80) ? count : fuzz.nextInt(4);
            fields.add("\"values\":" + array(fuzz, count, sane, true));
            fields.add("\"dstypes\":" + array(fuzz, typesCount, sane, false));
            fields.add("\"dsnames\":" + array(fuzz, count, sane, false));
            if (fuzz.chance(30))
            {
                fields.add("\"interval\":" + fuzz.anyValue(0));
            }
            if (fuzz.chance(5))
            {
                fields.add("\"host\":" + fuzz.string());
            }
            java.util.Collections.shuffle(fields, new java.util.Random(fuzz.nextInt(1000)));
            out.append('{').append(fuzz.ws());
            for (int f = 0; f < fields.size(); f++)
            {
                out.append(f > 0 ? "," + fuzz.ws() : "").append(fields.get(f));
            }
            out.append(fuzz.ws()).append('}');
        }
        return out.append(']').append(fuzz.ws()).toString();
    }

    private static String array(final JsonFuzz fuzz, final int count, final boolean sane, final boolean numbers)
    {
        if (!sane && fuzz.chance(10))
        {
            return fuzz.anyValue(1);
        }
        final StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < count; i++)
        {
            out.append(i > 0 ? "," : "");
            if (numbers)
            {
                out.append(sane || fuzz.chance(70) ? fuzz.number() : fuzz.scalar());
            }
            else
            {
                final String[] names = {"\"gauge\"", "\"counter\"", "\"derive\"", "\"absolute\"", "\"value\"",
                    "\"rx\"", "\"\"", "\"tx\""};
                out.append(sane || fuzz.chance(70) ? names[fuzz.nextInt(names.length)] : fuzz.scalar());
            }
        }
        return out.append(']').toString();
    }

    private boolean compare(final byte[] body)
    {
        final String text = new String(body, StandardCharsets.ISO_8859_1);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[body.length + 3]);
        buffer.putBytes(3, body);
        final DiffRecorder expected = new DiffRecorder();
        final DiffRecorder actual = new DiffRecorder();
        final int expectedResult = reference.decode(buffer, 3, body.length, headers, expected);
        final int actualResult = decoder.decode(buffer, 3, body.length, headers, actual);
        assertThat(actualResult).as("%s: %s / %s", text, reference.lastError(), decoder.lastError())
            .isEqualTo(expectedResult);
        assertThat(actual.calls).as(text).isEqualTo(expected.calls);
        assertThat(decoder.lastSampleCount()).as(text).isEqualTo(reference.lastSampleCount());
        if (actualResult != 0)
        {
            assertThat(decoder.lastError()).as(text).isNotBlank();
        }
        return actualResult == 0 && !expected.calls.isEmpty();
    }
}
