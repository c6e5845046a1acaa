package mad.ingest.decode;

import org.agrona.DirectBuffer;

import mad.engine.sample.SampleWriter;

/**
 * Decodes one text line (statsd, graphite plaintext, telegraf JSON) into a {@link SampleWriter}. A line is all or
 * nothing: implementations validate the whole line before writing anything, so a bad line publishes nothing.
 *
 * <p>Thread ownership: one instance per transport thread (instances hold scratch state); created by a
 * {@link java.util.function.Supplier} registered with the transport.
 */
public interface LineDecoder
{
    /** The line was decoded and its records written. */
    int OK = 0;
    /** The line does not have the protocol's syntax. */
    int INVALID_LINE = -1;
    /** The value is not a number (MAD's NumberFormat prefix parse failed). */
    int INVALID_VALUE = -2;
    /** Unknown or unsupported statsd type ({@code s}, {@code C}, ...). */
    int UNSUPPORTED_TYPE = -3;
    /** Sample rate not a number, outside [0, 1], or given for a type that takes none. */
    int INVALID_SAMPLE_RATE = -4;
    /** Malformed tags (entry without exactly one separator, duplicate key). */
    int INVALID_TAGS = -5;
    /** Statsd {@code |@0}: the line carries no data and is dropped on purpose. */
    int SAMPLED_OUT = -6;
    /** Timestamp missing, negative or out of range. */
    int INVALID_TIMESTAMP = -7;
    /** The line is not a JSON document of the expected shape. */
    int INVALID_JSON = -8;
    /** A name or dimension is larger than the engine accepts. */
    int KEY_TOO_LARGE = -9;
    /** The engine's ring stayed full; the data was dropped and counted by the writer. */
    int RING_FULL = -10;
    /** Number of distinct codes, for counter arrays indexed by {@code -code}. */
    int CODE_COUNT = 11;

    /**
     * @param buffer the bytes.
     * @param offset first byte of the line.
     * @param length bytes in the line, without the {@code \n}.
     * @param receiveTimeMs when the data arrived (epoch ms), the record time when the line carries none.
     * @param writer where records go.
     * @return {@link #OK} or a negative code.
     */
    int decodeLine(DirectBuffer buffer, int offset, int length, long receiveTimeMs, SampleWriter writer);

    /**
     * @return why the last call failed (for the rate-limited log line); not meaningful after {@link #OK}.
     */
    String lastError();

    /**
     * @param code a result code.
     * @return a short reason text.
     */
    static String describe(final int code)
    {
        switch (code)
        {
            case OK:
                return "ok";
            case INVALID_LINE:
                return "invalid line";
            case INVALID_VALUE:
                return "value is not a number";
            case UNSUPPORTED_TYPE:
                return "type not found or unsupported";
            case INVALID_SAMPLE_RATE:
                return "invalid sample rate";
            case INVALID_TAGS:
                return "invalid tags";
            case SAMPLED_OUT:
                return "sample rate 0";
            case INVALID_TIMESTAMP:
                return "invalid timestamp";
            case INVALID_JSON:
                return "invalid json";
            case KEY_TOO_LARGE:
                return "name or dimension too large";
            case RING_FULL:
                return "aggregator ring full";
            default:
                return "error " + code;
        }
    }
}
