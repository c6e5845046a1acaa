package mad.engine.aggregate;

/**
 * Min-heap of open buckets ordered by expiry, so each duty cycle finds the buckets to close in O(log n) without
 * scanning every open bucket. Buckets remember their heap slot for O(log n) removal.
 *
 * <p>Thread ownership: the owning aggregator only.
 */
final class BucketHeap
{
    private Bucket[] heap = new Bucket[64];
    private int size;

    int size()
    {
        return size;
    }

    Bucket peek()
    {
        return size == 0 ? null : heap[0];
    }

    void add(final Bucket bucket)
    {
        if (size == heap.length)
        {
            heap = java.util.Arrays.copyOf(heap, size * 2);
        }
        heap[size] = bucket;
        bucket.heapIndex = size;
        siftUp(size++);
    }

    Bucket poll()
    {
        if (size == 0)
        {
            return null;
        }
        final Bucket top = heap[0];
        removeAt(0);
        return top;
    }

    private void removeAt(final int index)
    {
        final Bucket removed = heap[index];
        size--;
        if (index != size)
        {
            heap[index] = heap[size];
            heap[index].heapIndex = index;
            heap[size] = null;
            siftDown(index);
            siftUp(heap[index].heapIndex);
        }
        else
        {
            heap[size] = null;
        }
        removed.heapIndex = -1;
    }

    private void siftUp(final int start)
    {
        int index = start;
        final Bucket bucket = heap[index];
        while (index > 0)
        {
            final int parent = (index - 1) >>> 1;
            if (heap[parent].expiryMs <= bucket.expiryMs)
            {
                break;
            }
            heap[index] = heap[parent];
            heap[index].heapIndex = index;
            index = parent;
        }
        heap[index] = bucket;
        bucket.heapIndex = index;
    }

    private void siftDown(final int start)
    {
        int index = start;
        final Bucket bucket = heap[index];
        final int half = size >>> 1;
        while (index < half)
        {
            int child = 2 * index + 1;
            if (child + 1 < size && heap[child + 1].expiryMs < heap[child].expiryMs)
            {
                child++;
            }
            if (bucket.expiryMs <= heap[child].expiryMs)
            {
                break;
            }
            heap[index] = heap[child];
            heap[index].heapIndex = index;
            index = child;
        }
        heap[index] = bucket;
        bucket.heapIndex = index;
    }
}
