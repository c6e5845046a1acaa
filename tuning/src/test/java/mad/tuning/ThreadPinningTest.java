package mad.tuning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

class ThreadPinningTest
{
    /** Records pin calls instead of making them. */
    private static final class FakeAffinity implements CpuAffinity
    {
        final List<String> calls = new ArrayList<>();
        String unavailable;
        boolean refuse;

        @Override
        public String unavailableReason()
        {
            return unavailable;
        }

        @Override
        public void pinCurrentThread(final CpuSet cpus)
        {
            calls.add(Thread.currentThread().getName() + "@" + cpus);
            if (refuse)
            {
                throw new IllegalStateException("EINVAL");
            }
        }
    }

    private static TuningProfile profile(final String name, final String... overrides)
    {
        final Properties properties = new Properties();
        for (int i = 0; i < overrides.length; i += 2)
        {
            properties.setProperty(TuningProfile.OVERRIDE_PREFIX + overrides[i], overrides[i + 1]);
        }
        return TuningProfile.byName(name, properties);
    }

    @Test
    void shouldPinEachRoleToItsCpuSet()
    {
        final FakeAffinity affinity = new FakeAffinity();
        final ThreadPinning pinning = new ThreadPinning(profile("low-latency-4core"), affinity);
        assertThat(pinning.active()).isTrue();
        final String name = Thread.currentThread().getName();
        pinning.pinned(ThreadRole.INGEST, () -> { }).run();
        pinning.pinned(ThreadRole.AGGREGATOR, () -> { }).run();
        pinning.pinned(ThreadRole.EMITTER, () -> { }).run();
        assertThat(pinning.pinCurrentThread(ThreadRole.OTHER)).isEqualTo(CpuSet.of(0));
        assertThat(affinity.calls).containsExactly(name + "@1-2", name + "@3", name + "@0", name + "@0");
    }

    @Test
    void shouldSpreadThreadsOfASpreadRoleOnePerCpu()
    {
        final FakeAffinity affinity = new FakeAffinity();
        final ThreadPinning pinning = new ThreadPinning(profile("dedicated"), affinity);
        for (int i = 0; i < 3; i++)
        {
            pinning.pinned(ThreadRole.AGGREGATOR, () -> { }).run();
        }
        pinning.pinned(ThreadRole.INGEST, () -> { }).run();
        final String name = Thread.currentThread().getName();
        assertThat(affinity.calls).containsExactly(name + "@4", name + "@5", name + "@4", name + "@1-3");
    }

    @Test
    void shouldPinThreadsOfTheFactoryWhenTheyStartTheirLoop() throws InterruptedException
    {
        final FakeAffinity affinity = new FakeAffinity();
        final ThreadPinning pinning = new ThreadPinning(profile("dedicated"), affinity);
        final AtomicBoolean ran = new AtomicBoolean();
        final Thread thread = pinning.threadFactory(ThreadRole.EMITTER, Thread::new).newThread(() -> ran.set(true));
        thread.setName("emitter-p");
        assertThat(affinity.calls).isEmpty();
        thread.start();
        thread.join();
        assertThat(ran).isTrue();
        assertThat(affinity.calls).containsExactly("emitter-p@6");
    }

    @Test
    void shouldDoNothingWhenEverySetIsEmpty()
    {
        final FakeAffinity affinity = new FakeAffinity();
        final ThreadPinning pinning = new ThreadPinning(profile("shared-2core"), affinity);
        final Runnable task = () -> { };
        assertThat(pinning.active()).isFalse();
        assertThat(pinning.pinned(ThreadRole.AGGREGATOR, task)).isSameAs(task);
        assertThat(pinning.pinCurrentThread(ThreadRole.OTHER).isEmpty()).isTrue();
        assertThat(affinity.calls).isEmpty();
    }

    @Test
    void shouldLeaveAnEmptyRoleUnpinned()
    {
        final FakeAffinity affinity = new FakeAffinity();
        final ThreadPinning pinning = new ThreadPinning(profile("dedicated", "cpus.emitter", ""), affinity);
        pinning.pinned(ThreadRole.EMITTER, () -> { }).run();
        assertThat(affinity.calls).isEmpty();
    }

    @Test
    void shouldRunUnpinnedWhenThePlatformCannotPin()
    {
        final FakeAffinity affinity = new FakeAffinity();
        affinity.unavailable = "not Linux";
        final ThreadPinning pinning = new ThreadPinning(profile("dedicated"), affinity);
        final AtomicBoolean ran = new AtomicBoolean();
        pinning.pinned(ThreadRole.AGGREGATOR, () -> ran.set(true)).run();
        assertThat(ran).isTrue();
        assertThat(pinning.active()).isFalse();
        assertThat(affinity.calls).isEmpty();
    }

    @Test
    void shouldRunTheLoopEvenWhenTheKernelRefusesThePin()
    {
        final FakeAffinity affinity = new FakeAffinity();
        affinity.refuse = true;
        final ThreadPinning pinning = new ThreadPinning(profile("dedicated"), affinity);
        final AtomicBoolean ran = new AtomicBoolean();
        pinning.pinned(ThreadRole.AGGREGATOR, () -> ran.set(true)).run();
        assertThat(ran).isTrue();
        assertThat(pinning.pinCurrentThread(ThreadRole.INGEST).isEmpty()).isTrue();
    }
}
