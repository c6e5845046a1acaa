package mad.ingest.decode;

import org.agrona.DirectBuffer;

/**
 * A reusable, allocation-free pull scanner for one JSON document in a {@link DirectBuffer} range, token by token as
 * Jackson's {@code UTF8StreamJsonParser} reads it (so decoders that were written against Jackson keep their exact
 * semantics): strict RFC 8259 syntax, whitespace only space, tab, CR and LF, a UTF-8 byte order mark skipped, nesting
 * limited to 1000 and numbers to 1000 digits (Jackson's default {@code StreamReadConstraints}), and, when enabled,
 * Jackson's non-numeric numbers {@code NaN}, {@code Infinity}, {@code +Infinity}, {@code -Infinity}, {@code +INF},
 * {@code -INF}.
 *
 * <p>Strings and field names are decoded into {@link #text()} as UTF-16 code units, exactly as Jackson decodes them:
 * escapes {@code \" \\ \/ \b \f \n \r \t \\uXXXX}, UTF-8 sequences decoded without an overlong check (as Jackson),
 * encoded surrogates rejected, 4-byte sequences turned into a surrogate pair. Numbers and literals put their source
 * text there too. The raw byte range of the token is {@link #tokenStart()}..{@link #tokenEnd()}.
 *
 * <p>Errors do not throw: {@link #next()} returns {@link #ERROR} and {@link #error()} /
 * {@link #errorPosition()} say what and where (byte offset from the start of the range); every later call returns
 * {@link #ERROR} again. A scanner stops after the root value: {@link #next()} then returns {@link #END} at the end of
 * input and {@link #ERROR} for trailing content; a caller that never asks does not look at what follows.
 *
 * <p>Thread ownership: one instance per decoding thread, reused for every document.
 */
public final class JsonScanner
{
    /** End of input after the root value (or an empty document). */
    public static final int END = 0;
    public static final int START_OBJECT = 1;
    public static final int END_OBJECT = 2;
    public static final int START_ARRAY = 3;
    public static final int END_ARRAY = 4;
    public static final int FIELD_NAME = 5;
    public static final int STRING = 6;
    public static final int NUMBER_INT = 7;
    public static final int NUMBER_FLOAT = 8;
    public static final int TRUE = 9;
    public static final int FALSE = 10;
    public static final int NULL = 11;
    public static final int ERROR = 12;

    private static final int MAX_DEPTH = 1000;
    private static final int MAX_NUMBER_DIGITS = 1000;

    private static final int ROOT = 0;
    private static final int ROOT_DONE = 1;
    private static final int OBJECT_FIRST = 2;
    private static final int AFTER_NAME = 3;
    private static final int ARRAY_FIRST = 4;
    private static final int AFTER_VALUE = 5;
    private static final int FAILED = 6;

    private final ExactDouble exact = new ExactDouble();
    private final boolean allowNonNumeric;
    private DirectBuffer buffer;
    private int base;
    private int position;
    private int end;
    private int state;
    private int depth;
    // true = object, per depth level
    private final boolean[] objects = new boolean[MAX_DEPTH + 1];
    private int token;
    private int tokenStart;
    private int tokenEnd;
    private char[] text = new char[256];
    private int textLength;
    private double special;
    private boolean isSpecial;
    private String error;
    private int errorPosition;

    /**
     * @param allowNonNumeric true to accept Jackson's {@code ALLOW_NON_NUMERIC_NUMBERS} tokens.
     */
    public JsonScanner(final boolean allowNonNumeric)
    {
        this.allowNonNumeric = allowNonNumeric;
    }

    /**
     * Starts a document.
     *
     * @param source the bytes.
     * @param offset first byte of the document.
     * @param length its length.
     * @return this.
     */
    public JsonScanner wrap(final DirectBuffer source, final int offset, final int length)
    {
        buffer = source;
        base = offset;
        position = offset;
        end = offset + length;
        state = ROOT;
        depth = 0;
        token = END;
        error = null;
        errorPosition = -1;
        if (length >= 3 && source.getByte(offset) == (byte)0xEF && source.getByte(offset + 1) == (byte)0xBB
            && source.getByte(offset + 2) == (byte)0xBF)
        {
            position += 3;
        }
        return this;
    }

    /**
     * @return the next token.
     */
    public int next()
    {
        switch (state)
        {
            case ROOT:
            {
                final int c = skipWhitespace();
                if (c < 0)
                {
                    return token = END;
                }
                return value(c);
            }
            case OBJECT_FIRST:
            {
                final int c = skipWhitespace();
                if (c == '}')
                {
                    position++;
                    return close(END_OBJECT);
                }
                return name(c);
            }
            case AFTER_NAME:
            {
                final int c = skipWhitespace();
                if (c != ':')
                {
                    return fail(c < 0 ? "unexpected end of input" : "expected ':' after a field name");
                }
                position++;
                final int v = skipWhitespace();
                return value(v);
            }
            case ARRAY_FIRST:
            {
                final int c = skipWhitespace();
                if (c == ']')
                {
                    position++;
                    return close(END_ARRAY);
                }
                return value(c);
            }
            case AFTER_VALUE:
            {
                final int c = skipWhitespace();
                final boolean object = objects[depth];
                if (c == ',')
                {
                    position++;
                    final int n = skipWhitespace();
                    return object ? name(n) : value(n);
                }
                if (object && c == '}')
                {
                    position++;
                    return close(END_OBJECT);
                }
                if (!object && c == ']')
                {
                    position++;
                    return close(END_ARRAY);
                }
                if (c < 0)
                {
                    return fail("unexpected end of input");
                }
                return fail(object ? "expected ',' or '}'" : "expected ',' or ']'");
            }
            case ROOT_DONE:
            {
                final int c = skipWhitespace();
                if (c < 0)
                {
                    return token = END;
                }
                return fail("trailing content after the root value");
            }
            default:
                return ERROR;
        }
    }

    /**
     * Skips the contents of the object or array just started (as Jackson's {@code skipChildren}); does nothing for
     * any other token.
     *
     * @return the closing token, {@link #ERROR}, or the current token when it does not start a structure.
     */
    public int skipChildren()
    {
        if (token != START_OBJECT && token != START_ARRAY)
        {
            return token;
        }
        int open = 1;
        while (true)
        {
            final int t = next();
            if (t == ERROR)
            {
                return ERROR;
            }
            if (t == START_OBJECT || t == START_ARRAY)
            {
                open++;
            }
            else if (t == END_OBJECT || t == END_ARRAY)
            {
                if (--open == 0)
                {
                    return t;
                }
            }
        }
    }

    /**
     * @return the current token.
     */
    public int token()
    {
        return token;
    }

    /**
     * @return true for a string, number or literal (Jackson's {@code isScalarValue}).
     */
    public static boolean isScalar(final int token)
    {
        return token >= STRING && token <= NULL;
    }

    /**
     * @return the decoded characters of the current string, field name, number or literal (reused).
     */
    public char[] text()
    {
        return text;
    }

    /**
     * @return the number of characters in {@link #text()}.
     */
    public int textLength()
    {
        return textLength;
    }

    /**
     * @return the byte offset of the current token (from the wrapped offset; strings: the opening quote).
     */
    public int tokenStart()
    {
        return tokenStart - base;
    }

    /**
     * @return the byte offset just after the current token.
     */
    public int tokenEnd()
    {
        return tokenEnd - base;
    }

    /**
     * @return the current number as Jackson's {@code getDoubleValue()}: the correctly rounded double of the text,
     *         except that an integer zero is +0.0 (Jackson reads {@code -0} as the int 0).
     */
    public double doubleValue()
    {
        if (isSpecial)
        {
            return special;
        }
        exact.parse(text, 0, textLength);
        final double value = exact.value();
        return token == NUMBER_INT && value == 0 ? 0.0 : value;
    }

    /**
     * @return true when the current integer token fits a long ({@link #longValue()} is then valid).
     */
    public boolean integerFitsLong()
    {
        final int digitsFrom = text[0] == '-' ? 1 : 0;
        final int digits = textLength - digitsFrom;
        if (digits < 19)
        {
            return true;
        }
        if (digits > 19)
        {
            return false;
        }
        final String limit = digitsFrom == 1 ? "9223372036854775808" : "9223372036854775807";
        for (int i = 0; i < 19; i++)
        {
            final char c = text[digitsFrom + i];
            if (c != limit.charAt(i))
            {
                return c < limit.charAt(i);
            }
        }
        return true;
    }

    /**
     * @return the current integer token as a long (check {@link #integerFitsLong()} first).
     */
    public long longValue()
    {
        final boolean negative = text[0] == '-';
        long value = 0;
        for (int i = negative ? 1 : 0; i < textLength; i++)
        {
            value = value * 10 - (text[i] - '0');
        }
        return negative ? value : -value;
    }

    /**
     * @return what was wrong, or null.
     */
    public String error()
    {
        return error;
    }

    /**
     * @return the byte offset (from the wrapped offset) where the error was found, or -1.
     */
    public int errorPosition()
    {
        return errorPosition;
    }

    /**
     * @return {@code error() + " at byte " + errorPosition()} (allocates: for error reports only).
     */
    public String describeError()
    {
        return error + " at byte " + errorPosition;
    }

    private int skipWhitespace()
    {
        while (position < end)
        {
            final int c = buffer.getByte(position) & 0xFF;
            if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
            {
                position++;
                continue;
            }
            return c;
        }
        return -1;
    }

    private int value(final int c)
    {
        tokenStart = position;
        switch (c)
        {
            case '{':
                position++;
                return open(true, START_OBJECT, OBJECT_FIRST);
            case '[':
                position++;
                return open(false, START_ARRAY, ARRAY_FIRST);
            case '"':
                if (!string(false))
                {
                    return ERROR;
                }
                return scalar(STRING);
            case 't':
                return literal("true", TRUE);
            case 'f':
                return literal("false", FALSE);
            case 'n':
                return literal("null", NULL);
            case '-':
                if (allowNonNumeric && position + 1 < end && buffer.getByte(position + 1) == 'I')
                {
                    return nonNumeric();
                }
                return number();
            case '+':
                if (allowNonNumeric && position + 1 < end && buffer.getByte(position + 1) == 'I')
                {
                    return nonNumeric();
                }
                return fail("numbers may not start with '+'");
            case 'N':
                if (allowNonNumeric)
                {
                    return nonNumeric();
                }
                return fail("unexpected character, expected a value");
            case 'I':
                if (allowNonNumeric)
                {
                    return nonNumeric();
                }
                return fail("unexpected character, expected a value");
            case -1:
                return fail("unexpected end of input");
            default:
                if (c >= '0' && c <= '9')
                {
                    return number();
                }
                return fail("unexpected character, expected a value");
        }
    }

    private int open(final boolean object, final int opened, final int nextState)
    {
        if (depth == MAX_DEPTH)
        {
            return fail("nesting deeper than " + MAX_DEPTH);
        }
        objects[++depth] = object;
        state = nextState;
        tokenEnd = position;
        isSpecial = false;
        return token = opened;
    }

    private int close(final int closed)
    {
        depth--;
        state = depth == 0 ? ROOT_DONE : AFTER_VALUE;
        tokenEnd = position;
        tokenStart = position - 1;
        return token = closed;
    }

    private int scalar(final int scalar)
    {
        state = depth == 0 ? ROOT_DONE : AFTER_VALUE;
        tokenEnd = position;
        return token = scalar;
    }

    private int name(final int c)
    {
        tokenStart = position;
        if (c != '"')
        {
            return fail(c < 0 ? "unexpected end of input" : "expected '\"' to start a field name");
        }
        if (!string(true))
        {
            return ERROR;
        }
        state = AFTER_NAME;
        tokenEnd = position;
        isSpecial = false;
        return token = FIELD_NAME;
    }

    private int literal(final String word, final int literal)
    {
        final int length = word.length();
        if (position + length > end)
        {
            return fail("unrecognized token, expected " + word);
        }
        for (int i = 0; i < length; i++)
        {
            if (buffer.getByte(position + i) != word.charAt(i))
            {
                return fail("unrecognized token, expected " + word);
            }
        }
        position += length;
        setAsciiText(tokenStart, position);
        isSpecial = false;
        return scalar(literal);
    }

    private int nonNumeric()
    {
        final int c = buffer.getByte(position) & 0xFF;
        final int at = c == 'N' || c == 'I' ? position : position + 1;
        final boolean negative = c == '-';
        final double infinity = negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        if (c == 'N')
        {
            return matchSpecial(at, "NaN", Double.NaN);
        }
        if (at + 1 < end && buffer.getByte(at + 1) == 'N')
        {
            if (c == 'I')
            {
                // a bare INF is not accepted, only +INF and -INF
                return fail("unrecognized token, expected Infinity");
            }
            return matchSpecial(at, "INF", infinity);
        }
        return matchSpecial(at, "Infinity", infinity);
    }

    private int matchSpecial(final int at, final String word, final double value)
    {
        final int length = word.length();
        if (at + length > end)
        {
            return fail("unrecognized token, expected " + word);
        }
        for (int i = 0; i < length; i++)
        {
            if (buffer.getByte(at + i) != word.charAt(i))
            {
                return fail("unrecognized token, expected " + word);
            }
        }
        position = at + length;
        setAsciiText(tokenStart, position);
        isSpecial = true;
        special = value;
        return scalar(NUMBER_FLOAT);
    }

    private int number()
    {
        int p = position;
        if (buffer.getByte(p) == '-')
        {
            p++;
        }
        int digits = 0;
        final int intStart = p;
        while (p < end && isDigit(buffer.getByte(p)))
        {
            p++;
        }
        if (p == intStart)
        {
            position = p;
            return fail("expected a digit after '-'");
        }
        if (buffer.getByte(intStart) == '0' && p - intStart > 1)
        {
            position = intStart;
            return fail("leading zeros are not allowed");
        }
        digits += p - intStart;
        boolean isFloat = false;
        if (p < end && buffer.getByte(p) == '.')
        {
            isFloat = true;
            p++;
            final int fractionStart = p;
            while (p < end && isDigit(buffer.getByte(p)))
            {
                p++;
            }
            if (p == fractionStart)
            {
                position = p;
                return fail("decimal point not followed by a digit");
            }
            digits += p - fractionStart;
        }
        if (p < end && (buffer.getByte(p) == 'e' || buffer.getByte(p) == 'E'))
        {
            isFloat = true;
            p++;
            if (p < end && (buffer.getByte(p) == '+' || buffer.getByte(p) == '-'))
            {
                p++;
            }
            final int exponentStart = p;
            while (p < end && isDigit(buffer.getByte(p)))
            {
                p++;
            }
            if (p == exponentStart)
            {
                position = p;
                return fail("exponent not followed by a digit");
            }
            digits += p - exponentStart;
        }
        if (digits > MAX_NUMBER_DIGITS)
        {
            return fail("number longer than " + MAX_NUMBER_DIGITS + " digits");
        }
        position = p;
        setAsciiText(tokenStart, p);
        isSpecial = false;
        return scalar(isFloat ? NUMBER_FLOAT : NUMBER_INT);
    }

    private static boolean isDigit(final byte b)
    {
        return b >= '0' && b <= '9';
    }

    private void setAsciiText(final int from, final int to)
    {
        final int length = to - from;
        ensureText(length);
        for (int i = 0; i < length; i++)
        {
            text[i] = (char)buffer.getByte(from + i);
        }
        textLength = length;
    }

    private void ensureText(final int length)
    {
        if (text.length < length)
        {
            text = java.util.Arrays.copyOf(text, Math.max(length, text.length * 2));
        }
    }

    /**
     * Decodes the string starting at the quote at {@link #position} into {@link #text}.
     *
     * @param name true for a field name: Jackson decodes names with stricter surrogate rules (a {@code \\u} high
     *        surrogate must be followed by a {@code \\u} low surrogate, a lone low one is an error) and builds the
     *        high surrogate of a 4-byte sequence with {@code +} instead of {@code |} (only differs for overlong ones).
     */
    private boolean string(final boolean name)
    {
        int p = position + 1;
        int n = 0;
        while (true)
        {
            if (p >= end)
            {
                position = p;
                fail("unexpected end of input in a string");
                return false;
            }
            if (n + 2 > text.length)
            {
                ensureText(n + 2);
            }
            final int c = buffer.getByte(p) & 0xFF;
            if (c == '"')
            {
                p++;
                break;
            }
            if (c < 0x20)
            {
                position = p;
                fail("unescaped control character in a string");
                return false;
            }
            if (c < 0x80 && c != '\\')
            {
                text[n++] = (char)c;
                p++;
                continue;
            }
            if (c == '\\')
            {
                if (p + 1 >= end)
                {
                    position = p;
                    fail("unexpected end of input in a string");
                    return false;
                }
                final int e = buffer.getByte(p + 1) & 0xFF;
                p += 2;
                switch (e)
                {
                    case '"':
                    case '\\':
                    case '/':
                        text[n++] = (char)e;
                        break;
                    case 'b':
                        text[n++] = '\b';
                        break;
                    case 'f':
                        text[n++] = '\f';
                        break;
                    case 'n':
                        text[n++] = '\n';
                        break;
                    case 'r':
                        text[n++] = '\r';
                        break;
                    case 't':
                        text[n++] = '\t';
                        break;
                    case 'u':
                    {
                        int u = 0;
                        for (int i = 0; i < 4; i++)
                        {
                            final int h = p < end ? hex(buffer.getByte(p)) : -1;
                            if (h < 0)
                            {
                                position = p;
                                fail("expected a hex digit in a \\u escape");
                                return false;
                            }
                            u = (u << 4) | h;
                            p++;
                        }
                        if (name && u >= 0xD800 && u < 0xE000)
                        {
                            final int low = u < 0xDC00 ? lowSurrogateEscape(p) : -1;
                            if (low < 0)
                            {
                                position = p;
                                fail("broken surrogate pair in a field name");
                                return false;
                            }
                            text[n++] = (char)u;
                            u = low;
                            p += 6;
                        }
                        text[n++] = (char)u;
                        break;
                    }
                    default:
                        position = p - 1;
                        fail("unrecognized character escape");
                        return false;
                }
                continue;
            }
            // UTF-8 sequence, decoded as Jackson does (no overlong check; encoded surrogates rejected)
            final int width = c >= 0xF0 ? (c <= 0xF7 ? 4 : -1) : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : -1;
            if (width < 0)
            {
                position = p;
                fail("invalid UTF-8 start byte");
                return false;
            }
            if (p + width > end)
            {
                position = end;
                fail("unexpected end of input in a string");
                return false;
            }
            int cp = c & (width == 2 ? 0x1F : width == 3 ? 0x0F : 0x07);
            for (int i = 1; i < width; i++)
            {
                final int d = buffer.getByte(p + i) & 0xFF;
                if ((d & 0xC0) != 0x80)
                {
                    position = p + i;
                    fail("invalid UTF-8 middle byte");
                    return false;
                }
                cp = (cp << 6) | (d & 0x3F);
            }
            if (width == 3 && cp >= 0xD800 && cp < 0xE000)
            {
                position = p;
                fail("invalid UTF-8: encoded surrogate");
                return false;
            }
            if (width == 4)
            {
                final int v = cp - 0x10000;
                text[n++] = (char)(name ? 0xD800 + (v >> 10) : 0xD800 | (v >> 10));
                text[n++] = (char)(0xDC00 | (v & 0x3FF));
            }
            else
            {
                text[n++] = (char)cp;
            }
            p += width;
        }
        position = p;
        textLength = n;
        return true;
    }

    /**
     * @return the low surrogate of a {@code \\uDC00}..{@code \\uDFFF} escape at {@code p}, or -1.
     */
    private int lowSurrogateEscape(final int p)
    {
        if (p + 6 > end || buffer.getByte(p) != '\\' || buffer.getByte(p + 1) != 'u')
        {
            return -1;
        }
        int u = 0;
        for (int i = 2; i < 6; i++)
        {
            final int h = hex(buffer.getByte(p + i));
            if (h < 0)
            {
                return -1;
            }
            u = (u << 4) | h;
        }
        return u >= 0xDC00 && u < 0xE000 ? u : -1;
    }

    private static int hex(final byte b)
    {
        if (b >= '0' && b <= '9')
        {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f')
        {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F')
        {
            return b - 'A' + 10;
        }
        return -1;
    }

    private int fail(final String reason)
    {
        if (error == null)
        {
            error = reason;
            errorPosition = position - base;
        }
        state = FAILED;
        return token = ERROR;
    }
}
