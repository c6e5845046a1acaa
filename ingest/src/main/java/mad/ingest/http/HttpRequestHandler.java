package mad.ingest.http;

import java.nio.charset.StandardCharsets;

import org.agrona.DirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import mad.ingest.RateLimitedLog;

/**
 * Answers aggregated requests exactly as MAD's {@code Routes}: exact path match with the query ignored; GET on the
 * WebSocket endpoints ({@link WebSocketEndpoint}: upgrade, or 400), the health-check path and the status path; POST
 * on a registered source route; everything else (other methods including HEAD, unknown paths, source paths no
 * pipeline declared) 404 with an empty body.
 *
 * <p>A source route decodes the body with the calling thread's decoder and writer and answers 200 (empty body), 400
 * ({@code text/plain} reason), 503 when the engine could not take the data in time. A decoder that throws is answered
 * 400 with the exception's message: the event loop always survives. Every rejection is counted on the route and
 * logged (rate-limited) with the source's name.
 *
 * <p>Thread safety: sharable; per-thread state lives in the routes' workers.
 */
@ChannelHandler.Sharable
final class HttpRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest>
{
    private static final Logger LOGGER = LoggerFactory.getLogger(HttpRequestHandler.class);
    private static final byte[] HEALTHY = "{\"status\":\"HEALTHY\"}".getBytes(StandardCharsets.UTF_8);
    private static final String CACHE_CONTROL = "private, no-cache, no-store, must-revalidate";

    private final HttpServerConfig config;
    private final HttpRoutes routes;
    private final byte[] statusBody;
    private final RateLimitedLog malformedLog = new RateLimitedLog(LOGGER, "http: ");
    private final RateLimitedLog channelErrorLog = new RateLimitedLog(LOGGER, "http: ");

    HttpRequestHandler(final HttpServerConfig config, final HttpRoutes routes)
    {
        super(true);
        this.config = config;
        this.routes = routes;
        this.statusBody = ("{\"name\":\"madx\",\"version\":\"" + jsonEscape(config.version()) + "\",\"sha\":\""
            + jsonEscape(config.sha()) + "\"}\n").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest request)
    {
        if (!request.decoderResult().isSuccess())
        {
            malformedLog.warn("malformed HTTP request", request.decoderResult().cause());
            HttpResponses.writeAndClose(
                ctx, HttpResponses.text(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST, "malformed HTTP request"));
            return;
        }
        final String path = HttpResponses.path(request.uri());
        final HttpMethod method = request.method();
        final HttpVersion version = request.protocolVersion();
        if (HttpMethod.GET.equals(method))
        {
            // MAD matches the telemetry streams first.
            final WebSocketEndpoint webSocket = routes.webSocket(path);
            if (webSocket != null)
            {
                WebSocketConnection.upgrade(ctx, request, path, webSocket);
                return;
            }
            if (path.equals(config.healthCheckPath()))
            {
                final FullHttpResponse response = HttpResponses.withBody(
                    version, HttpResponseStatus.OK, Unpooled.wrappedBuffer(HEALTHY), HttpHeaderValues.APPLICATION_JSON);
                response.headers().set(HttpHeaderNames.CACHE_CONTROL, CACHE_CONTROL);
                ctx.writeAndFlush(response);
                return;
            }
            if (path.equals(config.statusPath()))
            {
                ctx.writeAndFlush(HttpResponses.withBody(
                    version, HttpResponseStatus.OK, Unpooled.wrappedBuffer(statusBody),
                    HttpHeaderValues.APPLICATION_JSON));
                return;
            }
            final HttpRoutes.TextRoute text = routes.textRoute(path);
            if (text != null)
            {
                ctx.writeAndFlush(HttpResponses.withBody(version, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer(text.body().get(), StandardCharsets.UTF_8), text.contentType()));
                return;
            }
        }
        else if (HttpMethod.POST.equals(method))
        {
            final HttpRoute route = routes.route(path);
            if (route != null)
            {
                ctx.writeAndFlush(post(route, request));
                return;
            }
        }
        ctx.writeAndFlush(HttpResponses.empty(version, HttpResponseStatus.NOT_FOUND));
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        // I/O errors (reset connections) and anything a handler threw: close this connection, keep the loop.
        channelErrorLog.warn("closing connection after error", cause.toString());
        ctx.close();
    }

    private FullHttpResponse post(final HttpRoute route, final FullHttpRequest request)
    {
        route.counters().onRequest();
        route.enter();
        try
        {
            final HttpRoute.Worker worker = route.worker();
            if (worker != null)
            {
                return decode(route, worker, request);
            }
            synchronized (route.lock())
            {
                return decode(route, route.foreignWorker(), request);
            }
        }
        finally
        {
            route.exit();
        }
    }

    private FullHttpResponse decode(final HttpRoute route, final HttpRoute.Worker worker, final FullHttpRequest request)
    {
        final HttpVersion version = request.protocolVersion();
        final HttpBodyDecoder decoder = worker.decoder;
        final int result;
        try
        {
            final DirectBuffer body = worker.body.wrap(request.content());
            result = decoder.decode(body, 0, worker.body.length(), request.headers(), worker.writer);
        }
        catch (final RuntimeException ex)
        {
            publishPending(route, worker);
            route.counters().onRejected(HttpRouteCounters.Rejection.DECODER_EXCEPTION);
            route.exceptionLog().warn("decoder failed, rejected request (400)", ex.toString(), ex);
            return HttpResponses.text(version, HttpResponseStatus.BAD_REQUEST, "decoder error: " + ex);
        }
        finally
        {
            worker.body.clear();
        }
        switch (result)
        {
            case HttpBodyDecoder.OK:
                route.counters().onAccepted(decoder.lastSampleCount());
                return HttpResponses.empty(version, HttpResponseStatus.OK);
            case HttpBodyDecoder.BAD_REQUEST:
                final String reason = decoder.lastError() == null ? "bad request" : decoder.lastError();
                route.counters().onRejected(HttpRouteCounters.Rejection.BAD_REQUEST);
                route.badRequestLog().warn("rejected request (400)", reason);
                return HttpResponses.text(version, HttpResponseStatus.BAD_REQUEST, reason);
            case HttpBodyDecoder.UNAVAILABLE:
                route.counters().onRejected(HttpRouteCounters.Rejection.UNAVAILABLE);
                route.unavailableLog().warn("rejected request (503)", "aggregator rings full");
                return HttpResponses.empty(version, HttpResponseStatus.SERVICE_UNAVAILABLE);
            default:
                route.counters().onRejected(HttpRouteCounters.Rejection.DECODER_EXCEPTION);
                route.exceptionLog().warn("decoder returned an unknown status, rejected request (500)", result);
                return HttpResponses.empty(version, HttpResponseStatus.INTERNAL_SERVER_ERROR);
        }
    }

    /**
     * A decoder that threw may have left a ring event claimed; publishing it keeps the shard's consumer moving
     * (an unpublished claimed slot would stall that ring forever).
     */
    private static void publishPending(final HttpRoute route, final HttpRoute.Worker worker)
    {
        try
        {
            worker.writer.endMetric();
        }
        catch (final RuntimeException ex)
        {
            route.exceptionLog().warn("writer failed after decoder error", ex.toString(), ex);
        }
    }

    private static String jsonEscape(final String text)
    {
        final StringBuilder escaped = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c == '"' || c == '\\')
            {
                escaped.append('\\').append(c);
            }
            else if (c < 0x20)
            {
                escaped.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
