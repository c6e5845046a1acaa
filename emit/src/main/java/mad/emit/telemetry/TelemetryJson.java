package mad.emit.telemetry;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import mad.engine.model.Unit;

/**
 * The telemetry protocol's JSON (mad-spec 7.11): writes the server messages by hand (fixed shapes, no reflection)
 * and reads client commands with jackson-core's streaming parser.
 *
 * <p>Thread ownership: stateless; the {@link JsonFactory} is thread-safe.
 */
final class TelemetryJson
{
    /** {@code {"response":"ok"}}: the heartbeat answer. */
    static final String OK = "{\"response\":\"ok\"}";
    private static final JsonFactory FACTORY = new JsonFactory();

    private TelemetryJson()
    {
    }

    /**
     * Reads a command object: its top-level string fields, and those of a {@code data} object when the top level
     * does not have them. Arrays and other values are skipped.
     *
     * @param text the frame.
     * @return the string fields.
     * @throws IllegalArgumentException when the text is not one JSON object.
     */
    static Map<String, String> readCommand(final String text)
    {
        final Map<String, String> fields = new HashMap<>();
        try (JsonParser parser = FACTORY.createParser(text))
        {
            if (parser.nextToken() != JsonToken.START_OBJECT)
            {
                throw new IllegalArgumentException("not a JSON object");
            }
            readObject(parser, fields, true);
            if (parser.nextToken() != null)
            {
                throw new IllegalArgumentException("trailing content after the JSON object");
            }
        }
        catch (final JsonProcessingException e)
        {
            throw new IllegalArgumentException("invalid JSON: " + e.getOriginalMessage(), e);
        }
        catch (final IOException e)
        {
            throw new IllegalArgumentException("invalid JSON: " + e.getMessage(), e);
        }
        return fields;
    }

    static String newMetric(final String service, final String metric, final String statistic)
    {
        final StringBuilder json = new StringBuilder(96).append("{\"command\":\"newMetric\",\"data\":{\"service\":");
        string(json, service).append(",\"metric\":");
        string(json, metric).append(",\"statistic\":");
        return string(json, statistic).append("}}").toString();
    }

    /**
     * @return v1 {@code report} or v2 {@code reportMetric}.
     */
    static String report(final TelemetryHub.Protocol protocol, final String server, final String service,
        final String metric, final long timestampMs, final String statistic, final double value, final Unit unit)
    {
        final StringBuilder json = new StringBuilder(192)
            .append(protocol == TelemetryHub.Protocol.V1 ? "{\"command\":\"report\"" : "{\"command\":\"reportMetric\"")
            .append(",\"data\":{\"server\":");
        string(json, server).append(",\"service\":");
        string(json, service).append(",\"metric\":");
        string(json, metric).append(",\"timestamp\":").append(timestampMs).append(",\"statistic\":");
        string(json, statistic).append(",\"data\":");
        number(json, value);
        if (protocol == TelemetryHub.Protocol.V2)
        {
            json.append(",\"numeratorUnits\":[");
            if (unit != null && unit != Unit.NONE)
            {
                string(json, unit.wireName());
            }
            json.append("],\"denominatorUnits\":[]");
        }
        return json.append("}}").toString();
    }

    static String metricsList(final SortedMap<String, SortedMap<String, SortedSet<String>>> registry)
    {
        final StringBuilder json =
            new StringBuilder(256).append("{\"command\":\"metricsList\",\"data\":{\"metrics\":[");
        boolean firstService = true;
        for (final Map.Entry<String, SortedMap<String, SortedSet<String>>> service : registry.entrySet())
        {
            json.append(firstService ? "" : ",").append("{\"name\":");
            firstService = false;
            string(json, service.getKey()).append(",\"children\":[");
            boolean firstMetric = true;
            for (final Map.Entry<String, SortedSet<String>> metric : service.getValue().entrySet())
            {
                json.append(firstMetric ? "" : ",").append("{\"name\":");
                firstMetric = false;
                string(json, metric.getKey()).append(",\"children\":[");
                boolean firstStatistic = true;
                for (final String statistic : metric.getValue())
                {
                    json.append(firstStatistic ? "" : ",").append("{\"name\":");
                    firstStatistic = false;
                    string(json, statistic).append(",\"children\":[]}");
                }
                json.append("]}");
            }
            json.append("]}");
        }
        return json.append("]}}").toString();
    }

    /** v2 {@code getLogs}: log tailing is never wired up in the daemon, so the list is always empty. */
    static String logsList()
    {
        return "{\"command\":\"logsList\",\"data\":{\"logs\":[]}}";
    }

    /** Our answer to a command we cannot process (MAD crashes the connection handler instead). */
    static String error(final String reason)
    {
        final StringBuilder json = new StringBuilder(64).append("{\"response\":\"error\",\"error\":");
        return string(json, reason).append('}').toString();
    }

    static StringBuilder string(final StringBuilder json, final String value)
    {
        if (value == null)
        {
            return json.append("null");
        }
        json.append('"');
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            switch (c)
            {
                case '"':
                    json.append("\\\"");
                    break;
                case '\\':
                    json.append("\\\\");
                    break;
                case '\n':
                    json.append("\\n");
                    break;
                case '\r':
                    json.append("\\r");
                    break;
                case '\t':
                    json.append("\\t");
                    break;
                default:
                    if (c < 0x20)
                    {
                        json.append("\\u00").append(Character.forDigit(c >> 4, 16))
                            .append(Character.forDigit(c & 15, 16));
                    }
                    else
                    {
                        json.append(c);
                    }
            }
        }
        return json.append('"');
    }

    /** Jackson's default for non-finite doubles (WRITE_NAN_AS_STRINGS): quoted. */
    private static void number(final StringBuilder json, final double value)
    {
        if (Double.isFinite(value))
        {
            json.append(value);
        }
        else
        {
            json.append('"').append(value).append('"');
        }
    }

    private static void readObject(final JsonParser parser, final Map<String, String> fields, final boolean top)
        throws IOException
    {
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME)
        {
            final String name = parser.currentName();
            token = parser.nextToken();
            if (token == JsonToken.VALUE_STRING)
            {
                if (top)
                {
                    fields.put(name, parser.getText());
                }
                else
                {
                    fields.putIfAbsent(name, parser.getText());
                }
            }
            else if (top && token == JsonToken.START_OBJECT && "data".equals(name))
            {
                final Map<String, String> nested = new HashMap<>();
                readObject(parser, nested, false);
                nested.forEach(fields::putIfAbsent);
            }
            else if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY)
            {
                parser.skipChildren();
            }
        }
        if (token != JsonToken.END_OBJECT)
        {
            throw new IllegalArgumentException("unterminated JSON object");
        }
    }
}
