package mad.compat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StartupCompactionTest
{
    private static final long MB = 1024 * 1024;

    @Test
    void shouldCollectWhenTheHeapCanShrink()
    {
        assertThat(StartupCompaction.applies(null, 180 * MB, 1024 * MB)).isTrue();
    }

    @Test
    void shouldNotCollectAFixedHeap()
    {
        // -Xms = -Xmx (low-latency-4core, dedicated): nothing to give back
        assertThat(StartupCompaction.applies(null, 1024 * MB, 1024 * MB)).isFalse();
    }

    @Test
    void shouldFollowThePropertyWhenSet()
    {
        assertThat(StartupCompaction.applies("false", 180 * MB, 1024 * MB)).isFalse();
        assertThat(StartupCompaction.applies(" true ", 1024 * MB, 1024 * MB)).isTrue();
        assertThat(StartupCompaction.applies("", 180 * MB, 1024 * MB)).isTrue();
    }
}
