package mad.engine.model;

/**
 * The three kinds of metric MAD knows. The kind selects the default statistics of a series and is part of the
 * series identity: the same name sent as a counter and as a timer is two series, as in MAD's bucket.
 */
public enum MetricType
{
    COUNTER, GAUGE, TIMER;

    private static final MetricType[] VALUES = values();

    /**
     * @param code the ordinal written into a ring event.
     * @return the type for that ordinal.
     */
    public static MetricType ofCode(final int code)
    {
        return VALUES[code];
    }
}
