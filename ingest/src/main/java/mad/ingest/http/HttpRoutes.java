package mad.ingest.http;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import mad.ingest.WriterFactory;

/**
 * The POST routes of the HTTP server (and its WebSocket GET endpoints), registered and removed at run time by the HTTP sources of the running
 * pipelines. Lookups read one volatile immutable map; changes copy the map and swap it, so a pipeline reload never
 * blocks or disturbs requests in flight.
 *
 * <p>Thread safety: {@link #register} and {@link #unregister} may be called from any thread (serialised on this
 * object); {@link #route} is lock-free and called by the event loops.
 */
public final class HttpRoutes
{
    private volatile Map<String, HttpRoute> routes = Map.of();
    /** GET routes that answer text rendered on each request (the Prometheus counter page). */
    private volatile Map<String, TextRoute> textRoutes = Map.of();

    /**
     * A GET route answering 200 with text rendered per request.
     *
     * @param contentType the response's content type.
     * @param body renders the body; called on an event-loop thread, so it must be quick and never block.
     */
    public record TextRoute(String contentType, java.util.function.Supplier<CharSequence> body)
    {
    }

    /**
     * Adds or replaces a GET text route.
     *
     * @param path exact request path.
     * @param route what it answers.
     */
    public synchronized void registerText(final String path, final TextRoute route)
    {
        final Map<String, TextRoute> next = new java.util.HashMap<>(textRoutes);
        next.put(path, route);
        textRoutes = Map.copyOf(next);
    }

    /**
     * @param path exact request path (no query).
     * @return the GET text route or null.
     */
    public TextRoute textRoute(final String path)
    {
        return textRoutes.get(path);
    }
    private volatile Map<String, WebSocketEndpoint> webSockets = Map.of();

    /**
     * Adds a POST route. As in MAD (fixed actor names), a path belongs to one source at a time.
     *
     * @param path exact request path, e.g. {@code /metrics/v3/application}.
     * @param sourceName the configured name of the source (for logs and self-metrics).
     * @param decoderSupplier makes one decoder per event-loop thread.
     * @param writerFactory makes one writer per event-loop thread.
     * @return the route (its counters are the source's self-metrics).
     * @throws IllegalStateException when another source already serves the path.
     */
    public synchronized HttpRoute register(
        final String path,
        final String sourceName,
        final Supplier<? extends HttpBodyDecoder> decoderSupplier,
        final WriterFactory writerFactory)
    {
        final HttpRoute existing = routes.get(path);
        if (existing != null)
        {
            throw new IllegalStateException(
                "path " + path + " is already served by source " + existing.sourceName() + "; MAD allows one "
                    + "source per HTTP endpoint");
        }
        final HttpRoute route = new HttpRoute(path, sourceName, decoderSupplier, writerFactory);
        final Map<String, HttpRoute> copy = new HashMap<>(routes);
        copy.put(path, route);
        routes = Map.copyOf(copy);
        return route;
    }

    /**
     * Removes a route; requests already being decoded finish normally.
     *
     * @param path the path.
     * @return true when a route was removed.
     */
    public synchronized boolean unregister(final String path)
    {
        if (!routes.containsKey(path))
        {
            return false;
        }
        final Map<String, HttpRoute> copy = new HashMap<>(routes);
        copy.remove(path);
        routes = Map.copyOf(copy);
        return true;
    }

    /**
     * Removes a route only if it is still the one registered for its path (a source whose registration failed must
     * not remove the route of the source that owns the path).
     *
     * @param route a route returned by {@link #register}.
     * @return true when it was removed.
     */
    public synchronized boolean unregister(final HttpRoute route)
    {
        if (routes.get(route.path()) != route)
        {
            return false;
        }
        return unregister(route.path());
    }

    /**
     * @param path exact request path (no query).
     * @return the route or null.
     */
    public HttpRoute route(final String path)
    {
        return routes.get(path);
    }

    /**
     * Serves a WebSocket endpoint on a GET path (MAD's {@code /telemetry/v1/stream} and {@code /telemetry/v2/stream});
     * a GET on it that is not an upgrade is answered 400, as MAD.
     *
     * @param path exact request path.
     * @param endpoint the endpoint; replaces any previous one of that path.
     */
    public synchronized void registerWebSocket(final String path, final WebSocketEndpoint endpoint)
    {
        final Map<String, WebSocketEndpoint> copy = new HashMap<>(webSockets);
        copy.put(path, endpoint);
        webSockets = Map.copyOf(copy);
    }

    /**
     * @param path exact request path (no query).
     * @return the WebSocket endpoint of that path, or null.
     */
    public WebSocketEndpoint webSocket(final String path)
    {
        return webSockets.get(path);
    }

    /**
     * @return an immutable snapshot of the current routes by path (for self-metrics).
     */
    public Map<String, HttpRoute> snapshot()
    {
        return routes;
    }
}
