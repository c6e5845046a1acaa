package mad.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.slf4j.helpers.NOPLogger;

class RateLimitedLogTest
{
    private long now = 1_000_000;
    private final RateLimitedLog log = new RateLimitedLog(NOPLogger.NOP_LOGGER, "src: ", () -> now);

    @Test
    void shouldWriteOneLinePerIntervalAndCountTheRest()
    {
        assertThat(log.acquire()).isZero();
        assertThat(log.acquire()).isEqualTo(-1);
        now += TimeUnit.SECONDS.toNanos(29);
        assertThat(log.acquire()).isEqualTo(-1);
        assertThat(log.suppressed()).isEqualTo(2);
        now += TimeUnit.SECONDS.toNanos(1);
        assertThat(log.acquire()).isEqualTo(2);
        assertThat(log.suppressed()).isZero();
        assertThat(log.acquire()).isEqualTo(-1);
    }

    @Test
    void shouldNotAllocateWhenSuppressed()
    {
        log.warn("first", "detail");
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final long id = Thread.currentThread().getId();
        for (int i = 0; i < 10_000; i++)
        {
            log.warn("again", "detail");
        }
        final long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < 10_000; i++)
        {
            log.warn("again", "detail");
        }
        assertThat(threads.getThreadAllocatedBytes(id) - before).isLessThan(1_000);
        assertThat(log.suppressed()).isEqualTo(20_000);
    }
}
