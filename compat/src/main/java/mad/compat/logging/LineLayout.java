package mad.compat.logging;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.TimeZone;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;

/**
 * The two line formats of the default logging set-up, written directly instead of through logback's
 * {@code PatternLayout}: {@code %date %t [%level] %logger : %message %ex%n} (the log file) and
 * {@code %date [%level] %logger{0} : %message%n} (stderr), {@code %date} being {@code yyyy-MM-dd HH:mm:ss,SSS} in the
 * JVM's default time zone, as logback prints it.
 *
 * <p>Why not {@code PatternLayout}: parsing a pattern initialises logback's converter registry, its pattern parser
 * and {@code java.time}'s formatters, ~20 ms of a start-up whose whole budget is 250 ms on a 2-core box; these two
 * fixed formats need none of it. An operator's own logback file keeps every pattern logback offers.
 *
 * <p>Thread ownership: {@link #doLayout} may run on any logging thread at once; the only shared state is the
 * immutable per-second date prefix, replaced whole.
 */
public final class LineLayout extends LayoutBase<ILoggingEvent>
{
    private final boolean fileFormat;
    private volatile SecondPrefix lastSecond = new SecondPrefix(Long.MIN_VALUE, "");

    private LineLayout(final boolean fileFormat)
    {
        this.fileFormat = fileFormat;
    }

    /**
     * @return the log file's layout: date, thread, level, full logger name, message, stack trace.
     */
    public static LineLayout fileLayout()
    {
        return new LineLayout(true);
    }

    /**
     * @return stderr's layout: date, level, logger's simple name, message.
     */
    public static LineLayout consoleLayout()
    {
        return new LineLayout(false);
    }

    @Override
    public String doLayout(final ILoggingEvent event)
    {
        final StringBuilder line = new StringBuilder(128);
        appendDate(line, event.getTimeStamp());
        line.append(' ');
        if (fileFormat)
        {
            line.append(event.getThreadName()).append(' ');
        }
        line.append('[').append(event.getLevel()).append("] ");
        final String logger = event.getLoggerName();
        line.append(fileFormat ? logger : logger.substring(logger.lastIndexOf('.') + 1));
        line.append(" : ").append(event.getFormattedMessage());
        if (fileFormat)
        {
            line.append(' ');
            final IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null)
            {
                line.append(ThrowableProxyUtil.asString(thrown));
            }
        }
        return line.append(CoreConstants.LINE_SEPARATOR).toString();
    }

    private void appendDate(final StringBuilder line, final long epochMs)
    {
        final long second = Math.floorDiv(epochMs, 1000L);
        SecondPrefix prefix = lastSecond;
        if (prefix.second != second)
        {
            prefix = new SecondPrefix(second, formatSecond(second));
            lastSecond = prefix;
        }
        final int millis = (int)Math.floorMod(epochMs, 1000L);
        line.append(prefix.text).append(',');
        if (millis < 100)
        {
            line.append('0');
        }
        if (millis < 10)
        {
            line.append('0');
        }
        line.append(millis);
    }

    static String formatSecond(final long epochSecond)
    {
        final int offsetSeconds = TimeZone.getDefault().getOffset(epochSecond * 1000L) / 1000;
        final LocalDateTime time = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.ofTotalSeconds(offsetSeconds));
        final StringBuilder text = new StringBuilder(19);
        text.append(time.getYear()).append('-');
        twoDigits(text, time.getMonthValue()).append('-');
        twoDigits(text, time.getDayOfMonth()).append(' ');
        twoDigits(text, time.getHour()).append(':');
        twoDigits(text, time.getMinute()).append(':');
        return twoDigits(text, time.getSecond()).toString();
    }

    private static StringBuilder twoDigits(final StringBuilder text, final int value)
    {
        if (value < 10)
        {
            text.append('0');
        }
        return text.append(value);
    }

    private record SecondPrefix(long second, String text)
    {
    }
}
