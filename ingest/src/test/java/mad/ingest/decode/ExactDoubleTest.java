package mad.ingest.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class ExactDoubleTest
{
    private final ExactDouble exact = new ExactDouble();

    @Test
    void shouldMatchParseDoubleOnEdgeCases()
    {
        final String[] cases = {
            "0", "-0", "0.0", "-0.0", "1", "-1", "0.1", "0.2", "0.3", "1.5", "123.456", "1e22", "1e23", "1e-22",
            "1e-23", "9007199254740993", "9007199254740992", "9007199254740991", "4503599627370496.5",
            "4503599627370497.5", "45035996273704965e-1", "2.2250738585072011e-308", "2.2250738585072014e-308",
            "4.9e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "1.7976931348623157e308",
            "1.7976931348623159e308", "1e309", "1e-400", "0.30000000000000004", "12.345678901234567",
            "123456789012345678901234567890", "1.00000000000000011102230246251565404236316680908203125",
            "1.00000000000000011102230246251565404236316680908203124", "7.2057594037927933e16", "1E+5", ".5", "5.",
            "+3.25", "0.000000000000000000000000000000000000000000001", "1e2147483648", "1e-2147483649",
            "9223372036854775807", "18446744073709551615", "18446744073709551616", "99999999999999999999e-20",
            "5e-324", "1.3e-322", "2.225073858507201e-308", "8.98846567431158e307", "0.1e1", "00012.5000"
        };
        for (final String text : cases)
        {
            assertThat(exact.parse(text.toCharArray(), 0, text.length())).as(text).isTrue();
            assertThat(Double.doubleToRawLongBits(exact.value())).as(text)
                .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(text)));
        }
    }

    @Test
    void shouldRejectWhatIsNotAPlainDecimal()
    {
        for (final String text : new String[] {"", "-", ".", "e5", "1e", "1e+", "NaN", "Infinity", "0x1p3", "1d", "1f",
            "1.2.3", " 1", "1 ", "--1", "1e5.5"})
        {
            assertThat(exact.parse(text.toCharArray(), 0, text.length())).as(text).isFalse();
        }
    }

    @Test
    void shouldMatchParseDoubleOnRandomDecimals()
    {
        final SplittableRandom random = new SplittableRandom(6);
        final StringBuilder text = new StringBuilder();
        for (int n = 0; n < 1_000_000; n++)
        {
            text.setLength(0);
            if (random.nextBoolean())
            {
                text.append('-');
            }
            final int digits = 1 + random.nextInt(n % 4 == 0 ? 25 : 19);
            final int point = random.nextInt(digits + 1);
            for (int i = 0; i < digits; i++)
            {
                if (i == point && i > 0)
                {
                    text.append('.');
                }
                text.append((char)('0' + random.nextInt(10)));
            }
            if (random.nextInt(3) > 0)
            {
                text.append('e').append(random.nextInt(n % 8 == 0 ? 700 : 60) - (n % 8 == 0 ? 350 : 30));
            }
            final String s = text.toString();
            final char[] chars = s.toCharArray();
            assertThat(exact.parse(chars, 0, chars.length)).as(s).isTrue();
            if (Double.doubleToRawLongBits(exact.value()) != Double.doubleToRawLongBits(Double.parseDouble(s)))
            {
                assertThat(exact.value()).as(s).isEqualTo(Double.parseDouble(s));
            }
        }
    }

    @Test
    void shouldRoundTripRandomDoubles()
    {
        final SplittableRandom random = new SplittableRandom(7);
        for (int n = 0; n < 1_000_000; n++)
        {
            final double value = n % 2 == 0 ? Double.longBitsToDouble(random.nextLong()) : random.nextDouble() * 1000;
            if (Double.isNaN(value) || Double.isInfinite(value))
            {
                continue;
            }
            final String s = Double.toString(value);
            final char[] chars = s.toCharArray();
            assertThat(exact.parse(chars, 0, chars.length)).as(s).isTrue();
            if (Double.doubleToRawLongBits(exact.value()) != Double.doubleToRawLongBits(value))
            {
                assertThat(exact.value()).as(s).isEqualTo(value);
            }
        }
    }
}
