package mad.perf.harness;

import com.arpnetworking.metrics.aggregation.protocol.Messages;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the sink receiver's PT1S frames file ({@link CaptureReceiver}, or madref's CaptureServer) incrementally
 * ({@code [int64 recv ms][int32 len][body]}, each body a sequence of {@code [int32 len][type][protobuf]} aggregation
 * messages) and sums the {@code count} statistic per workload prefix and period start second; also counts sink
 * requests (frames) per period.
 * Owned by the orchestrator thread.
 */
final class SinkCounter
{
    private final Path _file;
    private final List<String> _prefixes;
    private final Map<String, TreeMap<Long, Double>> _counts = new HashMap<>();
    private final TreeMap<Long, Integer> _framesPerPeriod = new TreeMap<>();
    private final Map<String, Long> _startCache = new HashMap<>();
    private long _offset;

    SinkCounter(final Path file, final List<String> prefixes)
    {
        _file = file;
        _prefixes = prefixes;
        for (final String p : prefixes)
        {
            _counts.put(p, new TreeMap<>());
        }
    }

    /** Reads what was appended since the last call. */
    void poll() throws IOException
    {
        if (!Files.exists(_file))
        {
            return;
        }
        try (RandomAccessFile raf = new RandomAccessFile(_file.toFile(), "r"))
        {
            final long size = raf.length();
            while (_offset + 12 <= size)
            {
                raf.seek(_offset);
                raf.readLong();
                final int len = raf.readInt();
                if (_offset + 12 + len > size)
                {
                    break;
                }
                final byte[] body = new byte[len];
                raf.readFully(body);
                _offset += 12 + len;
                frame(body);
            }
        }
    }

    /** Sum of counts of {@code prefix} for period starts in [fromSec, toSec]. */
    double count(final String prefix, final long fromSec, final long toSec)
    {
        double sum = 0;
        for (final double v : _counts.get(prefix).subMap(fromSec, true, toSec, true).values())
        {
            sum += v;
        }
        return sum;
    }

    /** Mean sink requests per PT1S period over periods in [fromSec, toSec] that had any. */
    double requestsPerPeriod(final long fromSec, final long toSec)
    {
        final Map<Long, Integer> m = _framesPerPeriod.subMap(fromSec, true, toSec, true);
        if (m.isEmpty())
        {
            return 0;
        }
        long sum = 0;
        for (final int v : m.values())
        {
            sum += v;
        }
        return (double) sum / m.size();
    }

    private void frame(final byte[] body) throws IOException
    {
        final ByteBuffer bb = ByteBuffer.wrap(body);
        final Map<Long, Boolean> periods = new HashMap<>();
        while (bb.remaining() >= 5)
        {
            final int len = bb.getInt();
            final int type = bb.get() & 0xff;
            final int payload = len - 5;
            if (payload < 0 || payload > bb.remaining())
            {
                break;
            }
            if (type == 0x04)
            {
                final Messages.StatisticSetRecord r = Messages.StatisticSetRecord.parseFrom(
                        ByteBuffer.wrap(body, bb.position(), payload));
                final long sec = startSec(r.getPeriodStart());
                periods.put(sec, Boolean.TRUE);
                for (final String p : _prefixes)
                {
                    if (r.getMetric().startsWith(p))
                    {
                        for (final Messages.StatisticRecord s : r.getStatisticsList())
                        {
                            if ("count".equals(s.getStatistic()))
                            {
                                _counts.get(p).merge(sec, s.getValue(), Double::sum);
                            }
                        }
                        break;
                    }
                }
            }
            bb.position(bb.position() + payload);
        }
        for (final long sec : periods.keySet())
        {
            _framesPerPeriod.merge(sec, 1, Integer::sum);
        }
    }

    private long startSec(final String iso)
    {
        return _startCache.computeIfAbsent(iso, s ->
        {
            final int bracket = s.indexOf('[');
            return ZonedDateTime.parse(bracket >= 0 ? s.substring(0, bracket) : s).toEpochSecond();
        });
    }
}
