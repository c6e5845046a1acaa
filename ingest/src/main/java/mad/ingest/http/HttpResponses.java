package mad.ingest.http;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Builds and writes the server's responses. Every response carries a Content-Length so that
 * {@code HttpServerKeepAliveHandler} can keep the connection open.
 *
 * <p>Thread safety: stateless.
 */
final class HttpResponses
{
    static final String TEXT_PLAIN = "text/plain; charset=UTF-8";

    private HttpResponses()
    {
    }

    /**
     * @param path a request URI in origin form ({@code /a/b?q}) or absolute form ({@code http://h/a/b?q}).
     * @return its path without query or fragment (the URI itself, not a copy, in the common case).
     */
    static String path(final String uri)
    {
        int start = 0;
        if (!uri.isEmpty() && uri.charAt(0) != '/')
        {
            final int scheme = uri.indexOf("://");
            if (scheme >= 0)
            {
                final int slash = uri.indexOf('/', scheme + 3);
                if (slash < 0)
                {
                    return "/";
                }
                start = slash;
            }
        }
        int end = uri.length();
        for (int i = start; i < end; i++)
        {
            final char c = uri.charAt(i);
            if (c == '?' || c == '#')
            {
                end = i;
                break;
            }
        }
        return start == 0 && end == uri.length() ? uri : uri.substring(start, end);
    }

    static FullHttpResponse empty(final HttpVersion version, final HttpResponseStatus status)
    {
        final FullHttpResponse response = new DefaultFullHttpResponse(version, status, Unpooled.EMPTY_BUFFER);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        return response;
    }

    static FullHttpResponse withBody(
        final HttpVersion version, final HttpResponseStatus status, final ByteBuf body, final CharSequence type)
    {
        final FullHttpResponse response = new DefaultFullHttpResponse(version, status, body);
        response.headers()
            .set(HttpHeaderNames.CONTENT_TYPE, type)
            .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        return response;
    }

    static FullHttpResponse text(final HttpVersion version, final HttpResponseStatus status, final String text)
    {
        return withBody(version, status, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8), TEXT_PLAIN);
    }

    /**
     * Writes a response and closes the connection after it.
     */
    static void writeAndClose(final ChannelHandlerContext ctx, final FullHttpResponse response)
    {
        HttpUtil.setKeepAlive(response, false);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
