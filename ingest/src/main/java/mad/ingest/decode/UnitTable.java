package mad.ingest.decode;

import mad.engine.model.InputUnit;

/**
 * How a ClientV1/V2 {@code Unit {type, scale}} becomes one of MAD's units (mad-spec §3.1/§3.2): the unit name is the
 * scale's name followed by the type's name ({@code MILLI} + {@code SECOND} = {@code MILLISECOND}), or the type's name
 * alone for the scales MAD leaves out; it must then be a MAD unit constant ({@link InputUnit}) or the request is
 * rejected. Types MAD does not map give no unit. Everything is resolved once into a table indexed by the enum numbers.
 *
 * <p>Thread safety: immutable.
 */
final class UnitTable
{
    /** No unit: the sample is unitless. */
    static final int NONE = -1;
    /** The synthesised name is not a MAD unit: reject the request. */
    static final int INVALID = -2;

    private static final InputUnit[] INPUT_UNITS = InputUnit.values();

    private final int[][] prefixed;
    private final int[] bare;
    private final boolean[] typeGivesUnit;
    private final boolean[] scalePrefixes;

    /**
     * @param typeNames type enum names by number; null where the type gives no unit (V2 {@code UNKNOWN}).
     * @param scaleNames scale enum names by number; null where the scale is left out of the name ({@code UNIT},
     *                   V2 {@code UNKNOWN}).
     */
    UnitTable(final String[] typeNames, final String[] scaleNames)
    {
        prefixed = new int[typeNames.length][scaleNames.length];
        bare = new int[typeNames.length];
        typeGivesUnit = new boolean[typeNames.length];
        scalePrefixes = new boolean[scaleNames.length];
        for (int s = 0; s < scaleNames.length; s++)
        {
            scalePrefixes[s] = scaleNames[s] != null;
        }
        for (int t = 0; t < typeNames.length; t++)
        {
            typeGivesUnit[t] = typeNames[t] != null;
            if (typeNames[t] == null)
            {
                continue;
            }
            bare[t] = lookup(typeNames[t]);
            for (int s = 0; s < scaleNames.length; s++)
            {
                prefixed[t][s] = scaleNames[s] == null ? bare[t] : lookup(scaleNames[s] + typeNames[t]);
            }
        }
    }

    /**
     * @param type the type enum number from the wire (unrecognised numbers give no unit).
     * @param scale the scale enum number from the wire (unrecognised numbers are left out of the name).
     * @return an {@link InputUnit} ordinal, {@link #NONE} or {@link #INVALID}.
     */
    int code(final int type, final int scale)
    {
        if (type < 0 || type >= bare.length || !typeGivesUnit[type])
        {
            return NONE;
        }
        if (scale < 0 || scale >= scalePrefixes.length)
        {
            return bare[type];
        }
        return prefixed[type][scale];
    }

    /**
     * @param code a code from {@link #code(int, int)} that is neither NONE nor INVALID.
     * @return the unit.
     */
    static InputUnit unit(final int code)
    {
        return INPUT_UNITS[code];
    }

    private static int lookup(final String name)
    {
        final InputUnit unit = InputUnit.byName(name);
        return unit == null ? INVALID : unit.ordinal();
    }
}
