package mad.ingest.decode;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

import org.slf4j.Logger;

/**
 * Counts what a line transport did: units received (datagrams or reads), lines accepted, lines rejected per
 * {@link LineDecoder} code, and oversized lines discarded; logs a rejected line at most once per 30 s (MAD's
 * rate-limited warning), naming the source.
 *
 * <p>Thread ownership: one writer thread per instance (a channel's or event loop's thread); any thread may read.
 * Writes are ordered stores ({@code lazySet}), so no lock and no allocation on the hot path.
 */
public final class LineCounters
{
    private static final int RECEIVED = LineDecoder.CODE_COUNT;
    private static final int OVERSIZED = LineDecoder.CODE_COUNT + 1;
    private static final long LOG_INTERVAL_NS = TimeUnit.SECONDS.toNanos(30);

    private final AtomicLongArray counts = new AtomicLongArray(LineDecoder.CODE_COUNT + 2);
    private final String source;
    private final Logger log;
    private long lastLogNs = System.nanoTime() - LOG_INTERVAL_NS;

    /**
     * @param source the source name written into log lines.
     * @param log where rejections are logged.
     */
    public LineCounters(final String source, final Logger log)
    {
        this.source = source;
        this.log = log;
    }

    /** One datagram or read arrived. */
    public void received()
    {
        add(RECEIVED);
    }

    /** A line longer than the transport's limit was discarded. */
    public void oversized()
    {
        add(OVERSIZED);
        warn("line longer than the limit discarded");
    }

    /**
     * @param code the decoder's result for one line.
     * @param decoder the decoder (for its reason text).
     */
    public void line(final int code, final LineDecoder decoder)
    {
        add(-code);
        if (code != LineDecoder.OK && code != LineDecoder.SAMPLED_OUT)
        {
            warn(decoder.lastError());
        }
    }

    public long receivedCount()
    {
        return counts.get(RECEIVED);
    }

    public long oversizedCount()
    {
        return counts.get(OVERSIZED);
    }

    public long acceptedCount()
    {
        return counts.get(0);
    }

    /**
     * @param code a negative {@link LineDecoder} code.
     * @return lines that ended with that code.
     */
    public long count(final int code)
    {
        return counts.get(-code);
    }

    /**
     * @return lines rejected for any reason except {@link LineDecoder#SAMPLED_OUT}.
     */
    public long rejectedCount()
    {
        long total = 0;
        for (int i = 1; i < LineDecoder.CODE_COUNT; i++)
        {
            if (i != -LineDecoder.SAMPLED_OUT)
            {
                total += counts.get(i);
            }
        }
        return total;
    }

    private void add(final int index)
    {
        counts.lazySet(index, counts.get(index) + 1);
    }

    private void warn(final String reason)
    {
        final long now = System.nanoTime();
        if (now - lastLogNs >= LOG_INTERVAL_NS)
        {
            lastLogNs = now;
            log.warn("Error processing records: source={} reason={} (further errors suppressed for 30 s)", source,
                reason);
        }
    }
}
