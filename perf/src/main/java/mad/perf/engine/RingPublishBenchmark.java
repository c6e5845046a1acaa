package mad.perf.engine;

import java.util.concurrent.TimeUnit;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import mad.engine.model.MetricType;
import mad.engine.model.Unit;
import mad.engine.sample.PublisherCounters;
import mad.engine.sample.SampleEvent;
import mad.engine.sample.SamplePublisher;
import mad.engine.sample.ShardRings;

/**
 * The producer half alone: {@link SamplePublisher} builds the canonical key (3 dimensions, sorted, hashed), claims a
 * ring slot, copies key and value and publishes, for 300 series round-robin. A bare {@link EventPoller} whose handler
 * does nothing drains the ring after each batch, so the gating sequence is real but no aggregation is measured (the
 * difference to {@link AggregateBenchmark} is the aggregator's cost). One op = one sample.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@OperationsPerInvocation(RingPublishBenchmark.BATCH)
public class RingPublishBenchmark
{
    static final int BATCH = 256;
    private static final int SERIES = 300;
    private static final long NOW = 1_795_586_897_000L;

    private final Drain drain = new Drain();
    private SamplePublisher publisher;
    private EventPoller<SampleEvent> poller;
    private String[] names;
    private String[] hosts;
    private int next;

    /**
     * Builds one ring (4096 slots, as the default profile) with its poller.
     */
    @Setup
    public void setUp()
    {
        final ShardRings rings = new ShardRings(1, 4096);
        final RingBuffer<SampleEvent> ring = rings.ring(0);
        poller = ring.newPoller();
        ring.addGatingSequences(poller.getSequence());
        publisher = new SamplePublisher(rings, SamplePublisher.Backpressure.DROP, new PublisherCounters("bench"));
        names = new String[SERIES];
        hosts = new String[SERIES];
        for (int i = 0; i < SERIES; i++)
        {
            names[i] = "http.server.request.latency." + (i % 10);
            hosts[i] = "app-host-" + (i / 10);
        }
    }

    /**
     * @return events drained, so the work is not dead code.
     */
    @Benchmark
    public long publish() throws Exception
    {
        for (int i = 0; i < BATCH; i++)
        {
            final int s = next++ % SERIES;
            publisher.beginRecord(NOW + (i & 511), SampleEvent.NO_REQUEST_TIME);
            publisher.dimension("host", hosts[s]);
            publisher.dimension("service", "checkout");
            publisher.dimension("cluster", "prod-us-west");
            publisher.endDimensions();
            publisher.beginMetric(names[s], MetricType.TIMER, Unit.SECOND);
            publisher.sample(i * 0.25);
            publisher.endMetric();
        }
        poller.poll(drain);
        return drain.events + publisher.counters().dropped();
    }

    /** Consumes events without looking at them. */
    private static final class Drain implements EventPoller.Handler<SampleEvent>
    {
        long events;

        @Override
        public boolean onEvent(final SampleEvent event, final long sequence, final boolean endOfBatch)
        {
            events++;
            return true;
        }
    }
}
