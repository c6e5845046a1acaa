package mad.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code bin/mad} itself, on every JDK this machine has among those we support (the running one, and Temurin 25
 * where installed): it must pick the JVM flags that JDK accepts, answer {@code /ping}, exit 0 on SIGTERM, and exit
 * non-zero with the file, key path and reason on a bad configuration.
 */
class LauncherIT
{
    private static final Path LAUNCHER = Path.of("..", "bin", "mad").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    static Stream<String> javaHomes()
    {
        final List<String> homes = new ArrayList<>();
        homes.add(System.getProperty("java.home"));
        for (final String candidate : new String[] {"/usr/lib/jvm/temurin-25-jdk-amd64", "/usr/lib/jvm/java-17-openjdk-amd64"})
        {
            if (Files.isExecutable(Path.of(candidate, "bin", "java")) && !homes.contains(candidate))
            {
                homes.add(candidate);
            }
        }
        return homes.stream();
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void shouldStartAnswerPingAndExitZeroOnSigterm(final String javaHome) throws Exception
    {
        Assumptions.assumeTrue(Files.isExecutable(LAUNCHER), "no launcher at " + LAUNCHER);
        final int port = freePort();
        writeConfig(port, "");
        final Process process = launch(javaHome, true);
        try
        {
            final HttpClient client = HttpClient.newHttpClient();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            int status = -1;
            while (status != 200 && System.nanoTime() < deadline && process.isAlive())
            {
                try
                {
                    status = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ping"))
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                }
                catch (final IOException notYet)
                {
                    TimeUnit.MILLISECONDS.sleep(50);
                }
            }
            assertThat(status).as(output()).isEqualTo(200);
            process.destroy();
            assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(output()).isZero();
        }
        finally
        {
            process.destroyForcibly();
        }
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void shouldExitNonZeroNamingFileKeyAndReason(final String javaHome) throws Exception
    {
        Assumptions.assumeTrue(Files.isExecutable(LAUNCHER), "no launcher at " + LAUNCHER);
        writeConfig(freePort(), "sinks=[{ type=\"com.example.NoSuchSink\", name=\"x\" }]");
        final Process process = launch(javaHome, false);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(1);
        assertThat(output()).contains("p.conf").contains("sinks[0].type").contains("com.example.NoSuchSink");
    }

    private void writeConfig(final int port, final String extraPipelineLine) throws IOException
    {
        Files.createDirectories(dir.resolve("config/pipelines"));
        Files.writeString(dir.resolve("config/config.conf"), String.join("\n",
            "pipelinesDirectory=\"config/pipelines\"", "logDirectory=\"logs\"",
            "httpHost=\"127.0.0.1\"", "httpPort=" + port, "httpsHost=\"127.0.0.1\"", "httpsPort=7091",
            "monitoringCluster=\"test\"", "monitoringSinks=[]", "akkaConfiguration {}"));
        Files.writeString(dir.resolve("config/pipelines/p.conf"), String.join("\n",
            "name=\"launcher\"",
            "sources=[{ type=\"com.arpnetworking.metrics.common.sources.ClientHttpSourceV3\", name=\"v3\" }]",
            extraPipelineLine));
    }

    /**
     * @param withStartupCache let the launcher write and use its CDS archive / AOT cache (the JDK-specific path).
     */
    private Process launch(final String javaHome, final boolean withStartupCache) throws IOException
    {
        final ProcessBuilder builder = new ProcessBuilder(LAUNCHER.toString(), "config/config.conf")
            .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile());
        builder.environment().put("JAVA_HOME", javaHome);
        if (!withStartupCache)
        {
            builder.environment().put("MADX_NO_CDS", "1");
        }
        return builder.start();
    }

    private String output() throws IOException
    {
        return Files.readString(dir.resolve("out.log"));
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
    }
}
