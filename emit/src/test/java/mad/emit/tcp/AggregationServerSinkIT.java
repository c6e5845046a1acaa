package mad.emit.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.arpnetworking.metrics.aggregation.protocol.Messages.HeartbeatRecord;
import com.arpnetworking.metrics.aggregation.protocol.Messages.StatisticSetRecord;

import mad.emit.EmitContext;
import mad.emit.MapSettings;
import mad.emit.TestData;
import mad.emit.http.HttpFacility;

class AggregationServerSinkIT
{
    private static final Map<String, String> DIMENSIONS = Map.of("host", "h1", "service", "svc", "cluster", "c1");
    private static final AggregationServerSink.Timing FAST = new AggregationServerSink.Timing(2_000L, 10L, 50L, 200L);

    private final HttpFacility http = HttpFacility.defaults();
    private final EmitContext context = new EmitContext("test", System::currentTimeMillis, http);
    private AggregationServerSink sink;

    @AfterEach
    void tearDown()
    {
        if (sink != null)
        {
            sink.close();
        }
        http.close();
    }

    private AggregationServerSink sink(final int port, final int maxQueueSize)
    {
        return AggregationServerSink.create(MapSettings.of(
            "type", "com.arpnetworking.tsdcore.sinks.AggregationServerSink", "name", "cagg",
            "serverAddress", "127.0.0.1", "serverPort", port, "maxQueueSize", maxQueueSize,
            "hostNameResolver", Map.of("type", "com.arpnetworking.utility.DefaultHostResolver")), context, FAST);
    }

    @Test
    void shouldWriteFramedRecordsAndHeartbeatsAndReconnectAfterTheServerDrops() throws Exception
    {
        try (ServerSocket server = new ServerSocket(0))
        {
            server.setSoTimeout(10_000);
            sink = sink(server.getLocalPort(), 100);
            try (Socket first = server.accept())
            {
                final FrameReader reader = new FrameReader(first);
                awaitTrue(sink::isConnected);
                sink.recordAggregateData(TestData.timerAndCounter(DIMENSIONS, Duration.ofMinutes(1)));

                final StatisticSetRecord latency = reader.nextRecord();
                final StatisticSetRecord hits = reader.nextRecord();
                assertThat(latency.getMetric()).isEqualTo("latency");
                assertThat(latency.getService()).isEqualTo("svc");
                assertThat(latency.getCluster()).isEqualTo("c1");
                assertThat(latency.getPeriod()).isEqualTo("PT1M");
                assertThat(latency.getPeriodStart()).isEqualTo("2026-11-25T06:08Z");
                assertThat(latency.getDimensionsMap()).containsEntry("host", "h1");
                assertThat(latency.getStatisticsList()).extracting(s -> s.getStatistic())
                    .contains("max", "count", "histogram");
                assertThat(hits.getMetric()).isEqualTo("hits");
                final HeartbeatRecord heartbeat = reader.nextHeartbeat();
                assertThat(heartbeat.getTimestamp()).endsWith("Z");
            }
            // The server dropped the connection: the sink reconnects and sends on the new one.
            try (Socket second = server.accept())
            {
                final FrameReader reader = new FrameReader(second);
                awaitTrue(() -> sink.connects() == 2 && sink.isConnected());
                sink.recordAggregateData(TestData.timerAndCounter(DIMENSIONS, Duration.ofSeconds(1)));
                final StatisticSetRecord again = reader.nextRecord();
                assertThat(again.getMetric()).isEqualTo("latency");
                assertThat(again.getPeriod()).isEqualTo("PT1S");
                assertThat(reader.nextRecord().getMetric()).isEqualTo("hits");
            }
        }
    }

    @Test
    void shouldEvictTheOldestFramesWhileDisconnected() throws Exception
    {
        final int port;
        try (ServerSocket probe = new ServerSocket(0))
        {
            port = probe.getLocalPort();
        }
        sink = sink(port, 3);
        sink.recordAggregateData(TestData.timerAndCounter(DIMENSIONS, Duration.ofMinutes(1)));
        sink.recordAggregateData(TestData.timerAndCounter(DIMENSIONS, Duration.ofMinutes(1)));

        assertThat(sink.queueSize()).isEqualTo(3);
        assertThat(sink.evicted()).isEqualTo(1);
        assertThat(sink.isConnected()).isFalse();
    }

    @Test
    void shouldRejectABucketWithoutServiceOrCluster() throws Exception
    {
        try (ServerSocket server = new ServerSocket(0))
        {
            sink = sink(server.getLocalPort(), 10);
            sink.recordAggregateData(TestData.timerAndCounter(Map.of("host", "h1"), Duration.ofMinutes(1)));
            assertThat(sink.rejectedMissingDimensions()).isEqualTo(1);
            assertThat(sink.queueSize()).isZero();
        }
    }

    private static void awaitTrue(final BooleanSupplier condition) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean())
        {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    /** Reads [len][type] frames on a background thread. */
    private static final class FrameReader
    {
        private final BlockingQueue<Object> frames = new LinkedBlockingQueue<>();

        FrameReader(final Socket socket)
        {
            final Thread thread = new Thread(() -> read(socket), "frame-reader");
            thread.setDaemon(true);
            thread.start();
        }

        StatisticSetRecord nextRecord() throws InterruptedException
        {
            while (true)
            {
                final Object frame = frames.poll(10, TimeUnit.SECONDS);
                assertThat(frame).as("a frame within 10 s").isNotNull();
                if (frame instanceof StatisticSetRecord)
                {
                    return (StatisticSetRecord)frame;
                }
            }
        }

        HeartbeatRecord nextHeartbeat() throws InterruptedException
        {
            while (true)
            {
                final Object frame = frames.poll(10, TimeUnit.SECONDS);
                assertThat(frame).as("a heartbeat within 10 s").isNotNull();
                if (frame instanceof HeartbeatRecord)
                {
                    return (HeartbeatRecord)frame;
                }
            }
        }

        private void read(final Socket socket)
        {
            try
            {
                final DataInputStream in = new DataInputStream(socket.getInputStream());
                while (true)
                {
                    final int length = in.readInt();
                    final int type = in.readUnsignedByte();
                    final byte[] body = new byte[length - 5];
                    in.readFully(body);
                    if (type == 0x04)
                    {
                        frames.add(StatisticSetRecord.parseFrom(body));
                    }
                    else if (type == 0x03)
                    {
                        frames.add(HeartbeatRecord.parseFrom(body));
                    }
                    else
                    {
                        frames.add("unexpected type " + type);
                    }
                }
            }
            catch (final EOFException | java.net.SocketException e)
            {
                // connection closed by the test
            }
            catch (final IOException e)
            {
                frames.add(e);
            }
        }
    }
}
