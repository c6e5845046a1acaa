package mad.compat.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.CoreConstants;
import org.junit.jupiter.api.Test;

class LineLayoutTest
{
    private static final long TIME_MS = 1_764_770_405_007L;

    @Test
    void shouldWriteTheFileLineAsLogbacksPatternWould()
    {
        final LoggingEvent event = event(null);

        assertThat(LineLayout.fileLayout().doLayout(event))
            .isEqualTo(date(TIME_MS) + " worker-1 [WARN] mad.ingest.Example : lost 3 of 7 " + CoreConstants.LINE_SEPARATOR);
    }

    @Test
    void shouldWriteTheConsoleLineWithTheSimpleLoggerName()
    {
        assertThat(LineLayout.consoleLayout().doLayout(event(null)))
            .isEqualTo(date(TIME_MS) + " [WARN] Example : lost 3 of 7" + CoreConstants.LINE_SEPARATOR);
    }

    @Test
    void shouldAppendTheStackTraceToTheFileLine()
    {
        final String line = LineLayout.fileLayout().doLayout(event(new IllegalStateException("boom")));

        assertThat(line).startsWith(date(TIME_MS) + " worker-1 [WARN] mad.ingest.Example : lost 3 of 7 "
            + "java.lang.IllegalStateException: boom" + CoreConstants.LINE_SEPARATOR + "\tat ");
        assertThat(line).endsWith(CoreConstants.LINE_SEPARATOR);
    }

    @Test
    void shouldPadMillisecondsAndFollowTheClockAcrossSeconds()
    {
        final LineLayout layout = LineLayout.consoleLayout();
        for (final long time : new long[] {TIME_MS, TIME_MS + 993, TIME_MS + 1_000, 0L, 86_399_999L})
        {
            final LoggingEvent event = event(null);
            event.setTimeStamp(time);
            assertThat(layout.doLayout(event)).startsWith(date(time) + " [WARN]");
        }
    }

    private static LoggingEvent event(final Throwable thrown)
    {
        final LoggerContext context = new LoggerContext();
        final LoggingEvent event = new LoggingEvent("fqcn", context.getLogger("mad.ingest.Example"), Level.WARN,
            "lost {} of {}", thrown, new Object[] {3, 7});
        event.setThreadName("worker-1");
        event.setTimeStamp(TIME_MS);
        return event;
    }

    private static String date(final long epochMs)
    {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS").withZone(ZoneId.systemDefault())
            .format(Instant.ofEpochMilli(epochMs));
    }
}
