package mad.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import mad.engine.config.ConfigException;

/**
 * {@code enableHttps} at the appliance level: an unusable key stops the start with the key path named and leaves
 * no listener bound (MAD binds plain HTTP, then aborts with its pipelines never started).
 */
class ApplianceHttpsIT
{
    @TempDir
    Path dir;

    @Test
    void shouldStopTheStartNamingTheKeyFileAndBindNothing() throws Exception
    {
        final int httpPort = freePort();
        final int httpsPort = freePort();
        Files.createDirectories(dir.resolve("pipelines"));
        Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");
        Files.writeString(dir.resolve("config.conf"), String.join("\n",
            "pipelinesDirectory=\"" + dir.resolve("pipelines") + "\"",
            "logDirectory=\"" + dir.resolve("logs") + "\"",
            "httpHost=\"127.0.0.1\"", "httpPort=" + httpPort, "httpsHost=\"127.0.0.1\"", "httpsPort=" + httpsPort,
            "enableHttps=true",
            "httpsKeyPath=\"" + dir.resolve("key.pem") + "\"",
            "httpsCertificatePath=\"" + dir.resolve("key.pem") + "\"",
            "monitoringCluster=\"test\"", "monitoringSinks=[]",
            "akkaConfiguration {}"));
        assertThatThrownBy(() -> Appliance.start(dir.resolve("config.conf")))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("httpsKeyPath")
            .hasMessageContaining("key.pem");
        assertThat(canBind(httpPort)).isTrue();
        assertThat(canBind(httpsPort)).isTrue();
    }

    private static int freePort() throws Exception
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
    }

    private static boolean canBind(final int port)
    {
        try (ServerSocket socket = new ServerSocket())
        {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        }
        catch (final Exception ex)
        {
            return false;
        }
    }
}
