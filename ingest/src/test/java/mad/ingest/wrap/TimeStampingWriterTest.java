package mad.ingest.wrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import mad.engine.model.MetricType;
import mad.engine.model.Unit;
import mad.engine.sample.SampleEvent;
import mad.engine.sample.SamplePublisher;
import mad.engine.sample.SampleWriter;
import mad.ingest.decode.MapSettings;
import mad.ingest.decode.RecordingWriter;

class TimeStampingWriterTest
{
    @Test
    void shouldRestampEachRecordWithClockAndDropRequestTime()
    {
        final RecordingWriter recording = new RecordingWriter();
        final AtomicLong now = new AtomicLong(5_000L);
        final SampleWriter writer = TimeStampingWriter.factory(backpressure -> recording, now::get)
            .create(SamplePublisher.Backpressure.DROP);

        writer.beginRecord(1L, 2L);
        writer.dimension("service", "s");
        writer.endDimensions();
        writer.beginMetric("m", MetricType.TIMER, Unit.SECOND);
        writer.sample(1.5);
        writer.clientStatistics(1, 2, 3, 4);
        writer.endMetric();
        now.set(6_000L);
        writer.beginRecord(1L, SampleEvent.NO_REQUEST_TIME);
        writer.endDimensions();

        assertThat(recording.records).extracting(r -> r.time).containsExactly(5_000L, 6_000L);
        assertThat(recording.records).extracting(r -> r.requestTime).containsOnly(SampleEvent.NO_REQUEST_TIME);
        assertThat(recording.records.get(0).dimensions).containsEntry("service", "s");
        assertThat(recording.metrics().get(0).values).containsExactly(1.5);
        assertThat(recording.metrics().get(0).statistics).hasSize(1);
    }

    @Test
    void shouldCreateFromSettingsWithSystemClock()
    {
        final RecordingWriter recording = new RecordingWriter();
        final long before = System.currentTimeMillis();
        final SampleWriter writer = TimeStampingWriter.create(new MapSettings(), backpressure -> recording)
            .create(SamplePublisher.Backpressure.WAIT);
        writer.beginRecord(1L, 2L);
        writer.endDimensions();
        assertThat(recording.records.get(0).time).isBetween(before, System.currentTimeMillis());
    }
}
