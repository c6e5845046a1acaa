package mad.ingest.decode;

import org.agrona.DirectBuffer;

import io.netty.handler.codec.http.HttpHeaders;
import mad.engine.model.MetricType;
import mad.engine.model.Unit;
import mad.engine.sample.PublishResult;
import mad.engine.sample.SampleEvent;
import mad.engine.sample.SampleWriter;
import mad.ingest.http.HttpBodyDecoder;
import mad.ingest.proto.ProtoReader;

/**
 * {@code POST /metrics/v3/application}: a ClientV3 {@code Request} protobuf (mad-spec §3.3, layout §12.2) read
 * straight from the body, without generated classes and without allocating.
 *
 * <p>Two passes. The first walks the whole body and checks everything MAD would reject: protobuf structure, proto3
 * UTF-8 strings, 16-byte record ids, dimension and metric name identifiers set to a string, duplicate dimension
 * names (and that keys fit the engine). Only then the second pass writes records, so a bad request publishes
 * nothing. Per record: {@code beginRecord(end_millis, request_millis or NO_REQUEST_TIME)}, dimensions, then
 * <em>first</em> every entry's samples, <em>then</em> every entry's client statistics ({@code clientStatistics(min,
 * max, sum, Σ counts)} and one {@code clientHistogramEntry} per histogram entry). That order reproduces MAD, which
 * merges entries of the same name into one metric whose samples are applied before its statistics. Every metric is a
 * GAUGE without unit. An entry without {@code data} is skipped; a present but empty histogram still contributes
 * min = max = sum = count = 0, as in MAD.
 *
 * <p>Protobuf semantics are kept where they show: unknown fields and fields with an unexpected wire type are skipped,
 * repeated doubles are accepted packed and unpacked, the last value of a singular field wins and a repeated singular
 * message is merged (the last string of an identifier wins, statistics of one entry are summed over occurrences).
 *
 * <p>Thread ownership: one instance per event-loop thread.
 */
public final class ClientV3Decoder implements HttpBodyDecoder
{
    static final String NOT_PROTOBUF = "body is not a valid ClientV3 Request protobuf";
    static final String INVALID_UTF8 = "body is not a valid ClientV3 Request protobuf: string field is not UTF-8";
    /** MAD answers 200 to a request without records; madx 400 (COMPAT.md D11). */
    static final String EMPTY_REQUEST = "request has no records";
    static final String SHORT_ID = "record id shorter than 16 bytes";
    static final String DIMENSION_NOT_SET = "dimension name or value identifier not set (string_value required)";
    static final String METRIC_NAME_NOT_SET = "metric name identifier not set (string_value required)";
    static final String DUPLICATE_DIMENSION = "duplicate dimension name in a record";
    static final String KEY_TOO_LARGE = "record has too many dimensions or too long dimensions or metric names";

    private static final int ID_BYTES = 16;

    private static final int REQUEST_RECORDS = tag(1, ProtoReader.WIRE_LENGTH_DELIMITED);
    private static final int RECORD_ID = tag(1, ProtoReader.WIRE_LENGTH_DELIMITED);
    private static final int RECORD_END = tag(2, ProtoReader.WIRE_VARINT);
    private static final int RECORD_DIMENSIONS = tag(4, ProtoReader.WIRE_LENGTH_DELIMITED);
    private static final int RECORD_DATA = tag(5, ProtoReader.WIRE_LENGTH_DELIMITED);
    private static final int RECORD_REQUEST = tag(6, ProtoReader.WIRE_VARINT);
    private static final int DIMENSION_NAME = tag(1, ProtoReader.WIRE_LENGTH_DELIMITED);
    private static final int DIMENSION_VALUE = tag(2, ProtoReader.WIRE_LENGTH_DELIMITED);
    private static final int IDENTIFIER_STRING = tag(1, ProtoReader.WIRE_LENGTH_DELIMITED);
    private static final int ENTRY_NAME = tag(1, ProtoReader.WIRE_LENGTH_DELIMITED);
    private static final int ENTRY_NUMERICAL = tag(2, ProtoReader.WIRE_LENGTH_DELIMITED);
    private static final int NUMERICAL_SAMPLES_PACKED = tag(1, ProtoReader.WIRE_LENGTH_DELIMITED);
    private static final int NUMERICAL_SAMPLES_SINGLE = tag(1, ProtoReader.WIRE_FIXED64);
    private static final int NUMERICAL_STATISTICS = tag(2, ProtoReader.WIRE_LENGTH_DELIMITED);
    private static final int HISTOGRAM_ENTRIES = tag(1, ProtoReader.WIRE_LENGTH_DELIMITED);
    private static final int HISTOGRAM_MIN = tag(3, ProtoReader.WIRE_FIXED64);
    private static final int HISTOGRAM_MAX = tag(4, ProtoReader.WIRE_FIXED64);
    private static final int HISTOGRAM_SUM = tag(5, ProtoReader.WIRE_FIXED64);
    private static final int BUCKET_KEY = tag(1, ProtoReader.WIRE_VARINT);
    private static final int BUCKET_COUNT = tag(2, ProtoReader.WIRE_VARINT);

    private final ProtoReader reader = new ProtoReader();
    private final ProtoReader recordReader = new ProtoReader();
    private final ProtoReader entryReader = new ProtoReader();
    private final ByteRangeSet dimensionNames = new ByteRangeSet();
    private final KeyBudget keyBudget = new KeyBudget();

    private DirectBuffer body;
    private boolean malformed;
    private boolean badUtf8;
    private boolean identifierFound;
    private int identifierOffset;
    private int identifierLength;
    private String lastError;
    private long sampleCount;
    private int metricNameOffset;
    private int metricNameLength;
    private boolean metricBegun;
    private boolean metricRefused;
    /** The writer of the request being published, for {@link #readBucket}. */
    private SampleWriter writer;

    @Override
    public int decode(
        final DirectBuffer buffer, final int offset, final int length, final HttpHeaders headers,
        final SampleWriter writer)
    {
        body = buffer;
        lastError = null;
        sampleCount = 0;
        if (!validateRequest(offset, length))
        {
            body = null;
            return BAD_REQUEST;
        }
        final int result = publishRequest(offset, length, writer);
        body = null;
        return result;
    }

    @Override
    public String lastError()
    {
        return lastError;
    }

    @Override
    public long lastSampleCount()
    {
        return sampleCount;
    }

    // ---------------------------------------------------------------- validation pass

    private boolean validateRequest(final int offset, final int length)
    {
        malformed = false;
        badUtf8 = false;
        final ProtoReader r = reader.wrap(body, offset, length);
        int records = 0;
        while (r.hasRemaining())
        {
            final int tag = r.readTag();
            if (tag == REQUEST_RECORDS)
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
            else if (tag == RECORD_DIMENSIONS || tag == RECORD_DATA)
            {
                final int length = r.readLength();
                if (length < 0)
                {
                    break;
                }
                final int outer = r.pushLimit(length);
                final boolean valid = tag == RECORD_DIMENSIONS ? validateDimension(r) : validateEntry(r);
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

    private boolean validateDimension(final ProtoReader r)
    {
        boolean nameSet = false;
        boolean valueSet = false;
        int nameOffset = 0;
        int nameLength = 0;
        int valueLength = 0;
        while (r.hasRemaining())
        {
            final int tag = r.readTag();
            if (tag == DIMENSION_NAME || tag == DIMENSION_VALUE)
            {
                if (!readIdentifier(r))
                {
                    break;
                }
                if (identifierFound && tag == DIMENSION_NAME)
                {
                    nameSet = true;
                    nameOffset = identifierOffset;
                    nameLength = identifierLength;
                }
                else if (identifierFound)
                {
                    valueSet = true;
                    valueLength = identifierLength;
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
        if (!nameSet || !valueSet)
        {
            return fail(DIMENSION_NOT_SET);
        }
        if (!dimensionNames.add(nameOffset, nameLength))
        {
            return fail(DUPLICATE_DIMENSION);
        }
        keyBudget.addDimension(nameLength, valueLength);
        return true;
    }

    private boolean validateEntry(final ProtoReader r)
    {
        boolean nameSet = false;
        int nameLength = 0;
        while (r.hasRemaining())
        {
            final int tag = r.readTag();
            if (tag == ENTRY_NAME)
            {
                if (!readIdentifier(r))
                {
                    break;
                }
                if (identifierFound)
                {
                    nameSet = true;
                    nameLength = identifierLength;
                }
            }
            else if (tag == ENTRY_NUMERICAL)
            {
                final int length = r.readLength();
                if (length < 0)
                {
                    break;
                }
                final int outer = r.pushLimit(length);
                validateNumericalData(r);
                r.popLimit(outer);
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
        if (!nameSet)
        {
            return fail(METRIC_NAME_NOT_SET);
        }
        keyBudget.addMetricName(nameLength);
        return true;
    }

    private void validateNumericalData(final ProtoReader r)
    {
        while (r.hasRemaining())
        {
            final int tag = r.readTag();
            if (tag == NUMERICAL_SAMPLES_PACKED)
            {
                // a packed run of doubles: its length must be a whole number of 8-byte values
                if (r.readBytesView() && (r.lastLength() & 7) != 0)
                {
                    malformed = true;
                    return;
                }
            }
            else if (tag == NUMERICAL_STATISTICS)
            {
                final int length = r.readLength();
                if (length < 0)
                {
                    return;
                }
                final int outer = r.pushLimit(length);
                validateHistogram(r);
                r.popLimit(outer);
            }
            else if (tag != 0)
            {
                r.skipField(tag);
            }
        }
    }

    private static void validateHistogram(final ProtoReader r)
    {
        while (r.hasRemaining())
        {
            final int tag = r.readTag();
            if (tag == HISTOGRAM_ENTRIES)
            {
                final int length = r.readLength();
                if (length < 0)
                {
                    return;
                }
                final int outer = r.pushLimit(length);
                skipMessage(r);
                r.popLimit(outer);
            }
            else if (tag != 0)
            {
                r.skipField(tag);
            }
        }
    }

    // ---------------------------------------------------------------- publishing pass

    private int publishRequest(final int offset, final int length, final SampleWriter writer)
    {
        final ProtoReader r = reader.wrap(body, offset, length);
        while (r.hasRemaining())
        {
            final int tag = r.readTag();
            if (tag == REQUEST_RECORDS)
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
        long requestMillis = 0;
        r.wrap(body, offset, length);
        while (r.hasRemaining())
        {
            final int tag = r.readTag();
            if (tag == RECORD_END)
            {
                endMillis = r.readVarint();
            }
            else if (tag == RECORD_REQUEST)
            {
                requestMillis = r.readVarint();
            }
            else if (tag != 0)
            {
                r.skipField(tag);
            }
        }
        writer.beginRecord(endMillis, requestMillis != 0 ? requestMillis : SampleEvent.NO_REQUEST_TIME);
        r.wrap(body, offset, length);
        while (r.hasRemaining())
        {
            final int tag = r.readTag();
            if (tag == RECORD_DIMENSIONS)
            {
                r.readBytesView();
                publishDimension(r.lastOffset(), r.lastLength(), writer);
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
        // Pass A: every entry's samples; pass B: every entry's client statistics (MAD's merge order).
        for (int pass = 0; pass < 2; pass++)
        {
            r.wrap(body, offset, length);
            while (r.hasRemaining())
            {
                final int tag = r.readTag();
                if (tag == RECORD_DATA)
                {
                    r.readBytesView();
                    final int result = pass == 0
                        ? publishSamples(r.lastOffset(), r.lastLength(), writer)
                        : publishStatistics(r.lastOffset(), r.lastLength(), writer);
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
        }
        return OK;
    }

    private void publishDimension(final int offset, final int length, final SampleWriter writer)
    {
        final ProtoReader r = entryReader.wrap(body, offset, length);
        int nameOffset = 0;
        int nameLength = 0;
        int valueOffset = 0;
        int valueLength = 0;
        while (r.hasRemaining())
        {
            final int tag = r.readTag();
            if (tag == DIMENSION_NAME || tag == DIMENSION_VALUE)
            {
                readIdentifier(r);
                if (identifierFound && tag == DIMENSION_NAME)
                {
                    nameOffset = identifierOffset;
                    nameLength = identifierLength;
                }
                else if (identifierFound)
                {
                    valueOffset = identifierOffset;
                    valueLength = identifierLength;
                }
            }
            else if (tag != 0)
            {
                r.skipField(tag);
            }
        }
        writer.dimension(body, nameOffset, nameLength, body, valueOffset, valueLength);
    }

    private int publishSamples(final int offset, final int length, final SampleWriter writer)
    {
        final ProtoReader r = entryReader;
        findEntryName(offset, length);
        metricNameOffset = identifierOffset;
        metricNameLength = identifierLength;
        metricBegun = false;
        metricRefused = false;
        r.wrap(body, offset, length);
        while (r.hasRemaining())
        {
            final int tag = r.readTag();
            if (tag != ENTRY_NUMERICAL)
            {
                if (tag != 0)
                {
                    r.skipField(tag);
                }
                continue;
            }
            final int outer = r.pushLimit(r.readLength());
            while (r.hasRemaining())
            {
                final int dataTag = r.readTag();
                if (dataTag == NUMERICAL_SAMPLES_SINGLE)
                {
                    if (sample(r.readDouble(), writer) != OK)
                    {
                        return UNAVAILABLE;
                    }
                }
                else if (dataTag == NUMERICAL_SAMPLES_PACKED)
                {
                    final int samplesOuter = r.pushLimit(r.readLength());
                    while (r.hasRemaining())
                    {
                        if (sample(r.readDouble(), writer) != OK)
                        {
                            return UNAVAILABLE;
                        }
                    }
                    r.popLimit(samplesOuter);
                }
                else if (dataTag != 0)
                {
                    r.skipField(dataTag);
                }
            }
            r.popLimit(outer);
        }
        if (metricBegun)
        {
            writer.endMetric();
        }
        return OK;
    }

    /**
     * Writes one sample of the current entry, starting its metric on the first one.
     *
     * @return {@link #OK} or {@link #UNAVAILABLE} (the metric was ended).
     */
    private int sample(final double value, final SampleWriter writer)
    {
        if (!metricBegun)
        {
            metricBegun = true;
            metricRefused = writer.beginMetric(
                body, metricNameOffset, metricNameLength, MetricType.GAUGE, Unit.NONE) != PublishResult.OK;
        }
        if (metricRefused)
        {
            return OK;
        }
        if (writer.sample(value) == PublishResult.RING_FULL)
        {
            writer.endMetric();
            return UNAVAILABLE;
        }
        sampleCount++;
        return OK;
    }

    private int publishStatistics(final int offset, final int length, final SampleWriter writer)
    {
        findEntryName(offset, length);
        final int nameOffset = identifierOffset;
        final int nameLength = identifierLength;
        // First walk: min, max, sum (last on the wire wins) and the population (sum of entry counts).
        boolean present = false;
        double min = 0;
        double max = 0;
        double sum = 0;
        long count = 0;
        final ProtoReader r = entryReader;
        r.wrap(body, offset, length);
        while (r.hasRemaining())
        {
            final int tag = r.readTag();
            if (tag != ENTRY_NUMERICAL)
            {
                if (tag != 0)
                {
                    r.skipField(tag);
                }
                continue;
            }
            final int outer = r.pushLimit(r.readLength());
            while (r.hasRemaining())
            {
                final int dataTag = r.readTag();
                if (dataTag != NUMERICAL_STATISTICS)
                {
                    if (dataTag != 0)
                    {
                        r.skipField(dataTag);
                    }
                    continue;
                }
                present = true;
                final int statisticsOuter = r.pushLimit(r.readLength());
                while (r.hasRemaining())
                {
                    final int statisticsTag = r.readTag();
                    if (statisticsTag == HISTOGRAM_MIN)
                    {
                        min = r.readDouble();
                    }
                    else if (statisticsTag == HISTOGRAM_MAX)
                    {
                        max = r.readDouble();
                    }
                    else if (statisticsTag == HISTOGRAM_SUM)
                    {
                        sum = r.readDouble();
                    }
                    else if (statisticsTag == HISTOGRAM_ENTRIES)
                    {
                        final int entryOuter = r.pushLimit(r.readLength());
                        count += readBucket(r, false);
                        r.popLimit(entryOuter);
                    }
                    else if (statisticsTag != 0)
                    {
                        r.skipField(statisticsTag);
                    }
                }
                r.popLimit(statisticsOuter);
            }
            r.popLimit(outer);
        }
        if (!present)
        {
            return OK;
        }
        if (writer.beginMetric(body, nameOffset, nameLength, MetricType.GAUGE, Unit.NONE) != PublishResult.OK)
        {
            return OK;
        }
        if (writer.clientStatistics(min, max, sum, count) == PublishResult.RING_FULL)
        {
            writer.endMetric();
            return UNAVAILABLE;
        }
        sampleCount += count;
        // Second walk: the histogram entries, in wire order.
        this.writer = writer;
        r.wrap(body, offset, length);
        while (r.hasRemaining())
        {
            final int tag = r.readTag();
            if (tag != ENTRY_NUMERICAL)
            {
                if (tag != 0)
                {
                    r.skipField(tag);
                }
                continue;
            }
            final int outer = r.pushLimit(r.readLength());
            while (r.hasRemaining())
            {
                final int dataTag = r.readTag();
                if (dataTag != NUMERICAL_STATISTICS)
                {
                    if (dataTag != 0)
                    {
                        r.skipField(dataTag);
                    }
                    continue;
                }
                final int statisticsOuter = r.pushLimit(r.readLength());
                while (r.hasRemaining())
                {
                    final int statisticsTag = r.readTag();
                    if (statisticsTag == HISTOGRAM_ENTRIES)
                    {
                        final int entryOuter = r.pushLimit(r.readLength());
                        final long result = readBucket(r, true);
                        r.popLimit(entryOuter);
                        if (result == PublishResult.RING_FULL)
                        {
                            this.writer = null;
                            writer.endMetric();
                            return UNAVAILABLE;
                        }
                    }
                    else if (statisticsTag != 0)
                    {
                        r.skipField(statisticsTag);
                    }
                }
                r.popLimit(statisticsOuter);
            }
            r.popLimit(outer);
        }
        this.writer = null;
        writer.endMetric();
        return OK;
    }

    /**
     * Reads one SparseHistogramEntry (limit pushed).
     *
     * @param publish false: return its count; true: hand it to {@link #writer} and return the writer's result.
     */
    private long readBucket(final ProtoReader r, final boolean publish)
    {
        long bucket = 0;
        long count = 0;
        while (r.hasRemaining())
        {
            final int tag = r.readTag();
            if (tag == BUCKET_KEY)
            {
                bucket = r.readVarint();
            }
            else if (tag == BUCKET_COUNT)
            {
                count = r.readVarint();
            }
            else if (tag != 0)
            {
                r.skipField(tag);
            }
        }
        return publish ? writer.clientHistogramEntry(bucket, count) : count;
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Sets {@link #identifierOffset}/{@link #identifierLength} to the entry's name (last string on the wire).
     */
    private void findEntryName(final int offset, final int length)
    {
        final ProtoReader r = entryReader.wrap(body, offset, length);
        int nameOffset = 0;
        int nameLength = 0;
        while (r.hasRemaining())
        {
            final int tag = r.readTag();
            if (tag == ENTRY_NAME)
            {
                readIdentifier(r);
                if (identifierFound)
                {
                    nameOffset = identifierOffset;
                    nameLength = identifierLength;
                }
            }
            else if (tag != 0)
            {
                r.skipField(tag);
            }
        }
        identifierOffset = nameOffset;
        identifierLength = nameLength;
    }

    /**
     * Reads a length-delimited Identifier at the reader's position: {@link #identifierFound} tells whether it held a
     * {@code string_value} (the last one wins), whose bytes are then at {@link #identifierOffset}.
     *
     * @return false when the field is malformed.
     */
    private boolean readIdentifier(final ProtoReader r)
    {
        identifierFound = false;
        final int length = r.readLength();
        if (length < 0)
        {
            return false;
        }
        final int outer = r.pushLimit(length);
        while (r.hasRemaining())
        {
            final int tag = r.readTag();
            if (tag == IDENTIFIER_STRING)
            {
                if (r.readBytesView())
                {
                    identifierFound = true;
                    identifierOffset = r.lastOffset();
                    identifierLength = r.lastLength();
                    if (!Utf8.isValid(body, identifierOffset, identifierLength))
                    {
                        badUtf8 = true;
                    }
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
        if (malformed || r.isMalformed())
        {
            return fail(NOT_PROTOBUF);
        }
        if (badUtf8)
        {
            return fail(INVALID_UTF8);
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
