package mad.engine.model;

/**
 * Every unit MAD accepts from a client, with its conversion to the normalised {@link Unit}. Names are MAD's
 * constants, including its spelling {@code CELCIUS}. The scale factors are MAD's: data sizes count bits, and
 * {@code KILOBYTE} is decimal (8 * 10^3 bits) while {@code KILOBIT} is binary (1024 bits).
 *
 * <p>Linear conversion is {@code (sourceScale / targetScale) * value} with the ratio computed first in double
 * arithmetic, exactly as MAD does, so that results are bit-identical (300.5 ms becomes 300.5 * 0.001 = 0.3005 s).
 */
public enum InputUnit
{
    NANOSECOND(Unit.SECOND, 1.0),
    MICROSECOND(Unit.SECOND, 1e3),
    MILLISECOND(Unit.SECOND, 1e6),
    SECOND(Unit.SECOND, 1e9),
    MINUTE(Unit.SECOND, 6e10),
    HOUR(Unit.SECOND, 3.6e12),
    DAY(Unit.SECOND, 8.64e13),
    WEEK(Unit.SECOND, 6.048e14),
    BIT(Unit.BYTE, 1.0),
    BYTE(Unit.BYTE, 8.0),
    KILOBIT(Unit.BYTE, 1024.0),
    MEGABIT(Unit.BYTE, 1024.0 * 1024.0),
    GIGABIT(Unit.BYTE, 1024.0 * 1024.0 * 1024.0),
    TERABIT(Unit.BYTE, 1024.0 * 1024.0 * 1024.0 * 1024.0),
    PETABIT(Unit.BYTE, 1024.0 * 1024.0 * 1024.0 * 1024.0 * 1024.0),
    KILOBYTE(Unit.BYTE, 8e3),
    MEGABYTE(Unit.BYTE, 8e6),
    GIGABYTE(Unit.BYTE, 8e9),
    TERABYTE(Unit.BYTE, 8e12),
    PETABYTE(Unit.BYTE, 8e15),
    KELVIN(Unit.KELVIN, 1.0),
    CELCIUS(Unit.KELVIN, Double.NaN),
    FAHRENHEIT(Unit.KELVIN, Double.NaN);

    private static final InputUnit[] VALUES = values();
    private final Unit normalised;
    private final double ratio;

    InputUnit(final Unit normalised, final double scale)
    {
        this.normalised = normalised;
        final double targetScale = normalised == Unit.SECOND ? 1e9 : normalised == Unit.BYTE ? 8.0 : 1.0;
        this.ratio = scale / targetScale;
    }

    /**
     * @return the unit every value of this unit is converted to.
     */
    public Unit normalised()
    {
        return normalised;
    }

    /**
     * Converts a value in this unit to {@link #normalised()}.
     *
     * @param value the value in this unit.
     * @return the value in the normalised unit.
     */
    public double normalise(final double value)
    {
        switch (this)
        {
            case CELCIUS:
                return value + 273.15;
            case FAHRENHEIT:
                return ((value + 459.67) * 5.0) / 9.0;
            default:
                return ratio * value;
        }
    }

    /**
     * Looks a unit up by MAD's constant name, without allocating.
     *
     * @param name the name, e.g. {@code MILLISECOND}.
     * @return the unit, or null when MAD has no such constant.
     */
    public static InputUnit byName(final CharSequence name)
    {
        for (final InputUnit unit : VALUES)
        {
            if (unit.name().contentEquals(name))
            {
                return unit;
            }
        }
        return null;
    }
}
