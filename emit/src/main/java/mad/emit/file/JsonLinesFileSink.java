package mad.emit.file;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import mad.emit.EmitContext;
import mad.emit.RateLimitedLog;
import mad.emit.Sink;
import mad.emit.cagg.CaggEncoder;
import mad.engine.config.Settings;
import mad.engine.output.AggregatedMetric;
import mad.engine.output.PeriodicData;
import mad.engine.stat.Statistic;

/**
 * madx's own sink ({@code type = madx.sinks.JsonLinesFileSink}): appends one JSON object per metric per closed
 * bucket to {@code path} (default {@code logs/aggregates.jsonl}, relative to the working directory), so a newcomer
 * sees aggregates without a downstream:
 * <pre>
 * {"period":"PT1M","start":"2026-11-25T06:08Z","dimensions":{"host":"h"},"metric":"latency","type":"TIMER",
 *  "statistics":{"max":{"value":0.3,"unit":"SECOND","user_specified":true},...},"histogram":[[0.1,2],[0.3,1]]}
 * </pre>
 * {@code histogram} is present only when the metric has one. Non-finite numbers are written as the strings
 * {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"} (JSON has no such numbers).
 *
 * <p>Thread ownership: the pipeline's emitter thread writes synchronously through a {@link BufferedWriter} flushed
 * once per bucket (a few lines per period: not a hot path). I/O errors are counted and logged, never thrown.
 */
public final class JsonLinesFileSink implements Sink
{
    /** Default output file, relative to the working directory. */
    public static final String DEFAULT_PATH = "logs/aggregates.jsonl";
    private static final Logger LOGGER = LoggerFactory.getLogger(JsonLinesFileSink.class);

    private final String name;
    private final Path path;
    private final Writer writer;
    private final StringBuilder line = new StringBuilder(512);
    private final RateLimitedLog errorLog;
    private final AtomicLong linesWritten = new AtomicLong();
    private final AtomicLong writeErrors = new AtomicLong();

    /**
     * Opens (creating parent directories) the file for appending.
     *
     * @param name the sink name (for log lines).
     * @param path the output file.
     * @param context the emit context (clock).
     * @throws IOException when the file cannot be opened.
     */
    public JsonLinesFileSink(final String name, final Path path, final EmitContext context) throws IOException
    {
        this.name = name;
        this.path = path;
        final Path parent = path.toAbsolutePath().getParent();
        if (parent != null)
        {
            Files.createDirectories(parent);
        }
        this.writer = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        this.errorLog = new RateLimitedLog(LOGGER, context.clock(), RateLimitedLog.DEFAULT_INTERVAL_MS);
    }

    /**
     * Reads {@code path} ({@value #DEFAULT_PATH}).
     */
    public static JsonLinesFileSink create(final Settings settings, final EmitContext context)
    {
        final String text = settings.string("path", DEFAULT_PATH);
        final Path path;
        try
        {
            path = Paths.get(text);
        }
        catch (final InvalidPathException e)
        {
            throw settings.error("path", "'" + text + "' is not a valid path: " + e.getMessage());
        }
        try
        {
            return new JsonLinesFileSink(settings.string("name", "jsonl"), path, context);
        }
        catch (final IOException e)
        {
            throw settings.error("path", "cannot open '" + path.toAbsolutePath() + "' for appending: " + e);
        }
    }

    @Override
    public void recordAggregateData(final PeriodicData data)
    {
        final int metrics = data.metricCount();
        if (metrics == 0)
        {
            return;
        }
        try
        {
            final String start = CaggEncoder.timestampText(data.startMs());
            for (int i = 0; i < metrics; i++)
            {
                line.setLength(0);
                appendMetric(line, data, start, data.metric(i));
                line.append('\n');
                writer.append(line);
            }
            writer.flush();
            linesWritten.addAndGet(metrics);
        }
        catch (final IOException | RuntimeException e)
        {
            writeErrors.incrementAndGet();
            errorLog.warn("sink '" + name + "': cannot write to " + path.toAbsolutePath() + ": " + e);
        }
    }

    @Override
    public void close()
    {
        try
        {
            writer.close();
        }
        catch (final IOException e)
        {
            LOGGER.warn("sink '{}': closing {} failed", name, path.toAbsolutePath(), e);
        }
    }

    /**
     * @return lines written.
     */
    public long linesWritten()
    {
        return linesWritten.get();
    }

    /**
     * @return buckets that failed to write.
     */
    public long writeErrors()
    {
        return writeErrors.get();
    }

    @Override
    public String toString()
    {
        return "JsonLinesFileSink{" + name + " -> " + path + "}";
    }

    /**
     * Renders one metric of a bucket as a JSON object (no newline).
     */
    static void appendMetric(
        final StringBuilder out, final PeriodicData data, final String start, final AggregatedMetric metric)
    {
        out.append("{\"period\":");
        appendString(out, data.period().toString());
        out.append(",\"start\":");
        appendString(out, start);
        out.append(",\"dimensions\":{");
        boolean first = true;
        for (final Map.Entry<String, String> entry : data.dimensions().entrySet())
        {
            out.append(first ? "" : ",");
            first = false;
            appendString(out, entry.getKey());
            out.append(':');
            appendString(out, entry.getValue());
        }
        out.append("},\"metric\":");
        appendString(out, metric.name());
        out.append(",\"type\":");
        appendString(out, metric.type() == null ? "" : metric.type().name());
        out.append(",\"statistics\":{");
        for (int i = 0; i < metric.statisticCount(); i++)
        {
            out.append(i == 0 ? "" : ",");
            appendString(out, metric.statistic(i).wireName());
            out.append(":{\"value\":");
            appendNumber(out, metric.value(i));
            out.append(",\"unit\":");
            appendString(out, metric.statistic(i) == Statistic.HISTOGRAM || metric.unit(i) == null
                ? "" : metric.unit(i).wireName());
            out.append(",\"user_specified\":").append(metric.specified(i)).append('}');
        }
        out.append('}');
        if (metric.indexOf(Statistic.HISTOGRAM) >= 0)
        {
            out.append(",\"histogram\":[");
            for (int b = 0; b < metric.bucketCount(); b++)
            {
                out.append(b == 0 ? "[" : ",[");
                appendNumber(out, metric.bucket(b));
                out.append(',').append(metric.bucketCountAt(b)).append(']');
            }
            out.append(']');
        }
        out.append('}');
    }

    private static void appendNumber(final StringBuilder out, final double value)
    {
        if (Double.isNaN(value) || Double.isInfinite(value))
        {
            out.append('"').append(value).append('"');
        }
        else
        {
            out.append(value);
        }
    }

    private static void appendString(final StringBuilder out, final String value)
    {
        if (value == null)
        {
            out.append("null");
            return;
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            switch (c)
            {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                default:
                    if (c < 0x20)
                    {
                        out.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }
}
