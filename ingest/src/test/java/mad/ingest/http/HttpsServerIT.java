package mad.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.protobuf.ByteString;

import io.inscopemetrics.client.protocol.ClientV3;
import mad.ingest.IngestThreads;
import mad.ingest.decode.CallRecordingWriter;
import mad.ingest.decode.ClientV3Decoder;

/**
 * MAD's HTTPS listener over a real socket, with a certificate generated in the test: the same routes as plain HTTP,
 * TLS 1.3 and 1.2 only, and clear errors for unusable key files.
 */
class HttpsServerIT
{
    @TempDir
    static Path directory;

    private static IngestThreads threads;
    private static HttpServer server;
    private static SSLContext trusting;
    private static final CallRecordingWriter WRITER = new CallRecordingWriter();

    @BeforeAll
    static void start() throws Exception
    {
        final TestCertificates certificates = TestCertificates.generate(directory);
        threads = new IngestThreads(1);
        final HttpRoutes routes = new HttpRoutes();
        routes.register(ClientHttpSource.V3_PATH, "appv3", ClientV3Decoder::new, backpressure -> WRITER);
        server = new HttpServer(new HttpServerConfig("127.0.0.1", 0, "/ping", "/status", 4096, "1.2.3", "abc"),
            threads, routes, TlsContexts.server(certificates.keyFile().toString(),
                certificates.certificateFile().toString()));
        server.start();
        final KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("madx", certificates.certificate());
        final TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        trusting = SSLContext.getInstance("TLS");
        trusting.init(null, factory.getTrustManagers(), null);
    }

    @AfterAll
    static void stop()
    {
        server.close();
        threads.close();
    }

    @Test
    void shouldServeTheSameRoutesOverTls() throws Exception
    {
        final HttpClient client = HttpClient.newBuilder().sslContext(trusting).build();
        final String base = "https://127.0.0.1:" + server.port();
        final HttpResponse<String> ping = client.send(
            HttpRequest.newBuilder(URI.create(base + "/ping")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ping.statusCode()).isEqualTo(200);
        assertThat(ping.body()).isEqualTo("{\"status\":\"HEALTHY\"}");
        assertThat(ping.sslSession()).hasValueSatisfying(
            session -> assertThat(session.getProtocol()).isIn("TLSv1.3", "TLSv1.2"));

        final byte[] body = ClientV3.Request.newBuilder().addRecords(ClientV3.Record.newBuilder()
            .setId(ByteString.copyFrom(new byte[16])).setEndMillisSinceEpoch(1000)
            .addData(ClientV3.MetricDataEntry.newBuilder()
                .setName(ClientV3.Identifier.newBuilder().setStringValue("m"))
                .setNumericalData(ClientV3.NumericalData.newBuilder().addSamples(42))))
            .build().toByteArray();
        final HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create(base + ClientHttpSource.V3_PATH))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(200);
        assertThat(WRITER.calls()).contains("metric m GAUGE NONE", "sample 42.0");
    }

    @Test
    void shouldRefuseTls11() throws Exception
    {
        try (SSLSocket socket = (SSLSocket)trusting.getSocketFactory().createSocket("127.0.0.1", server.port()))
        {
            socket.setEnabledProtocols(new String[] {"TLSv1.1"});
            assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLHandshakeException.class);
        }
        catch (final IllegalArgumentException unsupportedByThisJdk)
        {
            // the client JDK has no TLS 1.1 at all: nothing older than 1.2 can be negotiated either way
            assertThat(TlsContexts.PROTOCOLS).containsExactly("TLSv1.3", "TLSv1.2");
        }
    }

    @Test
    void shouldNameTheFileThatCannotBeUsed() throws Exception
    {
        final Path garbage = Files.writeString(directory.resolve("garbage.pem"), "not a key");
        final String cert = directory.resolve("cert.pem").toString();
        assertThatThrownBy(() -> TlsContexts.server(directory.resolve("absent.pem").toString(), cert))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absent.pem");
        assertThatThrownBy(() -> TlsContexts.server(garbage.toString(), cert))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("garbage.pem");
    }
}
