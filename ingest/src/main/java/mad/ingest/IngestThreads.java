package mad.ingest;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.concurrent.FastThreadLocalThread;

/**
 * The Netty event loops every network source shares (HTTP server now; UDP, TCP and gRPC later), so that the box's
 * few cores are not split between several thread pools. One group serves both accepting and reading.
 *
 * <p>Transport: epoll when available, io_uring only when asked for and available (containers often block it), NIO
 * otherwise. Threads are named {@code ingest-N} and are {@link IngestThread}s, whose {@link IngestThread#slot()}
 * lets per-thread state live in plain arrays instead of thread locals.
 *
 * <p>Thread ownership: created and closed by the wiring thread; accessors may be called from any thread.
 */
public final class IngestThreads implements AutoCloseable
{
    /** Which I/O transport the caller would like. */
    public enum Transport
    {
        /** Epoll when available, else NIO. */
        AUTO,
        /** io_uring when available, else as {@link #AUTO}. */
        IO_URING,
        /** NIO even where a native transport exists (tests, diagnosis). */
        NIO
    }

    private static final long SHUTDOWN_QUIET_MS = 0;
    private static final long SHUTDOWN_TIMEOUT_MS = 5_000;

    private final int threadCount;
    private final String transportName;
    private final MultiThreadIoEventLoopGroup group;
    private final Class<? extends ServerSocketChannel> serverChannelClass;
    private final Class<? extends SocketChannel> socketChannelClass;
    private final Class<? extends DatagramChannel> datagramChannelClass;

    /**
     * @param threadCount number of event-loop threads (at least 1).
     * @param transport the preferred transport.
     */
    public IngestThreads(final int threadCount, final Transport transport)
    {
        this(threadCount, transport, UnaryOperator.identity());
    }

    /**
     * @param threadCount number of event-loop threads (at least 1).
     * @param transport the preferred transport.
     * @param threadBody wraps each event-loop thread's body, for example to pin the thread to CPUs when it starts.
     */
    public IngestThreads(final int threadCount, final Transport transport, final UnaryOperator<Runnable> threadBody)
    {
        if (threadCount < 1)
        {
            throw new IllegalArgumentException("threadCount must be at least 1: " + threadCount);
        }
        this.threadCount = threadCount;
        final IoHandlerFactory factory;
        if (transport == Transport.IO_URING && IoUring.isAvailable())
        {
            factory = IoUringIoHandler.newFactory();
            transportName = "io_uring";
            serverChannelClass = IoUringServerSocketChannel.class;
            socketChannelClass = IoUringSocketChannel.class;
            datagramChannelClass = IoUringDatagramChannel.class;
        }
        else if (transport != Transport.NIO && Epoll.isAvailable())
        {
            factory = EpollIoHandler.newFactory();
            transportName = "epoll";
            serverChannelClass = EpollServerSocketChannel.class;
            socketChannelClass = EpollSocketChannel.class;
            datagramChannelClass = EpollDatagramChannel.class;
        }
        else
        {
            factory = NioIoHandler.newFactory();
            transportName = "nio";
            serverChannelClass = NioServerSocketChannel.class;
            socketChannelClass = NioSocketChannel.class;
            datagramChannelClass = NioDatagramChannel.class;
        }
        group = new MultiThreadIoEventLoopGroup(threadCount, new Factory(threadBody), factory);
    }

    /**
     * @param threadCount number of event-loop threads.
     */
    public IngestThreads(final int threadCount)
    {
        this(threadCount, Transport.AUTO);
    }

    /**
     * @return the shared event-loop group (accepting and reading).
     */
    public EventLoopGroup group()
    {
        return group;
    }

    public Class<? extends ServerSocketChannel> serverChannelClass()
    {
        return serverChannelClass;
    }

    public Class<? extends SocketChannel> socketChannelClass()
    {
        return socketChannelClass;
    }

    public Class<? extends DatagramChannel> datagramChannelClass()
    {
        return datagramChannelClass;
    }

    /**
     * @return {@code epoll}, {@code io_uring} or {@code nio}.
     */
    public String transportName()
    {
        return transportName;
    }

    public int threadCount()
    {
        return threadCount;
    }

    /**
     * Shuts the loops down gracefully and waits a bounded time for them to finish.
     */
    @Override
    public void close()
    {
        group.shutdownGracefully(SHUTDOWN_QUIET_MS, SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS)
            .awaitUninterruptibly(SHUTDOWN_TIMEOUT_MS + 1_000, TimeUnit.MILLISECONDS);
    }

    /**
     * An ingest event-loop thread. {@link #slot()} is unique in the process (never reused), so arrays indexed by it
     * hold per-thread state without thread locals and are reclaimed with their owner (a route, a source).
     */
    public static final class IngestThread extends FastThreadLocalThread
    {
        private static final AtomicInteger SLOTS = new AtomicInteger();
        private final int slot;

        IngestThread(final Runnable task, final String name)
        {
            super(task, name);
            this.slot = SLOTS.getAndIncrement();
        }

        /**
         * @return this thread's process-wide slot number, from 0.
         */
        public int slot()
        {
            return slot;
        }
    }

    private static final class Factory implements ThreadFactory
    {
        private final AtomicInteger numbers = new AtomicInteger();
        private final UnaryOperator<Runnable> threadBody;

        Factory(final UnaryOperator<Runnable> threadBody)
        {
            this.threadBody = threadBody;
        }

        @Override
        public Thread newThread(final Runnable task)
        {
            final Thread thread = new IngestThread(threadBody.apply(task), "ingest-" + numbers.getAndIncrement());
            thread.setDaemon(false);
            return thread;
        }
    }
}
