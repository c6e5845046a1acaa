package mad.tuning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TuningProfileTest
{
    private static final Properties NO_OVERRIDES = new Properties();

    @TempDir
    Path dir;

    @Test
    void shouldLoadEveryShippedProfile()
    {
        for (final String name : TuningProfile.KNOWN)
        {
            final TuningProfile profile = TuningProfile.byName(name, NO_OVERRIDES);
            assertThat(profile.name()).isEqualTo(name);
            assertThat(profile.jvmFlags(17)).as(name).isNotEmpty();
            assertThat(profile.jvmFlags(25)).as(name).isNotEmpty();
        }
    }

    @Test
    void shouldNeverSpinOrPinInTheDefaultProfile()
    {
        final TuningProfile profile = TuningProfile.byName(TuningProfile.DEFAULT_NAME, NO_OVERRIDES);
        assertThat(profile.spinning()).isFalse();
        assertThat(profile.emitterIdle().spinning()).isFalse();
        assertThat(profile.aggregatorIdle().get()).isInstanceOf(BackoffIdleStrategy.class);
        assertThat(profile.emitterIdle().get()).isInstanceOf(SleepingMillisIdleStrategy.class);
        for (final ThreadRole role : ThreadRole.values())
        {
            assertThat(profile.cpus(role).isEmpty()).as(role.key()).isTrue();
        }
        assertThat(profile.aggregatorShards()).isEqualTo(1);
        assertThat(profile.ingestThreads()).isEqualTo(2);
        // Shenandoah on both JDKs (pauses scan roots only), with GC threads that never take both cores.
        assertThat(profile.jvmFlags(17)).contains("-XX:+UseShenandoahGC", "-XX:ParallelGCThreads=2",
            "-XX:ConcGCThreads=1");
        assertThat(profile.jvmFlags(25)).isEqualTo(profile.jvmFlags(17));
    }

    @Test
    void shouldSpinAndPinInTheDedicatedProfile()
    {
        final TuningProfile profile = TuningProfile.byName("DEDICATED", NO_OVERRIDES);
        assertThat(profile.spinning()).isTrue();
        assertThat(profile.aggregatorIdle().get()).isInstanceOf(BusySpinIdleStrategy.class);
        assertThat(profile.cpus(ThreadRole.AGGREGATOR)).isEqualTo(CpuSet.of(4, 5));
        assertThat(profile.spread()).containsExactly(ThreadRole.AGGREGATOR);
        assertThat(profile.aggregatorShards()).isEqualTo(2);
    }

    @Test
    void shouldPickTheJvmFlagsOfTheHighestVersionNotAboveTheJdk()
    {
        final TuningProfile profile = TuningProfile.byName("dedicated", NO_OVERRIDES);
        assertThat(profile.jvmFlags(17)).contains("-XX:+UseG1GC").doesNotContain("-XX:+UseZGC");
        assertThat(profile.jvmFlags(21)).contains("-XX:+UseZGC", "-XX:+ZGenerational");
        assertThat(profile.jvmFlags(23)).contains("-XX:+ZGenerational");
        assertThat(profile.jvmFlags(24)).contains("-XX:+UseZGC").doesNotContain("-XX:+ZGenerational");
        assertThat(profile.jvmFlags(25)).contains("-XX:+UseZGC", "-XX:+UseCompactObjectHeaders")
            .doesNotContain("-XX:+ZGenerational");
        assertThat(profile.jvmFlags(26)).isEqualTo(profile.jvmFlags(25));
    }

    @Test
    void shouldListTheKnownProfilesForAnUnknownName()
    {
        assertThatThrownBy(() -> TuningProfile.byName("turbo", NO_OVERRIDES))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("unknown tuning profile 'turbo'")
            .hasMessageContaining("shared-2core, shared-2core-g1, low-latency-4core, dedicated");
    }

    @Test
    void shouldRejectABadCpuSetNamingTheKey()
    {
        final Properties overrides = new Properties();
        overrides.setProperty("madx.tuning.cpus.aggregator", "4-x");
        assertThatThrownBy(() -> TuningProfile.byName("dedicated", overrides))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("tuning profile dedicated: cpus.aggregator: bad CPU set '4-x'")
            .hasMessageContaining("expected a list such as 0-3,6");
    }

    @Test
    void shouldApplyOverridesFromSystemPropertyStyleKeys()
    {
        final Properties overrides = new Properties();
        overrides.setProperty("madx.tuning.cpus.aggregator", "10-11");
        overrides.setProperty("madx.tuning.aggregator.shards", "4");
        overrides.setProperty("unrelated.key", "x");
        final TuningProfile profile = TuningProfile.byName("dedicated", overrides);
        assertThat(profile.cpus(ThreadRole.AGGREGATOR)).hasToString("10-11");
        assertThat(profile.aggregatorShards()).isEqualTo(4);
    }

    @Test
    void shouldRejectUnknownKeysAndBadNumbers()
    {
        final Properties typo = new Properties();
        typo.setProperty("madx.tuning.cpus.agregator", "1");
        assertThatThrownBy(() -> TuningProfile.byName("shared-2core", typo))
            .hasMessageContaining("cpus.agregator: unknown key");
        final Properties shards = new Properties();
        shards.setProperty("madx.tuning.aggregator.shards", "3");
        assertThatThrownBy(() -> TuningProfile.byName("shared-2core", shards))
            .hasMessageContaining("aggregator.shards: 3 is not a power of two");
        final Properties idle = new Properties();
        idle.setProperty("madx.tuning.idle.emitter", "nap:3");
        assertThatThrownBy(() -> TuningProfile.byName("shared-2core", idle))
            .hasMessageContaining("idle.emitter: bad idle strategy 'nap:3'")
            .hasMessageContaining("known: busy-spin");
        final Properties spread = new Properties();
        spread.setProperty("madx.tuning.cpus.spread", "gc");
        assertThatThrownBy(() -> TuningProfile.byName("shared-2core", spread))
            .hasMessageContaining("unknown thread role 'gc'");
    }

    @Test
    void shouldLoadAProfileFileByPath() throws IOException
    {
        final Properties properties = shipped("shared-2core");
        properties.setProperty("ingest.threads", "3");
        final Path file = dir.resolve("mine.properties");
        try (var out = Files.newOutputStream(file))
        {
            properties.store(out, null);
        }
        final TuningProfile profile = TuningProfile.byName(file.toString(), NO_OVERRIDES);
        assertThat(profile.name()).isEqualTo("mine");
        assertThat(profile.ingestThreads()).isEqualTo(3);
        assertThatThrownBy(() -> TuningProfile.byName(dir.resolve("absent.properties").toString(), NO_OVERRIDES))
            .hasMessageContaining("cannot read tuning profile file");
    }

    @Test
    void shouldKeepEveryJvmFlagOnOneShellReadableLine() throws IOException
    {
        // bin/mad reads jvm.N line by line: a continuation line would be lost there.
        for (final String name : TuningProfile.KNOWN)
        {
            try (InputStream in = TuningProfile.class.getResourceAsStream("/mad/tuning/profiles/" + name + ".properties"))
            {
                final List<String> lines = List.of(new String(in.readAllBytes(), "UTF-8").split("\n"));
                assertThat(lines).as(name).noneMatch(line -> line.endsWith("\\"));
            }
        }
    }

    private static Properties shipped(final String name) throws IOException
    {
        final Properties properties = new Properties();
        try (InputStream in = TuningProfile.class.getResourceAsStream("/mad/tuning/profiles/" + name + ".properties"))
        {
            properties.load(in);
        }
        return properties;
    }
}
