package mad.ingest.decode;

import org.agrona.concurrent.UnsafeBuffer;

import io.netty.buffer.ByteBuf;

/**
 * Points a reusable Agrona view at the readable bytes of a Netty buffer without copying when it can (direct memory
 * or a heap array), else copies into a reusable array.
 *
 * <p>Thread ownership: one instance per transport thread.
 */
public final class ByteBufViews
{
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    private byte[] copy = new byte[0];

    /**
     * @param buf the Netty buffer; not consumed.
     * @return a view whose offset 0 is {@code buf.readerIndex()}, valid until the next call.
     */
    public UnsafeBuffer wrap(final ByteBuf buf)
    {
        final int length = buf.readableBytes();
        if (buf.hasMemoryAddress())
        {
            view.wrap(buf.memoryAddress() + buf.readerIndex(), length);
        }
        else if (buf.hasArray())
        {
            view.wrap(buf.array(), buf.arrayOffset() + buf.readerIndex(), length);
        }
        else
        {
            if (copy.length < length)
            {
                copy = new byte[Math.max(length, copy.length * 2)];
            }
            buf.getBytes(buf.readerIndex(), copy, 0, length);
            view.wrap(copy, 0, length);
        }
        return view;
    }
}
