package mad.ingest.decode;

/**
 * {@code POST /metrics/v2/application}: a ClientV2 {@code RecordSet} (mad-spec §3.2). Samples are
 * {@code Quantity {oneof {double doubleValue = 1; int64 longValue = 2}; CompoundUnit unit = 3}}; a sample with
 * neither value is skipped (its unit is not checked). Unit enums are V2's numbering: type {@code UNKNOWN} gives no
 * unit; scale {@code UNKNOWN} and {@code UNIT} leave the scale out of the name.
 *
 * <p>Thread ownership: one instance per event-loop thread.
 */
public final class ClientV2Decoder extends ClientRecordSetDecoder
{
    private static final String[] TYPES = {
        null, // UNKNOWN = 0
        "SECOND", "MINUTE", "HOUR", "DAY", "WEEK", "BIT", "BYTE", "ROTATION", "DEGREE", "RADIAN", "CELSIUS",
        "FAHRENHEIT", "KELVIN",
    };
    private static final String[] SCALES = {
        null, null, // UNKNOWN = 0, UNIT = 1
        "YOCTO", "ZEPTO", "ATTO", "FEMTO", "PICO", "NANO", "MICRO", "MILLI", "CENTI", "DECI", "DECA", "HECTO", "KILO",
        "MEGA", "GIGA", "TERA", "PETA", "EXA", "ZETTA", "YOTTA", "KIBI", "MEBI", "GIBI", "TEBI", "PEBI", "EXBI", "ZEBI",
        "YOBI",
    };
    private static final UnitTable UNITS = new UnitTable(TYPES, SCALES);

    public ClientV2Decoder()
    {
        super("ClientV2", UNITS, 1, 2, 3);
    }
}
