package mad.emit.http;

import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLException;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.resolver.NoopAddressResolverGroup;
import io.netty.util.concurrent.FastThreadLocalThread;

/**
 * The one event-loop thread, {@code madx-http-client} (epoll when available, else NIO), shared by every HTTP sink
 * and monitoring sink of the process: it owns all their keep-alive connections ({@link HttpConnection}), their
 * writes, response parsing, request timeouts and reconnects. Host names are resolved off the loop
 * ({@link OffLoopNameResolver}). {@code https} targets use one client {@link SslContext} (JDK provider, the JVM's
 * default trust store, host name verification on), built on first use.
 *
 * <p>Thread ownership: created (by the sinks' factories, on the wiring thread, so the loop gets that thread's CPU set)
 * and closed by {@link HttpFacility}; {@link #connection} from any thread.
 */
public final class HttpClientLoop implements AutoCloseable
{
    /** Name of the event-loop thread. */
    public static final String THREAD_NAME = "madx-http-client";

    private final MultiThreadIoEventLoopGroup group;
    private final EventLoop loop;
    private final Class<? extends SocketChannel> channelClass;
    private final OffLoopNameResolver resolver = new OffLoopNameResolver();
    private final long connectTimeoutMs;
    private SslContext tls;

    /**
     * @param connectTimeoutMs connect timeout.
     * @param tls the client TLS context for {@code https}, or {@code null} for the default one (built lazily).
     */
    HttpClientLoop(final long connectTimeoutMs, final SslContext tls)
    {
        this.connectTimeoutMs = connectTimeoutMs;
        this.tls = tls;
        final boolean epoll = Epoll.isAvailable();
        group = new MultiThreadIoEventLoopGroup(1, runnable ->
        {
            final Thread thread = new FastThreadLocalThread(runnable, THREAD_NAME);
            thread.setDaemon(true);
            return thread;
        }, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        channelClass = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        loop = group.next();
        // Start the thread now, from the constructing (wiring) thread: Netty creates it on the first task, and a
        // thread inherits the CPU set of its creator, which would otherwise be whichever sink posted first (an
        // emitter, pinned to the emitter CPUs).
        loop.execute(() ->
        {
        });
    }

    /**
     * @param target where the connection posts.
     * @param contentType the {@code Content-Type} of its bodies.
     * @param requestTimeoutMs bound on one request, from hand-over until the end of the response.
     * @return a new, unconnected keep-alive connection (it connects on its first request).
     */
    public HttpConnection connection(final HttpTarget target, final String contentType, final long requestTimeoutMs)
    {
        return new HttpConnection(this, target, contentType, TimeUnit.MILLISECONDS.toNanos(requestTimeoutMs));
    }

    EventLoop loop()
    {
        return loop;
    }

    OffLoopNameResolver resolver()
    {
        return resolver;
    }

    /**
     * @return a bootstrap on the loop; addresses are already resolved when it connects.
     */
    Bootstrap bootstrap()
    {
        return new Bootstrap()
            .group(loop)
            .channel(channelClass)
            .resolver(NoopAddressResolverGroup.INSTANCE)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)connectTimeoutMs)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.SO_KEEPALIVE, true);
    }

    synchronized SslContext tls() throws SSLException
    {
        if (tls == null)
        {
            tls = SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS").build();
        }
        return tls;
    }

    /**
     * @return {@code epoll} or {@code nio}.
     */
    public String transportName()
    {
        return channelClass == EpollSocketChannel.class ? "epoll" : "nio";
    }

    /**
     * Closes every connection and stops the thread (waits at most 1 s).
     */
    @Override
    public void close()
    {
        resolver.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
}
