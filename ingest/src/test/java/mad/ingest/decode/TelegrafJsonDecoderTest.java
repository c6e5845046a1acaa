package mad.ingest.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import mad.engine.model.MetricType;

class TelegrafJsonDecoderTest
{
    private final LineRecordingWriter writer = new LineRecordingWriter();
    private final TelegrafJsonDecoder decoder = new TelegrafJsonDecoder(TelegrafJsonDecoder.TimestampUnit.SECONDS);

    @Test
    void shouldDecodeSingleMetric()
    {
        assertThat(decode("{\"fields\":{\"a\":1.5,\"b\":\"12abc\",\"c\":true,\"d\":\"FALSE\",\"e\":\"x\",\"f\":\"1e3\"},"
            + "\"name\":\"cpu\",\"tags\":{\"host\":\"h1\",\"n\":5},\"timestamp\":10}")).isZero();
        final List<LineRecordingWriter.Sample> samples = writer.samples();
        assertThat(samples).extracting(LineRecordingWriter.Sample::name)
            .containsExactly("cpu.a", "cpu.c", "cpu.d", "cpu.f");
        // COMPAT.md D6: MAD reads "12abc" as 12 and "1e3" as 1; madx skips the first and reads 1000.
        assertThat(samples).extracting(LineRecordingWriter.Sample::value).containsExactly(1.5, 1.0, 0.0, 1000.0);
        assertThat(samples.get(0).type()).isEqualTo(MetricType.TIMER);
        assertThat(samples.get(0).timeMs()).isEqualTo(10_000L);
        assertThat(samples.get(0).dimensions()).containsExactlyInAnyOrderEntriesOf(Map.of("host", "h1", "n", "5"));
    }

    @Test
    void shouldDecodeBatchAndEmptyName()
    {
        assertThat(decode("{\"metrics\":[{\"fields\":{\"a\":1},\"name\":\"\",\"timestamp\":1},"
            + "{\"fields\":{\"b\":2},\"name\":\"m\",\"timestamp\":2}]}")).as(decoder.lastError()).isZero();
        assertThat(writer.samples()).extracting(LineRecordingWriter.Sample::name).containsExactly("a", "m.b");
    }

    @Test
    void shouldRejectInvalidLines()
    {
        assertThat(decode("{\"fields\":{\"a\":1},\"timestamp\":1}")).isEqualTo(LineDecoder.INVALID_JSON);
        assertThat(decode("{\"fields\":{\"a\":1},\"name\":\"x\"}")).isEqualTo(LineDecoder.INVALID_JSON);
        assertThat(decode("{\"fields\":{\"a\":1},\"name\":\"x\",\"timestamp\":-1}"))
            .isEqualTo(LineDecoder.INVALID_JSON);
        assertThat(decode("{\"fields\":{\"a\":{}},\"name\":\"x\",\"timestamp\":1}"))
            .isEqualTo(LineDecoder.INVALID_JSON);
        assertThat(decode("{\"metrics\":[{\"fields\":{\"a\":1},\"name\":\"x\",\"timestamp\":1},{\"name\":\"y\"}]}"))
            .isEqualTo(LineDecoder.INVALID_JSON);
        assertThat(decode("not json")).isEqualTo(LineDecoder.INVALID_JSON);
        assertThat(decode("")).isEqualTo(LineDecoder.INVALID_JSON);
        assertThat(writer.samples()).isEmpty();
    }

    private int decode(final String line)
    {
        final byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        return decoder.decodeLine(new UnsafeBuffer(bytes), 0, bytes.length, 1234L, writer);
    }
}
