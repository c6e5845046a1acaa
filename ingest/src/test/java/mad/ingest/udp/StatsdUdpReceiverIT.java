package mad.ingest.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import mad.ingest.decode.LineDecoder;
import mad.ingest.decode.LineRecordingWriter;
import mad.ingest.decode.StatsdDecoder;

class StatsdUdpReceiverIT
{
    @Test
    void shouldReceiveOverNio() throws Exception
    {
        run(new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory()), NioDatagramChannel.class);
    }

    @Test
    void shouldReceiveOverEpoll() throws Exception
    {
        assumeTrue(Epoll.isAvailable(), "epoll not available");
        run(new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory()), EpollDatagramChannel.class);
    }

    private static void run(final EventLoopGroup group, final Class<? extends DatagramChannel> channelClass)
        throws Exception
    {
        final LineRecordingWriter writer = new LineRecordingWriter();
        final StatsdUdpReceiver receiver = new StatsdUdpReceiver("statsd", "127.0.0.1", 0, group, channelClass,
            backpressure -> writer, () -> 42L, StatsdDecoder::new, 8192, 1 << 20);
        try (DatagramSocket socket = new DatagramSocket())
        {
            receiver.start();
            final InetAddress address = InetAddress.getLoopbackAddress();
            send(socket, address, receiver.boundPort(), "a:1|c|#k:v\nb:2|g\n\nbad line\nc:300|ms");
            final byte[] garbage = new byte[1000];
            new SplittableRandom(7).nextBytes(garbage);
            socket.send(new DatagramPacket(garbage, garbage.length, address, receiver.boundPort()));
            send(socket, address, receiver.boundPort(), "d:4|c|@0.0\ne:5|h");
            await(() -> writer.samples().size() == 4 && receiver.datagrams() == 3);
            assertThat(writer.samples()).extracting(LineRecordingWriter.Sample::name).containsExactly("a", "b", "c", "e");
            assertThat(writer.samples().get(2).value()).isEqualTo(0.3);
            assertThat(writer.samples().get(0).timeMs()).isEqualTo(42L);
            assertThat(receiver.linesAccepted()).isEqualTo(4);
            assertThat(receiver.lines(LineDecoder.SAMPLED_OUT)).isEqualTo(1);
            assertThat(receiver.linesRejected()).isGreaterThanOrEqualTo(2);
            assertThat(receiver.kernelDrops()).isGreaterThanOrEqualTo(0);
        }
        finally
        {
            receiver.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static void send(final DatagramSocket socket, final InetAddress address, final int port,
        final String text) throws Exception
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, address, port));
    }

    static void await(final BooleanSupplier condition)
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
