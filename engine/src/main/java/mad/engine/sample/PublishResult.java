package mad.engine.sample;

/**
 * Outcomes of {@link SamplePublisher} calls, as int codes so the hot path allocates no exception or enum boxes.
 */
public final class PublishResult
{
    public static final int OK = 0;
    /** Two dimensions with the same name in one record. */
    public static final int DUPLICATE_DIMENSION = -1;
    /** A name, value or whole key larger than {@link SamplePublisher#MAX_KEY_BYTES}, or too many dimensions. */
    public static final int KEY_TOO_LARGE = -2;
    /** The shard's ring stayed full for the whole back-pressure wait; the sample was dropped and counted. */
    public static final int RING_FULL = -3;
    /** {@link SampleWriter#beginRecordRepeating}: the previous dimensions are not available; nothing was started. */
    public static final int NOT_REPEATABLE = -4;

    private PublishResult()
    {
    }

    /**
     * @param code a result code.
     * @return a reason a client can read.
     */
    public static String describe(final int code)
    {
        switch (code)
        {
            case OK:
                return "ok";
            case DUPLICATE_DIMENSION:
                return "duplicate dimension name";
            case KEY_TOO_LARGE:
                return "dimension or metric name too large";
            case RING_FULL:
                return "aggregator ring full";
            case NOT_REPEATABLE:
                return "previous dimensions not repeatable";
            default:
                return "error " + code;
        }
    }
}
