package mad.ingest.decode;

import java.util.Arrays;
import java.util.function.Supplier;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.handler.codec.http.HttpHeaders;
import mad.engine.config.Settings;
import mad.engine.model.InputUnit;
import mad.engine.model.MetricType;
import mad.engine.model.Unit;
import mad.engine.sample.PublishResult;
import mad.engine.sample.SampleEvent;
import mad.engine.sample.SamplePublisher;
import mad.engine.sample.SampleWriter;
import mad.ingest.http.HttpBodyDecoder;
import mad.ingest.proto.ProtoReader;

/**
 * MAD's PrometheusHttpSource body decoder ({@code POST /metrics/prometheus}), with MAD 1.20.1 behaviour: a snappy
 * block (no framing) holding a remote-write {@code WriteRequest}; every series label except {@code __name__} becomes a
 * dimension, the trimmed {@code __name__} is the metric name, and every sample becomes its own record (time = sample
 * timestamp) carrying one GAUGE sample. Series named {@code _total}/{@code _bucket}/..., series with {@code le}
 * labels and NaN samples are aggregated like any other (HEAD skips them; 1.20.1 does not).
 *
 * <p>The body is walked twice over the decompressed bytes: a validation pass (protobuf well-formed, strings valid
 * UTF-8 as protobuf-java requires for proto3, a non-blank name per series, no duplicate label) that rejects the whole
 * request with 400 as MAD does, then a publish pass. Nothing is allocated per request or per sample once the scratch
 * arrays have grown.
 *
 * <p>Publishing keeps MAD's one record per sample but not one ring event per sample: consecutive samples of a series
 * with the same timestamp are records of the same key and time, so they are written as one record with several
 * samples (the aggregator applies them in order to the same buckets, as it would the separate records); the
 * dimensions of a series are built once and repeated ({@link SampleWriter#beginRecordRepeating}) for its other
 * timestamps and for the next series when its labels (without {@code __name__}) are the same, in the same order;
 * and the whole request is one {@link SampleWriter#beginBatch batch}, sized by the validation pass's count of
 * events, so ring slots are claimed and published per range instead of per event.
 *
 * <p>Unit interpretation ({@code interpretUnits}) follows 1.20.1's suffix rules when enabled through the constructor,
 * but {@link #create(Settings)} never enables it: MAD 1.20.1's builder built its parser before the setting was
 * applied, so the key had no effect (fixed in 1.21.9, where the rules also changed).
 *
 * <p>Thread ownership: one instance per event-loop thread.
 */
public final class PrometheusDecoder implements HttpBodyDecoder
{
    private static final Logger LOG = LoggerFactory.getLogger(PrometheusDecoder.class);

    private static final int MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024;

    private static final int FIELD_TIMESERIES = 1 << 3 | ProtoReader.WIRE_LENGTH_DELIMITED;
    private static final int FIELD_LABELS = 1 << 3 | ProtoReader.WIRE_LENGTH_DELIMITED;
    private static final int FIELD_SAMPLES = 2 << 3 | ProtoReader.WIRE_LENGTH_DELIMITED;
    private static final int FIELD_LABEL_NAME = 1 << 3 | ProtoReader.WIRE_LENGTH_DELIMITED;
    private static final int FIELD_LABEL_VALUE = 2 << 3 | ProtoReader.WIRE_LENGTH_DELIMITED;
    private static final int FIELD_SAMPLE_VALUE = 1 << 3 | ProtoReader.WIRE_FIXED64;
    private static final int FIELD_SAMPLE_TIMESTAMP = 2 << 3 | ProtoReader.WIRE_VARINT;

    private static final byte[] NAME_LABEL = {'_', '_', 'n', 'a', 'm', 'e', '_', '_'};

    private static final String ERROR_SNAPPY = "Failed to decompress snappy stream";
    private static final String ERROR_PROTOBUF = "Could not create Request message from data";
    private static final String ERROR_EMPTY_NAME = "Found a metric with an empty name";
    private static final String ERROR_DUPLICATE_LABEL = "Could not build record: duplicate label name";
    private static final String ERROR_KEY_TOO_LARGE = "Could not build record: labels and name too large";

    private final boolean interpretUnits;
    private final SnappyBlockDecoder snappy = new SnappyBlockDecoder(64 * 1024, MAX_UNCOMPRESSED_BYTES);
    private final ProtoReader reader = new ProtoReader();
    private final ProtoReader seriesReader = new ProtoReader();
    private final ExpandableArrayBuffer nameScratch = new ExpandableArrayBuffer(128);

    private int[] labelNameOffset = new int[16];
    private int[] labelNameLength = new int[16];
    private int[] labelValueOffset = new int[16];
    private int[] labelValueLength = new int[16];
    private int labelCount;
    /** The previous series' labels (arrays swapped with the current ones after each published series). */
    private int[] previousNameOffset = new int[16];
    private int[] previousNameLength = new int[16];
    private int[] previousValueOffset = new int[16];
    private int[] previousValueLength = new int[16];
    private int previousCount;
    /** The writer's id of the previous series' dimensions, or NOT_REPEATABLE. */
    private long previousDimsId;
    /** Ring events the validated request will publish (one per run of equal timestamps in a series). */
    private long expectedEvents;
    private int nameOffset;
    private int nameLength;
    private InputUnit unit;

    private String lastError;
    private long lastSampleCount;

    /**
     * @param interpretUnits apply 1.20.1's unit-suffix rules ({@code foo_seconds_total} becomes {@code foo_total} in
     *                       seconds).
     */
    public PrometheusDecoder(final boolean interpretUnits)
    {
        this.interpretUnits = interpretUnits;
    }

    /**
     * Reads MAD's PrometheusHttpSource keys.
     *
     * @param settings the source's settings.
     * @return a supplier of per-thread decoders.
     */
    public static Supplier<HttpBodyDecoder> create(final Settings settings)
    {
        if (settings.bool("interpretUnits", false))
        {
            LOG.warn("{}: interpretUnits=true is ignored, as in MAD 1.20.1 (its builder never applied it)",
                settings.path());
        }
        if (settings.bool("outputDebugFiles", false))
        {
            LOG.warn("{}: outputDebugFiles is ignored (MAD 1.20.1 never applied it either)", settings.path());
        }
        return () -> new PrometheusDecoder(false);
    }

    @Override
    public int decode(
        final DirectBuffer body, final int offset, final int length, final HttpHeaders headers,
        final SampleWriter writer)
    {
        lastSampleCount = 0;
        lastError = null;
        final int uncompressed = snappy.decode(body, offset, length);
        if (uncompressed < 0)
        {
            return fail(ERROR_SNAPPY);
        }
        final DirectBuffer buffer = snappy.output();
        final String error = validate(buffer, uncompressed);
        if (error != null)
        {
            return fail(error);
        }
        return publish(buffer, uncompressed, writer);
    }

    @Override
    public String lastError()
    {
        return lastError;
    }

    @Override
    public long lastSampleCount()
    {
        return lastSampleCount;
    }

    private int fail(final String error)
    {
        lastError = error;
        return BAD_REQUEST;
    }

    private String validate(final DirectBuffer buffer, final int length)
    {
        expectedEvents = 0;
        reader.wrap(buffer, 0, length);
        while (reader.hasRemaining())
        {
            final int tag = reader.readTag();
            if (tag == FIELD_TIMESERIES)
            {
                final int seriesLength = reader.readLength();
                if (seriesLength < 0)
                {
                    break;
                }
                final int seriesOffset = reader.position();
                final int outer = reader.pushLimit(seriesLength);
                reader.popLimit(outer);
                if (!readLabels(buffer, seriesOffset, seriesLength, true))
                {
                    return ERROR_PROTOBUF;
                }
                final String error = checkSeries(buffer);
                if (error != null)
                {
                    return error;
                }
            }
            else if (tag != 0)
            {
                reader.skipField(tag);
            }
        }
        return reader.isMalformed() ? ERROR_PROTOBUF : null;
    }

    private int publish(final DirectBuffer buffer, final int length, final SampleWriter writer)
    {
        previousCount = -1;
        previousDimsId = PublishResult.NOT_REPEATABLE;
        // One request = one batch: ring slots are claimed per range and published together (see SamplePublisher),
        // instead of one claim and one publish per event.
        writer.beginBatch((int)Math.min(expectedEvents, Integer.MAX_VALUE));
        try
        {
            return publishSeries(buffer, length, writer);
        }
        finally
        {
            writer.endBatch();
        }
    }

    private int publishSeries(final DirectBuffer buffer, final int length, final SampleWriter writer)
    {
        reader.wrap(buffer, 0, length);
        while (reader.hasRemaining())
        {
            final int tag = reader.readTag();
            if (tag == FIELD_TIMESERIES)
            {
                final int seriesLength = reader.readLength();
                final int seriesOffset = reader.position();
                final int outer = reader.pushLimit(seriesLength);
                reader.popLimit(outer);
                readLabels(buffer, seriesOffset, seriesLength, false);
                checkSeries(buffer);
                if (publishSamples(buffer, seriesOffset, seriesLength, writer) != PublishResult.OK)
                {
                    lastError = PublishResult.describe(PublishResult.RING_FULL);
                    return UNAVAILABLE;
                }
            }
            else if (tag != 0)
            {
                reader.skipField(tag);
            }
        }
        return OK;
    }

    /**
     * Publishes the samples of one series. Each sample is its own MAD record (time = its timestamp); consecutive
     * samples with the same timestamp are records with the same key and time, so they go into one record with several
     * samples (one ring event): the aggregator applies them in the same order to the same buckets. The dimensions are
     * built once per series (or reused from the previous series when its labels were the same) and repeated with
     * {@link SampleWriter#beginRecordRepeating} for every further timestamp.
     */
    private int publishSamples(
        final DirectBuffer buffer, final int seriesOffset, final int seriesLength, final SampleWriter writer)
    {
        final DirectBuffer nameBuffer = unit == null ? buffer : nameScratch;
        final MetricType type = MetricType.GAUGE;
        final Unit metricUnit = unit == null ? Unit.NONE : unit.normalised();
        long dimsId = sameLabelsAsPrevious(buffer) ? previousDimsId : PublishResult.NOT_REPEATABLE;
        boolean open = false;
        long openTimestamp = 0;
        final ProtoReader series = seriesReader.wrap(buffer, seriesOffset, seriesLength);
        while (series.hasRemaining())
        {
            final int tag = series.readTag();
            if (tag != FIELD_SAMPLES)
            {
                if (tag != 0)
                {
                    series.skipField(tag);
                }
                continue;
            }
            final int sampleLength = series.readLength();
            final int outer = series.pushLimit(sampleLength);
            double value = 0.0;
            long timestamp = 0;
            while (series.hasRemaining())
            {
                final int field = series.readTag();
                if (field == FIELD_SAMPLE_VALUE)
                {
                    value = series.readDouble();
                }
                else if (field == FIELD_SAMPLE_TIMESTAMP)
                {
                    timestamp = series.readVarint();
                }
                else if (field != 0)
                {
                    series.skipField(field);
                }
            }
            series.popLimit(outer);

            if (!open || timestamp != openTimestamp)
            {
                if (open)
                {
                    writer.endMetric();
                    open = false;
                }
                if (dimsId == PublishResult.NOT_REPEATABLE
                    || writer.beginRecordRepeating(timestamp, SampleEvent.NO_REQUEST_TIME, dimsId) != PublishResult.OK)
                {
                    writer.beginRecord(timestamp, SampleEvent.NO_REQUEST_TIME);
                    for (int i = 0; i < labelCount; i++)
                    {
                        if (labelNameOffset[i] >= 0)
                        {
                            writer.dimension(
                                buffer, labelNameOffset[i], labelNameLength[i],
                                buffer, labelValueOffset[i], labelValueLength[i]);
                        }
                    }
                    if (writer.endDimensions() != PublishResult.OK)
                    {
                        dimsId = PublishResult.NOT_REPEATABLE;
                        continue;
                    }
                    dimsId = writer.dimensionsId();
                }
                if (writer.beginMetric(nameBuffer, nameOffset, nameLength, type, metricUnit) != PublishResult.OK)
                {
                    continue;
                }
                open = true;
                openTimestamp = timestamp;
            }
            final int result = writer.sample(unit == null ? value : unit.normalise(value));
            if (result == PublishResult.RING_FULL)
            {
                writer.endMetric();
                return result;
            }
            lastSampleCount++;
        }
        if (open)
        {
            writer.endMetric();
        }
        rememberLabels(dimsId);
        return PublishResult.OK;
    }

    /**
     * @return true when this series has the same non-{@code __name__} labels, in the same order, as the previous
     *         series of this request (so the same dimensions).
     */
    private boolean sameLabelsAsPrevious(final DirectBuffer buffer)
    {
        if (previousCount < 0)
        {
            return false;
        }
        int p = 0;
        for (int i = 0; i < labelCount; i++)
        {
            if (labelNameOffset[i] < 0)
            {
                continue;
            }
            if (p == previousCount
                || labelNameLength[i] != previousNameLength[p] || labelValueLength[i] != previousValueLength[p]
                || !equalBytes(buffer, labelNameOffset[i], previousNameOffset[p], labelNameLength[i])
                || !equalBytes(buffer, labelValueOffset[i], previousValueOffset[p], labelValueLength[i]))
            {
                return false;
            }
            p++;
        }
        return p == previousCount;
    }

    /**
     * Keeps this series' dimension labels (without {@code __name__}) as the previous ones, by swapping the arrays.
     */
    private void rememberLabels(final long dimsId)
    {
        int kept = 0;
        for (int i = 0; i < labelCount; i++)
        {
            if (labelNameOffset[i] >= 0)
            {
                labelNameOffset[kept] = labelNameOffset[i];
                labelNameLength[kept] = labelNameLength[i];
                labelValueOffset[kept] = labelValueOffset[i];
                labelValueLength[kept] = labelValueLength[i];
                kept++;
            }
        }
        int[] swap = previousNameOffset;
        previousNameOffset = labelNameOffset;
        labelNameOffset = swap;
        swap = previousNameLength;
        previousNameLength = labelNameLength;
        labelNameLength = swap;
        swap = previousValueOffset;
        previousValueOffset = labelValueOffset;
        labelValueOffset = swap;
        swap = previousValueLength;
        previousValueLength = labelValueLength;
        labelValueLength = swap;
        previousCount = kept;
        previousDimsId = dimsId;
        labelCount = 0;
    }

    /**
     * Collects the labels of one series; a {@code __name__} label is marked with a negative name offset (the last one
     * names the series, as in MAD). Samples are checked for well-formedness when {@code validate} is set.
     */
    private boolean readLabels(
        final DirectBuffer buffer, final int seriesOffset, final int seriesLength, final boolean validate)
    {
        labelCount = 0;
        nameOffset = -1;
        nameLength = 0;
        int samples = 0;
        long lastTimestamp = 0;
        final ProtoReader series = seriesReader.wrap(buffer, seriesOffset, seriesLength);
        while (series.hasRemaining())
        {
            final int tag = series.readTag();
            if (tag == FIELD_LABELS)
            {
                final int labelLength = series.readLength();
                if (labelLength < 0)
                {
                    return false;
                }
                final int outer = series.pushLimit(labelLength);
                int keyOffset = series.position();
                int keyLength = 0;
                int valueOffset = series.position();
                int valueLength = 0;
                while (series.hasRemaining())
                {
                    final int field = series.readTag();
                    if (field == FIELD_LABEL_NAME || field == FIELD_LABEL_VALUE)
                    {
                        if (!series.readBytesView()
                            || (validate && !isValidUtf8(buffer, series.lastOffset(), series.lastLength())))
                        {
                            return false;
                        }
                        if (field == FIELD_LABEL_NAME)
                        {
                            keyOffset = series.lastOffset();
                            keyLength = series.lastLength();
                        }
                        else
                        {
                            valueOffset = series.lastOffset();
                            valueLength = series.lastLength();
                        }
                    }
                    else if (field != 0)
                    {
                        series.skipField(field);
                    }
                }
                if (series.isMalformed())
                {
                    return false;
                }
                series.popLimit(outer);
                addLabel(buffer, keyOffset, keyLength, valueOffset, valueLength);
            }
            else if (tag == FIELD_SAMPLES && validate)
            {
                final int sampleLength = series.readLength();
                if (sampleLength < 0)
                {
                    return false;
                }
                final int outer = series.pushLimit(sampleLength);
                long timestamp = 0;
                while (series.hasRemaining())
                {
                    final int field = series.readTag();
                    if (field == FIELD_SAMPLE_TIMESTAMP)
                    {
                        timestamp = series.readVarint();
                    }
                    else if (field != 0)
                    {
                        series.skipField(field);
                    }
                }
                if (series.isMalformed())
                {
                    return false;
                }
                series.popLimit(outer);
                if (samples == 0 || timestamp != lastTimestamp)
                {
                    expectedEvents++;
                }
                samples++;
                lastTimestamp = timestamp;
            }
            else if (tag != 0)
            {
                series.skipField(tag);
            }
        }
        return !series.isMalformed();
    }

    private void addLabel(
        final DirectBuffer buffer, final int keyOffset, final int keyLength, final int valueOffset,
        final int valueLength)
    {
        if (labelCount == labelNameOffset.length)
        {
            final int size = labelCount * 2;
            labelNameOffset = Arrays.copyOf(labelNameOffset, size);
            labelNameLength = Arrays.copyOf(labelNameLength, size);
            labelValueOffset = Arrays.copyOf(labelValueOffset, size);
            labelValueLength = Arrays.copyOf(labelValueLength, size);
        }
        final boolean isName = keyLength == NAME_LABEL.length && equalsAscii(buffer, keyOffset, NAME_LABEL);
        if (isName)
        {
            nameOffset = valueOffset;
            nameLength = valueLength;
        }
        labelNameOffset[labelCount] = isName ? -1 : keyOffset;
        labelNameLength[labelCount] = keyLength;
        labelValueOffset[labelCount] = valueOffset;
        labelValueLength[labelCount] = valueLength;
        labelCount++;
    }

    /**
     * Trims the name, applies unit interpretation and checks the labels. Leaves the final name in
     * {@code nameOffset/nameLength} (in the body, or in {@link #nameScratch} when {@link #unit} is set).
     *
     * @return null, or the reason the series (hence the request) is rejected.
     */
    private String checkSeries(final DirectBuffer buffer)
    {
        unit = null;
        int start = nameOffset < 0 ? 0 : nameOffset;
        int end = nameOffset < 0 ? 0 : nameOffset + nameLength;
        // String.trim(): strip chars <= U+0020; UTF-8 continuation and lead bytes are >= 0x80, so bytes work.
        while (start < end && (buffer.getByte(start) & 0xFF) <= 0x20)
        {
            start++;
        }
        while (end > start && (buffer.getByte(end - 1) & 0xFF) <= 0x20)
        {
            end--;
        }
        nameOffset = start;
        nameLength = end - start;
        if (interpretUnits)
        {
            interpretUnit(buffer, start, end);
        }
        if (nameLength == 0)
        {
            return ERROR_EMPTY_NAME;
        }
        int keyBytes = 2 + nameLength;
        int dimensions = 0;
        for (int i = 0; i < labelCount; i++)
        {
            if (labelNameOffset[i] < 0)
            {
                continue;
            }
            dimensions++;
            keyBytes += 4 + labelNameLength[i] + labelValueLength[i];
            for (int j = 0; j < i; j++)
            {
                if (labelNameOffset[j] >= 0 && labelNameLength[j] == labelNameLength[i]
                    && equalBytes(buffer, labelNameOffset[i], labelNameOffset[j], labelNameLength[i]))
                {
                    return ERROR_DUPLICATE_LABEL;
                }
            }
        }
        if (keyBytes > SamplePublisher.MAX_KEY_BYTES || dimensions > SamplePublisher.MAX_DIMENSIONS)
        {
            return ERROR_KEY_TOO_LARGE;
        }
        return null;
    }

    /**
     * MAD 1.20.1's {@code parseNameAndUnit}: walk the {@code _}-separated segments from the end, skipping aggregation
     * keys; the first other segment, if it is a unit, is cut out of the name; otherwise the name stays as is. When
     * only aggregation keys precede the first segment, that segment (plus one separator) is cut from the front.
     */
    private void interpretUnit(final DirectBuffer buffer, final int start, final int end)
    {
        int segmentEnd = end;
        for (int i = end - 1; i >= start; i--)
        {
            if (buffer.getByte(i) != '_')
            {
                continue;
            }
            if (isAggregationKey(buffer, i + 1, segmentEnd))
            {
                segmentEnd = i;
                continue;
            }
            final InputUnit found = unitOf(buffer, i + 1, segmentEnd);
            if (found != null)
            {
                unit = found;
                nameScratch.putBytes(0, buffer, start, i - start);
                nameScratch.putBytes(i - start, buffer, segmentEnd, end - segmentEnd);
                nameOffset = 0;
                nameLength = (i - start) + (end - segmentEnd);
            }
            return;
        }
        final InputUnit found = unitOf(buffer, start, segmentEnd);
        if (found != null)
        {
            unit = found;
            final int cut = Math.min(segmentEnd - start + 1, end - start);
            nameScratch.putBytes(0, buffer, start + cut, end - start - cut);
            nameOffset = 0;
            nameLength = end - start - cut;
        }
    }

    private static boolean isAggregationKey(final DirectBuffer buffer, final int start, final int end)
    {
        return matches(buffer, start, end, "total") || matches(buffer, start, end, "bucket")
            || matches(buffer, start, end, "sum") || matches(buffer, start, end, "avg")
            || matches(buffer, start, end, "count");
    }

    private static InputUnit unitOf(final DirectBuffer buffer, final int start, final int end)
    {
        if (matches(buffer, start, end, "seconds"))
        {
            return InputUnit.SECOND;
        }
        if (matches(buffer, start, end, "celcius"))
        {
            return InputUnit.CELCIUS;
        }
        if (matches(buffer, start, end, "bytes"))
        {
            return InputUnit.BYTE;
        }
        if (matches(buffer, start, end, "bits"))
        {
            return InputUnit.BIT;
        }
        return null;
    }

    private static boolean matches(final DirectBuffer buffer, final int start, final int end, final String text)
    {
        if (end - start != text.length())
        {
            return false;
        }
        for (int i = 0; i < text.length(); i++)
        {
            if (buffer.getByte(start + i) != text.charAt(i))
            {
                return false;
            }
        }
        return true;
    }

    private static boolean equalsAscii(final DirectBuffer buffer, final int offset, final byte[] text)
    {
        for (int i = 0; i < text.length; i++)
        {
            if (buffer.getByte(offset + i) != text[i])
            {
                return false;
            }
        }
        return true;
    }

    private static boolean equalBytes(final DirectBuffer buffer, final int a, final int b, final int length)
    {
        int i = 0;
        for (; i <= length - 8; i += 8)
        {
            if (buffer.getLong(a + i) != buffer.getLong(b + i))
            {
                return false;
            }
        }
        for (; i < length; i++)
        {
            if (buffer.getByte(a + i) != buffer.getByte(b + i))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Strict UTF-8 check with protobuf-java's rules (no overlong forms, no surrogates, nothing above U+10FFFF): proto3
     * string fields that fail it make protobuf-java, hence MAD, reject the message.
     */
    static boolean isValidUtf8(final DirectBuffer buffer, final int offset, final int length)
    {
        final int end = offset + length;
        int i = offset;
        // ASCII (label names, most values) 8 bytes at a time: no byte with its high bit set.
        while (end - i >= 8 && (buffer.getLong(i) & 0x8080808080808080L) == 0)
        {
            i += 8;
        }
        while (i < end)
        {
            final int b = buffer.getByte(i) & 0xFF;
            if (b < 0x80)
            {
                i++;
                continue;
            }
            final int extra;
            final int min;
            if (b >= 0xC2 && b <= 0xDF)
            {
                extra = 1;
                min = 0x80;
            }
            else if (b >= 0xE0 && b <= 0xEF)
            {
                extra = 2;
                min = 0x800;
            }
            else if (b >= 0xF0 && b <= 0xF4)
            {
                extra = 3;
                min = 0x10000;
            }
            else
            {
                return false;
            }
            if (end - i <= extra)
            {
                return false;
            }
            int codePoint = b & (0x3F >> extra);
            for (int k = 1; k <= extra; k++)
            {
                final int c = buffer.getByte(i + k) & 0xFF;
                if ((c & 0xC0) != 0x80)
                {
                    return false;
                }
                codePoint = (codePoint << 6) | (c & 0x3F);
            }
            if (codePoint < min || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF))
            {
                return false;
            }
            i += extra + 1;
        }
        return true;
    }
}
