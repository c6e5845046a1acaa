package mad.ingest.tcp;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.util.concurrent.FastThreadLocal;
import mad.engine.metrics.CounterVisitor;
import mad.engine.config.Settings;
import mad.engine.sample.SamplePublisher;
import mad.engine.sample.SampleWriter;
import mad.ingest.Source;
import mad.ingest.WriterFactory;
import mad.ingest.decode.ByteBufViews;
import mad.ingest.decode.LineCounters;
import mad.ingest.decode.LineDecoder;
import mad.ingest.decode.ParserType;

/**
 * MAD's {@code TcpLineSource}: newline-delimited lines over TCP, each decoded on its own by the configured parser's
 * {@link LineDecoder} (graphite, telegraf JSON, statsd). A line split across reads is kept in a per-connection buffer
 * bounded by {@code maxLineBytes}: a longer line is discarded up to its next {@code \n} and counted, so memory never
 * grows with the input. Bytes after the last {@code \n} when the connection closes are discarded, as in MAD.
 *
 * <p>Thread ownership: start/close on the wiring thread. Each event-loop thread has one writer
 * ({@code Backpressure.WAIT}: a full ring parks the loop, which stops reading its sockets), one decoder and one
 * counter set, shared by the connections it serves; each connection's partial line belongs to its loop thread.
 */
public final class TcpLineReceiver implements Source
{
    private static final Logger LOG = LoggerFactory.getLogger(TcpLineReceiver.class);

    private final String name;
    private final String host;
    private final int port;
    private final int acceptQueue;
    private final EventLoopGroup group;
    private final Class<? extends ServerChannel> channelClass;
    private final WriterFactory writers;
    private final LongSupplier clock;
    private final Supplier<? extends LineDecoder> decoders;
    private final int maxLineBytes;
    private final List<LineCounters> counters = new CopyOnWriteArrayList<>();
    private final FastThreadLocal<LoopState> loopState = new FastThreadLocal<>()
    {
        @Override
        protected LoopState initialValue()
        {
            return new LoopState();
        }
    };
    private volatile Channel serverChannel;

    /**
     * @param name the source name.
     * @param host the address to bind.
     * @param port the port (0: ephemeral, see {@link #boundPort()}).
     * @param acceptQueue the listen backlog.
     * @param group the event loops (accept and read).
     * @param channelClass the server channel class matching the group.
     * @param writers makes each loop thread's writer.
     * @param clock epoch milliseconds, the receive time.
     * @param decoders makes each loop thread's decoder.
     * @param maxLineBytes longest line buffered across reads.
     */
    public TcpLineReceiver(
        final String name, final String host, final int port, final int acceptQueue, final EventLoopGroup group,
        final Class<? extends ServerChannel> channelClass, final WriterFactory writers, final LongSupplier clock,
        final Supplier<? extends LineDecoder> decoders, final int maxLineBytes)
    {
        this.name = name;
        this.host = host;
        this.port = port;
        this.acceptQueue = acceptQueue;
        this.group = group;
        this.channelClass = channelClass;
        this.writers = writers;
        this.clock = clock;
        this.decoders = decoders;
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * Reads MAD's keys {@code name}, {@code host} ({@code localhost}), {@code port} (required), {@code acceptQueue}
     * (100), {@code parser} (object with {@code type}, see {@link ParserType}), and ours {@code maxLineBytes} (64 KiB).
     */
    public static TcpLineReceiver create(
        final Settings settings, final EventLoopGroup group, final Class<? extends ServerChannel> channelClass,
        final WriterFactory writers, final LongSupplier clock)
    {
        if (!settings.has("port"))
        {
            throw settings.error("port", "required");
        }
        return new TcpLineReceiver(
            settings.string("name"), settings.string("host", "localhost"), settings.integer("port"),
            settings.integer("acceptQueue", 100), group, channelClass, writers, clock,
            ParserType.fromSource(settings), settings.integer("maxLineBytes", 64 * 1024));
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public void start() throws Exception
    {
        serverChannel = new ServerBootstrap()
            .group(group)
            .channel(channelClass)
            .option(ChannelOption.SO_BACKLOG, acceptQueue)
            .childHandler(new ChannelInitializer<Channel>()
            {
                @Override
                protected void initChannel(final Channel channel)
                {
                    channel.pipeline().addLast(new Connection());
                }
            })
            .bind(new InetSocketAddress(host, port)).sync().channel();
        LOG.info("Tcp server binding complete: source={} address={}:{}", name, host, boundPort());
    }

    @Override
    public void close()
    {
        final Channel channel = serverChannel;
        if (channel != null)
        {
            channel.close().syncUninterruptibly();
        }
    }

    /**
     * @return the bound port, or -1 before {@link #start()}.
     */
    public int boundPort()
    {
        final Channel channel = serverChannel;
        return channel == null ? -1 : ((InetSocketAddress)channel.localAddress()).getPort();
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

    public long linesRejected()
    {
        long total = 0;
        for (final LineCounters c : counters)
        {
            total += c.rejectedCount();
        }
        return total;
    }

    public long linesOversized()
    {
        long total = 0;
        for (final LineCounters c : counters)
        {
            total += c.oversizedCount();
        }
        return total;
    }

    /**
     * Per event-loop thread: writer, decoder, counters, view.
     */
    private final class LoopState
    {
        final SampleWriter writer = writers.create(SamplePublisher.Backpressure.WAIT);
        final LineDecoder decoder = decoders.get();
        final LineCounters lineCounters = new LineCounters(name, LOG);
        final ByteBufViews views = new ByteBufViews();

        LoopState()
        {
            counters.add(lineCounters);
        }

        void decode(final org.agrona.DirectBuffer buffer, final int offset, final int length, final long now)
        {
            int code;
            try
            {
                code = decoder.decodeLine(buffer, offset, length, now, writer);
            }
            catch (final RuntimeException ex)
            {
                code = LineDecoder.INVALID_LINE;
            }
            lineCounters.line(code, decoder);
        }
    }

    /**
     * One per connection; runs on its event-loop thread. Holds the partial line.
     */
    private final class Connection extends ChannelInboundHandlerAdapter
    {
        private final ExpandableArrayBuffer partial = new ExpandableArrayBuffer(256);
        private int partialLength;
        private boolean discarding;

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            final ByteBuf buf = (ByteBuf)msg;
            try
            {
                read(loopState.get(), buf);
            }
            finally
            {
                buf.release();
            }
        }

        private void read(final LoopState state, final ByteBuf buf)
        {
            state.lineCounters.received();
            final UnsafeBuffer view = state.views.wrap(buf);
            final long now = clock.getAsLong();
            final int end = view.capacity();
            int start = 0;
            while (true)
            {
                int newline = start;
                while (newline < end && view.getByte(newline) != '\n')
                {
                    newline++;
                }
                if (newline == end)
                {
                    keepTail(state, view, start, end);
                    return;
                }
                final int length = newline - start;
                if (discarding)
                {
                    discarding = false;
                }
                else if (partialLength > 0)
                {
                    if (partialLength + length > maxLineBytes)
                    {
                        state.lineCounters.oversized();
                    }
                    else
                    {
                        partial.putBytes(partialLength, view, start, length);
                        state.decode(partial, 0, partialLength + length, now);
                    }
                    partialLength = 0;
                }
                else if (length > maxLineBytes)
                {
                    state.lineCounters.oversized();
                }
                else
                {
                    state.decode(view, start, length, now);
                }
                start = newline + 1;
            }
        }

        private void keepTail(final LoopState state, final UnsafeBuffer view, final int start, final int end)
        {
            final int length = end - start;
            if (discarding || length == 0)
            {
                return;
            }
            if (partialLength + length > maxLineBytes)
            {
                state.lineCounters.oversized();
                partialLength = 0;
                discarding = true;
                return;
            }
            partial.putBytes(partialLength, view, start, length);
            partialLength += length;
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx)
        {
            // MAD discards bytes after the last newline when the connection closes.
            partialLength = 0;
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            LOG.warn("Tcp connection error: source={}", name, cause);
            ctx.close();
        }
    }

    @Override
    public void visitCounters(final CounterVisitor visitor)
    {
        visitor.counter("source_lines_oversized", linesOversized());
        visitor.counter("source_lines_accepted", linesAccepted());
        visitor.counter("source_lines_rejected", linesRejected());
    }
}
