package mad.ingest.decode;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Random JSON fragments for the differential tests: strings with escapes and non-ASCII, numbers of every shape,
 * literals, and byte-level mutations of whole documents.
 */
final class JsonFuzz
{
    private static final String[] STRINGS = {
        "", "a", "host-1", "value", "gauge", "counter", "derive", "absolute", "cpu", "idle", "true", "false", "TRUE",
        "falſe", "1.5", " 42 ", "-0", "NaN", "Infinity", "-Infinity", "0x1p3", "1e400", "1d", "abc", "é", "日本",
        "😀", "\\u00e9", "\\ud83d\\ude00", "\\ud800", "\\udc00x", "a\\\"b", "a\\\\b", "\\/", "\\b\\f\\n\\r\\t",
        "\\u0000", "\\u0041", "\\x", "\\", "tab\there", "12.345678901234567", "0.30000000000000004",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "+12", "1_0", "١٢٣", " \\t7\\n",
        "\\ud83d", "\\ud83dx", "\\ud83d\\u0041"
    };
    private static final String[] NUMBERS = {
        "0", "-0", "1", "-1", "0.0", "-0.0", "1.5", "12.345678901234567", "0.30000000000000004", "1e5", "1E+5",
        "1e-5", "1.5e400", "1e-400", "-1e-400", "123456789012345678901234567890", "9223372036854775807",
        "9223372036854775808", "-9223372036854775809", "9.3e18", "9.223372036854775807e18", "1795586897",
        "1795586897123", "1795586897.5", "4.9e-324", "2.2250738585072011e-308", "01", "1.", ".5", "-", "1e", "+1",
        "NaN", "Infinity", "-Infinity", "+Infinity", "-INF", "+INF", "INF", "-NaN", "1x", "0.1e1", "100"
    };
    private static final String[] LITERALS = {"true", "false", "null", "nul", "truex", "tru"};
    private static final String[] MUTATIONS = {
        "", "\"", "\\", "{", "}", "[", "]", ",", ":", " ", "\t", "\u000b", "x", "0", "-", ".", "e", "null", "\u00e9",
        "\u0000"
    };

    private final SplittableRandom random;

    JsonFuzz(final long seed)
    {
        random = new SplittableRandom(seed);
    }

    int nextInt(final int bound)
    {
        return random.nextInt(bound);
    }

    boolean chance(final int percent)
    {
        return random.nextInt(100) < percent;
    }

    String string()
    {
        return "\"" + STRINGS[random.nextInt(STRINGS.length)] + (chance(20) ? STRINGS[random.nextInt(STRINGS.length)]
            : "") + "\"";
    }

    String number()
    {
        if (chance(50))
        {
            return NUMBERS[random.nextInt(NUMBERS.length)];
        }
        return Double.toString((random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(40) - 20));
    }

    String literal()
    {
        return LITERALS[random.nextInt(LITERALS.length)];
    }

    String scalar()
    {
        switch (random.nextInt(4))
        {
            case 0:
                return string();
            case 1:
                return literal();
            default:
                return number();
        }
    }

    String anyValue(final int depth)
    {
        final int kind = depth > 2 ? 0 : random.nextInt(6);
        if (kind == 4)
        {
            return "{\"k\":" + anyValue(depth + 1) + (chance(50) ? ",\"z\":[" + anyValue(depth + 1) + "]" : "") + "}";
        }
        if (kind == 5)
        {
            return "[" + anyValue(depth + 1) + (chance(50) ? "," + anyValue(depth + 1) : "") + "]";
        }
        return scalar();
    }

    String ws()
    {
        return chance(85) ? "" : new String[] {" ", "\n", "\r\n", "\t", "  "}[random.nextInt(5)];
    }

    byte[] mutate(final String document)
    {
        byte[] bytes = document.getBytes(StandardCharsets.UTF_8);
        final int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits && bytes.length > 0; e++)
        {
            final int at = random.nextInt(bytes.length);
            final int kind = random.nextInt(4);
            if (kind == 0)
            {
                // delete a byte
                final byte[] shorter = new byte[bytes.length - 1];
                System.arraycopy(bytes, 0, shorter, 0, at);
                System.arraycopy(bytes, at + 1, shorter, at, bytes.length - at - 1);
                bytes = shorter;
            }
            else if (kind == 1)
            {
                bytes[at] = (byte)random.nextInt(256);
            }
            else if (kind == 2)
            {
                // truncate
                final byte[] shorter = new byte[at];
                System.arraycopy(bytes, 0, shorter, 0, at);
                bytes = shorter;
            }
            else
            {
                final byte[] insert = MUTATIONS[random.nextInt(MUTATIONS.length)].getBytes(StandardCharsets.UTF_8);
                final byte[] longer = new byte[bytes.length + insert.length];
                System.arraycopy(bytes, 0, longer, 0, at);
                System.arraycopy(insert, 0, longer, at, insert.length);
                System.arraycopy(bytes, at, longer, at + insert.length, bytes.length - at);
                bytes = longer;
            }
        }
        return bytes;
    }
}
