package mad.emit.cagg;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

/**
 * The fields of a StatisticSetRecord that are the same for every metric of a bucket, encoded once per bucket:
 * {@code head} = service (1) + cluster (2), {@code period} = period (4) + period_start (5), {@code tail} = the
 * dimension map entries (8) + client_minimum_request_time (9). The key is the bucket's dimension map (by identity:
 * a bucket's map is not changed while its metrics are encoded), period, start and minimum request time, so the N
 * metrics of one bucket format the timestamp texts and walk the map once.
 *
 * <p>Thread ownership: owned by one {@link CaggEncoder}, used only by the emitter thread.
 */
final class EncodedFieldCache
{
    private Map<String, String> dimensions;
    private Duration period;
    private long startMs = Long.MIN_VALUE;
    private long requestMs = Long.MIN_VALUE;
    private boolean hasRequest;
    private boolean valid;

    byte[] head = new byte[64];
    int headLength;
    byte[] periodFields = new byte[64];
    int periodLength;
    byte[] tail = new byte[256];
    int tailLength;

    /**
     * Re-encodes the shared fields when the bucket differs from the cached one.
     */
    void update(
        final Map<String, String> bucketDimensions, final Duration bucketPeriod, final long bucketStartMs,
        final boolean bucketHasRequest, final long bucketRequestMs)
    {
        if (valid && bucketDimensions == dimensions && bucketPeriod.equals(period) && bucketStartMs == startMs
            && bucketHasRequest == hasRequest && (!bucketHasRequest || bucketRequestMs == requestMs))
        {
            return;
        }
        dimensions = bucketDimensions;
        period = bucketPeriod;
        startMs = bucketStartMs;
        hasRequest = bucketHasRequest;
        requestMs = bucketRequestMs;
        valid = true;

        final String service = nonNull(bucketDimensions.get("service"));
        final String cluster = nonNull(bucketDimensions.get("cluster"));
        head = ensure(head, ProtoBytes.stringSize(1, service) + ProtoBytes.stringSize(2, cluster));
        headLength = ProtoBytes.writeString(head, 0, 1, service);
        headLength = ProtoBytes.writeString(head, headLength, 2, cluster);

        final String periodText = bucketPeriod.toString();
        final String startText = CaggEncoder.timestampText(bucketStartMs);
        periodFields = ensure(periodFields, ProtoBytes.stringSize(4, periodText) + ProtoBytes.stringSize(5, startText));
        periodLength = ProtoBytes.writeString(periodFields, 0, 4, periodText);
        periodLength = ProtoBytes.writeString(periodFields, periodLength, 5, startText);

        final String requestText = bucketHasRequest ? CaggEncoder.timestampText(bucketRequestMs) : "";
        int size = ProtoBytes.stringSize(9, requestText);
        for (final Map.Entry<String, String> entry : bucketDimensions.entrySet())
        {
            size += ProtoBytes.nestedSize(8, entrySize(nonNull(entry.getKey()), nonNull(entry.getValue())));
        }
        tail = ensure(tail, size);
        int position = 0;
        for (final Map.Entry<String, String> entry : bucketDimensions.entrySet())
        {
            final String key = nonNull(entry.getKey());
            final String value = nonNull(entry.getValue());
            position = ProtoBytes.writeTag(tail, position, 8, ProtoBytes.LENGTH_DELIMITED);
            position = ProtoBytes.writeVarint32(tail, position, entrySize(key, value));
            // Map entries always carry key and value, as the generated MapEntry writer does.
            position = ProtoBytes.writeStringAlways(tail, position, 1, key);
            position = ProtoBytes.writeStringAlways(tail, position, 2, value);
        }
        tailLength = ProtoBytes.writeString(tail, position, 9, requestText);
    }

    private static int entrySize(final String key, final String value)
    {
        return ProtoBytes.tagSize(1) + ProtoBytes.varint32Size(ProtoBytes.utf8Length(key)) + ProtoBytes.utf8Length(key)
            + ProtoBytes.tagSize(2) + ProtoBytes.varint32Size(ProtoBytes.utf8Length(value))
            + ProtoBytes.utf8Length(value);
    }

    private static byte[] ensure(final byte[] array, final int size)
    {
        return array.length >= size ? array : Arrays.copyOf(array, Math.max(size, array.length * 2));
    }

    private static String nonNull(final String value)
    {
        return value == null ? "" : value;
    }
}
