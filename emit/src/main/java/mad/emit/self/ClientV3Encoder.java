package mad.emit.self;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;

/**
 * Encodes a batch of {@link UnitOfWork}s as one ClientV3 {@code Request} (mad-spec §12.2), the body the metrics
 * client's {@code ApacheHttpSink} posts: one {@code Record} per unit with a random 16-byte id (a version-4 UUID, as
 * the client), {@code end_millis_since_epoch} (2), {@code start_millis_since_epoch} (3), the base dimensions
 * overridden by the unit's own (4, {@code DimensionEntry{Identifier name, Identifier value}}), and one
 * {@code MetricDataEntry{Identifier name; NumericalData{packed samples}}} per entry (5). Counters, timers and gauges
 * are all plain samples: ClientV3 has no metric kinds.
 *
 * <h2>Why sizes are computed first</h2>
 * Protobuf length-prefixes nested messages; each record's size is computed before it is written, so the whole body
 * is sized once and written front to back into one array (as {@code CaggEncoder}). Proto3 rules: zero timestamps
 * and empty strings are not written.
 *
 * <p>Thread ownership: stateless; any thread (the self-metrics sender threads).
 */
public final class ClientV3Encoder
{
    private static final int LENGTH_DELIMITED = WireFormat.WIRETYPE_LENGTH_DELIMITED;
    private static final int ID_BYTES = 16;

    private ClientV3Encoder()
    {
    }

    /**
     * @param units the records of the request.
     * @param baseDimensions dimensions of every record (cluster, service, host).
     * @return the serialized {@code Request}.
     */
    public static byte[] encode(final List<UnitOfWork> units, final Map<String, String> baseDimensions)
    {
        final int count = units.size();
        final int[] recordSizes = new int[count];
        final List<Map<String, String>> dimensions = new java.util.ArrayList<>(count);
        int total = 0;
        for (int i = 0; i < count; i++)
        {
            final Map<String, String> merged = new LinkedHashMap<>(baseDimensions);
            merged.putAll(units.get(i).dimensions());
            dimensions.add(merged);
            recordSizes[i] = recordSize(units.get(i), merged);
            total += nestedSize(1, recordSizes[i]);
        }
        final byte[] body = new byte[total];
        final CodedOutputStream out = CodedOutputStream.newInstance(body);
        try
        {
            for (int i = 0; i < count; i++)
            {
                out.writeTag(1, LENGTH_DELIMITED);
                out.writeUInt32NoTag(recordSizes[i]);
                writeRecord(out, units.get(i), dimensions.get(i));
            }
            out.checkNoSpaceLeft();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("ClientV3 encoded size mismatch", e);
        }
        return body;
    }

    private static int recordSize(final UnitOfWork unit, final Map<String, String> dimensions)
    {
        int size = CodedOutputStream.computeTagSize(1) + CodedOutputStream.computeUInt32SizeNoTag(ID_BYTES) + ID_BYTES;
        size += unit.endMs() == 0 ? 0 : CodedOutputStream.computeUInt64Size(2, unit.endMs());
        size += unit.startMs() == 0 ? 0 : CodedOutputStream.computeUInt64Size(3, unit.startMs());
        for (final Map.Entry<String, String> dimension : dimensions.entrySet())
        {
            size += nestedSize(4, dimensionSize(dimension.getKey(), dimension.getValue()));
        }
        for (final UnitOfWork.Entry entry : unit.entries())
        {
            size += nestedSize(5, dataEntrySize(entry));
        }
        return size;
    }

    private static void writeRecord(final CodedOutputStream out, final UnitOfWork unit,
        final Map<String, String> dimensions) throws IOException
    {
        out.writeTag(1, LENGTH_DELIMITED);
        out.writeUInt32NoTag(ID_BYTES);
        writeRandomId(out);
        if (unit.endMs() != 0)
        {
            out.writeUInt64(2, unit.endMs());
        }
        if (unit.startMs() != 0)
        {
            out.writeUInt64(3, unit.startMs());
        }
        for (final Map.Entry<String, String> dimension : dimensions.entrySet())
        {
            out.writeTag(4, LENGTH_DELIMITED);
            out.writeUInt32NoTag(dimensionSize(dimension.getKey(), dimension.getValue()));
            writeIdentifier(out, 1, dimension.getKey());
            writeIdentifier(out, 2, dimension.getValue());
        }
        for (final UnitOfWork.Entry entry : unit.entries())
        {
            out.writeTag(5, LENGTH_DELIMITED);
            out.writeUInt32NoTag(dataEntrySize(entry));
            writeIdentifier(out, 1, entry.name());
            final int samplesBytes = entry.samples().length * Double.BYTES;
            out.writeTag(2, LENGTH_DELIMITED);
            out.writeUInt32NoTag(numericalSize(samplesBytes));
            if (samplesBytes > 0)
            {
                out.writeTag(1, LENGTH_DELIMITED);
                out.writeUInt32NoTag(samplesBytes);
                for (final double sample : entry.samples())
                {
                    out.writeDoubleNoTag(sample);
                }
            }
        }
    }

    /** A version-4 UUID's 16 bytes; ThreadLocalRandom because uniqueness, not secrecy, matters here. */
    private static void writeRandomId(final CodedOutputStream out) throws IOException
    {
        final ThreadLocalRandom random = ThreadLocalRandom.current();
        final long most = random.nextLong() & 0xFFFFFFFFFFFF0FFFL | 0x0000000000004000L;
        final long least = random.nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L;
        for (int shift = 56; shift >= 0; shift -= 8)
        {
            out.writeRawByte((byte)(most >>> shift));
        }
        for (int shift = 56; shift >= 0; shift -= 8)
        {
            out.writeRawByte((byte)(least >>> shift));
        }
    }

    private static int dataEntrySize(final UnitOfWork.Entry entry)
    {
        return nestedSize(1, identifierSize(entry.name()))
            + nestedSize(2, numericalSize(entry.samples().length * Double.BYTES));
    }

    private static int numericalSize(final int samplesBytes)
    {
        return samplesBytes == 0 ? 0 : nestedSize(1, samplesBytes);
    }

    private static int dimensionSize(final String name, final String value)
    {
        return nestedSize(1, identifierSize(name)) + nestedSize(2, identifierSize(value));
    }

    /** {@code Identifier{oneof string_value=1}}: a set oneof string is written even when empty. */
    private static int identifierSize(final String value)
    {
        return CodedOutputStream.computeStringSize(1, value);
    }

    private static void writeIdentifier(final CodedOutputStream out, final int field, final String value)
        throws IOException
    {
        out.writeTag(field, LENGTH_DELIMITED);
        out.writeUInt32NoTag(identifierSize(value));
        out.writeString(1, value);
    }

    private static int nestedSize(final int field, final int size)
    {
        return CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt32SizeNoTag(size) + size;
    }
}
