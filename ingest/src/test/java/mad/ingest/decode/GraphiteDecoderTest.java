package mad.ingest.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import mad.engine.model.MetricType;

class GraphiteDecoderTest
{
    private static final Path GOLDEN = Path.of("/work/shared/mad-ref/golden/expected/main/inputs/graphite.txt");

    private final LineRecordingWriter writer = new LineRecordingWriter();
    private GraphiteDecoder decoder = new GraphiteDecoder(globals(), true);

    @Test
    void shouldDecodeGoldenInputs() throws IOException
    {
        final String data = Files.readAllLines(GOLDEN, StandardCharsets.UTF_8).get(1).replace("\\n", "\n");
        int rejected = 0;
        for (final String line : data.split("\n"))
        {
            rejected += decode(line) == LineDecoder.OK ? 0 : 1;
        }
        assertThat(rejected).isEqualTo(1);
        final List<LineRecordingWriter.Sample> samples = writer.samples();
        assertThat(samples).hasSize(7);
        assertThat(samples.get(0).name()).isEqualTo("golden.graphite.load");
        assertThat(samples.get(0).type()).isEqualTo(MetricType.GAUGE);
        assertThat(samples.get(0).timeMs()).isEqualTo(1795586897000L);
        assertThat(samples.get(0).dimensions()).containsExactlyInAnyOrderEntriesOf(
            Map.of("service", "graphite", "cluster", "mad_ref_cluster"));
        assertThat(samples.get(3).name()).isEqualTo("golden.graphite.tagged");
        assertThat(samples.get(3).dimensions()).containsExactlyInAnyOrderEntriesOf(
            Map.of("service", "golden_graphite_tagged", "cluster", "mad_ref_cluster", "region", "us-west"));
        assertThat(samples.get(4).name()).isEqualTo("golden.graphite.nots");
        assertThat(samples.get(4).timeMs()).isEqualTo(1234L);
        assertThat(samples.get(5).timeMs()).isEqualTo(1795586777000L);
        assertThat(samples.get(6).value()).isEqualTo(11.0);
        // Globals are restored after a line overrode them.
        assertThat(decode("x 1 1")).isZero();
        assertThat(writer.samples().get(7).dimensions()).containsEntry("service", "graphite");
    }

    @Test
    void shouldApplyLineRules()
    {
        assertThat(decode("a 1")).isZero();
        assertThat(decode("a 1 5")).isZero();
        assertThat(decode("a 1 5 \t\r")).isZero();
        assertThat(decode("a 1\r")).isZero();
        // COMPAT.md D6: MAD reads 1,5 as 15; madx rejects it.
        assertThat(decode("a 1,5")).isEqualTo(LineDecoder.INVALID_VALUE);
        assertThat(decode("a 1.5E3")).isZero();
        assertThat(last().value()).isEqualTo(1500.0);
        assertThat(decode("a abc 5")).isEqualTo(LineDecoder.INVALID_VALUE);
        assertThat(decode("a  1")).isEqualTo(LineDecoder.INVALID_LINE);
        assertThat(decode("a\t1")).isEqualTo(LineDecoder.INVALID_LINE);
        assertThat(decode("")).isEqualTo(LineDecoder.INVALID_LINE);
        assertThat(decode("a 1 1.5")).isEqualTo(LineDecoder.INVALID_LINE);
        assertThat(decode("a 1 5x")).isEqualTo(LineDecoder.INVALID_LINE);
        assertThat(decode("a 1  5")).isEqualTo(LineDecoder.INVALID_LINE);
        assertThat(decode("a 1 99999999999999999999")).isEqualTo(LineDecoder.INVALID_TIMESTAMP);
    }

    @Test
    void shouldApplyCarbonTagRules()
    {
        assertThat(decode("m;a=b;x=;=y;c=d=e;bad;f=g= 1")).isZero();
        assertThat(last().name()).isEqualTo("m");
        assertThat(last().dimensions()).containsExactlyInAnyOrderEntriesOf(
            Map.of("service", "graphite", "cluster", "mad_ref_cluster", "a", "b", "f", "g"));
        decoder = new GraphiteDecoder(Map.of(), false);
        assertThat(decode("m;a=b 1")).isZero();
        assertThat(last().name()).isEqualTo("m;a=b");
        assertThat(last().dimensions()).isEmpty();
    }

    private static Map<String, String> globals()
    {
        final Map<String, String> globals = new LinkedHashMap<>();
        globals.put("service", "graphite");
        globals.put("cluster", "mad_ref_cluster");
        return globals;
    }

    private int decode(final String line)
    {
        final byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        return decoder.decodeLine(new UnsafeBuffer(bytes), 0, bytes.length, 1234L, writer);
    }

    private LineRecordingWriter.Sample last()
    {
        final List<LineRecordingWriter.Sample> samples = writer.samples();
        return samples.get(samples.size() - 1);
    }
}
