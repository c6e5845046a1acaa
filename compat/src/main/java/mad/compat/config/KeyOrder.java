package mad.compat.config;

import com.typesafe.config.ConfigValue;
import java.math.BigInteger;
import java.util.Comparator;
import java.util.Map;

/**
 * The order in which the entries of a configuration object are seen, which decides MAD's "first matching regex wins"
 * for the pipeline {@code statistics} map (and any other ordered map a component reads).
 *
 * <p>Why two orders: MAD never binds HOCON directly. {@code HoconFileSource} renders the resolved Typesafe tree to
 * JSON text with {@code ConfigObject.render(concise())} and Jackson reads that text into LinkedHashMaps. Typesafe's
 * renderer sorts the keys of every object (all-digit keys first, numerically, then the rest by
 * {@link String#compareTo}), so for a {@code .conf} file MAD's "file order" is really that sorted order (verified on
 * config 1.3.3 as shipped with MAD 1.20.1 and on 1.4.10). A JSON pipeline file is read by Jackson directly, so there
 * the order really is the order in the file; Typesafe objects are unordered, so we recover it from each value's
 * origin line (entries sharing one line fall back to the rendered order).
 *
 * <p>Thread ownership: stateless, immutable; any thread.
 */
public enum KeyOrder
{
    /** The order MAD sees for HOCON files: Typesafe's render order. */
    RENDERED,
    /** The order MAD sees for JSON files: the order in the file, by origin line number. */
    FILE;

    private static final Comparator<String> RENDER_ORDER = KeyOrder::compareRendered;

    /**
     * @return a comparator over the entries of one object implementing this order.
     */
    Comparator<Map.Entry<String, ConfigValue>> comparator()
    {
        final Comparator<Map.Entry<String, ConfigValue>> byKey = (a, b) -> RENDER_ORDER.compare(a.getKey(), b.getKey());
        if (this == RENDERED)
        {
            return byKey;
        }
        final Comparator<Map.Entry<String, ConfigValue>> byLine =
                Comparator.comparingInt(e -> e.getValue().origin().lineNumber());
        return byLine.thenComparing(byKey);
    }

    /**
     * Typesafe's {@code SimpleConfigObject.RenderComparator}: digit-only keys first, in numeric order, then the
     * others in {@link String#compareTo} order.
     */
    static int compareRendered(final String a, final String b)
    {
        final boolean aDigits = isAllDigits(a);
        final boolean bDigits = isAllDigits(b);
        if (aDigits && bDigits)
        {
            return new BigInteger(a).compareTo(new BigInteger(b));
        }
        if (aDigits)
        {
            return -1;
        }
        if (bDigits)
        {
            return 1;
        }
        return a.compareTo(b);
    }

    private static boolean isAllDigits(final String s)
    {
        if (s.isEmpty())
        {
            return false;
        }
        for (int i = 0; i < s.length(); i++)
        {
            if (!Character.isDigit(s.charAt(i)))
            {
                return false;
            }
        }
        return true;
    }
}
