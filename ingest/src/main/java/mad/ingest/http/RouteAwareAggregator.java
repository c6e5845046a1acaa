package mad.ingest.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;

import mad.ingest.RateLimitedLog;

/**
 * Netty's aggregator with a 413 that names the limit and is counted and logged against the route (source) the body
 * was meant for, both for bodies announced too large ({@code Content-Length}, {@code Expect: 100-continue}) and for
 * bodies that grow too large while streaming (chunked), which close the connection since the rest cannot be skipped.
 *
 * <p>Thread ownership: one instance per channel (aggregators hold state).
 */
final class RouteAwareAggregator extends HttpObjectAggregator
{
    private final HttpRoutes routes;
    private final RateLimitedLog unroutedLog;
    private final String reason;

    RouteAwareAggregator(final int maxContentLength, final HttpRoutes routes, final RateLimitedLog unroutedLog)
    {
        super(maxContentLength);
        this.routes = routes;
        this.unroutedLog = unroutedLog;
        this.reason = "request body larger than " + maxContentLength + " bytes";
    }

    @Override
    protected Object newContinueResponse(
        final HttpMessage start, final int maxContentLength, final ChannelPipeline pipeline)
    {
        final Object response = super.newContinueResponse(start, maxContentLength, pipeline);
        if (response instanceof FullHttpResponse
            && ((FullHttpResponse)response).status().code() == HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.code()
            && start instanceof HttpRequest)
        {
            ReferenceCountUtil.release(response);
            countTooLarge((HttpRequest)start);
            return HttpResponses.text(
                start.protocolVersion(), HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, reason);
        }
        return response;
    }

    @Override
    protected void handleOversizedMessage(final ChannelHandlerContext ctx, final HttpMessage oversized)
        throws Exception
    {
        if (!(oversized instanceof HttpRequest))
        {
            super.handleOversizedMessage(ctx, oversized);
            return;
        }
        final HttpRequest request = (HttpRequest)oversized;
        countTooLarge(request);
        final FullHttpResponse response =
            HttpResponses.text(request.protocolVersion(), HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, reason);
        // Part of the body was read already (or the client will not wait): the rest cannot be skipped reliably.
        if (oversized instanceof FullHttpMessage
            || !HttpUtil.is100ContinueExpected(request) && !HttpUtil.isKeepAlive(request))
        {
            HttpResponses.writeAndClose(ctx, response);
        }
        else
        {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        }
    }

    private void countTooLarge(final HttpRequest request)
    {
        final HttpRoute route = HttpMethod.POST.equals(request.method())
            ? routes.route(HttpResponses.path(request.uri()))
            : null;
        if (route == null)
        {
            unroutedLog.warn("rejected oversized request (413) to a path without a source", request.uri());
            return;
        }
        route.counters().onRequest();
        route.counters().onRejected(HttpRouteCounters.Rejection.TOO_LARGE);
        route.tooLargeLog().warn("rejected request (413)", reason);
    }
}
