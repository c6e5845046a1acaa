package mad.perf.harness;

import com.arpnetworking.metrics.prometheus.Remote;
import com.arpnetworking.metrics.prometheus.Types;
import com.google.protobuf.ByteString;
import io.inscopemetrics.client.protocol.ClientV3;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One load shape (protocol, series count, samples per message) with pre-encoded payloads and a paced sender.
 * {@link #run} starts the workload's sender threads, paces each to its share of the offered rate in 1 ms ticks and
 * returns what was sent; a trial is owned by the calling (orchestrator) thread.
 */
abstract class Workload
{
    static final String TAGS = "|#service:harness,cluster:harness_cluster,host:harness-host";

    private final String _name;
    private final String _prefix;
    private final int _series;
    private final int _threads;

    Workload(final String name, final String prefix, final int series, final int threads)
    {
        _name = name;
        _prefix = prefix;
        _series = series;
        _threads = threads;
    }

    /** What a trial sent. */
    record Sent(long samples, long rejected, long elapsedNs)
    {
        double achievedRate()
        {
            return samples * 1e9 / Math.max(1, elapsedNs);
        }
    }

    String name()
    {
        return _name;
    }

    /** Metric-name prefix of every series of this workload (counted in the sink). */
    String prefix()
    {
        return _prefix;
    }

    int series()
    {
        return _series;
    }

    /** Whether the transport applies back-pressure (a shortfall is then the daemon's, not the generator's). */
    abstract boolean closedLoop();

    /** Samples carried by one unit (datagram, request, write). */
    abstract int samplesPerUnit();

    /** Per-thread sender state. */
    abstract Unit open(int thread) throws IOException;

    /** Sends units of one sender thread; returns the samples rejected by the daemon for the unit (0 = accepted). */
    interface Unit extends AutoCloseable
    {
        int send(long seq) throws IOException;

        @Override
        void close() throws IOException;
    }

    /** Runs the workload at {@code rate} samples/s for {@code durationMs}. */
    Sent run(final double rate, final long durationMs) throws InterruptedException
    {
        final AtomicLong samples = new AtomicLong();
        final AtomicLong rejected = new AtomicLong();
        final List<Thread> threads = new ArrayList<>();
        final long start = System.nanoTime();
        final long end = start + durationMs * 1_000_000L;
        final double unitsPerNs = rate / samplesPerUnit() / _threads / 1e9;
        for (int t = 0; t < _threads; t++)
        {
            final int thread = t;
            final Thread th = new Thread(() -> pace(thread, start, end, unitsPerNs, samples, rejected), "gen-" + t);
            th.setDaemon(true);
            threads.add(th);
            th.start();
        }
        for (final Thread th : threads)
        {
            th.join();
        }
        return new Sent(samples.get(), rejected.get(), Math.max(end, System.nanoTime()) - start);
    }

    private void pace(final int thread, final long start, final long end, final double unitsPerNs,
            final AtomicLong samples, final AtomicLong rejected)
    {
        long sent = 0;
        long bad = 0;
        try (Unit unit = open(thread))
        {
            long seq = thread;
            while (true)
            {
                final long now = System.nanoTime();
                if (now >= end)
                {
                    break;
                }
                final long due = (long) ((now - start) * unitsPerNs) + 1;
                if (sent >= due)
                {
                    // ahead of schedule: sleep to the next 1 ms tick
                    LockSupport.parkNanos(1_000_000L - (now - start) % 1_000_000L);
                    continue;
                }
                while (sent < due && System.nanoTime() < end)
                {
                    bad += unit.send(seq);
                    seq += _threads;
                    sent++;
                }
            }
        }
        catch (final IOException e)
        {
            System.out.println("harness: " + _name + " sender " + thread + " failed: " + e);
        }
        samples.addAndGet(sent * samplesPerUnit());
        rejected.addAndGet(bad);
    }

    // ------------------------------------------------------------------------------------------------- workloads

    /**
     * StatsD over UDP: 20 lines per datagram, counters, timers and gauges, with DogStatsD tags when {@code tags} (the
     * plain-StatsD variant is for collectd's statsd plugin, which rejects a line carrying {@code |#}).
     */
    static Workload statsd(final String name, final String prefix, final int series, final int port,
            final boolean tags)
    {
        final int lines = 20;
        final ByteBuffer[] datagrams = new ByteBuffer[series / lines];
        for (int d = 0; d < datagrams.length; d++)
        {
            final StringBuilder sb = new StringBuilder(2048);
            for (int l = 0; l < lines; l++)
            {
                final int i = d * lines + l;
                if (l > 0)
                {
                    sb.append('\n');
                }
                switch (i % 3)
                {
                    case 0 -> sb.append(prefix).append("c").append(i).append(":1|c");
                    case 1 -> sb.append(prefix).append("t").append(i).append(":").append(5 + i % 50).append("|ms");
                    default -> sb.append(prefix).append("g").append(i).append(":").append(i % 100).append("|g");
                }
                if (tags)
                {
                    sb.append(TAGS);
                }
            }
            final byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
            datagrams[d] = ByteBuffer.allocateDirect(b.length).put(b).flip();
        }
        return new Workload(name, prefix, series, 1)
        {
            @Override
            boolean closedLoop()
            {
                return false;
            }

            @Override
            int samplesPerUnit()
            {
                return lines;
            }

            @Override
            Unit open(final int thread) throws IOException
            {
                final DatagramChannel ch = DatagramChannel.open();
                ch.connect(new InetSocketAddress("127.0.0.1", port));
                return new Unit()
                {
                    @Override
                    public int send(final long seq) throws IOException
                    {
                        final ByteBuffer b = datagrams[(int) (seq % datagrams.length)];
                        b.clear();
                        try
                        {
                            ch.write(b);
                        }
                        catch (final java.net.PortUnreachableException e)
                        {
                            return lines;
                        }
                        return 0;
                    }

                    @Override
                    public void close() throws IOException
                    {
                        ch.close();
                    }
                };
            }
        };
    }

    /** Graphite plaintext over one TCP connection: 100 lines per write, no timestamps (stamped on arrival). */
    static Workload graphite(final String name, final String prefix, final int series, final int port)
    {
        final int lines = 100;
        final byte[][] writes = new byte[series / lines][];
        for (int w = 0; w < writes.length; w++)
        {
            final StringBuilder sb = new StringBuilder(4096);
            for (int l = 0; l < lines; l++)
            {
                final int i = w * lines + l;
                sb.append(prefix).append("m").append(i).append(";host=harness-host ").append(i % 100).append(".5\n");
            }
            writes[w] = sb.toString().getBytes(StandardCharsets.UTF_8);
        }
        return new Workload(name, prefix, series, 1)
        {
            @Override
            boolean closedLoop()
            {
                return true;
            }

            @Override
            int samplesPerUnit()
            {
                return lines;
            }

            @Override
            Unit open(final int thread) throws IOException
            {
                final SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                ch.socket().setTcpNoDelay(true);
                final ByteBuffer[] bufs = new ByteBuffer[writes.length];
                for (int i = 0; i < writes.length; i++)
                {
                    bufs[i] = ByteBuffer.allocateDirect(writes[i].length).put(writes[i]).flip();
                }
                return new Unit()
                {
                    @Override
                    public int send(final long seq) throws IOException
                    {
                        final ByteBuffer b = bufs[(int) (seq % bufs.length)];
                        b.clear();
                        while (b.hasRemaining())
                        {
                            ch.write(b);
                        }
                        return 0;
                    }

                    @Override
                    public void close() throws IOException
                    {
                        ch.close();
                    }
                };
            }
        };
    }

    /**
     * ClientV3 over HTTP keep-alive, several concurrent clients: a request carries 10 records (hosts) x 10 metrics x
     * 10 samples = 1000 samples; records are stamped with the send time.
     */
    static Workload clientV3(final String name, final String prefix, final int series, final int port,
            final int clients)
    {
        final int hosts = 10;
        final int metricsPerRecord = 10;
        final int samplesPerMetric = 10;
        final int groups = Math.max(1, series / hosts / metricsPerRecord);
        final ClientV3.MetricDataEntry[][] data = new ClientV3.MetricDataEntry[groups][metricsPerRecord];
        for (int g = 0; g < groups; g++)
        {
            for (int m = 0; m < metricsPerRecord; m++)
            {
                final ClientV3.NumericalData.Builder nd = ClientV3.NumericalData.newBuilder();
                for (int s = 0; s < samplesPerMetric; s++)
                {
                    nd.addSamples(1 + s * 10.5);
                }
                data[g][m] = ClientV3.MetricDataEntry.newBuilder()
                        .setName(ClientV3.Identifier.newBuilder().setStringValue(prefix + "m" + (g * metricsPerRecord + m)))
                        .setNumericalData(nd).build();
            }
        }
        final List<List<ClientV3.DimensionEntry>> dims = new ArrayList<>();
        for (int h = 0; h < hosts; h++)
        {
            dims.add(List.of(dim("cluster", "harness_cluster"), dim("host", "harness-host-" + h),
                    dim("service", "harness")));
        }
        // one pre-encoded request per group (ids and times are patched per send, see PatchedBody)
        final byte[][] templates = new byte[groups][];
        for (int g = 0; g < groups; g++)
        {
            final ClientV3.Request.Builder req = ClientV3.Request.newBuilder();
            for (int h = 0; h < hosts; h++)
            {
                final ClientV3.Record.Builder r = ClientV3.Record.newBuilder()
                        .setId(ByteString.copyFrom(PatchedBody.idMarker()))
                        .setStartMillisSinceEpoch(PatchedBody.SENTINEL_MS)
                        .setEndMillisSinceEpoch(PatchedBody.SENTINEL_MS)
                        .addAllDimensions(dims.get(h));
                for (final ClientV3.MetricDataEntry e : data[g])
                {
                    r.addData(e);
                }
                req.addRecords(r);
            }
            templates[g] = req.build().toByteArray();
        }
        return new Workload(name, prefix, series, clients)
        {
            @Override
            boolean closedLoop()
            {
                return true;
            }

            @Override
            int samplesPerUnit()
            {
                return hosts * metricsPerRecord * samplesPerMetric;
            }

            @Override
            Unit open(final int thread)
            {
                final HttpConn conn = new HttpConn("127.0.0.1", port);
                final PatchedBody[] bodies = new PatchedBody[groups];
                final byte[][] heads = new byte[groups][];
                for (int g = 0; g < groups; g++)
                {
                    bodies[g] = new PatchedBody(templates[g], 2 * hosts, hosts);
                    heads[g] = HttpConn.postHead("/metrics/v3/application", "application/octet-stream",
                            templates[g].length);
                }
                return new Unit()
                {
                    @Override
                    public int send(final long seq)
                    {
                        final int g = (int) (seq % groups);
                        final PatchedBody body = bodies[g];
                        body.stamp(System.currentTimeMillis());
                        for (int h = 0; h < hosts; h++)
                        {
                            // the record id: [seq][host] as two big-endian longs, unique per record
                            body.id(h, seq, h);
                        }
                        final int code = conn.exchange(heads[g], body.bytes());
                        return code / 100 == 2 ? 0 : samplesPerUnit();
                    }

                    @Override
                    public void close()
                    {
                        conn.close();
                    }
                };
            }
        };
    }

    /** Prometheus remote write (snappy block, protobuf WriteRequest): 100 series x 10 samples per request. */
    static Workload prometheus(final String name, final String prefix, final int series, final int port,
            final int clients)
    {
        final int perRequest = 100;
        final int samplesPerSeries = 10;
        final int groups = Math.max(1, series / perRequest);
        final List<List<Types.Label>> labels = new ArrayList<>();
        for (int i = 0; i < groups * perRequest; i++)
        {
            labels.add(List.of(label("__name__", prefix + "m" + i), label("cluster", "harness_cluster"),
                    label("host", "harness-host"), label("service", "harness")));
        }
        // one pre-encoded snappy body per group; the samples' timestamps are patched per send (see PatchedBody)
        final byte[][] templates = new byte[groups][];
        for (int g = 0; g < groups; g++)
        {
            final Remote.WriteRequest.Builder wr = Remote.WriteRequest.newBuilder();
            for (int s = 0; s < perRequest; s++)
            {
                final Types.TimeSeries.Builder ts = Types.TimeSeries.newBuilder()
                        .addAllLabels(labels.get(g * perRequest + s));
                for (int k = 0; k < samplesPerSeries; k++)
                {
                    ts.addSamples(Types.Sample.newBuilder().setTimestamp(PatchedBody.SENTINEL_MS).setValue(k + 0.25));
                }
                wr.addTimeseries(ts);
            }
            templates[g] = snappyLiteral(wr.build().toByteArray());
        }
        return new Workload(name, prefix, series, clients)
        {
            @Override
            boolean closedLoop()
            {
                return true;
            }

            @Override
            int samplesPerUnit()
            {
                return perRequest * samplesPerSeries;
            }

            @Override
            Unit open(final int thread)
            {
                final HttpConn conn = new HttpConn("127.0.0.1", port);
                final PatchedBody[] bodies = new PatchedBody[groups];
                final byte[][] heads = new byte[groups][];
                for (int g = 0; g < groups; g++)
                {
                    bodies[g] = new PatchedBody(templates[g], perRequest * samplesPerSeries, 0);
                    heads[g] = HttpConn.postHead("/metrics/prometheus", "application/x-protobuf",
                            templates[g].length);
                }
                return new Unit()
                {
                    @Override
                    public int send(final long seq)
                    {
                        final int g = (int) (seq % groups);
                        final PatchedBody body = bodies[g];
                        body.stamp(System.currentTimeMillis());
                        final int code = conn.exchange(heads[g], body.bytes());
                        return code / 100 == 2 ? 0 : samplesPerUnit();
                    }

                    @Override
                    public void close()
                    {
                        conn.close();
                    }
                };
            }
        };
    }

    /**
     * A valid snappy block made of one literal: varint(uncompressed length), then tag 63&lt;&lt;2 (literal whose length-1
     * follows in 4 little-endian bytes) and the bytes. No compression work on the generator side.
     */
    static byte[] snappyLiteral(final byte[] raw)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length + 10);
        long n = raw.length;
        while (n >= 0x80)
        {
            out.write((int) (n & 0x7f) | 0x80);
            n >>>= 7;
        }
        out.write((int) n);
        if (raw.length > 0)
        {
            final int len = raw.length - 1;
            out.write(63 << 2);
            out.write(len & 0xff);
            out.write((len >>> 8) & 0xff);
            out.write((len >>> 16) & 0xff);
            out.write((len >>> 24) & 0xff);
            out.write(raw, 0, raw.length);
        }
        return out.toByteArray();
    }

    private static ClientV3.DimensionEntry dim(final String k, final String v)
    {
        return ClientV3.DimensionEntry.newBuilder()
                .setName(ClientV3.Identifier.newBuilder().setStringValue(k))
                .setValue(ClientV3.Identifier.newBuilder().setStringValue(v)).build();
    }

    private static Types.Label label(final String k, final String v)
    {
        return Types.Label.newBuilder().setName(k).setValue(v).build();
    }
}
