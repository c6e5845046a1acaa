package mad.perf.harness;

import com.arpnetworking.metrics.prometheus.Remote;
import com.arpnetworking.metrics.prometheus.Types;
import com.google.protobuf.ByteString;
import io.inscopemetrics.client.protocol.ClientV3;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PatchedBodyTest
{
    private static final long NOW = 1_764_763_200_456L;

    @Test
    void shouldPatchClientV3TimesAndIdsToTheBytesOfAFreshlyBuiltRequest() throws Exception
    {
        final PatchedBody body = new PatchedBody(v3(PatchedBody.idMarker(), PatchedBody.SENTINEL_MS), 6, 3);
        body.stamp(NOW);
        for (int h = 0; h < 3; h++)
        {
            body.id(h, 77, h);
        }
        final ClientV3.Request patched = ClientV3.Request.parseFrom(body.bytes());
        for (int h = 0; h < 3; h++)
        {
            final ClientV3.Record r = patched.getRecords(h);
            assertThat(r.getStartMillisSinceEpoch()).isEqualTo(NOW);
            assertThat(r.getEndMillisSinceEpoch()).isEqualTo(NOW);
            assertThat(r.getId().toByteArray()).isEqualTo(ByteBuffer.allocate(16).putLong(77).putLong(h).array());
        }
        // the same bytes the per-send protobuf build produced
        final ClientV3.Request.Builder fresh = ClientV3.Request.newBuilder(ClientV3.Request.parseFrom(
                v3(PatchedBody.idMarker(), PatchedBody.SENTINEL_MS)));
        for (int h = 0; h < 3; h++)
        {
            fresh.getRecordsBuilder(h).setStartMillisSinceEpoch(NOW).setEndMillisSinceEpoch(NOW)
                    .setId(ByteString.copyFrom(ByteBuffer.allocate(16).putLong(77).putLong(h).array()));
        }
        assertThat(body.bytes()).isEqualTo(fresh.build().toByteArray());
    }

    @Test
    void shouldPatchEveryPrometheusSampleTimestampInsideTheSnappyLiteral() throws Exception
    {
        final Remote.WriteRequest.Builder wr = Remote.WriteRequest.newBuilder();
        for (int s = 0; s < 4; s++)
        {
            final Types.TimeSeries.Builder ts = Types.TimeSeries.newBuilder()
                    .addLabels(Types.Label.newBuilder().setName("__name__").setValue("m" + s));
            for (int k = 0; k < 10; k++)
            {
                ts.addSamples(Types.Sample.newBuilder().setTimestamp(PatchedBody.SENTINEL_MS).setValue(k + 0.25));
            }
            wr.addTimeseries(ts);
        }
        final byte[] raw = wr.build().toByteArray();
        final byte[] snappy = Workload.snappyLiteral(raw);
        final PatchedBody body = new PatchedBody(snappy, 40, 0);
        body.stamp(NOW);
        // a one-literal block: the literal is the raw protobuf after the length varint and the 5-byte tag
        final int header = snappy.length - raw.length;
        final Remote.WriteRequest patched = Remote.WriteRequest.parseFrom(
                Arrays.copyOfRange(body.bytes(), header, body.bytes().length));
        assertThat(patched.getTimeseriesList()).hasSize(4).allSatisfy(ts ->
        {
            assertThat(ts.getSamplesList()).hasSize(10).allSatisfy(x -> assertThat(x.getTimestamp()).isEqualTo(NOW));
            assertThat(ts.getSamples(3).getValue()).isEqualTo(3.25);
        });
    }

    @Test
    void shouldRejectATemplateWhoseSiteCountDiffersFromTheExpectedOne()
    {
        final byte[] template = v3(PatchedBody.idMarker(), PatchedBody.SENTINEL_MS);
        assertThatThrownBy(() -> new PatchedBody(template, 7, 3)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("6 time stamp sites, expected 7");
        assertThatThrownBy(() -> new PatchedBody(template, 6, 4)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("3 id sites, expected 4");
    }

    @Test
    void shouldRefuseATimeWhoseVarintIsNotSixBytes()
    {
        final PatchedBody body = new PatchedBody(v3(PatchedBody.idMarker(), PatchedBody.SENTINEL_MS), 6, 3);
        assertThatThrownBy(() -> body.stamp(1L << 42)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> body.stamp(1000)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldEncodeTheSentinelAsProtobufDoes()
    {
        final byte[] encoded = Types.Sample.newBuilder().setTimestamp(PatchedBody.SENTINEL_MS).build().toByteArray();
        // field 2, wire type 0 (tag 0x10), then the varint
        assertThat(Arrays.copyOfRange(encoded, 1, encoded.length))
                .isEqualTo(PatchedBody.varint(PatchedBody.SENTINEL_MS));
    }

    private static byte[] v3(final byte[] id, final long time)
    {
        final ClientV3.Request.Builder req = ClientV3.Request.newBuilder();
        for (int h = 0; h < 3; h++)
        {
            final ClientV3.Record.Builder r = ClientV3.Record.newBuilder().setId(ByteString.copyFrom(id))
                    .setStartMillisSinceEpoch(time).setEndMillisSinceEpoch(time)
                    .addDimensions(ClientV3.DimensionEntry.newBuilder()
                            .setName(ClientV3.Identifier.newBuilder().setStringValue("host"))
                            .setValue(ClientV3.Identifier.newBuilder().setStringValue("h" + h)));
            r.addData(ClientV3.MetricDataEntry.newBuilder()
                    .setName(ClientV3.Identifier.newBuilder().setStringValue("m"))
                    .setNumericalData(ClientV3.NumericalData.newBuilder().addSamples(1.5).addSamples(12)));
            req.addRecords(r);
        }
        return req.build().toByteArray();
    }
}
