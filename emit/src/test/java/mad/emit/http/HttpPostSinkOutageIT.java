package mad.emit.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import mad.emit.EmitContext;
import mad.emit.MapSettings;
import mad.engine.config.Settings;
import mad.engine.output.PeriodicData;

/**
 * A Cluster Aggregator that is down for a while and then comes back: first it answers 503, then it is gone
 * (connection refused), then a new server binds the same port. Real sockets and real time, because the backoff is
 * real; the outage ({@code -Dmadx.it.outage}, default PT30S, the outage the issue asks for) spans many backoff intervals of the configured base
 * (0.1 s doubled: 0.1 + 0.2 + 0.4 + 0.8 + 1.6 + 3.2 s). {@code -Dmadx.it.outage=PT6S} gives a quicker run.
 */
class HttpPostSinkOutageIT
{
    private static final int QUEUE = 20;
    private static final long POST_INTERVAL_MS = 50;

    private final HttpFacility http = HttpFacility.defaults();
    private final EmitContext context = new EmitContext("test", System::currentTimeMillis, http);
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger sinkLogger = (Logger)LoggerFactory.getLogger(HttpPostSink.class);
    private TestServer failing;
    private TestServer recovered;

    @AfterEach
    void tearDown()
    {
        sinkLogger.detachAppender(log);
        if (failing != null)
        {
            failing.close();
        }
        if (recovered != null)
        {
            recovered.close();
        }
        http.close();
    }

    /** Posts numbered text bodies. */
    private static final class NumberSink extends HttpPostSink
    {
        private int next;

        NumberSink(final Settings settings, final EmitContext context)
        {
            super(settings, context, "text/plain");
        }

        int post()
        {
            final byte[] bytes = Integer.toString(next).getBytes(StandardCharsets.UTF_8);
            enqueue(bytes, 0, bytes.length);
            return next++;
        }

        @Override
        public void recordAggregateData(final PeriodicData data)
        {
        }
    }

    @Test
    void shouldKeepEverythingInsideTheQueueBoundThroughAnOutageAndCountEvictions() throws Exception
    {
        final Duration outage = Duration.parse(System.getProperty("madx.it.outage", "PT30S"));
        log.start();
        sinkLogger.addAppender(log);
        failing = new TestServer();
        failing.defaultStatus = 503;
        final int port = failing.port();
        final NumberSink sink = new NumberSink(MapSettings.of("name", "cagg", "uri", failing.uri(),
            "maximumQueueSize", QUEUE, "maximumRetries", 100, "retryBackoff", "PT0.1S", "drainTimeout", "PT40S"),
            context);

        // First half of the outage: 503. Second half: nothing listens (connection refused).
        final long start = System.nanoTime();
        final long half = start + outage.toNanos() / 2;
        final long end = start + outage.toNanos();
        postUntil(sink, half);
        failing.close();
        final int attemptsWhile503 = failing.bodies.size();
        postUntil(sink, end);
        final int enqueuedDuringOutage = (int)sink.enqueued();
        recovered = restart(port);
        // The next probe (at most one backoff interval later) finds the peer back and the queue drains; new bodies
        // are posted only then, so they cannot evict bodies of the outage.
        final long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(35);
        while ((sink.queueSize() > 0 || sink.inFlight() > 0) && System.nanoTime() < drainDeadline)
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        assertThat(sink.queueSize()).as("queue drained after recovery").isZero();
        final List<Integer> after = new ArrayList<>();
        for (int i = 0; i < 5; i++)
        {
            after.add(sink.post());
        }
        sink.close();

        final List<Integer> received = new ArrayList<>();
        for (final byte[] body : recovered.bodies)
        {
            received.add(Integer.parseInt(new String(body, StandardCharsets.UTF_8)));
        }
        // Several backoff intervals passed inside the outage, and the dead peer saw one probe per interval, not
        // one POST per body.
        assertThat(sink.retried()).as("retries during the outage").isGreaterThanOrEqualTo(5);
        assertThat(attemptsWhile503).as("POSTs answered 503").isBetween(2, 10);
        assertThat(sink.transportErrors()).as("connection refused").isPositive();
        // Nothing is lost without being counted: every body was accepted once, in order, or evicted.
        assertThat(received).isSorted().doesNotHaveDuplicates();
        assertThat(sink.accepted()).isEqualTo(received.size());
        assertThat(received.size() + sink.evicted()).isEqualTo(sink.enqueued());
        assertThat(sink.droppedOnClose()).isZero();
        // Evictions are only the oldest beyond the bound: the newest QUEUE bodies of the outage all arrived (one
        // more may have survived in flight when the peer came back).
        assertThat(sink.evicted()).isBetween((long)enqueuedDuringOutage - QUEUE - 1, (long)enqueuedDuringOutage - QUEUE);
        for (int n = enqueuedDuringOutage - QUEUE; n < enqueuedDuringOutage; n++)
        {
            assertThat(received).as("body %d inside the queue bound", n).contains(n);
        }
        assertThat(received).containsAll(after);
        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage)
            .anyMatch(line -> line.contains("queue full (maximumQueueSize=" + QUEUE + "), evicted the oldest"));
    }

    /** One body per 50 ms, as buckets closing during the outage would. */
    private static void postUntil(final NumberSink sink, final long deadlineNanos)
    {
        while (System.nanoTime() < deadlineNanos)
        {
            sink.post();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(POST_INTERVAL_MS));
        }
    }

    private static TestServer restart(final int port) throws IOException
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return new TestServer(port);
            }
            catch (final BindException e)
            {
                if (attempt == 50)
                {
                    throw e;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }
    }
}
