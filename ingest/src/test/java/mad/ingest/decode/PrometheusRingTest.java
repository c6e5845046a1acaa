package mad.ingest.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import com.arpnetworking.metrics.prometheus.Types;
import com.lmax.disruptor.EventPoller;

import mad.engine.model.MetricType;
import mad.engine.model.Unit;
import mad.engine.sample.ForwardingSampleWriter;
import mad.engine.sample.PublisherCounters;
import mad.engine.sample.SampleEvent;
import mad.engine.sample.SamplePublisher;
import mad.engine.sample.SampleWriter;
import mad.engine.sample.ShardRings;
import mad.ingest.http.HttpBodyDecoder;

/**
 * {@link PrometheusDecoder} through a real {@link SamplePublisher}: the ring must carry exactly the (key, time,
 * value) sequence of one record per sample (MAD's model), with equal-timestamp runs of a series in one event and the
 * dimensions reused for repeated timestamps and for series whose labels equal the previous series'.
 */
class PrometheusRingTest
{
    private static final long T0 = 1_795_586_897_000L;

    /** Forwards to a publisher, counts the repeated-dimension records and can fail on the n-th sample. */
    private static final class Counting extends ForwardingSampleWriter
    {
        int repeats;
        int samplesBeforeFailure = Integer.MAX_VALUE;

        Counting(final SamplePublisher delegate)
        {
            super(delegate);
        }

        @Override
        public int beginRecordRepeating(final long timestampMs, final long requestTimeMs, final long dimensionsId)
        {
            final int result = super.beginRecordRepeating(timestampMs, requestTimeMs, dimensionsId);
            repeats += result == 0 ? 1 : 0;
            return result;
        }

        @Override
        public int sample(final double value)
        {
            if (samplesBeforeFailure-- <= 0)
            {
                throw new IllegalStateException("writer failure");
            }
            return super.sample(value);
        }
    }

    private static final class Ring
    {
        final ShardRings rings = new ShardRings(1, 256);
        final EventPoller<SampleEvent> poller = rings.ring(0).newPoller();
        final Counting writer = new Counting(
            new SamplePublisher(rings, SamplePublisher.Backpressure.DROP, new PublisherCounters("t")));
        int events;

        Ring()
        {
            rings.ring(0).addGatingSequences(poller.getSequence());
        }

        /** One line per sample: key, hashes, time, type/unit, value; counts the data events. */
        List<String> samples() throws Exception
        {
            final List<String> out = new ArrayList<>();
            poller.poll((event, sequence, endOfBatch) ->
            {
                if (event.kind() != SampleEvent.KIND_DATA)
                {
                    return true;
                }
                events++;
                for (int i = 0; i < event.sampleCount(); i++)
                {
                    out.add(event.key().getStringWithoutLengthAscii(0, event.keyLength()).replace('\0', '_')
                        + " h=" + event.keyHash() + " d=" + event.dimsHash() + " t=" + event.timestampMs() + " "
                        + event.type() + "/" + event.unit() + " v=" + event.sample(i));
                }
                return true;
            });
            return out;
        }
    }

    @Test
    void shouldPublishOneRecordPerSampleAsRunsOfEqualTimestampsWithReusedDimensions() throws Exception
    {
        final Types.TimeSeries a = series(new String[] {"__name__", "a", "host", "h1", "job", "j"},
            T0, 1, T0, 2, T0 + 1, 3, T0 + 1, 4, T0, 5);
        final Types.TimeSeries b = series(new String[] {"__name__", "b", "host", "h1", "job", "j"}, T0, 6);
        final Types.TimeSeries c = series(new String[] {"__name__", "c", "host", "h2", "job", "j"}, T0, 7);
        final Types.TimeSeries d = series(new String[] {"__name__", "d", "job", "j", "host", "h1"}, T0, 8);
        final Types.TimeSeries e = series(new String[] {"job", "j", "__name__", "e", "host", "h1"}, T0, 9, T0, 10);
        final byte[] body = PrometheusDecoderTest.request(a, b, c, d, e);

        final Ring ring = new Ring();
        assertThat(new PrometheusDecoder(false).decode(new UnsafeBuffer(body), 0, body.length, null, ring.writer))
            .isEqualTo(HttpBodyDecoder.OK);

        final List<String> expected = onePerSample(a, b, c, d, e);
        assertThat(ring.samples()).isEqualTo(expected).hasSize(10);
        // a: (t0: 1, 2) (t0+1: 3, 4) (t0: 5); b; c; d; e: (t0: 9, 10).
        assertThat(ring.events).isEqualTo(7);
        // a's 2nd and 3rd runs, b (a's labels), e (d's labels in the same order once __name__ is left out).
        assertThat(ring.writer.repeats).isEqualTo(4);
    }

    @Test
    void shouldPublishWhatWasWrittenWhenTheWriterThrowsMidRequest() throws Exception
    {
        final Types.TimeSeries a = series(new String[] {"__name__", "a", "host", "h1"}, T0, 1, T0 + 1, 2, T0 + 2, 3);
        final byte[] body = PrometheusDecoderTest.request(a);
        final Ring ring = new Ring();
        ring.writer.samplesBeforeFailure = 2;

        assertThatThrownBy(() -> new PrometheusDecoder(false).decode(
            new UnsafeBuffer(body), 0, body.length, null, ring.writer)).hasMessage("writer failure");

        // The claimed range is published (nothing stalls the shard) and holds the samples written before.
        assertThat(ring.samples()).hasSize(2);
        ring.writer.samplesBeforeFailure = Integer.MAX_VALUE;
        assertThat(new PrometheusDecoder(false).decode(new UnsafeBuffer(body), 0, body.length, null, ring.writer))
            .isEqualTo(HttpBodyDecoder.OK);
        assertThat(ring.samples()).hasSize(3);
    }

    /** MAD's model written out by hand on a fresh publisher: one record, one metric, one sample per sample. */
    private static List<String> onePerSample(final Types.TimeSeries... series) throws Exception
    {
        final Ring ring = new Ring();
        final SampleWriter writer = ring.writer;
        for (final Types.TimeSeries s : series)
        {
            String name = null;
            for (final Types.Label label : s.getLabelsList())
            {
                if (label.getName().equals("__name__"))
                {
                    name = label.getValue();
                }
            }
            for (final Types.Sample sample : s.getSamplesList())
            {
                writer.beginRecord(sample.getTimestamp(), SampleEvent.NO_REQUEST_TIME);
                for (final Types.Label label : s.getLabelsList())
                {
                    if (!label.getName().equals("__name__"))
                    {
                        writer.dimension(label.getName(), label.getValue());
                    }
                }
                assertThat(writer.endDimensions()).isZero();
                assertThat(writer.beginMetric(name, MetricType.GAUGE, Unit.NONE)).isZero();
                assertThat(writer.sample(sample.getValue())).isZero();
                writer.endMetric();
            }
        }
        final List<String> samples = ring.samples();
        assertThat(ring.events).isEqualTo(samples.size());
        return samples;
    }

    /**
     * @param labels name, value, name, value, ...
     * @param samples timestamp, value, timestamp, value, ...
     */
    private static Types.TimeSeries series(final String[] labels, final double... samples)
    {
        final Types.TimeSeries.Builder builder = Types.TimeSeries.newBuilder();
        for (int i = 0; i < labels.length; i += 2)
        {
            builder.addLabels(Types.Label.newBuilder().setName(labels[i]).setValue(labels[i + 1]));
        }
        for (int i = 0; i < samples.length; i += 2)
        {
            builder.addSamples(Types.Sample.newBuilder().setTimestamp((long)samples[i]).setValue(samples[i + 1]));
        }
        return builder.build();
    }
}
