package mad.ingest.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import mad.engine.model.MetricType;
import mad.engine.model.Unit;

class StatsdDecoderTest
{
    private static final Path GOLDEN = Path.of("/work/shared/mad-ref/golden/expected/main/inputs/statsd.txt");
    private static final String TAGS = "|#service:golden_statsd,cluster:golden_cluster,host:golden-host,env:test";

    private final StatsdDecoder decoder = new StatsdDecoder();
    private final LineRecordingWriter writer = new LineRecordingWriter();

    @Test
    void shouldDecodeGoldenInputs() throws IOException
    {
        int accepted = 0;
        int rejected = 0;
        int sampledOut = 0;
        for (final String entry : Files.readAllLines(GOLDEN, StandardCharsets.UTF_8))
        {
            if (entry.startsWith("#"))
            {
                continue;
            }
            for (final String line : entry.split("\\\\n"))
            {
                final int code = decode(line);
                if (code == LineDecoder.OK)
                {
                    accepted++;
                }
                else if (code == LineDecoder.SAMPLED_OUT)
                {
                    sampledOut++;
                }
                else
                {
                    rejected++;
                }
            }
        }
        // +3 gauge, set, multi_bad's x|q line are rejected; two @0.0 lines are sampled out.
        assertThat(rejected).isEqualTo(3);
        assertThat(sampledOut).isEqualTo(2);
        assertThat(accepted).isEqualTo(writer.samples().size());
        final List<LineRecordingWriter.Sample> samples = writer.samples();
        assertThat(sum(samples, "golden.statsd.counter")).isEqualTo(6.0);
        assertThat(values(samples, "golden.statsd.gauge")).containsExactly(10.0, 20.0, -5.0);
        assertThat(values(samples, "golden.statsd.timer")).containsExactly(0.1, 0.2, 300.5 * 0.001);
        assertThat(sum(samples, "golden.statsd.sampled")).isEqualTo(20.0);
        assertThat(sum(samples, "golden.statsd.victim")).isEqualTo(1.0);
        assertThat(sum(samples, "golden.statsd.multi_bad")).isEqualTo(1.0);
        final LineRecordingWriter.Sample timer = find(samples, "golden.statsd.timer");
        assertThat(timer.type()).isEqualTo(MetricType.TIMER);
        assertThat(timer.unit()).isEqualTo(Unit.SECOND);
        assertThat(timer.timeMs()).isEqualTo(1234L);
        assertThat(timer.dimensions()).containsExactlyInAnyOrderEntriesOf(Map.of(
            "service", "golden_statsd", "cluster", "golden_cluster", "host", "golden-host", "env", "test"));
        final LineRecordingWriter.Sample histogram = find(samples, "golden.statsd.histogram");
        assertThat(histogram.type()).isEqualTo(MetricType.TIMER);
        assertThat(histogram.unit()).isEqualTo(Unit.NONE);
        assertThat(find(samples, "golden.statsd.meter").type()).isEqualTo(MetricType.COUNTER);
        assertThat(find(samples, "golden.statsd.influx").dimensions()).containsExactlyInAnyOrderEntriesOf(Map.of(
            "service", "golden_statsd", "cluster", "golden_cluster", "host", "golden-host", "region", "us-west"));
    }

    @Test
    void shouldApplySpecTypeRules()
    {
        assertThat(decode("a:1|c")).isZero();
        assertThat(decode("a:1|g")).isZero();
        assertThat(decode("a:1|h")).isZero();
        assertThat(decode("a:1|m")).isZero();
        assertThat(decode("a:1|ms")).isZero();
        assertThat(decode("a:1|s")).isEqualTo(LineDecoder.UNSUPPORTED_TYPE);
        assertThat(decode("a:1|C")).isEqualTo(LineDecoder.UNSUPPORTED_TYPE);
        assertThat(decode("a:1|c\r")).isEqualTo(LineDecoder.UNSUPPORTED_TYPE);
        assertThat(decode("a:1|c|#k:v\r")).isEqualTo(LineDecoder.INVALID_LINE);
        assertThat(decode("a:1|c|#k:v\u2028")).isEqualTo(LineDecoder.INVALID_LINE);
        assertThat(decode("a:+3|g")).isEqualTo(LineDecoder.INVALID_VALUE);
        assertThat(decode("a:x|g")).isEqualTo(LineDecoder.INVALID_VALUE);
        // COMPAT.md D6: MAD's prefix parse reads 12abc as 12, 1e3 as 1 and 1,000 as 1000; madx reads whole values.
        assertThat(decode("a:12abc|g")).isEqualTo(LineDecoder.INVALID_VALUE);
        assertThat(decode("a:1e3|g")).isZero();
        assertThat(last().value()).isEqualTo(1000.0);
        assertThat(decode("a:1.5e3|g")).isZero();
        assertThat(last().value()).isEqualTo(1500.0);
        assertThat(decode("a:1,000|g")).isEqualTo(LineDecoder.INVALID_VALUE);
    }

    @Test
    void shouldApplySpecSyntaxRules()
    {
        assertThat(decode(":1|c")).isEqualTo(LineDecoder.INVALID_LINE);
        assertThat(decode("a|c")).isEqualTo(LineDecoder.INVALID_LINE);
        assertThat(decode("a:1")).isEqualTo(LineDecoder.INVALID_LINE);
        assertThat(decode("a:1|")).isEqualTo(LineDecoder.INVALID_LINE);
        assertThat(decode("a:|c")).isEqualTo(LineDecoder.INVALID_LINE);
        assertThat(decode("a@b:1|c")).isEqualTo(LineDecoder.INVALID_LINE);
        assertThat(decode("a:1|c|#")).isEqualTo(LineDecoder.INVALID_LINE);
        assertThat(decode("a:1|c|@")).isEqualTo(LineDecoder.INVALID_LINE);
        assertThat(decode("a:1|c|x")).isEqualTo(LineDecoder.INVALID_LINE);
        assertThat(decode("a:1|c|@0.5|x")).isEqualTo(LineDecoder.INVALID_LINE);
        assertThat(decode("a,:1|c")).isEqualTo(LineDecoder.INVALID_LINE);
        assertThat(decode("")).isZero();
        assertThat(writer.samples()).isEmpty();
    }

    @Test
    void shouldApplySampleRateRules()
    {
        assertThat(decode("a:1|c|@0.5")).isZero();
        assertThat(last().value()).isEqualTo(1.0);
        assertThat(decode("a:1|h|@0.25")).isZero();
        assertThat(decode("a:1|ms|@1")).isZero();
        assertThat(decode("a:1|g|@0.5")).isEqualTo(LineDecoder.INVALID_SAMPLE_RATE);
        assertThat(decode("a:1|m|@0.5")).isEqualTo(LineDecoder.INVALID_SAMPLE_RATE);
        assertThat(decode("a:1|c|@1.5")).isEqualTo(LineDecoder.INVALID_SAMPLE_RATE);
        assertThat(decode("a:1|c|@-0.0")).isEqualTo(LineDecoder.INVALID_SAMPLE_RATE);
        assertThat(decode("a:1|c|@NaN")).isEqualTo(LineDecoder.INVALID_SAMPLE_RATE);
        assertThat(decode("a:1|c|@x")).isEqualTo(LineDecoder.INVALID_SAMPLE_RATE);
        assertThat(decode("a:1|c|@ 0.5 ")).isZero();
        assertThat(decode("a:1|c|@5e-1")).isZero();
        assertThat(decode("a:1|c|@0")).isEqualTo(LineDecoder.SAMPLED_OUT);
        assertThat(decode("a:1|c|@0.0|#k:v")).isEqualTo(LineDecoder.SAMPLED_OUT);
        // Rate after tags is part of the last tag value and applies no sampling.
        assertThat(decode("a:1|c|#k:v|@0")).isZero();
        assertThat(last().dimensions()).containsEntry("k", "v|@0");
    }

    @Test
    void shouldApplyTagRules()
    {
        assertThat(decode("a:1|c|#k:v,k2:v2")).isZero();
        assertThat(last().dimensions()).containsExactlyInAnyOrderEntriesOf(Map.of("k", "v", "k2", "v2"));
        assertThat(decode("a:1|c|#k")).isEqualTo(LineDecoder.INVALID_TAGS);
        assertThat(decode("a:1|c|#k:v:w")).isEqualTo(LineDecoder.INVALID_TAGS);
        assertThat(decode("a:1|c|#k:v,k:w")).isEqualTo(LineDecoder.INVALID_TAGS);
        assertThat(decode("a:1|c|#k:v,")).isEqualTo(LineDecoder.INVALID_TAGS);
        assertThat(decode("a:1|c|#k:")).isZero();
        assertThat(last().dimensions()).containsEntry("k", "");
        assertThat(decode("a,k=v,x=y:1|c")).isZero();
        assertThat(last().dimensions()).containsExactlyInAnyOrderEntriesOf(Map.of("k", "v", "x", "y"));
        assertThat(decode("a,k=v:1|c|#k:w")).isEqualTo(LineDecoder.INVALID_TAGS);
        assertThat(decode("a,k:1|c")).isEqualTo(LineDecoder.INVALID_TAGS);
        assertThat(decode("a,k=v=w:1|c")).isEqualTo(LineDecoder.INVALID_TAGS);
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

    private static LineRecordingWriter.Sample find(final List<LineRecordingWriter.Sample> samples, final String name)
    {
        return samples.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private static List<Double> values(final List<LineRecordingWriter.Sample> samples, final String name)
    {
        return samples.stream().filter(s -> s.name().equals(name)).map(LineRecordingWriter.Sample::value).toList();
    }

    private static double sum(final List<LineRecordingWriter.Sample> samples, final String name)
    {
        return values(samples, name).stream().mapToDouble(Double::doubleValue).sum();
    }
}
