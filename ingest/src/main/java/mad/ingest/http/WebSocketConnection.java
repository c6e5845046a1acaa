package mad.ingest.http;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;

import mad.ingest.RateLimitedLog;

/**
 * One upgraded WebSocket connection: hands complete text/binary messages to its endpoint {@link
 * WebSocketEndpoint.Session}, answers pings, honours close frames, and is the {@link WebSocketEndpoint.Peer} with the
 * bounded outbound buffer ({@link WebSocketEndpoint#OUTBOUND_LIMIT} messages not yet written to the socket).
 *
 * <p>Thread ownership: inbound callbacks on the channel's event loop; {@link #send} from any thread (it counts the
 * message and schedules the write on the event loop, never blocking the caller).
 */
final class WebSocketConnection extends SimpleChannelInboundHandler<WebSocketFrame> implements WebSocketEndpoint.Peer
{
    private static final Logger LOGGER = LoggerFactory.getLogger(WebSocketConnection.class);
    private static final int MAX_MESSAGE_BYTES = 1 << 20;
    private static final RateLimitedLog DROP_LOG = new RateLimitedLog(LOGGER, "websocket: ");
    private static final RateLimitedLog ERROR_LOG = new RateLimitedLog(LOGGER, "websocket: ");

    private final Channel channel;
    private final WebSocketServerHandshaker handshaker;
    private final String path;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final ChannelFutureListener written = future -> pending.decrementAndGet();
    private WebSocketEndpoint.Session session;

    private WebSocketConnection(final Channel channel, final WebSocketServerHandshaker handshaker, final String path)
    {
        super(true);
        this.channel = channel;
        this.handshaker = handshaker;
        this.path = path;
    }

    /**
     * Upgrades the request's connection (or answers 400 to a GET that is not a WebSocket upgrade, as MAD) and
     * replaces the HTTP handlers of the channel by a {@link WebSocketConnection}.
     *
     * @param ctx the HTTP handler's context.
     * @param request the GET request (released by the caller).
     * @param path the endpoint path.
     * @param endpoint the endpoint serving it.
     */
    static void upgrade(final ChannelHandlerContext ctx, final FullHttpRequest request, final String path,
        final WebSocketEndpoint endpoint)
    {
        final String upgrade = request.headers().get(HttpHeaderNames.UPGRADE);
        if (upgrade == null || !HttpHeaderValues.WEBSOCKET.contentEqualsIgnoreCase(upgrade))
        {
            ctx.writeAndFlush(HttpResponses.text(request.protocolVersion(), HttpResponseStatus.BAD_REQUEST,
                "Expected WebSocket Upgrade request"));
            return;
        }
        final String host = request.headers().get(HttpHeaderNames.HOST, "localhost");
        final WebSocketServerHandshakerFactory factory =
            new WebSocketServerHandshakerFactory("ws://" + host + path, null, true, MAX_MESSAGE_BYTES);
        final WebSocketServerHandshaker handshaker = factory.newHandshaker(request);
        if (handshaker == null)
        {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        final Channel channel = ctx.channel();
        final ChannelPipeline pipeline = channel.pipeline();
        // The HTTP-only handlers go first: keep-alive bookkeeping and body aggregation do not apply to frames.
        removeIfPresent(pipeline, "keepAlive");
        removeIfPresent(pipeline, "aggregator");
        final WebSocketConnection connection = new WebSocketConnection(channel, handshaker, path);
        handshaker.handshake(channel, request).addListener((ChannelFutureListener)future ->
        {
            if (!future.isSuccess())
            {
                ERROR_LOG.warn("handshake failed on " + path, future.cause().toString());
                channel.close();
                return;
            }
            try
            {
                connection.session = endpoint.open(connection);
            }
            catch (final RuntimeException e)
            {
                ERROR_LOG.warn("endpoint " + path + " failed to open a connection", e.toString(), e);
                connection.close();
            }
        });
        pipeline.addLast("wsAggregator", new WebSocketFrameAggregator(MAX_MESSAGE_BYTES));
        pipeline.addLast("ws", connection);
        pipeline.remove(ctx.handler());
    }

    @Override
    public boolean send(final String text)
    {
        if (!channel.isActive())
        {
            return false;
        }
        if (pending.incrementAndGet() > WebSocketEndpoint.OUTBOUND_LIMIT)
        {
            pending.decrementAndGet();
            final long total = dropped.incrementAndGet();
            DROP_LOG.warn("outbound buffer full (" + WebSocketEndpoint.OUTBOUND_LIMIT + "), dropped a message to "
                + remote() + " on " + path, total + " dropped on this connection");
            return false;
        }
        // Frames are built on the event loop: the caller (an emitter thread) only queues the task.
        channel.eventLoop().execute(() -> channel.writeAndFlush(new TextWebSocketFrame(text)).addListener(written));
        return true;
    }

    @Override
    public long dropped()
    {
        return dropped.get();
    }

    @Override
    public void close()
    {
        if (channel.isActive())
        {
            channel.writeAndFlush(new CloseWebSocketFrame()).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public String remote()
    {
        return String.valueOf(channel.remoteAddress());
    }

    @Override
    protected void channelRead0(final ChannelHandlerContext ctx, final WebSocketFrame frame)
    {
        if (frame instanceof CloseWebSocketFrame)
        {
            handshaker.close(ctx.channel(), (CloseWebSocketFrame)frame.retain());
            return;
        }
        if (frame instanceof PingWebSocketFrame)
        {
            ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
            return;
        }
        if (frame instanceof PongWebSocketFrame || session == null)
        {
            return;
        }
        try
        {
            if (frame instanceof TextWebSocketFrame)
            {
                session.onText(((TextWebSocketFrame)frame).text());
            }
            else if (frame instanceof BinaryWebSocketFrame)
            {
                session.onBinary(frame.content().readableBytes());
            }
        }
        catch (final RuntimeException e)
        {
            // A bad message costs that message only: the connection and its subscriptions stay.
            ERROR_LOG.warn("endpoint " + path + " failed on a message from " + remote(), e.toString(), e);
        }
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) throws Exception
    {
        final WebSocketEndpoint.Session current = session;
        session = null;
        if (current != null)
        {
            try
            {
                current.onClose();
            }
            catch (final RuntimeException e)
            {
                ERROR_LOG.warn("endpoint " + path + " failed on close", e.toString(), e);
            }
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        ERROR_LOG.warn("closing WebSocket connection " + remote() + " on " + path + " after error", cause.toString());
        ctx.close();
    }

    private static void removeIfPresent(final ChannelPipeline pipeline, final String name)
    {
        if (pipeline.get(name) != null)
        {
            pipeline.remove(name);
        }
    }
}
