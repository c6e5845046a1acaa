package mad.engine.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class ByteKeyTableTest
{
    private record Entry(byte[] key, int hash)
    {
    }

    private final ByteKeyTable<Entry> table = new ByteKeyTable<>(new ByteKeyTable.KeyOf<>()
    {
        @Override
        public byte[] key(final Entry entry)
        {
            return entry.key();
        }
    }, 4);

    private static Entry entry(final String key, final int hash)
    {
        return new Entry(key.getBytes(StandardCharsets.UTF_8), hash);
    }

    private Entry get(final String key, final int hash)
    {
        final byte[] bytes = ("--" + key).getBytes(StandardCharsets.UTF_8);
        // a view that starts one byte into the array: the heap-array comparison must honour the wrap adjustment
        return table.get(new UnsafeBuffer(bytes, 1, bytes.length - 1), 1, bytes.length - 2, hash);
    }

    @Test
    void shouldFindEntriesByHashAndBytesThroughCollisionsAndResizes()
    {
        for (int i = 0; i < 1000; i++)
        {
            table.put(entry("key-" + i, i % 7), i % 7); // heavy collisions: 7 distinct hashes
        }
        assertThat(table.size()).isEqualTo(1000);
        for (int i = 0; i < 1000; i++)
        {
            assertThat(get("key-" + i, i % 7)).isNotNull().extracting(e -> new String(e.key())).isEqualTo("key-" + i);
        }
        assertThat(get("key-1", 2)).isNull(); // same bytes, other hash
        assertThat(get("key-1000", 0)).isNull();
        assertThat(get("absent", 0)).isNull(); // hash 0 equals the empty slots' stored hash
    }

    @Test
    void shouldKeepHashesAlignedAfterRemoval()
    {
        for (int i = 0; i < 100; i++)
        {
            table.put(entry("k" + i, i * 31), i * 31);
        }
        assertThat(table.removeIf(e -> (e.hash() / 31) % 2 == 0)).isEqualTo(50);
        for (int i = 0; i < 100; i++)
        {
            assertThat(get("k" + i, i * 31) != null).isEqualTo(i % 2 == 1);
        }
    }

    @Test
    void shouldMatchPrefixAndTailAsOneKey()
    {
        final byte[] dims = "dims|".getBytes(StandardCharsets.UTF_8);
        final byte[] other = "dimz|".getBytes(StandardCharsets.UTF_8);
        final ByteKeyTable<Entry> prefixed = new ByteKeyTable<>(new ByteKeyTable.KeyOf<>()
        {
            @Override
            public byte[] key(final Entry entry)
            {
                return entry.key();
            }

            @Override
            public byte[] prefix(final Entry entry)
            {
                return entry.hash() == 1 ? dims : other;
            }
        }, 4);
        prefixed.put(entry("name", 1), 1);
        prefixed.put(entry("name", 2), 2);
        final byte[] bytes = "dims|name".getBytes(StandardCharsets.UTF_8);
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        assertThat(prefixed.get(buffer, 0, bytes.length, 1)).isNotNull();
        assertThat(prefixed.get(buffer, 0, bytes.length, 2)).isNull(); // same tail, other prefix
        assertThat(prefixed.get(buffer, 0, bytes.length - 1, 1)).isNull(); // shorter key
        assertThat(prefixed.get(new UnsafeBuffer("dims|nama".getBytes(StandardCharsets.UTF_8)), 0, bytes.length, 1))
            .isNull();
    }
}
