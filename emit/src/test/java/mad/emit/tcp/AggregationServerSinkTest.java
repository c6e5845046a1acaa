package mad.emit.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import com.arpnetworking.metrics.aggregation.protocol.Messages.HeartbeatRecord;

import mad.emit.TestData;

class AggregationServerSinkTest
{
    @Test
    void shouldComputeMadsBackoff()
    {
        assertThat(AggregationServerSink.backoffMs(1, 0.0, 500)).isEqualTo(500);
        assertThat(AggregationServerSink.backoffMs(1, 0.99, 500)).isEqualTo(1_000);
        // 1.3^20 = 190.05 -> floor(0.5 * 190.05) + 1 = 96 units; attempts beyond 20 are capped.
        assertThat(AggregationServerSink.backoffMs(20, 0.5, 500)).isEqualTo(96 * 500);
        assertThat(AggregationServerSink.backoffMs(50, 0.5, 500)).isEqualTo(96 * 500);
    }

    @Test
    void shouldFrameTheHeartbeat() throws Exception
    {
        final byte[] frame = AggregationServerSink.heartbeatFrame(TestData.MINUTE_START_MS + 17_500);
        final int length = (frame[0] & 0xff) << 24 | (frame[1] & 0xff) << 16 | (frame[2] & 0xff) << 8
            | frame[3] & 0xff;
        assertThat(length).isEqualTo(frame.length);
        assertThat(frame[4]).isEqualTo((byte)0x03);
        final HeartbeatRecord record = HeartbeatRecord.parseFrom(Arrays.copyOfRange(frame, 5, frame.length));
        assertThat(record.getTimestamp()).isEqualTo("2026-11-25T06:08:17.500Z");
    }
}
