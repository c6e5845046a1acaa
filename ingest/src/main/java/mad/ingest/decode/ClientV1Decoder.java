package mad.ingest.decode;

/**
 * {@code POST /metrics/v1/application}: a ClientV1 {@code RecordSet} (mad-spec §3.1). Samples are
 * {@code DoubleQuantity {double value = 1; CompoundUnit unit = 2}}; unit enums are V1's numbering, where an unset
 * numerator means {@code YOCTO SECOND} (not a MAD unit: 400) and {@code UNIT} leaves the scale out of the name.
 *
 * <p>Thread ownership: one instance per event-loop thread.
 */
public final class ClientV1Decoder extends ClientRecordSetDecoder
{
    private static final String[] TYPES = {
        "SECOND", "MINUTE", "HOUR", "DAY", "WEEK", "BIT", "BYTE", "ROTATION", "DEGREE", "RADIAN", "CELSIUS",
        "FAHRENHEIT", "KELVIN",
    };
    private static final String[] SCALES = {
        "YOCTO", "ZEPTO", "ATTO", "FEMTO", "PICO", "NANO", "MICRO", "MILLI", "CENTI", "DECI", "DECA", "HECTO", "KILO",
        "MEGA", "GIGA", "TERA", "PETA", "EXA", "ZETTA", "YOTTA", "KIBI", "MEBI", "GIBI", "TEBI", "PEBI", "EXBI", "ZEBI",
        "YOBI", null, // UNIT = 28
    };
    private static final UnitTable UNITS = new UnitTable(TYPES, SCALES);

    public ClientV1Decoder()
    {
        super("ClientV1", UNITS, 1, 0, 2);
    }
}
