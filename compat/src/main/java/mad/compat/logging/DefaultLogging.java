package mad.compat.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The default logging set-up when the operator names no logback file: like MAD's built-in fallback, lines go to
 * {@code logs/mad.log} under the working directory (through a bounded async queue), warnings and errors also to
 * stderr.
 *
 * <p>Why in code and not a bundled {@code logback.xml}: Joran (logback's XML configurator) loads ~150 classes and
 * walks its model reflectively, about 100 ms of the daemon's start on a 2-core box, more than the whole rest of the
 * start-up. With {@code -Dlogback.configurationFile=...} (MAD's launcher passes one) or a {@code logback-test.xml}
 * on the class path this configurator steps aside and Joran reads that file unchanged.
 *
 * <p>The daemon's own SLF4J binding ({@link LoggingProvider}) calls {@link #configureDefaults} directly; this class is
 * also a logback {@code Configurator} service, so code that binds logback the usual way (tests, embedding) gets the
 * same set-up.
 *
 * <p>Thread ownership: called once by logback on the thread that first asks for a logger.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class DefaultLogging extends ContextAwareBase implements Configurator
{
    /** The file written when no logback configuration is given, relative to the working directory (as MAD). */
    public static final String DEFAULT_FILE = "logs/mad.log";
    /** The system property naming an operator's logback file (logback's own). */
    static final String CONFIGURATION_FILE_PROPERTY = "logback.configurationFile";

    @Override
    public ExecutionStatus configure(final LoggerContext context)
    {
        if (System.getProperty(CONFIGURATION_FILE_PROPERTY) != null
                || DefaultLogging.class.getClassLoader().getResource("logback-test.xml") != null)
        {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        configureDefaults(context);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * Installs the default appenders (the log file through an async queue, warnings and errors also on stderr).
     *
     * @param context the context to configure.
     */
    void configureDefaults(final LoggerContext context)
    {
        final FileAppender<ILoggingEvent> file = new FileAppender<>();
        file.setContext(context);
        file.setName("file");
        file.setFile(DEFAULT_FILE);
        file.setEncoder(encoder(context, LineLayout.fileLayout()));
        file.start();

        final AsyncAppender async = new AsyncAppender();
        async.setContext(context);
        async.setName("async");
        async.setQueueSize(500);
        async.setDiscardingThreshold(50);
        async.addAppender(file);
        async.start();

        final ThresholdFilter warnings = new ThresholdFilter();
        warnings.setContext(context);
        warnings.setLevel("WARN");
        warnings.start();
        final ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("stderr");
        stderr.setTarget("System.err");
        stderr.addFilter(warnings);
        stderr.setEncoder(encoder(context, LineLayout.consoleLayout()));
        stderr.start();

        final ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(async);
        root.addAppender(stderr);
    }

    private static LayoutWrappingEncoder<ILoggingEvent> encoder(final LoggerContext context, final LineLayout layout)
    {
        layout.setContext(context);
        layout.start();
        final LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        return encoder;
    }
}
