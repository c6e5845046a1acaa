package mad.emit.http;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;

/**
 * Loopback Netty HTTP/1.1 peer for the client tests: counts accepted connections and requests, records request
 * bodies, answers a configurable status and body, and can answer {@code Connection: close}, close the socket right
 * after answering (as an idle timeout would), or never answer. Optionally TLS.
 */
final class NettyTestServer implements AutoCloseable
{
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();
    final BlockingQueue<String> bodies = new LinkedBlockingQueue<>();
    final BlockingQueue<String> heads = new LinkedBlockingQueue<>();
    volatile int status = 200;
    volatile String responseBody = "";
    volatile boolean connectionClose;
    volatile boolean closeAfterResponse;
    volatile boolean respond = true;
    private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;

    NettyTestServer(final SslContext tls) throws InterruptedException
    {
        server = new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(new ChannelInitializer<Channel>()
            {
                @Override
                protected void initChannel(final Channel ch)
                {
                    connections.incrementAndGet();
                    if (tls != null)
                    {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                    }
                    ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new Handler());
                }
            })
            .bind("127.0.0.1", 0).sync().channel();
    }

    NettyTestServer() throws InterruptedException
    {
        this(null);
    }

    int port()
    {
        return ((InetSocketAddress)server.localAddress()).getPort();
    }

    String uri(final String scheme)
    {
        return scheme + "://127.0.0.1:" + port() + "/metrics/v1/data/persist?x=1";
    }

    @Override
    public void close()
    {
        server.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest>
    {
        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest request)
        {
            requests.incrementAndGet();
            heads.add(request.method() + " " + request.uri() + " " + request.headers().get(HttpHeaderNames.HOST)
                + " " + request.headers().get(HttpHeaderNames.CONTENT_TYPE));
            bodies.add(request.content().toString(StandardCharsets.UTF_8));
            if (!respond)
            {
                return;
            }
            final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(ByteBufUtil.encodeString(ctx.alloc(), java.nio.CharBuffer.wrap(responseBody),
                    StandardCharsets.UTF_8)));
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            if (connectionClose)
            {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
            if (connectionClose || closeAfterResponse)
            {
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
            else
            {
                ctx.writeAndFlush(response);
            }
        }
    }
}
