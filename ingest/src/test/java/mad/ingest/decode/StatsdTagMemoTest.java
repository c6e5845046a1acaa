package mad.ingest.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import com.lmax.disruptor.EventPoller;

import mad.engine.model.MetricType;
import mad.engine.model.Unit;
import mad.engine.sample.ForwardingSampleWriter;
import mad.engine.sample.PublisherCounters;
import mad.engine.sample.SampleEvent;
import mad.engine.sample.SamplePublisher;
import mad.engine.sample.SampleWriter;
import mad.engine.sample.ShardRings;

/**
 * The tag memo of {@link StatsdDecoder} must give exactly the ring events of the full path.
 */
class StatsdTagMemoTest
{
    private static final String[] LINES = {
        "a:1|c|#service:s,host:h1",
        "b:2|g|#service:s,host:h1",
        "c:3|ms|#service:s,host:h1",
        "d:4|c|#service:s,host:h2",
        "e:5|c|#service:s,host:h2",
        "f,x=1:6|c|#service:s,host:h2",
        "g:7|c|#service:s,host:h2",
        "h:8|c",
        "i:9|c|#service:s,host:h2",
        "j:x|c|#service:s,host:h2",
        "k:10|c|#service:s,host:h2",
        "l:11|c|#service:s,service:t",
        "m:12|c|#service:s,service:t",
        "n:13|c|#service:s,host:h2",
    };

    /** Forwards to a publisher and counts which path each record took. */
    private static final class Counting extends ForwardingSampleWriter
    {
        int dimensions;
        int repeats;

        Counting(final SamplePublisher delegate)
        {
            super(delegate);
        }

        @Override
        public void dimension(
            final DirectBuffer nameBuffer, final int nameOffset, final int nameLength,
            final DirectBuffer valueBuffer, final int valueOffset, final int valueLength)
        {
            dimensions++;
            super.dimension(nameBuffer, nameOffset, nameLength, valueBuffer, valueOffset, valueLength);
        }

        @Override
        public void dimension(final CharSequence name, final CharSequence value)
        {
            dimensions++;
            super.dimension(name, value);
        }

        @Override
        public int beginRecordRepeating(final long timestampMs, final long requestTimeMs, final long dimensionsId)
        {
            final int result = super.beginRecordRepeating(timestampMs, requestTimeMs, dimensionsId);
            repeats += result == 0 ? 1 : 0;
            return result;
        }
    }

    private static final class Engine
    {
        final ShardRings rings = new ShardRings(1, 256);
        final EventPoller<SampleEvent> poller = rings.ring(0).newPoller();
        final Counting writer = new Counting(
            new SamplePublisher(rings, SamplePublisher.Backpressure.DROP, new PublisherCounters("t")));

        Engine()
        {
            rings.ring(0).addGatingSequences(poller.getSequence());
        }

        List<String> events() throws Exception
        {
            final List<String> out = new ArrayList<>();
            poller.poll((event, sequence, endOfBatch) ->
            {
                out.add(event.key().getStringWithoutLengthAscii(0, event.keyLength()).replace('\0', '_') + " h="
                    + event.keyHash() + " d=" + event.dimsHash() + " t=" + event.timestampMs() + " "
                    + event.type() + "/" + event.unit() + " v=" + event.sample(0));
                return true;
            });
            return out;
        }
    }

    private static int decode(final StatsdDecoder decoder, final SampleWriter writer, final String line, final long t)
    {
        final byte[] bytes = ("xx" + line).getBytes(StandardCharsets.UTF_8);
        return decoder.decodeLine(new UnsafeBuffer(bytes), 2, bytes.length - 2, t, writer);
    }

    @Test
    void shouldWriteTheSameEventsAsTheFullPathAndReuseRepeatedTags() throws Exception
    {
        final Engine memo = new Engine();
        final StatsdDecoder decoder = new StatsdDecoder();
        final List<Integer> memoCodes = new ArrayList<>();
        final List<String> fullEvents = new ArrayList<>();
        final List<Integer> fullCodes = new ArrayList<>();
        for (int i = 0; i < LINES.length; i++)
        {
            memoCodes.add(decode(decoder, memo.writer, LINES[i], 1000 + i));
            final Engine fresh = new Engine();
            fullCodes.add(decode(new StatsdDecoder(), fresh.writer, LINES[i], 1000 + i));
            fullEvents.addAll(fresh.events());
        }
        assertThat(memoCodes).isEqualTo(fullCodes);
        assertThat(memo.events()).isEqualTo(fullEvents).hasSize(11);
        // b, c (h1), e, k, n (h2 after a full-path record of the same tags): five records reuse the key.
        assertThat(memo.writer.repeats).isEqualTo(4 + 1);
    }

    @Test
    void shouldTakeTheFullPathWhenAnotherRecordWasBegunOnTheWriter() throws Exception
    {
        final Engine engine = new Engine();
        final StatsdDecoder decoder = new StatsdDecoder();
        decode(decoder, engine.writer, "a:1|c|#host:h1", 1);
        engine.writer.beginRecord(2, SampleEvent.NO_REQUEST_TIME);
        engine.writer.dimension("host", "other");
        engine.writer.endDimensions();
        engine.writer.beginMetric("x", MetricType.GAUGE, Unit.NONE);
        engine.writer.sample(1);
        engine.writer.endMetric();
        decode(decoder, engine.writer, "b:1|c|#host:h1", 3);
        assertThat(engine.writer.repeats).isZero();
        final List<String> events = engine.events();
        assertThat(events).hasSize(3);
        assertThat(events.get(2)).contains("h1");
    }
}
