package mad.compat.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.status.StatusUtil;
import ch.qos.logback.core.util.StatusPrinter;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.Util;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J binding the daemon names itself ({@code -Dslf4j.provider}, set by {@code mad.compat.Main}): logback, as
 * {@code LogbackServiceProvider} would bind it, but configured by {@link DefaultLogging} directly when the operator
 * names no logback file.
 *
 * <p>Why: SLF4J's provider discovery and logback's configurator discovery each look up a {@code META-INF/services}
 * file in every jar of the class path, and the first lookup opens all ~35 jars (~50 ms of start-up on JDK 17; the
 * classes themselves come from the class-data archive without opening a jar). With {@code -Dlogback.configurationFile}
 * logback's own initialiser runs unchanged (Joran reads the operator's file, as in MAD).
 *
 * <p>Thread ownership: SLF4J calls {@link #initialize()} once, on the first thread that asks for a logger.
 */
public final class LoggingProvider implements SLF4JServiceProvider
{
    /** The SLF4J API version this binding is written against (logback 1.5's). */
    private static final String REQUESTED_API_VERSION = "2.0.99";

    private final LoggerContext context = new LoggerContext();
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final LogbackMDCAdapter mdc = new LogbackMDCAdapter();

    @Override
    public void initialize()
    {
        context.setName(CoreConstants.DEFAULT_CONTEXT_NAME);
        context.setMDCAdapter(mdc);
        if (System.getProperty(DefaultLogging.CONFIGURATION_FILE_PROPERTY) == null)
        {
            final DefaultLogging logging = new DefaultLogging();
            logging.setContext(context);
            logging.configureDefaults(context);
        }
        else
        {
            try
            {
                new ContextInitializer(context).autoConfig();
            }
            catch (final Exception ex)
            {
                Util.report("Failed to auto configure default logger context", ex);
            }
            if (!StatusUtil.contextHasStatusListener(context))
            {
                StatusPrinter.printInCaseOfErrorsOrWarnings(context);
            }
        }
        context.start();
    }

    @Override
    public ILoggerFactory getLoggerFactory()
    {
        return context;
    }

    @Override
    public IMarkerFactory getMarkerFactory()
    {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter()
    {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion()
    {
        return REQUESTED_API_VERSION;
    }
}
