package mad.ingest.http;

/**
 * A text WebSocket endpoint served on a GET path of the HTTP server (MAD's telemetry streams, mad-spec 2.1 and 7.11).
 * The server does the upgrade, ping/pong and close frames; the endpoint sees one {@link Session} per connection and
 * talks back through its {@link Peer}. This keeps Netty out of the endpoint's module.
 *
 * <p>Thread ownership: {@link #open} and every {@link Session} callback run on the connection's event loop and must
 * not block; a callback that throws is logged and the connection stays open. {@link Peer#send} may be called from any
 * thread.
 */
@FunctionalInterface
public interface WebSocketEndpoint
{
    /** Messages a connection may have waiting to be written before further ones are dropped. */
    int OUTBOUND_LIMIT = 256;

    /**
     * @param peer the new connection's outbound side.
     * @return the callbacks for its inbound side.
     */
    Session open(Peer peer);

    /**
     * The outbound side of one connection.
     */
    interface Peer
    {
        /**
         * Queues a text frame on the connection's event loop without blocking. When {@link #OUTBOUND_LIMIT} messages
         * are already waiting (slow or stalled client) the message is dropped and counted.
         *
         * @param text the message.
         * @return false when it was dropped (limit reached or connection closed).
         */
        boolean send(String text);

        /**
         * @return messages dropped so far on this connection.
         */
        long dropped();

        /**
         * Sends a close frame and closes the connection.
         */
        void close();

        /**
         * @return the remote address, for log lines.
         */
        String remote();
    }

    /**
     * The inbound side of one connection.
     */
    interface Session
    {
        /**
         * @param text a complete text message.
         */
        void onText(String text);

        /**
         * @param length the size of a complete binary message (the telemetry protocol has none).
         */
        void onBinary(int length);

        /**
         * The connection is gone.
         */
        void onClose();
    }
}
