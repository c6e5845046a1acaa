package mad.emit.http;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;

/**
 * Gives one {@code HttpResponseDecoder} the same two header objects (headers, trailers) for every response, cleared,
 * instead of new ones: the response handler of an {@link HttpConnection} reads status and {@code Connection} of a
 * response synchronously in {@code channelRead} and keeps nothing, and a connection's decoder parses one response
 * at a time, so no decoded header object outlives the next response. Saves the header table of every response.
 *
 * <p>Thread ownership: one instance per channel pipeline, used only on that channel's event loop.
 *
 * @see io.netty.handler.codec.http.HttpResponseDecoder
 */
final class ReusedHeadersFactory implements HttpHeadersFactory
{
    private final HttpHeaders headers = DefaultHttpHeadersFactory.headersFactory().newHeaders();
    private final HttpHeaders trailers = DefaultHttpHeadersFactory.trailersFactory().newHeaders();

    @Override
    public HttpHeaders newHeaders()
    {
        headers.clear();
        return headers;
    }

    @Override
    public HttpHeaders newEmptyHeaders()
    {
        trailers.clear();
        return trailers;
    }
}
