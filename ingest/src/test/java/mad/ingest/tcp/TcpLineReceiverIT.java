package mad.ingest.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import mad.ingest.decode.GraphiteDecoder;
import mad.ingest.decode.LineRecordingWriter;

class TcpLineReceiverIT
{
    @Test
    void shouldReceiveOverNio() throws Exception
    {
        run(new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory()), NioServerSocketChannel.class);
    }

    @Test
    void shouldReceiveOverEpoll() throws Exception
    {
        assumeTrue(Epoll.isAvailable(), "epoll not available");
        run(new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory()), EpollServerSocketChannel.class);
    }

    private static void run(final EventLoopGroup group, final Class<? extends ServerChannel> channelClass)
        throws Exception
    {
        final LineRecordingWriter writer = new LineRecordingWriter();
        final TcpLineReceiver receiver = new TcpLineReceiver("graphite", "127.0.0.1", 0, 100, group, channelClass,
            backpressure -> writer, () -> 7_000L, () -> new GraphiteDecoder(Map.of("service", "g"), true), 64 * 1024);
        try
        {
            receiver.start();
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), receiver.boundPort()))
            {
                final OutputStream out = socket.getOutputStream();
                out.write("x 1 10\ny 2".getBytes(StandardCharsets.UTF_8));
                out.flush();
                await(() -> writer.samples().size() == 1);
                out.write(" 20\n".getBytes(StandardCharsets.UTF_8));
                final byte[] garbage = new byte[4096];
                new SplittableRandom(3).nextBytes(garbage);
                out.write(garbage);
                out.write("\n".getBytes(StandardCharsets.UTF_8));
                final byte[] huge = new byte[10 << 20];
                Arrays.fill(huge, (byte)'a');
                out.write(huge);
                out.write("\nz 5 30\ntail 9 9".getBytes(StandardCharsets.UTF_8));
                out.flush();
                await(() -> writer.samples().size() == 3);
            }
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), receiver.boundPort()))
            {
                socket.getOutputStream().write("after 3\n".getBytes(StandardCharsets.UTF_8));
                await(() -> writer.samples().size() == 4);
            }
            assertThat(writer.samples()).extracting(LineRecordingWriter.Sample::name).containsExactly("x", "y", "z", "after");
            assertThat(writer.samples().get(1).timeMs()).isEqualTo(20_000L);
            assertThat(writer.samples().get(3).timeMs()).isEqualTo(7_000L);
            assertThat(writer.samples().get(0).dimensions()).containsEntry("service", "g");
            assertThat(receiver.linesOversized()).isEqualTo(1);
            assertThat(receiver.linesRejected()).isGreaterThanOrEqualTo(1);
            assertThat(receiver.linesAccepted()).isEqualTo(4);
        }
        finally
        {
            receiver.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static void await(final BooleanSupplier condition)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("condition not met in time");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }
}
