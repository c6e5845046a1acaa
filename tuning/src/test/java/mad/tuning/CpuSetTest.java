package mad.tuning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CpuSetTest
{
    @Test
    void shouldParseTheLinuxListFormat()
    {
        final CpuSet set = CpuSet.parse(" 0-3, 6,8-9 ");
        assertThat(set.cpus()).containsExactly(0, 1, 2, 3, 6, 8, 9);
        assertThat(set).hasToString("0-3,6,8-9");
        assertThat(set.toBitSet().cardinality()).isEqualTo(7);
    }

    @Test
    void shouldTreatBlankAsNoPinning()
    {
        assertThat(CpuSet.parse("").isEmpty()).isTrue();
        assertThat(CpuSet.parse("  ")).isEqualTo(CpuSet.EMPTY);
        assertThat(CpuSet.parse(null)).isEqualTo(CpuSet.EMPTY);
    }

    @Test
    void shouldPickOneCpuRoundRobin()
    {
        final CpuSet set = CpuSet.parse("4-5");
        assertThat(set.pick(0)).isEqualTo(CpuSet.of(4));
        assertThat(set.pick(1)).isEqualTo(CpuSet.of(5));
        assertThat(set.pick(2)).isEqualTo(CpuSet.of(4));
    }

    @Test
    void shouldRejectMalformedSetsWithAClearMessage()
    {
        assertThatThrownBy(() -> CpuSet.parse("a")).hasMessageContaining("bad CPU set 'a': 'a' is not a CPU number");
        assertThatThrownBy(() -> CpuSet.parse("3-1")).hasMessageContaining("range '3-1' runs backwards");
        assertThatThrownBy(() -> CpuSet.parse("1,,2")).hasMessageContaining("'' is not a CPU number");
        assertThatThrownBy(() -> CpuSet.parse("-1")).hasMessageContaining("is not a CPU number");
        assertThatThrownBy(() -> CpuSet.parse("2048")).hasMessageContaining("CPU 2048 is above 1023");
        assertThatThrownBy(() -> CpuSet.parse("0x3")).hasMessageContaining("expected a list such as 0-3,6");
    }
}
