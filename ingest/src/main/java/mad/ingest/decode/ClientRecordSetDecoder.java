package mad.ingest.decode;

import org.agrona.DirectBuffer;

import io.netty.handler.codec.http.HttpHeaders;
import mad.engine.model.InputUnit;
import mad.engine.model.MetricType;
import mad.engine.model.Unit;
import mad.engine.sample.PublishResult;
import mad.engine.sample.SampleEvent;
import mad.engine.sample.SampleWriter;
import mad.ingest.http.HttpBodyDecoder;
import mad.ingest.proto.ProtoReader;

/**
 * The shared body of the ClientV1 and ClientV2 decoders ({@code RecordSet} protobuf, mad-spec §3.1/§3.2, §4.3,
 * layouts §12.2), which differ only in the sample message and the unit enum numbering.
 *
 * <p>Two passes, as {@link ClientV3Decoder}: validate the whole body (structure, UTF-8 strings, 16-byte ids, duplicate
 * dimension, annotation and metric names within a record, every used sample unit a MAD unit, keys within the
 * engine's limits), then write. Per record: {@code beginRecord(endMillisSinceEpoch, NO_REQUEST_TIME)}, dimensions
 * (annotations are only validated), then each metric entry in wire order: counters as COUNTER, timers as TIMER,
 * gauges as GAUGE. A sample's unit is synthesised from the first numerator of its own unit and normalised on the way
 * ({@link InputUnit#normalise}); when the normalised unit changes between samples of one entry a new metric is
 * begun, since a metric carries one unit.
 *
 * <p>Thread ownership: one instance per event-loop thread.
 */
abstract class ClientRecordSetDecoder implements HttpBodyDecoder
{
    /** MAD answers 200 to a request without records; madx 400 (COMPAT.md D11). */
    static final String EMPTY_REQUEST = "request has no records";
    static final String SHORT_ID = "record id shorter than 16 bytes";
    static final String DUPLICATE_DIMENSION = "duplicate dimension name in a record";
    static final String DUPLICATE_ANNOTATION = "duplicate annotation name in a record";
    static final String DUPLICATE_METRIC = "duplicate metric name in a record";
    static final String UNKNOWN_UNIT = "sample unit is not a MAD unit";
    static final String KEY_TOO_LARGE = "record has too many dimensions or too long dimensions or metric names";

    private static final int ID_BYTES = 16;

    private static final int RECORDS = tag(1, ProtoReader.WIRE_LENGTH_DELIMITED);
    private static final int RECORD_ANNOTATIONS = tag(1, ProtoReader.WIRE_LENGTH_DELIMITED);
    private static final int RECORD_DIMENSIONS = tag(2, ProtoReader.WIRE_LENGTH_DELIMITED);
    private static final int RECORD_GAUGES = tag(3, ProtoReader.WIRE_LENGTH_DELIMITED);
    private static final int RECORD_COUNTERS = tag(4, ProtoReader.WIRE_LENGTH_DELIMITED);
    private static final int RECORD_TIMERS = tag(5, ProtoReader.WIRE_LENGTH_DELIMITED);
    private static final int RECORD_ID = tag(6, ProtoReader.WIRE_LENGTH_DELIMITED);
    private static final int RECORD_END = tag(7, ProtoReader.WIRE_VARINT);
    private static final int PAIR_NAME = tag(1, ProtoReader.WIRE_LENGTH_DELIMITED);
    private static final int PAIR_VALUE = tag(2, ProtoReader.WIRE_LENGTH_DELIMITED);
    private static final int METRIC_NAME = tag(1, ProtoReader.WIRE_LENGTH_DELIMITED);
    private static final int METRIC_SAMPLES = tag(2, ProtoReader.WIRE_LENGTH_DELIMITED);
    private static final int COMPOUND_NUMERATOR = tag(1, ProtoReader.WIRE_LENGTH_DELIMITED);
    private static final int UNIT_TYPE = tag(1, ProtoReader.WIRE_VARINT);
    private static final int UNIT_SCALE = tag(2, ProtoReader.WIRE_VARINT);

    private final String notProtobuf;
    private final String invalidUtf8;
    private final UnitTable units;
    private final int sampleDoubleTag;
    private final int sampleLongTag;
    private final int sampleUnitTag;

    private final ProtoReader reader = new ProtoReader();
    private final ProtoReader recordReader = new ProtoReader();
    private final ProtoReader entryReader = new ProtoReader();
    private final ByteRangeSet dimensionNames = new ByteRangeSet();
    private final ByteRangeSet annotationNames = new ByteRangeSet();
    private final ByteRangeSet metricNames = new ByteRangeSet();
    private final KeyBudget keyBudget = new KeyBudget();

    private DirectBuffer body;
    private boolean badUtf8;
    private String lastError;
    private long sampleCount;
    // the last name/value pair or name read
    private int nameOffset;
    private int nameLength;
    private int valueOffset;
    private int valueLength;
    // the last sample read
    private boolean sampleHasValue;
    private double sampleValue;
    private int sampleUnit;

    /**
     * @param protocol {@code ClientV1} or {@code ClientV2}, for error messages.
     * @param units the protocol's unit enum table.
     * @param sampleDoubleField field number of the sample's double value.
     * @param sampleLongField field number of the sample's int64 value, or 0 when the protocol has none.
     * @param sampleUnitField field number of the sample's CompoundUnit.
     */
    ClientRecordSetDecoder(
        final String protocol, final UnitTable units, final int sampleDoubleField, final int sampleLongField,
        final int sampleUnitField)
    {
        this.notProtobuf = "body is not a valid " + protocol + " RecordSet protobuf";
        this.invalidUtf8 = notProtobuf + ": string field is not UTF-8";
        this.units = units;
        this.sampleDoubleTag = tag(sampleDoubleField, ProtoReader.WIRE_FIXED64);
        this.sampleLongTag = sampleLongField == 0 ? -1 : tag(sampleLongField, ProtoReader.WIRE_VARINT);
        this.sampleUnitTag = tag(sampleUnitField, ProtoReader.WIRE_LENGTH_DELIMITED);
    }

    @Override
    public final int decode(
        final DirectBuffer buffer, final int offset, final int length, final HttpHeaders headers,
        final SampleWriter writer)
    {
        body = buffer;
        lastError = null;
        sampleCount = 0;
        badUtf8 = false;
        final int result = validateRequest(offset, length) ? publishRequest(offset, length, writer) : BAD_REQUEST;
        body = null;
        return result;
    }

    @Override
    public final String lastError()
    {
        return lastError;
    }

    @Override
    public final long lastSampleCount()
    {
        return sampleCount;
    }

    // ---------------------------------------------------------------- validation pass

    private boolean validateRequest(final int offset, final int length)
    {
        final ProtoReader r = reader.wrap(body, offset, length);
        int records = 0;
        while (r.hasRemaining())
        {
            final int tag = r.readTag();
            if (tag == RECORDS)
            {
                final int recordLength = r.readLength();
                if (recordLength < 0)
                {
                    break;
                }
                final int outer = r.pushLimit(recordLength);
                records++;
                final boolean valid = validateRecord(r);
                r.popLimit(outer);
                if (!valid)
                {
                    return false;
                }
            }
            else if (tag != 0)
            {
                r.skipField(tag);
            }
        }
        if (!structureValid(r))
        {
            return false;
        }
        if (records == 0)
        {
            lastError = EMPTY_REQUEST;
            return false;
        }
        return true;
    }

    private boolean validateRecord(final ProtoReader r)
    {
        int idLength = 0;
        dimensionNames.clear(body);
        annotationNames.clear(body);
        metricNames.clear(body);
        keyBudget.clear();
        while (r.hasRemaining())
        {
            final int tag = r.readTag();
            if (tag == RECORD_ID)
            {
                if (r.readBytesView())
                {
                    idLength = r.lastLength();
                }
            }
            else if (tag == RECORD_DIMENSIONS || tag == RECORD_ANNOTATIONS)
            {
                if (!readPair(r))
                {
                    break;
                }
                if (tag == RECORD_DIMENSIONS)
                {
                    if (!dimensionNames.add(nameOffset, nameLength))
                    {
                        return fail(DUPLICATE_DIMENSION);
                    }
                    keyBudget.addDimension(nameLength, valueLength);
                }
                else if (!annotationNames.add(nameOffset, nameLength))
                {
                    return fail(DUPLICATE_ANNOTATION);
                }
            }
            else if (tag == RECORD_GAUGES || tag == RECORD_COUNTERS || tag == RECORD_TIMERS)
            {
                final int length = r.readLength();
                if (length < 0)
                {
                    break;
                }
                final int outer = r.pushLimit(length);
                final boolean valid = validateMetric(r);
                r.popLimit(outer);
                if (!valid)
                {
                    return false;
                }
            }
            else if (tag != 0)
            {
                r.skipField(tag);
            }
        }
        if (!structureValid(r))
        {
            return false;
        }
        if (idLength < ID_BYTES)
        {
            return fail(SHORT_ID);
        }
        if (keyBudget.exceeded())
        {
            return fail(KEY_TOO_LARGE);
        }
        return true;
    }

    private boolean validateMetric(final ProtoReader r)
    {
        int metricNameOffset = 0;
        int metricNameLength = 0;
        while (r.hasRemaining())
        {
            final int tag = r.readTag();
            if (tag == METRIC_NAME)
            {
                if (readString(r))
                {
                    metricNameOffset = r.lastOffset();
                    metricNameLength = r.lastLength();
                }
            }
            else if (tag == METRIC_SAMPLES)
            {
                if (!readSample(r))
                {
                    break;
                }
                if (sampleHasValue && sampleUnit == UnitTable.INVALID)
                {
                    return fail(UNKNOWN_UNIT);
                }
            }
            else if (tag != 0)
            {
                r.skipField(tag);
            }
        }
        if (!structureValid(r))
        {
            return false;
        }
        if (!metricNames.add(metricNameOffset, metricNameLength))
        {
            return fail(DUPLICATE_METRIC);
        }
        keyBudget.addMetricName(metricNameLength);
        return true;
    }

    // ---------------------------------------------------------------- publishing pass

    private int publishRequest(final int offset, final int length, final SampleWriter writer)
    {
        final ProtoReader r = reader.wrap(body, offset, length);
        while (r.hasRemaining())
        {
            final int tag = r.readTag();
            if (tag == RECORDS)
            {
                r.readBytesView();
                final int result = publishRecord(r.lastOffset(), r.lastLength(), writer);
                if (result != OK)
                {
                    return result;
                }
            }
            else if (tag != 0)
            {
                r.skipField(tag);
            }
        }
        return OK;
    }

    private int publishRecord(final int offset, final int length, final SampleWriter writer)
    {
        final ProtoReader r = recordReader;
        long endMillis = 0;
        r.wrap(body, offset, length);
        while (r.hasRemaining())
        {
            final int tag = r.readTag();
            if (tag == RECORD_END)
            {
                endMillis = r.readVarint();
            }
            else if (tag != 0)
            {
                r.skipField(tag);
            }
        }
        writer.beginRecord(endMillis, SampleEvent.NO_REQUEST_TIME);
        r.wrap(body, offset, length);
        while (r.hasRemaining())
        {
            final int tag = r.readTag();
            if (tag == RECORD_DIMENSIONS)
            {
                readPair(r);
                writer.dimension(body, nameOffset, nameLength, body, valueOffset, valueLength);
            }
            else if (tag != 0)
            {
                r.skipField(tag);
            }
        }
        if (writer.endDimensions() != PublishResult.OK)
        {
            // only a decorating writer can refuse validated dimensions; the record is dropped on its own
            return OK;
        }
        r.wrap(body, offset, length);
        while (r.hasRemaining())
        {
            final int tag = r.readTag();
            final MetricType type = tag == RECORD_COUNTERS ? MetricType.COUNTER
                : tag == RECORD_TIMERS ? MetricType.TIMER
                : tag == RECORD_GAUGES ? MetricType.GAUGE
                : null;
            if (type != null)
            {
                r.readBytesView();
                if (publishMetric(r.lastOffset(), r.lastLength(), type, writer) != OK)
                {
                    return UNAVAILABLE;
                }
            }
            else if (tag != 0)
            {
                r.skipField(tag);
            }
        }
        return OK;
    }

    private int publishMetric(final int offset, final int length, final MetricType type, final SampleWriter writer)
    {
        final ProtoReader r = entryReader.wrap(body, offset, length);
        int metricNameOffset = 0;
        int metricNameLength = 0;
        while (r.hasRemaining())
        {
            final int tag = r.readTag();
            if (tag == METRIC_NAME)
            {
                r.readBytesView();
                metricNameOffset = r.lastOffset();
                metricNameLength = r.lastLength();
            }
            else if (tag != 0)
            {
                r.skipField(tag);
            }
        }
        Unit currentUnit = null;
        boolean refused = false;
        r.wrap(body, offset, length);
        while (r.hasRemaining())
        {
            final int tag = r.readTag();
            if (tag != METRIC_SAMPLES)
            {
                if (tag != 0)
                {
                    r.skipField(tag);
                }
                continue;
            }
            readSample(r);
            if (!sampleHasValue)
            {
                continue;
            }
            final InputUnit inputUnit = sampleUnit >= 0 ? UnitTable.unit(sampleUnit) : null;
            final Unit unit = inputUnit == null ? Unit.NONE : inputUnit.normalised();
            if (unit != currentUnit)
            {
                if (currentUnit != null)
                {
                    writer.endMetric();
                }
                currentUnit = unit;
                refused = writer.beginMetric(body, metricNameOffset, metricNameLength, type, unit)
                    != PublishResult.OK;
            }
            if (refused)
            {
                continue;
            }
            final double value = inputUnit == null ? sampleValue : inputUnit.normalise(sampleValue);
            if (writer.sample(value) == PublishResult.RING_FULL)
            {
                writer.endMetric();
                return UNAVAILABLE;
            }
            sampleCount++;
        }
        if (currentUnit != null)
        {
            writer.endMetric();
        }
        return OK;
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Reads a length-delimited DimensionEntry/AnnotationEntry at the reader's position into {@link #nameOffset}
     * etc. (absent strings are empty, the last occurrence wins).
     *
     * @return false when malformed.
     */
    private boolean readPair(final ProtoReader r)
    {
        final int length = r.readLength();
        if (length < 0)
        {
            return false;
        }
        nameOffset = 0;
        nameLength = 0;
        valueOffset = 0;
        valueLength = 0;
        final int outer = r.pushLimit(length);
        while (r.hasRemaining())
        {
            final int tag = r.readTag();
            if (tag == PAIR_NAME)
            {
                if (readString(r))
                {
                    nameOffset = r.lastOffset();
                    nameLength = r.lastLength();
                }
            }
            else if (tag == PAIR_VALUE)
            {
                if (readString(r))
                {
                    valueOffset = r.lastOffset();
                    valueLength = r.lastLength();
                }
            }
            else if (tag != 0)
            {
                r.skipField(tag);
            }
        }
        r.popLimit(outer);
        return !r.isMalformed();
    }

    /**
     * Reads a string field as a view and checks its UTF-8.
     */
    private boolean readString(final ProtoReader r)
    {
        if (!r.readBytesView())
        {
            return false;
        }
        if (!Utf8.isValid(body, r.lastOffset(), r.lastLength()))
        {
            badUtf8 = true;
        }
        return true;
    }

    /**
     * Reads a length-delimited sample (V1 DoubleQuantity, V2 Quantity) into {@link #sampleHasValue},
     * {@link #sampleValue} and {@link #sampleUnit}.
     *
     * @return false when malformed.
     */
    private boolean readSample(final ProtoReader r)
    {
        final int length = r.readLength();
        if (length < 0)
        {
            return false;
        }
        // V1's double is not in a oneof: it always has a value (0 when absent).
        sampleHasValue = sampleLongTag < 0;
        sampleValue = 0;
        sampleUnit = UnitTable.NONE;
        boolean numeratorSeen = false;
        final int outer = r.pushLimit(length);
        while (r.hasRemaining())
        {
            final int tag = r.readTag();
            if (tag == sampleDoubleTag)
            {
                sampleValue = r.readDouble();
                sampleHasValue = true;
            }
            else if (tag == sampleLongTag)
            {
                sampleValue = (double)r.readVarint();
                sampleHasValue = true;
            }
            else if (tag == sampleUnitTag)
            {
                // A repeated singular message merges: numerators concatenate, so the first one on the wire counts.
                final int unitOuter = r.pushLimit(r.readLength());
                while (r.hasRemaining())
                {
                    final int unitTag = r.readTag();
                    if (unitTag == COMPOUND_NUMERATOR && !numeratorSeen)
                    {
                        numeratorSeen = true;
                        sampleUnit = readUnit(r);
                    }
                    else if (unitTag == COMPOUND_NUMERATOR || unitTag == tag(2, ProtoReader.WIRE_LENGTH_DELIMITED))
                    {
                        final int nestedOuter = r.pushLimit(r.readLength());
                        skipMessage(r);
                        r.popLimit(nestedOuter);
                    }
                    else if (unitTag != 0)
                    {
                        r.skipField(unitTag);
                    }
                }
                r.popLimit(unitOuter);
            }
            else if (tag != 0)
            {
                r.skipField(tag);
            }
        }
        r.popLimit(outer);
        return !r.isMalformed();
    }

    private int readUnit(final ProtoReader r)
    {
        long type = 0;
        long scale = 0;
        final int outer = r.pushLimit(r.readLength());
        while (r.hasRemaining())
        {
            final int tag = r.readTag();
            if (tag == UNIT_TYPE)
            {
                type = r.readVarint();
            }
            else if (tag == UNIT_SCALE)
            {
                scale = r.readVarint();
            }
            else if (tag != 0)
            {
                r.skipField(tag);
            }
        }
        r.popLimit(outer);
        // enums are int32 on the wire: keep the low 32 bits as protobuf does
        return units.code((int)type, (int)scale);
    }

    private static void skipMessage(final ProtoReader r)
    {
        while (r.hasRemaining())
        {
            final int tag = r.readTag();
            if (tag != 0)
            {
                r.skipField(tag);
            }
        }
    }

    private boolean structureValid(final ProtoReader r)
    {
        if (r.isMalformed())
        {
            return fail(notProtobuf);
        }
        if (badUtf8)
        {
            return fail(invalidUtf8);
        }
        return true;
    }

    private boolean fail(final String reason)
    {
        lastError = reason;
        return false;
    }

    private static int tag(final int field, final int wireType)
    {
        return field << 3 | wireType;
    }
}
