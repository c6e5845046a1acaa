package mad.ingest.decode;

import java.math.BigInteger;

/**
 * Decimal text to the double {@link Double#parseDouble} returns, bit for bit, without allocating on the common path.
 *
 * <p>Accepted syntax: {@code [+-]? (digits [. digits?]? | . digits) ([eE] [+-]? digits)?}, which covers JSON numbers
 * and the plain decimals {@code Double.parseDouble} reads. Anything else ({@code NaN}, {@code Infinity}, hex floats,
 * a {@code d}/{@code f} suffix) returns false so that the caller can fall back to the JDK.
 *
 * <h2>Why the result is exact</h2>
 * Up to 19 significant digits are collected into an unsigned long mantissa {@code w} with a decimal exponent
 * {@code q} (value = w * 10^q). Three paths, fastest first:
 * <ol>
 *   <li>Clinger's fast path: {@code w < 2^53} and {@code |q| <= 22} (or a larger {@code q} whose surplus power of ten
 *       keeps {@code w} below 2^53 exactly): {@code w} and {@code 10^|q|} are exact doubles, so one IEEE multiply or
 *       divide rounds the exact value once, correctly.</li>
 *   <li>Eisel-Lemire (as in Go's {@code strconv.eiselLemire64}): {@code w} times a 128-bit truncated approximation of
 *       {@code 10^q}; the checks on the low bits detect every case where the approximation error could change the
 *       rounding and then give up. The table is built once at class load with {@link BigInteger}, truncated for every
 *       {@code q} (so the error is one-sided, as the checks assume). Exact halfway cases can only arise for
 *       {@code q} in [-4, 23]; for {@code q >= 0} the table is exact up to 5^55 and the halfway check catches them,
 *       for {@code q} in [-4, -1] the truncated reciprocal could hide one, so those go to the slow path. More than 19
 *       digits: the result for {@code w} and {@code w + 1} (the truncated digits lie between) must agree.</li>
 *   <li>Slow path (subnormals, out-of-table exponents, ambiguous products): {@code Double.parseDouble} of the text,
 *       which allocates; it is rare for real metric values.</li>
 * </ol>
 *
 * <p>Thread ownership: one instance per decoding thread (it holds the last value).
 */
public final class ExactDouble
{
    private static final int MIN_Q = -342;
    private static final int MAX_Q = 308;
    private static final int MAX_DIGITS = 19;
    private static final long[] POW_HI = new long[MAX_Q - MIN_Q + 1];
    private static final long[] POW_LO = new long[MAX_Q - MIN_Q + 1];
    private static final double[] POW10 = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22
    };
    private static final long[] LONG_POW10 = {
        1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L,
        10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L, 10_000_000_000_000L, 100_000_000_000_000L,
        1_000_000_000_000_000L
    };
    private static final long FAIL = -1L;

    static
    {
        final BigInteger two128 = BigInteger.ONE.shiftLeft(128);
        final BigInteger mask64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
        for (int q = MIN_Q; q <= MAX_Q; q++)
        {
            BigInteger c;
            if (q >= 0)
            {
                c = BigInteger.valueOf(5).pow(q);
                final int shift = 128 - c.bitLength();
                c = shift >= 0 ? c.shiftLeft(shift) : c.shiftRight(-shift);
            }
            else
            {
                // floor(2^b / 5^-q) with b large enough that the quotient has more than 128 bits, then truncated
                final BigInteger p5 = BigInteger.valueOf(5).pow(-q);
                c = BigInteger.ONE.shiftLeft(p5.bitLength() + 200).divide(p5);
                c = c.shiftRight(c.bitLength() - 128);
            }
            if (c.compareTo(two128) >= 0 || c.bitLength() != 128)
            {
                throw new AssertionError("power table " + q);
            }
            POW_HI[q - MIN_Q] = c.shiftRight(64).longValue();
            POW_LO[q - MIN_Q] = c.and(mask64).longValue();
        }
    }

    private double value;

    /**
     * @param text characters.
     * @param from first character.
     * @param to end (exclusive).
     * @return true when the range is a plain decimal; {@link #value()} is then {@code Double.parseDouble} of it.
     */
    public boolean parse(final char[] text, final int from, final int to)
    {
        int i = from;
        boolean negative = false;
        if (i < to && (text[i] == '-' || text[i] == '+'))
        {
            negative = text[i] == '-';
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int exponent = 0;
        boolean truncated = false;
        boolean any = false;
        // integer part: leading zeros are not significant
        while (i < to && text[i] >= '0' && text[i] <= '9')
        {
            any = true;
            final int d = text[i] - '0';
            if (digits < MAX_DIGITS)
            {
                if (digits > 0 || d != 0)
                {
                    mantissa = mantissa * 10 + d;
                    digits++;
                }
            }
            else
            {
                exponent++;
                truncated |= d != 0;
            }
            i++;
        }
        if (i < to && text[i] == '.')
        {
            i++;
            while (i < to && text[i] >= '0' && text[i] <= '9')
            {
                any = true;
                final int d = text[i] - '0';
                if (digits < MAX_DIGITS)
                {
                    if (digits > 0 || d != 0)
                    {
                        mantissa = mantissa * 10 + d;
                        digits++;
                    }
                    exponent--;
                }
                else
                {
                    truncated |= d != 0;
                }
                i++;
            }
        }
        if (!any)
        {
            return false;
        }
        if (i < to && (text[i] == 'e' || text[i] == 'E'))
        {
            i++;
            boolean negativeExponent = false;
            if (i < to && (text[i] == '-' || text[i] == '+'))
            {
                negativeExponent = text[i] == '-';
                i++;
            }
            if (i == to)
            {
                return false;
            }
            int e = 0;
            while (i < to && text[i] >= '0' && text[i] <= '9')
            {
                // saturate: beyond 10^9 the value is 0 or infinite anyway
                e = e < 100_000_000 ? e * 10 + (text[i] - '0') : e;
                i++;
            }
            exponent += negativeExponent ? -e : e;
        }
        if (i != to)
        {
            return false;
        }
        final long bits = toBits(mantissa, exponent, digits, truncated);
        if (bits == FAIL)
        {
            // Rare: subnormal, extreme exponent or an ambiguous product.
            value = Double.parseDouble(new String(text, from, to - from));
            return true;
        }
        value = Double.longBitsToDouble(negative ? bits | Long.MIN_VALUE : bits);
        return true;
    }

    /**
     * @return the value of the last successful {@link #parse}.
     */
    public double value()
    {
        return value;
    }

    /**
     * @return the bits of the positive double nearest w * 10^q, or {@link #FAIL} when only the slow path can tell.
     */
    private static long toBits(final long w, final int q, final int digits, final boolean truncated)
    {
        if (w == 0)
        {
            return 0L;
        }
        if (q + digits > MAX_Q + 2)
        {
            return Double.doubleToRawLongBits(Double.POSITIVE_INFINITY);
        }
        if (q + digits < MIN_Q - 40)
        {
            return 0L;
        }
        if (!truncated && (w >>> 53) == 0)
        {
            if (q >= 0 && q <= 22)
            {
                return Double.doubleToRawLongBits(w * POW10[q]);
            }
            if (q < 0 && q >= -22)
            {
                return Double.doubleToRawLongBits(w / POW10[-q]);
            }
            if (q > 22 && q <= 22 + 15)
            {
                final long scale = LONG_POW10[q - 22];
                final long scaled = w * scale;
                if (Math.multiplyHigh(w, scale) == 0 && scaled >= 0 && (scaled >>> 53) == 0)
                {
                    return Double.doubleToRawLongBits(scaled * POW10[22]);
                }
            }
        }
        if (q >= -4 && q <= -1)
        {
            return FAIL;
        }
        final long bits = eiselLemire(w, q);
        if (!truncated || bits == FAIL)
        {
            return bits;
        }
        return eiselLemire(w + 1, q) == bits ? bits : FAIL;
    }

    private static long eiselLemire(final long w, final int q)
    {
        if (q < MIN_Q || q > MAX_Q)
        {
            return FAIL;
        }
        final int clz = Long.numberOfLeadingZeros(w);
        final long man = w << clz;
        long retExp2 = ((217706L * q) >> 16) + 64 + 1023 - clz;
        final long hi = POW_HI[q - MIN_Q];
        final long lo = POW_LO[q - MIN_Q];
        long xHi = unsignedMultiplyHigh(man, hi);
        long xLo = man * hi;
        if ((xHi & 0x1FF) == 0x1FF && Long.compareUnsigned(xLo + man, man) < 0)
        {
            final long yHi = unsignedMultiplyHigh(man, lo);
            final long yLo = man * lo;
            long mergedHi = xHi;
            final long mergedLo = xLo + yHi;
            if (Long.compareUnsigned(mergedLo, xLo) < 0)
            {
                mergedHi++;
            }
            if ((mergedHi & 0x1FF) == 0x1FF && mergedLo + 1 == 0 && Long.compareUnsigned(yLo + man, man) < 0)
            {
                return FAIL;
            }
            xHi = mergedHi;
            xLo = mergedLo;
        }
        final long msb = xHi >>> 63;
        long retMantissa = xHi >>> (msb + 9);
        retExp2 -= 1 ^ msb;
        if (xLo == 0 && (xHi & 0x1FF) == 0 && (retMantissa & 3) == 1)
        {
            return FAIL;
        }
        retMantissa += retMantissa & 1;
        retMantissa >>>= 1;
        if ((retMantissa >>> 53) > 0)
        {
            retMantissa >>>= 1;
            retExp2 += 1;
        }
        if (retExp2 <= 0 || retExp2 >= 0x7FF)
        {
            return FAIL;
        }
        return retExp2 << 52 | retMantissa & 0x000F_FFFF_FFFF_FFFFL;
    }

    /** {@code Math.unsignedMultiplyHigh} (Java 18) for Java 17. */
    private static long unsignedMultiplyHigh(final long a, final long b)
    {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }
}
