package mad.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import io.inscopemetrics.client.protocol.ClientV3;
import mad.ingest.IngestThreads;
import mad.ingest.decode.ClientV3Decoder;
import mad.ingest.decode.CallRecordingWriter;

/**
 * The HTTP server over a real socket: MAD's routing table, statuses and keep-alive.
 */
class HttpServerIT
{
    private static final int LIMIT = 4096;
    private static final String V3 = ClientHttpSource.V3_PATH;

    private static IngestThreads threads;
    private static HttpServer server;
    private static HttpRoute route;
    private static final CallRecordingWriter WRITER = new CallRecordingWriter();

    @BeforeAll
    static void start() throws InterruptedException
    {
        threads = new IngestThreads(1);
        final HttpRoutes routes = new HttpRoutes();
        route = routes.register(V3, "appv3", ClientV3Decoder::new, backpressure -> WRITER);
        server = new HttpServer(
            new HttpServerConfig("127.0.0.1", 0, "/ping", "/status", LIMIT, "1.2.3", "abc"), threads, routes);
        server.start();
    }

    @AfterAll
    static void stop()
    {
        server.close();
        threads.close();
    }

    @BeforeEach
    void clear()
    {
        WRITER.clear();
    }

    private static byte[] v3Request(final int idLength)
    {
        return ClientV3.Request.newBuilder().addRecords(ClientV3.Record.newBuilder()
            .setId(ByteString.copyFrom(new byte[idLength]))
            .setEndMillisSinceEpoch(1000)
            .addData(ClientV3.MetricDataEntry.newBuilder()
                .setName(ClientV3.Identifier.newBuilder().setStringValue("m"))
                .setNumericalData(ClientV3.NumericalData.newBuilder().addSamples(42))))
            .build().toByteArray();
    }

    @Test
    void shouldAnswerHealthCheck() throws IOException
    {
        try (Client client = new Client())
        {
            final Response ping = client.send("GET", "/ping", null);
            assertThat(ping.status).isEqualTo(200);
            assertThat(ping.text()).isEqualTo("{\"status\":\"HEALTHY\"}");
            assertThat(ping.headers).containsEntry("content-type", "application/json")
                .containsEntry("cache-control", "private, no-cache, no-store, must-revalidate");
            assertThat(client.send("GET", "/ping?x=1", null).status).isEqualTo(200);
        }
    }

    @Test
    void shouldAnswerStatus() throws IOException
    {
        try (Client client = new Client())
        {
            final Response status = client.send("GET", "/status", null);
            assertThat(status.status).isEqualTo(200);
            assertThat(status.headers).containsEntry("content-type", "application/json");
            assertThat(status.text()).isEqualTo("{\"name\":\"madx\",\"version\":\"1.2.3\",\"sha\":\"abc\"}\n");
        }
    }

    @Test
    void shouldAnswer404LikeMad() throws IOException
    {
        try (Client client = new Client())
        {
            for (final String[] request : new String[][] {
                {"HEAD", "/ping"}, {"POST", "/ping"}, {"GET", "/ping/"}, {"PUT", "/status"}, {"GET", V3},
                {"GET", "/nope"}, {"POST", "/metrics/v2/application"}, {"POST", "/metrics/prometheus"},
                {"POST", V3 + "/"}})
            {
                final Response response = client.send(request[0], request[1], request[0].equals("POST")
                    ? new byte[0] : null);
                assertThat(response.status).as("%s %s", request[0], request[1]).isEqualTo(404);
                assertThat(response.body).isEmpty();
            }
        }
    }

    @Test
    void shouldDecodeV3AndKeepTheConnectionAlive() throws IOException
    {
        final long accepted = route.counters().accepted();
        try (Client client = new Client())
        {
            assertThat(client.send("GET", "/ping", null).status).isEqualTo(200);
            final Response response = client.send("POST", V3 + "?q=1", v3Request(16));
            assertThat(response.status).isEqualTo(200);
            assertThat(response.body).isEmpty();
            assertThat(client.send("GET", "/status", null).status).isEqualTo(200);
            assertThat(client.send("POST", V3, v3Request(16)).status).isEqualTo(200);
        }
        assertThat(WRITER.calls()).containsExactly(
            "record 1000 -", "endDims", "metric m GAUGE NONE", "sample 42.0", "end",
            "record 1000 -", "endDims", "metric m GAUGE NONE", "sample 42.0", "end");
        assertThat(route.counters().accepted() - accepted).isEqualTo(2);
    }

    @Test
    void shouldRejectBadBodiesWith400AndReason() throws IOException
    {
        final long rejected = route.counters().rejected(HttpRouteCounters.Rejection.BAD_REQUEST);
        try (Client client = new Client())
        {
            final Response json = client.send("POST", V3, "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
            assertThat(json.status).isEqualTo(400);
            assertThat(json.headers.get("content-type")).startsWith("text/plain");
            assertThat(json.text()).contains("not a valid ClientV3 Request protobuf");
            final byte[] valid = v3Request(16);
            final Response truncated = client.send("POST", V3, Arrays.copyOf(valid, valid.length - 3));
            assertThat(truncated.status).isEqualTo(400);
            final Response shortId = client.send("POST", V3, v3Request(8));
            assertThat(shortId.status).isEqualTo(400);
            assertThat(shortId.text()).contains("id shorter than 16 bytes");
            final Response empty = client.send("POST", V3, new byte[0]);
            assertThat(empty.status).isEqualTo(400);
            assertThat(empty.text()).contains("request has no records");
            // the connection survives rejections
            assertThat(client.send("GET", "/ping", null).status).isEqualTo(200);
        }
        assertThat(WRITER.calls()).isEmpty();
        assertThat(route.counters().rejected(HttpRouteCounters.Rejection.BAD_REQUEST) - rejected).isEqualTo(4);
    }

    @Test
    void shouldRejectOversizedBodyWith413() throws IOException
    {
        final long tooLarge = route.counters().rejected(HttpRouteCounters.Rejection.TOO_LARGE);
        try (Client client = new Client())
        {
            final Response response = client.send("POST", V3, new byte[LIMIT + 1]);
            assertThat(response.status).isEqualTo(413);
            assertThat(response.text()).contains("larger than " + LIMIT);
        }
        try (Client client = new Client())
        {
            final Response response = client.sendChunked(V3, new byte[LIMIT * 2]);
            assertThat(response.status).isEqualTo(413);
        }
        assertThat(route.counters().rejected(HttpRouteCounters.Rejection.TOO_LARGE) - tooLarge).isEqualTo(2);
        assertThat(WRITER.calls()).isEmpty();
    }

    /** A minimal blocking HTTP/1.1 client, so that every byte on the wire is under the test's control. */
    private static final class Client implements AutoCloseable
    {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Client() throws IOException
        {
            socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
            socket.setSoTimeout(10_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        Response send(final String method, final String path, final byte[] body) throws IOException
        {
            final StringBuilder head = new StringBuilder()
                .append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: localhost\r\n");
            if (body != null)
            {
                head.append("Content-Type: application/octet-stream\r\nContent-Length: ").append(body.length)
                    .append("\r\n");
            }
            head.append("\r\n");
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            if (body != null)
            {
                out.write(body);
            }
            out.flush();
            return read(method);
        }

        Response sendChunked(final String path, final byte[] body) throws IOException
        {
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            final int chunk = 1024;
            try
            {
                for (int offset = 0; offset < body.length; offset += chunk)
                {
                    out.write((Integer.toHexString(chunk) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body, offset, chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            catch (final IOException closedByServer)
            {
                // the server answers and closes as soon as the limit is passed
            }
            return read("POST");
        }

        private Response read(final String method) throws IOException
        {
            final String statusLine = line();
            final Response response = new Response();
            response.status = Integer.parseInt(statusLine.split(" ")[1]);
            for (String header = line(); !header.isEmpty(); header = line())
            {
                final int colon = header.indexOf(':');
                response.headers.put(
                    header.substring(0, colon).trim().toLowerCase(), header.substring(colon + 1).trim());
            }
            final int length = method.equals("HEAD")
                ? 0 : Integer.parseInt(response.headers.getOrDefault("content-length", "0"));
            response.body = in.readNBytes(length);
            return response;
        }

        private String line() throws IOException
        {
            final ByteArrayOutputStream line = new ByteArrayOutputStream();
            int previous = -1;
            while (true)
            {
                final int b = in.read();
                if (b < 0)
                {
                    throw new IOException("connection closed");
                }
                if (previous == '\r' && b == '\n')
                {
                    final byte[] bytes = line.toByteArray();
                    return new String(bytes, 0, bytes.length - 1, StandardCharsets.US_ASCII);
                }
                line.write(b);
                previous = b;
            }
        }

        @Override
        public void close() throws IOException
        {
            socket.close();
        }
    }

    private static final class Response
    {
        int status;
        final Map<String, String> headers = new HashMap<>();
        byte[] body;

        String text()
        {
            return new String(body, StandardCharsets.UTF_8);
        }
    }
}
