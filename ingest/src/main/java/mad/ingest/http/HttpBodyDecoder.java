package mad.ingest.http;

import org.agrona.DirectBuffer;

import io.netty.handler.codec.http.HttpHeaders;
import mad.engine.sample.SampleWriter;

/**
 * Decodes one HTTP request body of a MAD client protocol into a {@link SampleWriter}. A request is all or nothing, as
 * in MAD: implementations validate the whole body before writing anything, so a malformed request publishes nothing
 * and never takes other requests' data with it.
 *
 * <p>Thread ownership: one instance per event-loop thread (instances hold scratch state), created by a
 * {@link java.util.function.Supplier} registered with the route.
 */
public interface HttpBodyDecoder
{
    /** The body was decoded and every record written. */
    int OK = 0;
    /** The body is not valid for the protocol: answer 400 with {@link #lastError()}. */
    int BAD_REQUEST = -1;
    /** The engine could not take the data in time (rings full): answer 503. */
    int UNAVAILABLE = -2;

    /**
     * @param body the request body.
     * @param offset first byte.
     * @param length number of bytes.
     * @param headers the request headers (collectd reads {@code X-TAG-*}).
     * @param writer where records go.
     * @return {@link #OK}, {@link #BAD_REQUEST} or {@link #UNAVAILABLE}.
     */
    int decode(DirectBuffer body, int offset, int length, HttpHeaders headers, SampleWriter writer);

    /**
     * @return why the last call failed, for the 400 body and the log line.
     */
    String lastError();

    /**
     * @return samples written by the last successful call (for self-metrics).
     */
    long lastSampleCount();
}
