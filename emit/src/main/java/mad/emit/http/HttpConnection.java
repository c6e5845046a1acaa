package mad.emit.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;

/**
 * One HTTP/1.1 keep-alive connection to one {@link HttpTarget}, carrying <em>one request at a time</em> (no
 * pipelining): a sink with {@code maximumConcurrency} N owns N of these. It connects on the first request (name
 * resolved off the loop, connect timeout from the loop), reuses the socket for every following request, and
 * reconnects on the next request after the peer closed it, answered {@code Connection: close}, or a request failed.
 *
 * <p>A request is written as one buffer: the target's pre-built head ({@link HttpTarget#requestHead}), the length
 * digits and the body; the response is parsed by Netty's {@link HttpResponseDecoder} and reduced to its status and
 * the first {@link #BODY_PREFIX_BYTES} bytes of its body (for the sinks' rejection log); the decoder reuses one
 * header table per connection ({@link ReusedHeadersFactory}). Nothing else is allocated per request by this class:
 * the hand-over task, the timeout task and the listeners are fields.
 *
 * <p>The request timeout covers everything from {@link #send} to the end of the response (connect and TLS
 * handshake included); on expiry the request fails with a {@link TimeoutException} and the socket is closed, so a
 * late response can never be taken for the next request's. One timer is armed per connection and re-armed only when
 * it fires early, so steady traffic schedules nothing.
 *
 * <p>Thread ownership: {@link #send} from any thread, but only by the one owner of the connection and never while a
 * request is outstanding (the owner waits for its {@link Listener}). Everything else runs on the
 * {@code madx-http-client} loop, including the listener callbacks.
 */
public final class HttpConnection
{
    /** Bytes of a response body kept for logs. */
    public static final int BODY_PREFIX_BYTES = 512;
    private static final byte[] END_OF_HEAD = {'\r', '\n', '\r', '\n'};
    private static final int MAXIMUM_LENGTH_DIGITS = 10;

    /** The outcome of one request, called on the event loop. */
    public interface Listener
    {
        /**
         * @param status the response status.
         * @param body the first bytes of the response body (valid only during the call).
         * @param bodyLength how many bytes of {@code body} are valid.
         */
        void onResponse(int status, byte[] body, int bodyLength);

        /**
         * @param error why no complete response arrived (connect failure, reset, closed, timeout).
         */
        void onFailure(Throwable error);
    }

    private final HttpClientLoop client;
    private final EventLoop loop;
    private final HttpTarget target;
    private final byte[] head;
    private final long timeoutNanos;
    private final byte[] bodyPrefix = new byte[BODY_PREFIX_BYTES];
    private final Runnable sendTask = this::sendOnLoop;
    private final Runnable timeoutTask = this::onTimer;
    private final ChannelFutureListener connectListener = this::onConnected;
    private final ChannelFutureListener writeListener = this::onWritten;
    private final Resolution resolution = new Resolution();

    // Hand-over from the owner (published by the loop's task queue).
    private byte[] nextBody;
    private int nextLength;
    private Listener nextListener;

    // Loop-confined state.
    private Channel channel;
    private boolean connecting;
    private boolean closed;
    private byte[] body;
    private int bodyLength;
    private Listener listener;
    private long deadline;
    private boolean timerArmed;
    private Throwable channelError;
    /** The request went out on a socket reused from an earlier one and may be replayed once on a new socket. */
    private boolean replayable;
    private boolean responseStarted;
    private int status;
    private boolean keepAlive;
    private int prefixLength;
    private long connects;
    private long requests;
    private long replays;

    HttpConnection(final HttpClientLoop client, final HttpTarget target, final String contentType,
        final long timeoutNanos)
    {
        this.client = client;
        this.loop = client.loop();
        this.target = target;
        this.head = target.requestHead(contentType);
        this.timeoutNanos = timeoutNanos;
    }

    /**
     * Posts one body; the outcome goes to {@code listener} on the event loop. Always handed to the loop, even from
     * the loop (a listener that sends its next request must not recurse into its own completion).
     *
     * @param bytes the body (not copied: it must not change until the listener is called).
     * @param length the number of bytes of {@code bytes} to send.
     * @param outcome the listener.
     * @return {@code false} when the client loop has stopped: nothing was sent and the listener will not be called.
     */
    public boolean send(final byte[] bytes, final int length, final Listener outcome)
    {
        nextBody = bytes;
        nextLength = length;
        nextListener = outcome;
        try
        {
            loop.execute(sendTask);
            return true;
        }
        catch (final RuntimeException e)
        {
            nextListener = null;
            nextBody = null;
            return false;
        }
    }

    /**
     * Closes the socket; an outstanding request fails. The connection cannot be used afterwards.
     */
    public void close()
    {
        try
        {
            loop.execute(() ->
            {
                closed = true;
                closeChannel();
                fail(new IOException("connection to " + target + " closed by its sink"));
            });
        }
        catch (final RuntimeException e)
        {
            // The loop is already gone, and with it the socket.
        }
    }

    public HttpTarget target()
    {
        return target;
    }

    /**
     * @return sockets opened so far (a plain read of a loop field: for tests and diagnostics).
     */
    public long connects()
    {
        return connects;
    }

    /**
     * @return requests started so far (same caveat).
     */
    public long requests()
    {
        return requests;
    }

    /**
     * @return requests sent again on a fresh socket because the reused one closed unanswered (same caveat).
     */
    public long replays()
    {
        return replays;
    }

    private void sendOnLoop()
    {
        final Listener outcome = nextListener;
        nextListener = null;
        if (outcome == null)
        {
            return;
        }
        if (listener != null)
        {
            outcome.onFailure(new IllegalStateException("a request to " + target + " is already outstanding"));
            return;
        }
        if (closed)
        {
            outcome.onFailure(new IOException("connection to " + target + " is closed"));
            return;
        }
        body = nextBody;
        bodyLength = nextLength;
        nextBody = null;
        listener = outcome;
        requests++;
        deadline = System.nanoTime() + timeoutNanos;
        if (!timerArmed)
        {
            timerArmed = true;
            loop.schedule(timeoutTask, timeoutNanos, TimeUnit.NANOSECONDS);
        }
        replayable = channel != null && channel.isActive();
        if (replayable)
        {
            write();
        }
        else if (!connecting)
        {
            reconnect();
        }
    }

    private void reconnect()
    {
        closeChannel();
        connecting = true;
        client.resolver().resolve(target.host(), target.port(), loop, resolution);
    }

    private void connect(final InetSocketAddress address)
    {
        if (closed)
        {
            connecting = false;
            return;
        }
        connects++;
        final HttpTarget to = target;
        final SslContext tls;
        try
        {
            tls = to.secure() ? client.tls() : null;
        }
        catch (final SSLException | RuntimeException e)
        {
            connecting = false;
            fail(e);
            return;
        }
        client.bootstrap()
            .handler(new ChannelInitializer<Channel>()
            {
                @Override
                protected void initChannel(final Channel ch) throws Exception
                {
                    final ChannelPipeline pipeline = ch.pipeline();
                    if (tls != null)
                    {
                        pipeline.addLast(tls.newHandler(ch.alloc(), to.host(), to.port()));
                    }
                    pipeline.addLast(new HttpResponseDecoder(new HttpDecoderConfig()
                        .setHeadersFactory(new ReusedHeadersFactory())
                        .setTrailersFactory(new ReusedHeadersFactory())));
                    pipeline.addLast(new ResponseHandler());
                }
            })
            .connect(address)
            .addListener(connectListener);
    }

    private void onConnected(final ChannelFuture future)
    {
        connecting = false;
        if (!future.isSuccess())
        {
            fail(future.cause());
            return;
        }
        if (closed)
        {
            future.channel().close();
            return;
        }
        channel = future.channel();
        channelError = null;
        if (listener != null)
        {
            write();
        }
    }

    private void write()
    {
        final ByteBuf buffer = channel.alloc().ioBuffer(head.length + MAXIMUM_LENGTH_DIGITS + END_OF_HEAD.length
            + bodyLength);
        buffer.writeBytes(head);
        writeDecimal(buffer, bodyLength);
        buffer.writeBytes(END_OF_HEAD);
        buffer.writeBytes(body, 0, bodyLength);
        status = 0;
        prefixLength = 0;
        responseStarted = false;
        if (target.secure())
        {
            channel.writeAndFlush(buffer).addListener(writeListener);
        }
        else
        {
            // No promise object per request: a failed write reaches exceptionCaught, which closes the socket.
            channel.writeAndFlush(buffer, channel.voidPromise());
        }
    }

    private void onWritten(final ChannelFuture future)
    {
        if (!future.isSuccess())
        {
            channelError = future.cause();
            future.channel().close();
        }
    }

    private void onTimer()
    {
        timerArmed = false;
        if (listener == null)
        {
            return;
        }
        final long remaining = deadline - System.nanoTime();
        if (remaining > 0)
        {
            timerArmed = true;
            loop.schedule(timeoutTask, remaining, TimeUnit.NANOSECONDS);
            return;
        }
        // The socket may still deliver this response later: it is closed so that it never answers the next one.
        closeChannel();
        fail(new TimeoutException("no complete response from " + target + " within "
            + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms"));
    }

    private void closeChannel()
    {
        final Channel current = channel;
        channel = null;
        if (current != null)
        {
            current.close();
        }
    }

    private void fail(final Throwable error)
    {
        final Listener outcome = listener;
        listener = null;
        body = null;
        if (outcome != null)
        {
            outcome.onFailure(error);
        }
    }

    private void complete()
    {
        final Listener outcome = listener;
        listener = null;
        body = null;
        if (!keepAlive)
        {
            closeChannel();
        }
        if (outcome != null)
        {
            outcome.onResponse(status, bodyPrefix, prefixLength);
        }
    }

    /** As {@code HttpUtil.isKeepAlive}, without the list that its {@code containsValue} builds. */
    private static boolean keepAlive(final HttpResponse response)
    {
        final String connection = response.headers().get(HttpHeaderNames.CONNECTION);
        if (connection != null && AsciiString.containsIgnoreCase(connection, "close"))
        {
            return false;
        }
        return response.protocolVersion().isKeepAliveDefault()
            || connection != null && AsciiString.containsIgnoreCase(connection, "keep-alive");
    }

    private static void writeDecimal(final ByteBuf buffer, final int value)
    {
        int divisor = 1;
        while (divisor <= value / 10)
        {
            divisor *= 10;
        }
        for (; divisor > 0; divisor /= 10)
        {
            buffer.writeByte('0' + value / divisor % 10);
        }
    }

    /** Connects once the address is known (both callbacks on the loop). */
    private final class Resolution implements OffLoopNameResolver.Callback
    {
        @Override
        public void resolved(final InetSocketAddress address)
        {
            connect(address);
        }

        @Override
        public void failed(final Throwable error)
        {
            connecting = false;
            fail(error);
        }
    }

    /** Reduces decoded responses to status, keep-alive and body prefix; fails the request when the socket ends. */
    private final class ResponseHandler extends ChannelInboundHandlerAdapter
    {
        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object message)
        {
            try
            {
                if (ctx.channel() != channel || listener == null)
                {
                    // Nothing asked for this (a response after a timeout, or unsolicited): drop the socket.
                    ctx.close();
                    return;
                }
                responseStarted = true;
                if (message instanceof HttpObject && ((HttpObject)message).decoderResult().isFailure())
                {
                    channelError = ((HttpObject)message).decoderResult().cause();
                    ctx.close();
                    return;
                }
                if (message instanceof HttpResponse)
                {
                    final HttpResponse response = (HttpResponse)message;
                    if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL
                        && !(message instanceof LastHttpContent))
                    {
                        // 100 Continue and friends: the real response follows.
                        status = -1;
                        return;
                    }
                    status = response.status().code();
                    keepAlive = keepAlive(response);
                }
                if (message instanceof HttpContent && status > 0)
                {
                    final ByteBuf content = ((HttpContent)message).content();
                    final int copy = Math.min(content.readableBytes(), BODY_PREFIX_BYTES - prefixLength);
                    if (copy > 0)
                    {
                        content.getBytes(content.readerIndex(), bodyPrefix, prefixLength, copy);
                        prefixLength += copy;
                    }
                }
                if (message instanceof LastHttpContent)
                {
                    if (status > 0)
                    {
                        complete();
                    }
                    else
                    {
                        status = 0;
                    }
                }
            }
            finally
            {
                ReferenceCountUtil.release(message);
            }
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx)
        {
            if (ctx.channel() == channel)
            {
                channel = null;
                final Throwable cause = channelError;
                channelError = null;
                if (listener != null && replayable && !responseStarted && !closed)
                {
                    // A kept-alive socket the server closed as we reused it (its idle timeout): nothing of this
                    // request was answered, so it goes once more on a fresh socket, as pooling clients do.
                    replayable = false;
                    replays++;
                    reconnect();
                    return;
                }
                fail(cause != null ? cause : new IOException("connection to " + target
                    + " closed before the response was complete"));
            }
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            if (ctx.channel() == channel)
            {
                channelError = cause;
            }
            ctx.close();
        }
    }
}
