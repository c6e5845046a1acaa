package mad.emit.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import mad.ingest.http.TestCertificates;

/**
 * {@link HttpConnection} against a real loopback Netty server: keep-alive reuse, servers that close, error statuses,
 * timeouts, refused connections and TLS with a self-signed certificate.
 */
class HttpConnectionIT
{
    private HttpFacility http = HttpFacility.defaults();
    private NettyTestServer server;

    @TempDir
    Path directory;

    @AfterEach
    void tearDown()
    {
        if (server != null)
        {
            server.close();
        }
        http.close();
    }

    /** Collects outcomes: a status, or the failure. */
    private static final class Outcomes implements HttpConnection.Listener
    {
        private final BlockingQueue<Object> results = new LinkedBlockingQueue<>();

        @Override
        public void onResponse(final int status, final byte[] body, final int bodyLength)
        {
            results.add(status + " " + new String(body, 0, bodyLength, StandardCharsets.UTF_8));
        }

        @Override
        public void onFailure(final Throwable error)
        {
            results.add(error);
        }

        Object next() throws InterruptedException
        {
            final Object result = results.poll(10, TimeUnit.SECONDS);
            assertThat(result).as("an outcome within 10 s").isNotNull();
            return result;
        }
    }

    private HttpConnection connection(final String uri)
    {
        return http.connection(HttpTarget.of(URI.create(uri)), "application/protobuf");
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldReuseOneKeepAliveConnectionForSequentialPosts() throws Exception
    {
        server = new NettyTestServer();
        final HttpConnection connection = connection(server.uri("http"));
        final Outcomes outcomes = new Outcomes();
        for (int i = 0; i < 200; i++)
        {
            final byte[] body = bytes("body-" + i + "-padding");
            assertThat(connection.send(body, body.length - 8, outcomes)).isTrue();
            assertThat(outcomes.next()).isEqualTo("200 ");
        }

        assertThat(server.connections).hasValue(1);
        assertThat(server.requests).hasValue(200);
        assertThat(server.bodies.poll()).isEqualTo("body-0");
        assertThat(server.heads.poll()).isEqualTo("POST /metrics/v1/data/persist?x=1 127.0.0.1:" + server.port()
            + " application/protobuf");
        assertThat(connection.connects()).isEqualTo(1);
    }

    @Test
    void shouldCompleteOnTheSharedMadxHttpClientThread() throws Exception
    {
        server = new NettyTestServer();
        final BlockingQueue<String> threads = new LinkedBlockingQueue<>();
        final HttpConnection.Listener recorder = new HttpConnection.Listener()
        {
            @Override
            public void onResponse(final int status, final byte[] body, final int bodyLength)
            {
                threads.add(Thread.currentThread().getName());
            }

            @Override
            public void onFailure(final Throwable error)
            {
                threads.add("failure " + error);
            }
        };
        connection(server.uri("http")).send(bytes("a"), 1, recorder);
        connection(server.uri("http")).send(bytes("b"), 1, recorder);

        assertThat(threads.poll(10, TimeUnit.SECONDS)).isEqualTo(HttpClientLoop.THREAD_NAME);
        assertThat(threads.poll(10, TimeUnit.SECONDS)).isEqualTo(HttpClientLoop.THREAD_NAME);
        assertThat(server.connections).hasValue(2);
    }

    @Test
    void shouldReconnectWhenTheServerAnswersConnectionClose() throws Exception
    {
        server = new NettyTestServer();
        server.connectionClose = true;
        final HttpConnection connection = connection(server.uri("http"));
        final Outcomes outcomes = new Outcomes();
        for (int i = 0; i < 20; i++)
        {
            connection.send(bytes("x"), 1, outcomes);
            assertThat(outcomes.next()).isEqualTo("200 ");
        }

        assertThat(server.connections).hasValue(20);
        assertThat(server.requests).hasValue(20);
    }

    @Test
    void shouldReconnectWhenTheServerClosesAnIdleKeepAliveConnection() throws Exception
    {
        server = new NettyTestServer();
        server.closeAfterResponse = true;
        final HttpConnection connection = connection(server.uri("http"));
        final Outcomes outcomes = new Outcomes();
        for (int i = 0; i < 20; i++)
        {
            connection.send(bytes("x" + i), 2, outcomes);
            assertThat(outcomes.next()).as("request %d", i).isEqualTo("200 ");
        }

        // Each request after the first finds its socket closed (or closing) and goes out on a new one, once.
        assertThat(server.connections).hasValue(20);
        assertThat(server.requests).hasValue(20);
    }

    @Test
    void shouldReportErrorStatusWithTheStartOfTheBodyAndKeepTheConnection() throws Exception
    {
        server = new NettyTestServer();
        server.status = 503;
        server.responseBody = "busy " + "x".repeat(2000);
        final HttpConnection connection = connection(server.uri("http"));
        final Outcomes outcomes = new Outcomes();
        connection.send(bytes("a"), 1, outcomes);
        final String first = (String)outcomes.next();
        server.status = 500;
        server.responseBody = "";
        connection.send(bytes("b"), 1, outcomes);

        assertThat(first).startsWith("503 busy xxx").hasSize(4 + HttpConnection.BODY_PREFIX_BYTES);
        assertThat(outcomes.next()).isEqualTo("500 ");
        assertThat(server.connections).hasValue(1);
    }

    @Test
    void shouldTimeOutARequestWithoutResponseAndRecoverOnANewSocket() throws Exception
    {
        http = new HttpFacility(Duration.ofMillis(300), null);
        server = new NettyTestServer();
        server.respond = false;
        final HttpConnection connection = connection(server.uri("http"));
        final Outcomes outcomes = new Outcomes();
        final long start = System.nanoTime();
        connection.send(bytes("a"), 1, outcomes);

        assertThat(outcomes.next()).isInstanceOf(TimeoutException.class);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
        server.respond = true;
        connection.send(bytes("b"), 1, outcomes);
        assertThat(outcomes.next()).isEqualTo("200 ");
        assertThat(server.connections).hasValue(2);
    }

    @Test
    void shouldFailARefusedConnectionAndSucceedOnceTheServerListens() throws Exception
    {
        final int port;
        try (ServerSocket probe = new ServerSocket(0))
        {
            port = probe.getLocalPort();
        }
        final HttpConnection connection = connection("http://127.0.0.1:" + port + "/");
        final Outcomes outcomes = new Outcomes();
        connection.send(bytes("a"), 1, outcomes);

        assertThat(outcomes.next()).isInstanceOf(ConnectException.class);
    }

    @Test
    void shouldResolveHostNamesOffTheLoop() throws Exception
    {
        server = new NettyTestServer();
        final HttpConnection connection = connection("http://localhost:" + server.port() + "/p");
        final Outcomes outcomes = new Outcomes();
        connection.send(bytes("a"), 1, outcomes);

        final Object outcome = outcomes.next();
        // localhost may resolve to ::1 first on some hosts, where the IPv4-only server refuses.
        if (outcome instanceof String)
        {
            assertThat(outcome).isEqualTo("200 ");
            assertThat(server.heads.poll()).startsWith("POST /p localhost:" + server.port());
        }
        else
        {
            assertThat(outcome).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void shouldPostOverTlsToASelfSignedServerItTrusts() throws Exception
    {
        final TestCertificates certificates = TestCertificates.generate(Files.createDirectories(directory));
        final SslContext serverTls = SslContextBuilder.forServer(certificates.certificateFile().toFile(),
            certificates.keyFile().toFile()).build();
        server = new NettyTestServer(serverTls);
        http = new HttpFacility(Duration.ofSeconds(10),
            SslContextBuilder.forClient().trustManager(certificates.certificate())
                .endpointIdentificationAlgorithm("HTTPS").build());
        final HttpConnection connection = connection(server.uri("https"));
        final Outcomes outcomes = new Outcomes();
        for (int i = 0; i < 5; i++)
        {
            connection.send(bytes("secret"), 6, outcomes);
            assertThat(outcomes.next()).isEqualTo("200 ");
        }

        assertThat(server.bodies.poll()).isEqualTo("secret");
        assertThat(server.connections).hasValue(1);
    }

    @Test
    void shouldRefuseATlsServerWhoseCertificateIsNotTrusted() throws Exception
    {
        final TestCertificates certificates = TestCertificates.generate(Files.createDirectories(directory));
        server = new NettyTestServer(SslContextBuilder.forServer(certificates.certificateFile().toFile(),
            certificates.keyFile().toFile()).build());
        final HttpConnection connection = connection(server.uri("https"));
        final Outcomes outcomes = new Outcomes();
        connection.send(bytes("secret"), 6, outcomes);

        final Object outcome = outcomes.next();
        assertThat(outcome).isInstanceOf(Throwable.class);
        assertThat(causeChain((Throwable)outcome)).anyMatch(SSLHandshakeException.class::isInstance);
        assertThat(server.requests).hasValue(0);
    }

    @Test
    void shouldFailAfterTheFacilityIsClosed() throws Exception
    {
        server = new NettyTestServer();
        final HttpConnection connection = connection(server.uri("http"));
        http.close();

        assertThat(connection.send(bytes("a"), 1, new Outcomes())).isFalse();
    }

    private static java.util.List<Throwable> causeChain(final Throwable error)
    {
        final java.util.List<Throwable> chain = new java.util.ArrayList<>();
        for (Throwable t = error; t != null && !chain.contains(t); t = t.getCause())
        {
            chain.add(t);
        }
        return chain;
    }
}
