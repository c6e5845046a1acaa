package mad.ingest.decode;

import org.agrona.DirectBuffer;

/**
 * Parses a byte range exactly as MAD parses statsd, graphite and telegraf values: Java
 * {@code NumberFormat.getInstance(Locale.ENGLISH).parse(text).doubleValue()}, i.e. {@code DecimalFormat} with pattern
 * {@code #,##0.###} in lenient prefix mode. The text is the UTF-8 decoding of the bytes.
 *
 * <p>What that means (each rule mirrors a branch of {@code DecimalFormat.subparse}):
 * <ul>
 *   <li>{@code NaN} at the very start gives NaN (no sign allowed before it).</li>
 *   <li>An optional {@code -}; no {@code +}, no leading blank.</li>
 *   <li>{@code ∞} right after the sign gives an infinity; {@code Infinity} is not accepted.</li>
 *   <li>Digits are any character {@link Character#digit(char, int)} accepts (so also full-width and other Unicode
 *       decimal digits); {@code ,} is a grouping separator anywhere before the decimal point and is ignored;
 *       the first {@code .} is the decimal point and a second one, or a {@code ,} after it, ends the number.</li>
 *   <li>Upper-case {@code E} followed by an optional {@code -} and at least one digit is an exponent; lower-case
 *       {@code e}, {@code E+3} or a bare {@code E} end the number before the {@code E}.</li>
 *   <li>Anything else ends the number; what follows is ignored ({@code 12abc} is 12). At least one digit is needed.</li>
 * </ul>
 *
 * <h2>Why the result is bit-identical</h2>
 * {@code DecimalFormat} collects the significant digits into a {@code DigitList} (leading zeros dropped, decimal
 * exponent tracked separately). If the digits form an integer that fits a long (and the value is not -0) it returns a
 * {@code Long}, whose {@code doubleValue()} is the correctly rounded double of that integer; otherwise it returns
 * {@code Double.parseDouble(".DIGITS" + "E" + decimalAt)}, the correctly rounded double of the same decimal, negated
 * for a minus sign. Both are therefore "the correctly rounded double of the decimal value". This class collects the
 * same digits, and when there are at most 15 significant digits and the decimal exponent is within [-22, 22] it
 * computes {@code m * 10^e} or {@code m / 10^-e} directly: {@code m < 2^53} and {@code 10^|e| <= 10^22} are both exact
 * doubles, so the single IEEE multiplication or division rounds the exact value once, correctly (Clinger's fast path,
 * which {@code Double.parseDouble} itself uses). Everything else (long mantissas, huge exponents) falls back to
 * {@code Double.parseDouble} of the very string {@code DigitList} builds, which allocates but is rare.
 *
 * <p>Exponent quirks kept: an exponent whose digits do not fit a long is ignored (the number ends before the
 * {@code E}); one that fits is narrowed to an int and added to the decimal position with int overflow, as in the JDK
 * ({@code 1E4294967295} is 0.1).
 *
 * <p>Thread ownership: one instance per decoding thread (it holds the digit scratch and the last value).
 */
public final class MadNumberParser
{
    private static final double[] POW10 = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22
    };
    private static final int MAX_FAST_DIGITS = 15;
    private static final int MAX_LONG_DIGITS = 19;
    private static final char[] LONG_MIN_REP = "9223372036854775808".toCharArray();

    private byte[] digits = new byte[32];
    private int count;
    private int decimalAt;
    private double value;
    private long exponentValue;
    private final StringBuilder slow = new StringBuilder(64);

    /**
     * @param buffer the bytes.
     * @param offset first byte.
     * @param length number of bytes.
     * @return true when a number was parsed from the start of the range; then {@link #value()} holds it.
     */
    public boolean parse(final DirectBuffer buffer, final int offset, final int length)
    {
        final int end = offset + length;
        int position = offset;
        if (length >= 3 && buffer.getByte(offset) == 'N' && buffer.getByte(offset + 1) == 'a'
            && buffer.getByte(offset + 2) == 'N')
        {
            value = Double.NaN;
            return true;
        }
        boolean negative = false;
        if (position < end && buffer.getByte(position) == '-')
        {
            negative = true;
            position++;
        }
        if (position + 3 <= end && buffer.getByte(position) == (byte)0xE2 && buffer.getByte(position + 1) == (byte)0x88
            && buffer.getByte(position + 2) == (byte)0x9E)
        {
            value = negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            return true;
        }
        count = 0;
        int digitCount = 0;
        boolean sawDigit = false;
        boolean sawDecimal = false;
        int exponent = 0;
        decimalAt = 0;
        while (position < end)
        {
            final int b = buffer.getByte(position) & 0xFF;
            int digit;
            int width = 1;
            if (b >= '0' && b <= '9')
            {
                digit = b - '0';
            }
            else if (b < 0x80)
            {
                if (b == '.')
                {
                    if (sawDecimal)
                    {
                        break;
                    }
                    decimalAt = digitCount;
                    sawDecimal = true;
                    position++;
                    continue;
                }
                if (b == ',')
                {
                    if (sawDecimal)
                    {
                        break;
                    }
                    position++;
                    continue;
                }
                if (b == 'E')
                {
                    final int status = parseExponent(buffer, position + 1, end);
                    if (status == EXPONENT_PRESENT)
                    {
                        exponent = (int)exponentValue;
                    }
                }
                break;
            }
            else
            {
                final int cp = decodeBmp(buffer, position, end);
                if (cp < 0)
                {
                    break;
                }
                digit = Character.digit((char)cp, 10);
                if (digit < 0)
                {
                    break;
                }
                width = utf8Width(b);
            }
            position += width;
            sawDigit = true;
            if (digit == 0 && count == 0)
            {
                if (sawDecimal)
                {
                    decimalAt--;
                }
                continue;
            }
            digitCount++;
            append(digit);
        }
        if (!sawDigit)
        {
            return false;
        }
        if (!sawDecimal)
        {
            decimalAt = digitCount;
        }
        decimalAt += exponent;
        value = toDouble(negative);
        return true;
    }

    /**
     * Parses the whole range as one number, which is what a statsd, graphite or telegraf value is: an optional
     * {@code -}, ASCII digits with at most one {@code .}, an optional exponent ({@code e} or {@code E}, optional sign,
     * digits), or exactly {@code NaN}, {@code ∞} or {@code -∞}. Nothing may precede or follow it.
     *
     * <p>Why not {@link #parse}: MAD's prefix parse silently corrupts values ({@code 1.5e3} is 1.5, {@code 12abc} is
     * 12, {@code 1,5} is 15; COMPAT.md D6). Every value MAD reads correctly is read to the very same double here,
     * because the mantissa goes through the same digit collection and rounding; the exponent only moves the decimal
     * point before the single rounding step.
     *
     * @param buffer the bytes.
     * @param offset first byte.
     * @param length number of bytes.
     * @return true when the whole range is a number; then {@link #value()} holds it.
     */
    public boolean parseStrict(final DirectBuffer buffer, final int offset, final int length)
    {
        final int end = offset + length;
        if (length == 3 && buffer.getByte(offset) == 'N' && buffer.getByte(offset + 1) == 'a'
            && buffer.getByte(offset + 2) == 'N')
        {
            value = Double.NaN;
            return true;
        }
        int position = offset;
        final boolean negative = position < end && buffer.getByte(position) == '-';
        if (negative)
        {
            position++;
        }
        if (end - position == 3 && buffer.getByte(position) == (byte)0xE2
            && buffer.getByte(position + 1) == (byte)0x88 && buffer.getByte(position + 2) == (byte)0x9E)
        {
            value = negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            return true;
        }
        // Grammar check first: ASCII digits, one optional '.', at least one mantissa digit.
        int mantissaDigits = 0;
        boolean sawDecimal = false;
        int mantissaEnd = position;
        while (mantissaEnd < end)
        {
            final byte b = buffer.getByte(mantissaEnd);
            if (b >= '0' && b <= '9')
            {
                mantissaDigits++;
            }
            else if (b == '.' && !sawDecimal)
            {
                sawDecimal = true;
            }
            else
            {
                break;
            }
            mantissaEnd++;
        }
        if (mantissaDigits == 0)
        {
            return false;
        }
        long exponent = 0;
        if (mantissaEnd < end)
        {
            final byte marker = buffer.getByte(mantissaEnd);
            if (marker != 'e' && marker != 'E')
            {
                return false;
            }
            int p = mantissaEnd + 1;
            boolean negativeExponent = false;
            if (p < end && (buffer.getByte(p) == '-' || buffer.getByte(p) == '+'))
            {
                negativeExponent = buffer.getByte(p) == '-';
                p++;
            }
            if (p == end)
            {
                return false;
            }
            for (; p < end; p++)
            {
                final byte b = buffer.getByte(p);
                if (b < '0' || b > '9')
                {
                    return false;
                }
                // Saturate: beyond 10^9 every result is already 0 or infinite.
                exponent = Math.min(exponent * 10 + (b - '0'), 1_000_000_000L);
            }
            if (negativeExponent)
            {
                exponent = -exponent;
            }
        }
        if (!parse(buffer, offset, mantissaEnd - offset))
        {
            return false;
        }
        if (exponent != 0)
        {
            decimalAt = (int)Math.max(Integer.MIN_VALUE / 2, Math.min(Integer.MAX_VALUE / 2, decimalAt + exponent));
            value = toDouble(negative);
        }
        return true;
    }

    /**
     * @return the value of the last successful {@link #parse}.
     */
    public double value()
    {
        return value;
    }

    private static final int EXPONENT_ABSENT = 0;
    private static final int EXPONENT_PRESENT = 1;

    /**
     * Mirrors the recursive {@code subparse(..., isExponent=true)}: optional '-', digits only, leading zeros skipped;
     * accepted only if the digits fit a long with that sign, else the number ends before the {@code E}.
     */
    private int parseExponent(final DirectBuffer buffer, final int start, final int end)
    {
        int position = start;
        boolean negative = false;
        if (position < end && buffer.getByte(position) == '-')
        {
            negative = true;
            position++;
        }
        boolean sawDigit = false;
        int significant = 0;
        long magnitude = 0;
        boolean overflow = false;
        boolean isLongMin = true;
        while (position < end)
        {
            final int b = buffer.getByte(position) & 0xFF;
            int digit;
            int width = 1;
            if (b >= '0' && b <= '9')
            {
                digit = b - '0';
            }
            else if (b >= 0x80)
            {
                final int cp = decodeBmp(buffer, position, end);
                if (cp < 0)
                {
                    break;
                }
                digit = Character.digit((char)cp, 10);
                if (digit < 0)
                {
                    break;
                }
                width = utf8Width(b);
            }
            else
            {
                break;
            }
            position += width;
            sawDigit = true;
            if (digit == 0 && significant == 0)
            {
                continue;
            }
            if (significant < MAX_LONG_DIGITS)
            {
                isLongMin &= digit == LONG_MIN_REP[significant] - '0';
            }
            significant++;
            if (significant > MAX_LONG_DIGITS)
            {
                overflow = true;
            }
            else if (!overflow)
            {
                final long next = magnitude * 10 + digit;
                if (next < 0)
                {
                    overflow = true;
                }
                magnitude = next;
            }
        }
        if (!sawDigit)
        {
            return EXPONENT_ABSENT;
        }
        exponentValue = 0;
        if (overflow)
        {
            if (negative && significant == MAX_LONG_DIGITS && isLongMin)
            {
                // DigitList.getLong special-cases the digits of Long.MIN_VALUE; -MIN_VALUE is MIN_VALUE again.
                exponentValue = Long.MIN_VALUE;
                return EXPONENT_PRESENT;
            }
            // The JDK accepts the exponent only when exponentDigits.fitsIntoLong(sign): otherwise it is ignored.
            return EXPONENT_ABSENT;
        }
        exponentValue = negative ? -magnitude : magnitude;
        return EXPONENT_PRESENT;
    }

    private double toDouble(final boolean negative)
    {
        while (count > 0 && digits[count - 1] == 0)
        {
            count--;
        }
        if (count == 0)
        {
            return negative ? -0.0 : 0.0;
        }
        if (fitsIntoLong(!negative))
        {
            long result = 0;
            for (int i = 0; i < count; i++)
            {
                result = result * 10 + digits[i];
            }
            for (int i = count; i < decimalAt; i++)
            {
                result *= 10;
            }
            // Long.MIN_VALUE: the accumulation wrapped to MIN_VALUE itself, which is the intended value.
            if (result == Long.MIN_VALUE)
            {
                return (double)Long.MIN_VALUE;
            }
            return negative ? (double)-result : (double)result;
        }
        final double magnitude;
        final int e = decimalAt - count;
        if (count <= MAX_FAST_DIGITS && e >= -22 && e <= 22 && decimalAt - count == (long)decimalAt - count)
        {
            long m = 0;
            for (int i = 0; i < count; i++)
            {
                m = m * 10 + digits[i];
            }
            magnitude = e >= 0 ? m * POW10[e] : m / POW10[-e];
        }
        else
        {
            magnitude = slowPath();
        }
        return negative ? -magnitude : magnitude;
    }

    private double slowPath()
    {
        final StringBuilder text = slow;
        text.setLength(0);
        text.append('.');
        for (int i = 0; i < count; i++)
        {
            text.append((char)('0' + digits[i]));
        }
        text.append('E').append(decimalAt);
        return Double.parseDouble(text.toString());
    }

    /**
     * {@code DigitList.fitsIntoLong(isPositive, ignoreNegativeZero=false)} after trailing zeros are trimmed.
     */
    private boolean fitsIntoLong(final boolean positive)
    {
        if (decimalAt < count || decimalAt > MAX_LONG_DIGITS)
        {
            return false;
        }
        if (decimalAt < MAX_LONG_DIGITS)
        {
            return true;
        }
        for (int i = 0; i < count; i++)
        {
            final int digit = '0' + digits[i];
            final int max = LONG_MIN_REP[i];
            if (digit > max)
            {
                return false;
            }
            if (digit < max)
            {
                return true;
            }
        }
        if (count < decimalAt)
        {
            return true;
        }
        return !positive;
    }

    private void append(final int digit)
    {
        if (count == digits.length)
        {
            digits = java.util.Arrays.copyOf(digits, count * 2);
        }
        digits[count++] = (byte)digit;
    }

    private static int utf8Width(final int lead)
    {
        return lead < 0xE0 ? 2 : 3;
    }

    /**
     * Decodes one 2- or 3-byte UTF-8 sequence strictly (as Java's decoder would accept it).
     *
     * @return the BMP code point, or -1 for anything else (4-byte sequences are surrogate pairs in Java, never
     *         digits; malformed bytes become U+FFFD, never a digit either).
     */
    private static int decodeBmp(final DirectBuffer buffer, final int position, final int end)
    {
        final int b0 = buffer.getByte(position) & 0xFF;
        if (b0 >= 0xC2 && b0 <= 0xDF)
        {
            if (position + 1 >= end)
            {
                return -1;
            }
            final int b1 = buffer.getByte(position + 1) & 0xFF;
            if ((b1 & 0xC0) != 0x80)
            {
                return -1;
            }
            return ((b0 & 0x1F) << 6) | (b1 & 0x3F);
        }
        if (b0 >= 0xE0 && b0 <= 0xEF)
        {
            if (position + 2 >= end)
            {
                return -1;
            }
            final int b1 = buffer.getByte(position + 1) & 0xFF;
            final int b2 = buffer.getByte(position + 2) & 0xFF;
            if ((b1 & 0xC0) != 0x80 || (b2 & 0xC0) != 0x80)
            {
                return -1;
            }
            if ((b0 == 0xE0 && b1 < 0xA0) || (b0 == 0xED && b1 >= 0xA0))
            {
                return -1;
            }
            return ((b0 & 0x0F) << 12) | ((b1 & 0x3F) << 6) | (b2 & 0x3F);
        }
        return -1;
    }
}
