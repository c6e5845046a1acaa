package mad.emit.tcp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.protobuf.CodedOutputStream;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;

import mad.emit.EmitContext;
import mad.emit.RateLimitedLog;
import mad.emit.Sink;
import mad.emit.cagg.CaggEncoder;
import mad.engine.config.Settings;
import mad.engine.output.PeriodicData;

/**
 * MAD's raw-TCP {@code AggregationServerSink} (mad-spec 7.3): the framed {@code StatisticSetRecord}s of
 * {@link CaggEncoder} written back-to-back on one connection to {@code serverAddress:serverPort} (7065), a framed
 * {@code HeartbeatRecord} every 15 s while connected, MAD's reconnect backoff, and a bounded queue
 * ({@code maxQueueSize}, 10000 frames) whose oldest frame is evicted when full (counted, warned once per 30 s).
 * {@code hostNameResolver} is accepted; like MAD's default resolver the address is used unchanged.
 *
 * <p>Deviation (as {@code AggregationServerHttpSink}): a bucket without {@code service}/{@code cluster} is rejected
 * alone (counted, rate-limited warning) instead of throwing into the period worker.
 *
 * <p>Thread ownership: {@link #recordAggregateData} runs on the emitter thread, which owns the encoder; it copies each
 * frame into the queue (guarded by its own monitor) and never blocks on I/O. Everything else (connecting, writing,
 * heartbeats, backoff) runs on this sink's own single Netty event loop thread {@code madx-aggserver-<name>}, which
 * owns the channel and the attempt counter.
 */
public final class AggregationServerSink implements Sink
{
    /** Framing type byte of a HeartbeatRecord. */
    static final byte TYPE_HEARTBEAT = 0x03;
    private static final Logger LOGGER = LoggerFactory.getLogger(AggregationServerSink.class);
    private static final int DEFAULT_PORT = 7065;
    private static final int DEFAULT_MAX_QUEUE = 10_000;
    private static final long CLOSE_DRAIN_MS = 5_000L;

    private final String name;
    private final String host;
    private final int port;
    private final int maxQueueSize;
    private final Timing timing;
    private final EmitContext context;
    private final CaggEncoder encoder = new CaggEncoder();
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicLong evicted = new AtomicLong();
    private final AtomicLong rejectedMissingDimensions = new AtomicLong();
    private final AtomicLong framesWritten = new AtomicLong();
    private final AtomicLong heartbeatsWritten = new AtomicLong();
    private final AtomicLong connects = new AtomicLong();
    private final RateLimitedLog evictLog;
    private final RateLimitedLog rejectLog;
    private final RateLimitedLog connectLog;
    private final MultiThreadIoEventLoopGroup group;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    /** Owned by {@link #loop}. */
    private Channel channel;
    /** Owned by {@link #loop}. */
    private int attempt;
    /** Owned by {@link #loop}: epoch ms of the last connect attempt's start (the 3 s guard). */
    private long lastAttemptMs = Long.MIN_VALUE / 2;
    private volatile boolean closed;

    private AggregationServerSink(final Settings settings, final EmitContext context, final Timing timing)
    {
        this.name = settings.string("name");
        if (!settings.has("serverAddress") || settings.string("serverAddress").isBlank())
        {
            throw settings.error("serverAddress", "required: the aggregation server's host name or address");
        }
        this.host = settings.string("serverAddress").trim();
        this.port = settings.integer("serverPort", DEFAULT_PORT);
        if (port < 1 || port > 65_535)
        {
            throw settings.error("serverPort", "must be a TCP port (1..65535)");
        }
        this.maxQueueSize = settings.integer("maxQueueSize", DEFAULT_MAX_QUEUE);
        if (maxQueueSize < 1)
        {
            throw settings.error("maxQueueSize", "must be >= 1");
        }
        // hostNameResolver ({type=...}) is accepted for compatibility; MAD's default returns the address unchanged.
        this.timing = timing;
        this.context = context;
        this.evictLog = new RateLimitedLog(LOGGER, context.clock(), RateLimitedLog.DEFAULT_INTERVAL_MS);
        this.rejectLog = new RateLimitedLog(LOGGER, context.clock(), RateLimitedLog.DEFAULT_INTERVAL_MS);
        this.connectLog = new RateLimitedLog(LOGGER, context.clock(), RateLimitedLog.DEFAULT_INTERVAL_MS);
        this.group = new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("madx-aggserver-" + name, true), NioIoHandler.newFactory());
        this.loop = group.next();
        this.bootstrap = new Bootstrap()
            .group(loop)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)timing.connectTimeoutMs())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.SO_KEEPALIVE, true)
            .handler(new Handler());
        loop.execute(this::connect);
        loop.scheduleAtFixedRate(
            this::heartbeat, timing.heartbeatMs(), timing.heartbeatMs(), TimeUnit.MILLISECONDS);
    }

    /**
     * Reads {@code serverAddress} (required), {@code serverPort} (7065), {@code maxQueueSize} (10000) and accepts
     * {@code hostNameResolver}; starts connecting at once.
     *
     * @param settings the sink object.
     * @param context the pipeline's emit context.
     * @return the sink.
     */
    public static AggregationServerSink create(final Settings settings, final EmitContext context)
    {
        return new AggregationServerSink(settings, context, Timing.MAD);
    }

    /**
     * For tests: the same sink with other timings.
     */
    static AggregationServerSink create(final Settings settings, final EmitContext context, final Timing timing)
    {
        return new AggregationServerSink(settings, context, timing);
    }

    @Override
    public void recordAggregateData(final PeriodicData data)
    {
        final int metrics = data.metricCount();
        if (metrics == 0 || closed)
        {
            return;
        }
        if (!CaggEncoder.hasServiceAndCluster(data))
        {
            rejectedMissingDimensions.incrementAndGet();
            rejectLog.warn("sink '" + name + "': rejected " + data.period() + " data without 'service' and "
                + "'cluster' dimensions (" + metrics + " metrics), dimensions " + data.dimensions());
            return;
        }
        int evictedNow = 0;
        for (int i = 0; i < metrics; i++)
        {
            final int length;
            try
            {
                length = encoder.encode(data, i);
            }
            catch (final RuntimeException e)
            {
                rejectLog.warn("sink '" + name + "': could not encode metric " + data.metric(i).name() + ": " + e);
                continue;
            }
            final byte[] frame = Arrays.copyOf(encoder.buffer(), length);
            synchronized (queue)
            {
                if (queue.size() >= maxQueueSize)
                {
                    queue.pollFirst();
                    evictedNow++;
                }
                queue.addLast(frame);
            }
        }
        if (evictedNow > 0)
        {
            final long total = evicted.addAndGet(evictedNow);
            evictLog.warn("sink '" + name + "': queue full (" + maxQueueSize + "), evicted the oldest frames ("
                + total + " so far); server " + host + ":" + port + (isConnected() ? "" : " not connected"));
        }
        scheduleDrain();
    }

    /**
     * Writes what is queued while connected (at most {@value #CLOSE_DRAIN_MS} ms), then closes the connection and the
     * sink's thread.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            loop.submit(() ->
            {
                drain();
                final Channel current = channel;
                if (current != null)
                {
                    current.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> current.close());
                }
            }).await(CLOSE_DRAIN_MS);
            final Channel current = loop.submit(() -> channel).get(CLOSE_DRAIN_MS, TimeUnit.MILLISECONDS);
            if (current != null)
            {
                current.closeFuture().await(CLOSE_DRAIN_MS);
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        catch (final Exception e)
        {
            LOGGER.warn("sink '{}': error while closing: {}", name, e.toString());
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    }

    public String name()
    {
        return name;
    }

    /**
     * @return frames evicted because the queue was full.
     */
    public long evicted()
    {
        return evicted.get();
    }

    /**
     * @return buckets rejected because they lack {@code service} or {@code cluster}.
     */
    public long rejectedMissingDimensions()
    {
        return rejectedMissingDimensions.get();
    }

    /**
     * @return StatisticSetRecord frames handed to the connection.
     */
    public long framesWritten()
    {
        return framesWritten.get();
    }

    /**
     * @return heartbeat frames handed to the connection.
     */
    public long heartbeatsWritten()
    {
        return heartbeatsWritten.get();
    }

    /**
     * @return successful connects so far.
     */
    public long connects()
    {
        return connects.get();
    }

    /**
     * @return frames waiting in the queue.
     */
    public int queueSize()
    {
        synchronized (queue)
        {
            return queue.size();
        }
    }

    /**
     * @return true while a connection is open (racy: for tests and logs).
     */
    public boolean isConnected()
    {
        final Channel current = channel;
        return current != null && current.isActive();
    }

    /**
     * MAD's reconnect delay after the failed attempt number {@code attempt}:
     * {@code (floor(random * 1.3^min(attempt, 20)) + 1) * unit}.
     *
     * @param attempt failed attempts so far (1 after the first failure).
     * @param random a value in [0, 1).
     * @param unitMs 500 in MAD.
     * @return the delay in ms.
     */
    static long backoffMs(final int attempt, final double random, final long unitMs)
    {
        return ((long)Math.floor(random * Math.pow(1.3, Math.min(attempt, 20))) + 1) * unitMs;
    }

    /**
     * @param nowMs the heartbeat time.
     * @return {@code [len][0x03][HeartbeatRecord{timestamp (1) = now as ZonedDateTime text}]}.
     */
    static byte[] heartbeatFrame(final long nowMs)
    {
        final String timestamp = CaggEncoder.timestampText(nowMs);
        final int bodySize = CodedOutputStream.computeStringSize(1, timestamp);
        final byte[] frame = new byte[5 + bodySize];
        final int total = frame.length;
        frame[0] = (byte)(total >>> 24);
        frame[1] = (byte)(total >>> 16);
        frame[2] = (byte)(total >>> 8);
        frame[3] = (byte)total;
        frame[4] = TYPE_HEARTBEAT;
        final CodedOutputStream out = CodedOutputStream.newInstance(frame, 5, bodySize);
        try
        {
            out.writeString(1, timestamp);
            out.checkNoSpaceLeft();
        }
        catch (final IOException e)
        {
            throw new IllegalStateException("heartbeat size mismatch", e);
        }
        return frame;
    }

    private void scheduleDrain()
    {
        if (drainScheduled.compareAndSet(false, true))
        {
            loop.execute(() ->
            {
                drainScheduled.set(false);
                drain();
            });
        }
    }

    /** On the loop: writes queued frames while the channel is active and writable. */
    private void drain()
    {
        final Channel current = channel;
        if (current == null || !current.isActive())
        {
            return;
        }
        boolean wrote = false;
        while (current.isWritable())
        {
            final byte[] frame;
            synchronized (queue)
            {
                frame = queue.pollFirst();
            }
            if (frame == null)
            {
                break;
            }
            current.write(Unpooled.wrappedBuffer(frame), current.voidPromise());
            framesWritten.incrementAndGet();
            wrote = true;
        }
        if (wrote)
        {
            current.flush();
        }
    }

    /** On the loop. Heartbeats are written directly, ahead of the queue, and dropped when not connected. */
    private void heartbeat()
    {
        final Channel current = channel;
        if (current != null && current.isActive())
        {
            current.writeAndFlush(Unpooled.wrappedBuffer(heartbeatFrame(context.nowMs())), current.voidPromise());
            heartbeatsWritten.incrementAndGet();
        }
    }

    /** On the loop: one attempt, no earlier than the guard after the previous one. */
    private void connect()
    {
        if (closed || channel != null)
        {
            return;
        }
        final long now = System.currentTimeMillis();
        final long wait = lastAttemptMs + timing.minAttemptSpacingMs() - now;
        if (wait > 0)
        {
            loop.schedule(this::connect, wait, TimeUnit.MILLISECONDS);
            return;
        }
        lastAttemptMs = now;
        final ChannelFuture future = bootstrap.connect(new InetSocketAddress(host, port));
        future.addListener(f ->
        {
            if (f.isSuccess())
            {
                if (closed)
                {
                    future.channel().close();
                    return;
                }
                channel = future.channel();
                attempt = 0;
                connects.incrementAndGet();
                LOGGER.info("sink '{}': connected to aggregation server {}:{}", name, host, port);
                drain();
                return;
            }
            attempt++;
            final long delay = backoffMs(attempt, ThreadLocalRandom.current().nextDouble(), timing.backoffUnitMs());
            connectLog.warn("sink '" + name + "': could not connect to aggregation server " + host + ":" + port
                + " (attempt " + attempt + ", retrying in " + delay + " ms): " + f.cause());
            if (!closed)
            {
                loop.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
            }
        });
    }

    /**
     * The sink's timings; {@link #MAD} in production.
     *
     * @param connectTimeoutMs connect timeout (5 s).
     * @param backoffUnitMs backoff unit (500 ms).
     * @param minAttemptSpacingMs least time between two attempts (3 s).
     * @param heartbeatMs heartbeat interval (15 s).
     */
    record Timing(long connectTimeoutMs, long backoffUnitMs, long minAttemptSpacingMs, long heartbeatMs)
    {
        static final Timing MAD = new Timing(5_000L, 500L, 3_000L, 15_000L);
    }

    /** Shared by the sink's connections (one at a time), on the loop. */
    @ChannelHandler.Sharable
    private final class Handler extends ChannelInboundHandlerAdapter
    {
        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            // The aggregation server does not answer on this protocol: discard anything it sends.
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void channelWritabilityChanged(final ChannelHandlerContext ctx)
        {
            if (ctx.channel().isWritable())
            {
                drain();
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx)
        {
            if (channel == ctx.channel())
            {
                channel = null;
                if (!closed)
                {
                    // MAD reconnects at once when the socket closes (subject to the attempt guard).
                    connectLog.warn("sink '" + name + "': connection to " + host + ":" + port
                        + " closed, reconnecting");
                    connect();
                }
            }
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            connectLog.warn("sink '" + name + "': connection error with " + host + ":" + port + ": " + cause);
            ctx.close();
        }
    }
}
