package mad.ingest.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.Locale;
import java.util.SplittableRandom;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class MadNumberParserTest
{
    private final MadNumberParser parser = new MadNumberParser();
    private final NumberFormat reference = NumberFormat.getInstance(Locale.ENGLISH);

    @Test
    void shouldParseSpecExamples()
    {
        assertThat(parse("12abc")).isEqualTo(12.0);
        assertThat(parse("1,000")).isEqualTo(1000.0);
        assertThat(parse("1,2,3")).isEqualTo(123.0);
        assertThat(parse("1e3")).isEqualTo(1.0);
        assertThat(parse("1E3")).isEqualTo(1000.0);
        assertThat(parse(".5")).isEqualTo(0.5);
        assertThat(parse("-.5")).isEqualTo(-0.5);
        assertThat(Double.doubleToRawLongBits(parse("-0"))).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(parse("NaN")).isNaN();
        assertThat(parse("∞")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(parse("-∞")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(parse("300.5")).isEqualTo(300.5);
        assertThat(parse("1.5E3")).isEqualTo(1500.0);
        assertThat(parse("1,5")).isEqualTo(15.0);
        assertThat(rejects("+3")).isTrue();
        assertThat(rejects(" 5")).isTrue();
        assertThat(rejects("Infinity")).isTrue();
        assertThat(rejects("x")).isTrue();
        assertThat(rejects("abc")).isTrue();
        assertThat(rejects("")).isTrue();
        assertThat(rejects("-")).isTrue();
        assertThat(rejects(".")).isTrue();
    }

    @Test
    void shouldParseWholeValuesStrictly()
    {
        assertThat(strict("1.5e3")).isEqualTo(1500.0);
        assertThat(strict("1e3")).isEqualTo(1000.0);
        assertThat(strict("1E+3")).isEqualTo(1000.0);
        assertThat(strict("25e-2")).isEqualTo(0.25);
        assertThat(strict("-2.5E1")).isEqualTo(-25.0);
        assertThat(strict("1e400")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(strict("1e-400")).isEqualTo(0.0);
        assertThat(strict("5.")).isEqualTo(5.0);
        assertThat(strict("NaN")).isNaN();
        assertThat(strict("-∞")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(Double.doubleToRawLongBits(strict("-0"))).isEqualTo(Double.doubleToRawLongBits(-0.0));
        for (final String corrupting : new String[] {"12abc", "1,000", "1,5", "1e", "1e+", "1.2.3", "5E3E3", "NaNx",
            "∞x", "+3", " 5", "5 ", "12\r", "", "-", ".", "e3", "٣", "0x10", "1d", "Infinity"})
        {
            assertThat(parser.parseStrict(buffer(corrupting), 0, corrupting.getBytes(StandardCharsets.UTF_8).length))
                .as(corrupting).isFalse();
        }
    }

    @Test
    void shouldAgreeBitForBitWithThePrefixParseOnWellFormedValues()
    {
        final SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 20_000; i++)
        {
            final String text = random.nextBoolean()
                ? Double.toString(random.nextDouble(-1e6, 1e6))
                : Long.toString(random.nextLong(-1_000_000_000_000L, 1_000_000_000_000L));
            assertThat(Double.doubleToRawLongBits(strict(text))).as(text)
                .isEqualTo(Double.doubleToRawLongBits(parse(text)));
            assertThat(strict(text)).as(text).isEqualTo(Double.parseDouble(text));
        }
    }

    private double strict(final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        assertThat(parser.parseStrict(new UnsafeBuffer(bytes), 0, bytes.length)).as(text).isTrue();
        return parser.value();
    }

    private static UnsafeBuffer buffer(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldMatchDecimalFormatOnEdgeCases()
    {
        final String[] cases = {
            "0", "-0.0", "00.5", "0.05", "1E-3", "1E+3", "1E", "1E-", "1.E2", "1..2", "1.,2", ",5", "1,.5", "-,5",
            "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
            "92233720368547758070", "123456789012345678901234567890", "0.1", "0.3", "2.2250738585072014E-308",
            "4.9E-324", "1.7976931348623157E308", "1E309", "1E-400", "1E2147483647", "1E2147483648",
            "1E9223372036854775807", "1E9223372036854775808", "1E-9223372036854775808", "1E99999999999999999999",
            "1E00000000000000000000000001", "123456789012345.6", "1234567890123456", "12345678901234567",
            "0.000000000000000000000000001", "1E22", "1E23", "1.0E-22", "1.0E-23", "٣", "０.５", "1٣", "NaNx", "-NaN",
            "∞x", "1∞", "1E4294967295", "1E4294967296", "1E-9223372036854775809", "1E18446744073709551617", "1,000,000.25", "NaN", "NAN", "nan", "12\r", "1\t2", "-E3", "E3", "5E3E3",
        };
        for (final String text : cases)
        {
            assertParity(text);
        }
    }

    @Test
    void shouldMatchDecimalFormatOnRandomStrings()
    {
        final SplittableRandom random = new SplittableRandom(0x5EED_2024L);
        final String alphabet = "0123456789012345678900000,.eE-+aNx ,.E-";
        final String[] extras = {"٣", "０", "∞", "NaN", "\uFFFD", "é"};
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < 300_000; i++)
        {
            text.setLength(0);
            final int length = 1 + random.nextInt(i % 10 == 0 ? 40 : 14);
            for (int j = 0; j < length; j++)
            {
                if (random.nextInt(50) == 0)
                {
                    text.append(extras[random.nextInt(extras.length)]);
                }
                else
                {
                    text.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            assertParity(text.toString());
        }
    }

    @Test
    void shouldMatchDecimalFormatOnRandomNumbers()
    {
        final SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 200_000; i++)
        {
            final double d = Double.longBitsToDouble(random.nextLong());
            assertParity(Double.toString(d));
            assertParity(Double.toString(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20)));
            assertParity(new java.math.BigDecimal(random.nextDouble()).toPlainString());
        }
    }

    private void assertParity(final String text)
    {
        Number expected;
        try
        {
            final ParsePosition position = new ParsePosition(0);
            expected = reference.parse(text, position);
            if (position.getIndex() == 0)
            {
                expected = null;
            }
        }
        catch (final RuntimeException ex)
        {
            expected = null;
        }
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        final boolean parsed = parser.parse(new UnsafeBuffer(bytes), 0, bytes.length);
        if (expected == null)
        {
            assertThat(parsed).as("rejects [%s]", text).isFalse();
        }
        else
        {
            assertThat(parsed).as("accepts [%s]", text).isTrue();
            assertThat(Double.doubleToRawLongBits(parser.value()))
                .as("value of [%s]: expected %s got %s", text, expected.doubleValue(), parser.value())
                .isEqualTo(Double.doubleToRawLongBits(expected.doubleValue()));
        }
    }

    private double parse(final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        assertThat(parser.parse(new UnsafeBuffer(bytes), 0, bytes.length)).as(text).isTrue();
        return parser.value();
    }

    private boolean rejects(final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return !parser.parse(new UnsafeBuffer(bytes), 0, bytes.length);
    }
}
