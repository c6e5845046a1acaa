package mad.compat.peers;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import mad.compat.Appliance;

/**
 * The real daemon (in-process {@code Appliance}) on free ports, with one pipeline whose sources a test names and
 * whose only sink writes every closed PT1S period as a JSON line, so a test driven by a real client can read back
 * what was aggregated.
 *
 * <p>Thread ownership: used by one test thread.
 */
final class PeerDaemon implements AutoCloseable
{
    private static final Pattern METRIC = Pattern.compile("\"metric\":\"((?:[^\"\\\\]|\\\\.)*)\"");

    final int httpPort;
    private final Path output;
    private final AutoCloseable appliance;

    /**
     * @param dir a temporary directory.
     * @param sources the pipeline's {@code sources} list body (HOCON objects).
     */
    PeerDaemon(final Path dir, final String sources) throws Exception
    {
        this(dir, sources, "");
    }

    /**
     * @param dir a temporary directory.
     * @param sources the pipeline's {@code sources} list body (HOCON objects).
     * @param pipelineKeys further pipeline keys (HOCON), e.g. {@code timerStatistics=[...]}.
     */
    PeerDaemon(final Path dir, final String sources, final String pipelineKeys) throws Exception
    {
        httpPort = freeTcpPort();
        output = dir.resolve("aggregates.jsonl");
        Files.createDirectories(dir.resolve("pipelines"));
        Files.writeString(dir.resolve("config.conf"), String.join("\n",
            "pipelinesDirectory=\"" + dir.resolve("pipelines") + "\"",
            "logDirectory=\"" + dir.resolve("logs") + "\"",
            "httpHost=\"127.0.0.1\"", "httpPort=" + httpPort, "httpsHost=\"127.0.0.1\"", "httpsPort=7091",
            "monitoringCluster=\"test\"", "monitoringSinks=[]",
            "akkaConfiguration { akka { http.server.parsing.max-content-length=\"infinite\" } }"));
        Files.writeString(dir.resolve("pipelines/peers.conf"), String.join("\n",
            "name=\"peers\"",
            "periods=[\"PT1S\"]",
            pipelineKeys,
            "sources=[" + sources + "]",
            "sinks=[{ type=\"madx.sinks.JsonLinesFileSink\", name=\"file\", path=\"" + output + "\" }]"));
        appliance = Appliance.start(dir.resolve("config.conf"));
    }

    /**
     * @return every JSON line written so far.
     */
    List<String> lines() throws IOException
    {
        return Files.exists(output) ? Files.readAllLines(output) : List.of();
    }

    /**
     * Polls the output until {@code done} holds for the lines (or the deadline passes).
     *
     * @return the lines at that point.
     */
    List<String> await(final Predicate<List<String>> done, final long timeoutSeconds) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        List<String> lines = lines();
        while (!done.test(lines) && System.nanoTime() < deadline)
        {
            TimeUnit.MILLISECONDS.sleep(200);
            lines = lines();
        }
        return lines;
    }

    static String metric(final String line)
    {
        final Matcher matcher = METRIC.matcher(line);
        return matcher.find() ? matcher.group(1) : "";
    }

    static List<String> metrics(final List<String> lines)
    {
        final List<String> names = new ArrayList<>();
        for (final String line : lines)
        {
            names.add(metric(line));
        }
        return names;
    }

    /**
     * @return the value of statistic {@code name} in a JSON line, or NaN.
     */
    static double statistic(final String line, final String name)
    {
        final Matcher matcher = Pattern
            .compile("\"" + Pattern.quote(name) + "\":\\{\"value\":([-0-9.E]+|\"[A-Za-z]+\")").matcher(line);
        return matcher.find() && !matcher.group(1).startsWith("\"") ? Double.parseDouble(matcher.group(1)) : Double.NaN;
    }

    static int freeTcpPort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
    }

    static int freeUdpPort() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(0))
        {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception
    {
        appliance.close();
    }
}
