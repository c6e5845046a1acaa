package mad.ingest.decode;

import mad.engine.sample.SamplePublisher;

/**
 * Checks, during a decoder's validation pass, that a record's key will fit the engine's limits
 * ({@link SamplePublisher#MAX_DIMENSIONS}, {@link SamplePublisher#MAX_KEY_BYTES}), so that the publishing pass never
 * meets a {@code KEY_TOO_LARGE} half-way through a request. MAD has no such limit; these keys are far beyond what
 * clients send.
 *
 * <p>Thread ownership: one instance per decoder.
 */
final class KeyBudget
{
    private int dimensions;
    private int dimensionBytes;
    private int longestMetricName;
    private boolean exceeded;

    void clear()
    {
        dimensions = 0;
        dimensionBytes = 0;
        longestMetricName = 0;
        exceeded = false;
    }

    void addDimension(final int nameLength, final int valueLength)
    {
        dimensions++;
        // the same encoding SamplePublisher uses: two length shorts plus the bytes
        dimensionBytes += 4 + nameLength + valueLength;
        if (dimensions > SamplePublisher.MAX_DIMENSIONS || nameLength > SamplePublisher.MAX_KEY_BYTES
            || valueLength > SamplePublisher.MAX_KEY_BYTES || dimensionBytes > SamplePublisher.MAX_KEY_BYTES)
        {
            exceeded = true;
        }
    }

    void addMetricName(final int nameLength)
    {
        longestMetricName = Math.max(longestMetricName, nameLength);
    }

    /**
     * @return true when the dimensions or a metric name would not fit one key.
     */
    boolean exceeded()
    {
        return exceeded || dimensionBytes + 2 + longestMetricName > SamplePublisher.MAX_KEY_BYTES;
    }
}
