package mad.compat.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
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
 * <p>Thread ownership: called once by logback on the thread that first asks for a logger.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class DefaultLogging extends ContextAwareBase implements Configurator
{
    /** The file written when no logback configuration is given, relative to the working directory (as MAD). */
    public static final String DEFAULT_FILE = "logs/mad.log";

    @Override
    public ExecutionStatus configure(final LoggerContext context)
    {
        if (System.getProperty("logback.configurationFile") != null
                || DefaultLogging.class.getClassLoader().getResource("logback-test.xml") != null)
        {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        final FileAppender<ILoggingEvent> file = new FileAppender<>();
        file.setContext(context);
        file.setName("file");
        file.setFile(DEFAULT_FILE);
        file.setEncoder(encoder(context, "%date %t [%level] %logger : %message %ex%n"));
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
        stderr.setEncoder(encoder(context, "%date [%level] %logger{0} : %message%n"));
        stderr.start();

        final ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(async);
        root.addAppender(stderr);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    private static PatternLayoutEncoder encoder(final LoggerContext context, final String pattern)
    {
        final PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(pattern);
        encoder.start();
        return encoder;
    }
}
