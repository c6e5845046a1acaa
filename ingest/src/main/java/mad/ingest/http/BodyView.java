package mad.ingest.http;

import java.nio.ByteBuffer;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.netty.buffer.ByteBuf;

/**
 * Presents an aggregated request body as a {@link DirectBuffer} without copying when Netty holds it in one piece
 * (the flyweight is re-pointed at the ByteBuf's memory), and by copying into a reusable scratch array when the body
 * is split over several buffers. Nothing is allocated per request beyond what {@code ByteBuf.nioBuffer} itself
 * creates.
 *
 * <p>Thread ownership: one instance per event-loop thread; a view is valid until the request's ByteBuf is released
 * or the next {@link #wrap}.
 */
final class BodyView
{
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(4096);
    private int length;

    /**
     * @param content the body.
     * @return the buffer to decode, from offset 0 for {@link #length()} bytes.
     */
    DirectBuffer wrap(final ByteBuf content)
    {
        length = content.readableBytes();
        if (length == 0)
        {
            view.wrap(scratch.byteArray(), 0, 0);
            return view;
        }
        if (content.hasArray())
        {
            view.wrap(content.array(), content.arrayOffset() + content.readerIndex(), length);
            return view;
        }
        if (content.nioBufferCount() == 1)
        {
            final ByteBuffer nio = content.nioBuffer(content.readerIndex(), length);
            view.wrap(nio, nio.position(), nio.remaining());
            return view;
        }
        scratch.checkLimit(length);
        content.getBytes(content.readerIndex(), scratch.byteArray(), 0, length);
        return scratch;
    }

    int length()
    {
        return length;
    }

    /**
     * Drops the reference to the last body so its memory is not pinned by this flyweight.
     */
    void clear()
    {
        view.wrap(scratch.byteArray(), 0, 0);
    }
}
