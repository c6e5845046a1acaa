package mad.emit.http;

import java.nio.charset.StandardCharsets;

import mad.emit.EmitContext;
import mad.emit.MapSettings;
import mad.engine.config.Settings;
import mad.engine.output.PeriodicData;

/**
 * Test fixture of the {@link HttpPostSink} ITs: a sink whose bodies are text ({@code text/plain}), posted by
 * {@link #post}. Each body is enqueued from the middle of a larger array, so every test also checks that
 * {@code enqueue} copies exactly its range.
 *
 * <p>Thread ownership: as {@link HttpPostSink}; {@link #post} plays the emitter thread.
 */
final class TextPostSink extends HttpPostSink
{
    private static final String PADDING = "xx";

    TextPostSink(final Settings settings, final EmitContext context)
    {
        super(settings, context, "text/plain");
    }

    /**
     * @param context the emit context (its HTTP facility).
     * @param uri where to post.
     * @param extra further keys and values of the sink object.
     * @return a sink named {@code test}.
     */
    static TextPostSink create(final EmitContext context, final String uri, final Object... extra)
    {
        final Object[] keys = new Object[extra.length + 4];
        keys[0] = "name";
        keys[1] = "test";
        keys[2] = "uri";
        keys[3] = uri;
        System.arraycopy(extra, 0, keys, 4, extra.length);
        return new TextPostSink(MapSettings.of(keys), context);
    }

    void post(final String text)
    {
        final byte[] bytes = (PADDING + text).getBytes(StandardCharsets.UTF_8);
        enqueue(bytes, PADDING.length(), bytes.length - PADDING.length());
    }

    @Override
    public void recordAggregateData(final PeriodicData data)
    {
    }
}
