package mad.perf.harness;

import com.arpnetworking.metrics.aggregation.protocol.Messages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CaptureReceiverIT
{
    @TempDir
    Path _dir;

    @Test
    void shouldAnswerPingAndCountWhatThePt1sSinkPostedThroughSinkCounter() throws Exception
    {
        final CaptureReceiver receiver = CaptureReceiver.start("127.0.0.1", 0, _dir, true);
        try (HttpConn conn = new HttpConn("127.0.0.1", receiver.port()))
        {
            assertThat(conn.exchange(get("/ping"), null)).isEqualTo(200);
            final byte[] first = body(record("hv3.m1", "2026-12-03T12:00:00Z", 10),
                    record("hs1k.c3", "2026-12-03T12:00:00Z", 4));
            final byte[] second = body(record("hv3.m1", "2026-12-03T12:00:01Z", 7));
            for (final byte[] b : List.of(first, second))
            {
                assertThat(conn.exchange(HttpConn.postHead("/metrics/v1/data/persist_1s", "application/octet-stream",
                        b.length), b)).isEqualTo(200);
            }
            // keep-alive: the same connection still answers
            assertThat(conn.exchange(get("/ping"), null)).isEqualTo(200);
        }
        finally
        {
            receiver.close();
        }
        final SinkCounter counter = new SinkCounter(_dir.resolve("metrics_v1_data_persist_1s.frames"),
                List.of("hs1k.", "hv3."));
        counter.poll();
        final long t0 = 1_796_299_200L;
        assertThat(counter.count("hv3.", t0, t0 + 1)).isEqualTo(17.0);
        assertThat(counter.count("hv3.", t0 + 1, t0 + 1)).isEqualTo(7.0);
        assertThat(counter.count("hs1k.", t0, t0 + 1)).isEqualTo(4.0);
        assertThat(counter.requestsPerPeriod(t0, t0 + 1)).isEqualTo(1.0);
    }

    @Test
    void shouldKeepEveryPathInItsOwnFileInCaptureServersFormatAndReportStats() throws Exception
    {
        final CaptureReceiver receiver = CaptureReceiver.start("127.0.0.1", 0, _dir, true);
        // larger than the write buffer: goes straight to the file after the buffered frames
        final byte[] big = new byte[CaptureReceiver.FrameFile.BUFFER + 100];
        Arrays.fill(big, (byte) 7);
        final byte[] json = "[{\"values\":[1]}]".getBytes(StandardCharsets.UTF_8);
        final String stats;
        try (HttpConn conn = new HttpConn("127.0.0.1", receiver.port()))
        {
            assertThat(conn.exchange(HttpConn.postHead("/collectd", "application/json", json.length), json))
                    .isEqualTo(200);
            assertThat(conn.exchange(HttpConn.postHead("/collectd", "application/json", big.length), big))
                    .isEqualTo(200);
            assertThat(conn.exchange(HttpConn.postHead("/selfmetrics/v3/application?x=1", "application/octet-stream",
                    json.length), json)).isEqualTo(200);
            stats = getBody(receiver.port(), "/stats");
        }
        finally
        {
            receiver.close();
        }
        assertThat(stats).contains("\"/collectd\":{\"requests\":2,\"bytes\":" + (json.length + big.length) + "}")
                .contains("\"/selfmetrics/v3/application\":{\"requests\":1");
        final List<byte[]> collectd = frames(_dir.resolve("collectd.frames"));
        assertThat(collectd).hasSize(2);
        assertThat(collectd.get(0)).isEqualTo(json);
        assertThat(collectd.get(1)).isEqualTo(big);
        assertThat(frames(_dir.resolve("selfmetrics_v3_application.frames"))).hasSize(1);
        assertThat(CaptureReceiver.slug("/metrics/v1/data/persist")).isEqualTo("metrics_v1_data_persist");
    }

    @Test
    void shouldCloseTheConnectionWhenTheClientAsksForIt() throws Exception
    {
        final CaptureReceiver receiver = CaptureReceiver.start("127.0.0.1", 0, _dir, false);
        try (Socket s = new Socket("127.0.0.1", receiver.port()))
        {
            s.getOutputStream().write("GET /ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            final String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            // readAllBytes returned: the receiver closed its end
            assertThat(response).startsWith("HTTP/1.1 200").contains("status");
        }
        finally
        {
            receiver.close();
        }
        assertThat(Files.list(_dir)).isEmpty();
    }

    private static byte[] get(final String path)
    {
        return ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static String getBody(final int port, final String path) throws IOException
    {
        try (Socket s = new Socket("127.0.0.1", port))
        {
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            final String r = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return r.substring(r.indexOf("\r\n\r\n") + 4);
        }
    }

    private static Messages.StatisticSetRecord record(final String metric, final String start, final double count)
    {
        return Messages.StatisticSetRecord.newBuilder().setService("harness").setCluster("harness_cluster")
                .setMetric(metric).setPeriod("PT1S").setPeriodStart(start)
                .addStatistics(Messages.StatisticRecord.newBuilder().setStatistic("count").setValue(count))
                .addStatistics(Messages.StatisticRecord.newBuilder().setStatistic("max").setValue(99))
                .build();
    }

    /** An AggregationServerHttpSink body: {@code [int32 len incl. itself and the type][type 0x04][protobuf]}... */
    private static byte[] body(final Messages.StatisticSetRecord... records)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final Messages.StatisticSetRecord r : records)
        {
            final byte[] p = r.toByteArray();
            out.writeBytes(ByteBuffer.allocate(5).putInt(p.length + 5).put((byte) 0x04).array());
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static List<byte[]> frames(final Path file) throws IOException
    {
        final List<byte[]> out = new java.util.ArrayList<>();
        try (InputStream in = Files.newInputStream(file); DataInputStream d = new DataInputStream(in))
        {
            while (d.available() > 0)
            {
                final long recvMs = d.readLong();
                assertThat(recvMs).isPositive();
                final byte[] b = new byte[d.readInt()];
                d.readFully(b);
                out.add(b);
            }
        }
        return out;
    }
}
