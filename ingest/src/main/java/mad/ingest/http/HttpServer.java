package mad.ingest.http;

import java.net.InetSocketAddress;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.ssl.SslContext;

import mad.ingest.IngestThreads;
import mad.ingest.RateLimitedLog;

/**
 * MAD's HTTP/1.1 listener on Netty: keep-alive, bodies aggregated up to the configured limit, then routed by
 * {@link HttpRequestHandler}. POST routes come from {@link HttpRoutes} and change at run time with the pipelines.
 *
 * <p>Thread ownership: {@link #start()} and {@link #close()} are called from the wiring thread; requests are served
 * by the shared {@link IngestThreads} loops.
 */
public final class HttpServer implements AutoCloseable
{
    private static final Logger LOGGER = LoggerFactory.getLogger(HttpServer.class);

    private final HttpServerConfig config;
    private final IngestThreads threads;
    private final HttpRoutes routes;
    private final HttpRequestHandler handler;
    /** Null for plain HTTP; MAD's HTTPS listener serves the very same routes. */
    private final SslContext tls;
    private final RateLimitedLog unroutedLog = new RateLimitedLog(LOGGER, "http: ");
    private Channel channel;

    /**
     * @param config listener settings.
     * @param threads the shared event loops.
     * @param routes the POST routes.
     */
    public HttpServer(final HttpServerConfig config, final IngestThreads threads, final HttpRoutes routes)
    {
        this(config, threads, routes, null);
    }

    /**
     * @param config listener settings.
     * @param threads the shared event loops.
     * @param routes the POST routes.
     * @param tls the server TLS context (see {@link TlsContexts}), or null for plain HTTP.
     */
    public HttpServer(
        final HttpServerConfig config, final IngestThreads threads, final HttpRoutes routes, final SslContext tls)
    {
        this.config = config;
        this.threads = threads;
        this.routes = routes;
        this.handler = new HttpRequestHandler(config, routes);
        this.tls = tls;
    }

    /**
     * Binds the listener and returns once it accepts connections.
     *
     * @throws InterruptedException when interrupted while binding.
     * @throws java.io.IOException (sneakily, from Netty) when the address cannot be bound.
     */
    public synchronized void start() throws InterruptedException
    {
        if (channel != null)
        {
            throw new IllegalStateException("already started");
        }
        final ServerBootstrap bootstrap = new ServerBootstrap()
            .group(threads.group())
            .channel(threads.serverChannelClass())
            .option(ChannelOption.SO_BACKLOG, 1024)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ChannelInitializer<Channel>()
            {
                @Override
                protected void initChannel(final Channel child)
                {
                    final ChannelPipeline pipeline = child.pipeline();
                    if (tls != null)
                    {
                        pipeline.addLast("tls", tls.newHandler(child.alloc()));
                    }
                    // Lenient line endings: akka/pekko accepted bare LF, Netty's default no longer does.
                    pipeline.addLast("codec", new HttpServerCodec(new HttpDecoderConfig().setStrictLineParsing(false)));
                    pipeline.addLast("keepAlive", new HttpServerKeepAliveHandler());
                    pipeline.addLast(
                        "aggregator", new RouteAwareAggregator(config.maxContentLength(), routes, unroutedLog));
                    pipeline.addLast("handler", handler);
                }
            });
        channel = bootstrap.bind(new InetSocketAddress(config.host(), config.port())).sync().channel();
        LOGGER.info(
            "{} server listening on {} ({}, {} threads, max body {} bytes)", tls == null ? "HTTP" : "HTTPS",
            channel.localAddress(), threads.transportName(), threads.threadCount(), config.maxContentLength());
    }

    /**
     * @return the bound port (useful when configured with port 0), or -1 before {@link #start()}.
     */
    public synchronized int port()
    {
        return channel == null ? -1 : ((InetSocketAddress)channel.localAddress()).getPort();
    }

    public HttpRoutes routes()
    {
        return routes;
    }

    /**
     * Stops listening. Open connections are closed with the event loops ({@link IngestThreads#close()}).
     */
    @Override
    public synchronized void close()
    {
        if (channel != null)
        {
            channel.close().syncUninterruptibly();
            channel = null;
        }
    }
}
