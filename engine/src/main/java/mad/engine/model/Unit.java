package mad.engine.model;

/**
 * The units a sample can carry <em>after</em> ingest. MAD normalises every quantity on arrival to the default unit of
 * its family (time to seconds, data size to bytes, temperature to kelvin), so these four are all a sink ever sees.
 * {@link InputUnit} converts the units clients send into these.
 */
public enum Unit
{
    /** No unit: MAD writes the empty string. */
    NONE(""),
    SECOND("SECOND"),
    BYTE("BYTE"),
    KELVIN("KELVIN");

    private static final Unit[] VALUES = values();
    private final String wireName;

    Unit(final String wireName)
    {
        this.wireName = wireName;
    }

    /**
     * @return the text MAD writes into {@code StatisticRecord.unit}.
     */
    public String wireName()
    {
        return wireName;
    }

    /**
     * @param code the ordinal written into a ring event.
     * @return the unit for that ordinal.
     */
    public static Unit ofCode(final int code)
    {
        return VALUES[code];
    }
}
