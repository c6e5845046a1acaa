package mad.compat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import mad.engine.config.ConfigException;
import sun.misc.Signal;

/**
 * Process entry, as MAD's: exactly one argument, the daemon configuration file. Starts the {@link Appliance}, then
 * waits for SIGTERM or SIGINT, on which it stops accepting data, flushes every open bucket to the sinks, drains them
 * within a bounded time and exits 0. A configuration error exits 1 with a message naming file, key path and reason.
 *
 * <p>Thread ownership: the main thread starts and stops the appliance; the signal handler only releases the latch.
 */
public final class Main
{
    static
    {
        // Netty 4.2 registers JFR events for its buffer allocator, which loads and initialises JFR (~80 classes,
        // tens of ms of start-up) although nothing records them; -Dio.netty.jfr.enabled=true brings them back.
        if (System.getProperty("io.netty.jfr.enabled") == null)
        {
            System.setProperty("io.netty.jfr.enabled", "false");
        }
        // SLF4J binds the provider named here without its ServiceLoader scan of every jar (LoggingProvider says
        // why); an operator's own -Dslf4j.provider wins.
        if (System.getProperty("slf4j.provider") == null)
        {
            System.setProperty("slf4j.provider", "mad.compat.logging.LoggingProvider");
        }
        // The JDK looks for a SelectorProvider service in every jar before it takes the platform's default; naming
        // the default (Linux: epoll) skips that scan. Netty's epoll transport opens one Selector on start-up.
        if (System.getProperty("java.nio.channels.spi.SelectorProvider") == null
                && "Linux".equals(System.getProperty("os.name")))
        {
            System.setProperty("java.nio.channels.spi.SelectorProvider", "sun.nio.ch.EPollSelectorProvider");
        }
    }

    private Main()
    {
    }

    /**
     * @param args one argument: the configuration file.
     */
    public static void main(final String[] args)
    {
        if (args.length != 1)
        {
            System.err.println("madx: no configuration file specified (usage: madx path/to/config.conf)");
            System.exit(2);
        }
        final Path configFile = Path.of(args[0]);
        if (!Files.isRegularFile(configFile))
        {
            System.err.println("madx: configuration file not found: " + configFile.toAbsolutePath());
            System.exit(2);
        }
        // the configuration is parsed on a helper thread while this one initialises logging (StartupOverlap)
        final StartupOverlap overlap = StartupOverlap.parse(configFile);
        final Logger log = LoggerFactory.getLogger(Main.class);
        overlap.loggingReady();
        log.info("Launching madx with {}", configFile);
        final Appliance appliance;
        try
        {
            appliance = Appliance.start(configFile, overlap.config(), overlap.localHostName());
        }
        catch (final ConfigException ex)
        {
            log.error("Invalid configuration: {}", ex.getMessage());
            System.err.println("madx: invalid configuration: " + ex.getMessage());
            System.exit(1);
            return;
        }
        catch (final Exception ex)
        {
            log.error("Start-up failed", ex);
            System.err.println("madx: start-up failed: " + ex);
            System.exit(1);
            return;
        }
        final CountDownLatch stop = new CountDownLatch(1);
        // Handling TERM/INT ourselves (instead of relying on shutdown hooks) lets the process exit 0 after a clean
        // flush, as an init system expects, rather than 143.
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Signal.handle(new Signal("INT"), signal -> stop.countDown());
        Runtime.getRuntime().addShutdownHook(new Thread(appliance::close, "shutdown-hook"));
        StartupCompaction.runIfUseful(log);
        try
        {
            stop.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        log.info("Stopping madx");
        appliance.close();
        log.info("Shutdown complete");
        System.exit(0);
    }
}
