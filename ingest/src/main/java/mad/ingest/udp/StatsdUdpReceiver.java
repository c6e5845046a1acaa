package mad.ingest.udp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.UnixChannelOption;
import io.netty.util.concurrent.EventExecutor;
import mad.engine.metrics.CounterVisitor;
import mad.engine.config.Settings;
import mad.engine.sample.SamplePublisher;
import mad.engine.sample.SampleWriter;
import mad.ingest.Source;
import mad.ingest.WriterFactory;
import mad.ingest.decode.ByteBufViews;
import mad.ingest.decode.DatagramLines;
import mad.ingest.decode.LineCounters;
import mad.ingest.decode.LineDecoder;
import mad.ingest.decode.StatsdDecoder;

/**
 * MAD's {@code StatsdSource}: statsd datagrams over UDP, each split on {@code \n} (empty lines skipped) by
 * {@link DatagramLines} and decoded line by line by a {@link LineDecoder} (normally {@link StatsdDecoder}) inside one
 * writer batch per datagram (ring slots claimed and published per shard range); a bad line is rejected and counted
 * on its own (MAD drops the whole datagram). Record time is the receive time.
 *
 * <p>With epoll: one {@code SO_REUSEPORT} channel per event loop of the group, each reading with {@code recvmmsg}
 * ({@code MAX_DATAGRAM_PAYLOAD_SIZE} plus a fixed receive buffer holding {@value #SLOTS} datagram slots), so the kernel
 * spreads datagrams over the loops. With NIO: one channel. Datagrams larger than {@code maxDatagramSize} are truncated
 * by the kernel (their last line then usually fails).
 *
 * <p>Thread ownership: start/close on the wiring thread; each channel's handler, writer
 * ({@code Backpressure.WAIT_BRIEFLY}: a full ring parks the loop up to 50 ms while the socket buffer holds the
 * backlog), decoder and counters belong to that channel's event-loop thread. Counter getters may be called from any
 * thread.
 */
public final class StatsdUdpReceiver implements Source
{
    /** Datagram slots per recvmmsg read. */
    static final int SLOTS = 64;
    private static final Logger LOG = LoggerFactory.getLogger(StatsdUdpReceiver.class);

    private final String name;
    private final String host;
    private final int port;
    private final EventLoopGroup group;
    private final Class<? extends DatagramChannel> channelClass;
    private final WriterFactory writers;
    private final LongSupplier clock;
    private final Supplier<? extends LineDecoder> decoders;
    private final int maxDatagramSize;
    private final int receiveBufferSize;
    private final List<Channel> channels = new ArrayList<>();
    private final List<LineCounters> counters = new CopyOnWriteArrayList<>();
    private volatile int boundPort = -1;

    /**
     * @param name the source name.
     * @param host the address to bind.
     * @param port the port to bind (0: ephemeral, see {@link #boundPort()}).
     * @param group the event loops that read.
     * @param channelClass {@code EpollDatagramChannel} or {@code NioDatagramChannel}, matching the group.
     * @param writers makes each channel thread's writer.
     * @param clock epoch milliseconds, the record time.
     * @param decoders makes each channel thread's decoder.
     * @param maxDatagramSize largest datagram read whole.
     * @param receiveBufferSize SO_RCVBUF requested.
     */
    public StatsdUdpReceiver(
        final String name, final String host, final int port, final EventLoopGroup group,
        final Class<? extends DatagramChannel> channelClass, final WriterFactory writers, final LongSupplier clock,
        final Supplier<? extends LineDecoder> decoders, final int maxDatagramSize, final int receiveBufferSize)
    {
        this.name = name;
        this.host = host;
        this.port = port;
        this.group = group;
        this.channelClass = channelClass;
        this.writers = writers;
        this.clock = clock;
        this.decoders = decoders;
        this.maxDatagramSize = maxDatagramSize;
        this.receiveBufferSize = receiveBufferSize;
    }

    /**
     * Reads MAD's keys {@code name}, {@code host} ({@code localhost}), {@code port} (8125), and ours
     * {@code maxDatagramSize} (8192) and {@code receiveBufferSize} (8 MiB).
     */
    public static StatsdUdpReceiver create(
        final Settings settings, final EventLoopGroup group, final Class<? extends DatagramChannel> channelClass,
        final WriterFactory writers, final LongSupplier clock)
    {
        final int maxDatagramSize = settings.integer("maxDatagramSize", 8192);
        if (maxDatagramSize < 512 || maxDatagramSize > 65_507)
        {
            throw settings.error("maxDatagramSize", "must be within [512, 65507]");
        }
        return new StatsdUdpReceiver(
            settings.string("name"), settings.string("host", "localhost"), settings.integer("port", 8125), group,
            channelClass, writers, clock, StatsdDecoder::new, maxDatagramSize,
            settings.integer("receiveBufferSize", 8 << 20));
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public void start() throws Exception
    {
        final boolean epoll = EpollDatagramChannel.class.isAssignableFrom(channelClass);
        int bindPort = port;
        for (final EventExecutor executor : group)
        {
            final Bootstrap bootstrap = new Bootstrap()
                .group((EventLoop)executor)
                .channel(channelClass)
                .option(ChannelOption.SO_RCVBUF, receiveBufferSize)
                .handler(new Handler());
            if (epoll)
            {
                bootstrap.option(UnixChannelOption.SO_REUSEPORT, true)
                    .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, maxDatagramSize)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(maxDatagramSize * SLOTS));
            }
            else
            {
                bootstrap.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(maxDatagramSize));
            }
            final Channel channel = bootstrap.bind(new InetSocketAddress(host, bindPort)).sync().channel();
            channels.add(channel);
            bindPort = ((InetSocketAddress)channel.localAddress()).getPort();
            if (!epoll)
            {
                break;
            }
        }
        boundPort = bindPort;
        LOG.info("Statsd server binding complete: source={} address={}:{} channels={}", name, host, bindPort,
            channels.size());
    }

    @Override
    public void close()
    {
        for (final Channel channel : channels)
        {
            channel.close().syncUninterruptibly();
        }
        channels.clear();
    }

    /**
     * @return the bound port, or -1 before {@link #start()}.
     */
    public int boundPort()
    {
        return boundPort;
    }

    public long datagrams()
    {
        long total = 0;
        for (final LineCounters c : counters)
        {
            total += c.receivedCount();
        }
        return total;
    }

    public long linesAccepted()
    {
        long total = 0;
        for (final LineCounters c : counters)
        {
            total += c.acceptedCount();
        }
        return total;
    }

    /**
     * @param code a negative {@link LineDecoder} code.
     * @return lines that ended with it.
     */
    public long lines(final int code)
    {
        long total = 0;
        for (final LineCounters c : counters)
        {
            total += c.count(code);
        }
        return total;
    }

    public long linesRejected()
    {
        long total = 0;
        for (final LineCounters c : counters)
        {
            total += c.rejectedCount();
        }
        return total;
    }

    /**
     * Datagrams the kernel dropped for this port (receive buffer full), summed over {@code /proc/net/udp} and
     * {@code udp6} (all sockets of the port: the reuseport group). Reads files; not for the hot path.
     *
     * @return the drop count, or -1 where unreadable (not Linux).
     */
    public long kernelDrops()
    {
        final int p = boundPort;
        if (p < 0)
        {
            return -1;
        }
        final String portHex = ":" + String.format(Locale.ROOT, "%04X", p);
        long total = -1;
        for (final String file : new String[] {"/proc/net/udp", "/proc/net/udp6"})
        {
            try
            {
                for (final String line : Files.readAllLines(Path.of(file), StandardCharsets.US_ASCII))
                {
                    final String[] fields = line.trim().split("\\s+");
                    if (fields.length > 12 && fields[1].endsWith(portHex))
                    {
                        total = Math.max(total, 0) + Long.parseLong(fields[fields.length - 1]);
                    }
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                // unreadable here: report what the other file gave, or -1
            }
        }
        return total;
    }

    /**
     * One per channel; runs on the channel's event-loop thread only.
     */
    private final class Handler extends SimpleChannelInboundHandler<DatagramPacket>
    {
        private final ByteBufViews views = new ByteBufViews();
        private final DatagramLines lines = new DatagramLines();
        private final LineCounters lineCounters = new LineCounters(name, LOG);
        private LineDecoder decoder;
        private SampleWriter writer;

        Handler()
        {
            counters.add(lineCounters);
        }

        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final DatagramPacket packet)
        {
            if (writer == null)
            {
                writer = writers.create(SamplePublisher.Backpressure.WAIT_BRIEFLY);
                decoder = decoders.get();
            }
            lineCounters.received();
            final ByteBuf content = packet.content();
            final UnsafeBuffer view = views.wrap(content);
            final long now = clock.getAsLong();
            final int count = lines.wrap(view, 0, view.capacity());
            // One ring batch per datagram: slots are claimed and published per shard range, not per line.
            writer.beginBatch(count);
            try
            {
                for (int i = 0; i < count; i++)
                {
                    int code;
                    try
                    {
                        code = decoder.decodeLine(view, lines.offset(i), lines.length(i), now, writer);
                    }
                    catch (final RuntimeException ex)
                    {
                        code = LineDecoder.INVALID_LINE;
                    }
                    lineCounters.line(code, decoder);
                }
            }
            finally
            {
                writer.endBatch();
            }
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            LOG.warn("Statsd channel error: source={}", name, cause);
        }
    }

    @Override
    public void visitCounters(final CounterVisitor visitor)
    {
        visitor.counter("source_datagrams", datagrams());
        final long kernel = kernelDrops();
        if (kernel >= 0)
        {
            visitor.counter("source_kernel_drops", kernel);
        }
        visitor.counter("source_lines_accepted", linesAccepted());
        visitor.counter("source_lines_rejected", linesRejected());
    }
}
