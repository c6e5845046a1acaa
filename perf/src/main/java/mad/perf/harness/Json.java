package mad.perf.harness;

import java.util.List;
import java.util.Map;

/** Writes maps, lists, numbers, booleans and strings as JSON (the harness's result file). Stateless. */
final class Json
{
    private Json()
    {
    }

    static String write(final Object o)
    {
        final StringBuilder sb = new StringBuilder();
        write(sb, o);
        return sb.toString();
    }

    private static void write(final StringBuilder sb, final Object o)
    {
        if (o == null)
        {
            sb.append("null");
        }
        else if (o instanceof Map<?, ?> m)
        {
            sb.append('{');
            boolean first = true;
            for (final Map.Entry<?, ?> e : m.entrySet())
            {
                if (!first)
                {
                    sb.append(',');
                }
                first = false;
                str(sb, e.getKey().toString());
                sb.append(':');
                write(sb, e.getValue());
            }
            sb.append('}');
        }
        else if (o instanceof List<?> l)
        {
            sb.append('[');
            for (int i = 0; i < l.size(); i++)
            {
                if (i > 0)
                {
                    sb.append(',');
                }
                write(sb, l.get(i));
            }
            sb.append(']');
        }
        else if (o instanceof Number || o instanceof Boolean)
        {
            sb.append(o);
        }
        else
        {
            str(sb, o.toString());
        }
    }

    private static void str(final StringBuilder sb, final String s)
    {
        sb.append('"');
        for (final char c : s.toCharArray())
        {
            if (c == '"' || c == '\\')
            {
                sb.append('\\').append(c);
            }
            else if (c < 0x20)
            {
                sb.append(String.format("\\u%04x", (int) c));
            }
            else
            {
                sb.append(c);
            }
        }
        sb.append('"');
    }
}
