package mad.compat;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import mad.compat.config.ConfigLoader;
import mad.compat.config.DaemonConfig;
import mad.engine.config.ConfigException;

/**
 * Start-up work that runs beside the main thread so the two cores of a small box share it: while the main thread
 * initialises logging (logback: ~80 ms of class initialisation on JDK 17), a helper thread parses the daemon
 * configuration (Typesafe Config, ~35 ms) and resolves the local host name, and once logging is up a second helper initialises Netty's native
 * transport (loading the epoll library, ~40 ms) while the main thread builds the tuning profile and pipelines.
 *
 * <p>Why the order matters: a class that asks SLF4J for a logger while logback is still initialising gets a
 * substitute logger whose early events SLF4J replays with a warning on stderr. So the configuration parser (which has
 * no loggers) is the only thing that overlaps logging initialisation; Netty, which logs from its static initialisers,
 * starts only after {@link #loggingReady()}.
 *
 * <p>Thread ownership: created and awaited by the main thread; each helper is a daemon thread that ends after its one
 * task. A failure in a helper surfaces on the main thread where the result is awaited (the configuration) or is
 * ignored (the Netty warm-up: the ingest threads then initialise the transport themselves and report any error).
 */
final class StartupOverlap
{
    /**
     * Classes whose initialisation is slow and that use no logger, so they may initialise beside logback: Agrona's
     * {@code UnsafeApi} (~20 ms: it binds jdk.internal.misc.Unsafe) and the ring and buffer classes the pipelines
     * create next.
     */
    private static final String[] LOGGER_FREE_CLASSES = {
        "org.agrona.UnsafeApi",
        "org.agrona.concurrent.UnsafeBuffer",
        "org.agrona.ExpandableArrayBuffer",
        "org.agrona.collections.Int2ObjectHashMap",
        "org.agrona.collections.Long2LongHashMap",
        "com.lmax.disruptor.RingBuffer",
        "com.lmax.disruptor.EventPoller",
    };

    private final CompletableFuture<DaemonConfig> _config = new CompletableFuture<>();
    private final CompletableFuture<String> _localHostName = new CompletableFuture<>();

    private StartupOverlap()
    {
    }

    /**
     * Starts parsing {@code configFile} on a helper thread.
     *
     * @param configFile the daemon configuration.
     * @return the overlap, whose {@link #config()} waits for the parse.
     */
    static StartupOverlap parse(final Path configFile)
    {
        final StartupOverlap overlap = new StartupOverlap();
        final Thread parser = new Thread(() ->
        {
            DaemonConfig config = null;
            try
            {
                config = DaemonConfig.from(ConfigLoader.load(configFile));
                overlap._config.complete(config);
            }
            catch (final Throwable ex)
            {
                overlap._config.completeExceptionally(ex);
            }
            // The self-metrics' host dimension: the first InetAddress use looks up a resolver service in every jar
            // on JDK 18+ (~40 ms on JDK 25), then asks the system resolver; neither needs a logger.
            overlap._localHostName.complete(config != null && config.monitoringHost().isEmpty()
                ? Appliance.resolveLocalHostName() : null);
            warm(LOGGER_FREE_CLASSES);
        }, "madx-startup-config");
        parser.setDaemon(true);
        parser.start();
        return overlap;
    }

    /** Call once logging is initialised: warms Netty's native transport on a helper thread. */
    void loggingReady()
    {
        final Thread warm = new Thread(StartupOverlap::warmNetty, "madx-startup-netty");
        warm.setDaemon(true);
        warm.start();
    }

    /**
     * @return the parsed configuration.
     * @throws ConfigException when the file is invalid (as {@code DaemonConfig.from} throws it).
     */
    DaemonConfig config() throws Exception
    {
        try
        {
            return _config.get();
        }
        catch (final ExecutionException ex)
        {
            if (ex.getCause() instanceof Exception)
            {
                throw (Exception)ex.getCause();
            }
            throw ex;
        }
    }

    /**
     * @return the local host name resolved beside start-up, or {@code null} when it was not needed or not found (the
     *     appliance then resolves it itself and reports why it could not).
     */
    String localHostName()
    {
        try
        {
            return _localHostName.get();
        }
        catch (final ExecutionException ex)
        {
            return null;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static void warm(final String[] classNames)
    {
        for (final String name : classNames)
        {
            try
            {
                Class.forName(name, true, StartupOverlap.class.getClassLoader());
            }
            catch (final Throwable ex)
            {
                // warm-up only: a class that cannot load fails again, and is reported, where it is really used
            }
        }
    }

    private static void warmNetty()
    {
        try
        {
            // class initialisation of Epoll loads the native library; the ingest threads find it done
            io.netty.channel.epoll.Epoll.isAvailable();
            Class.forName("io.netty.handler.codec.http.HttpServerCodec");
            Class.forName("io.netty.handler.codec.http.HttpObjectAggregator");
            Class.forName("io.netty.bootstrap.ServerBootstrap");
        }
        catch (final Throwable ex)
        {
            // warm-up only: whatever failed here fails again, and is reported, where it is really used
        }
    }
}
