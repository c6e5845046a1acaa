package mad.compat.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import org.junit.jupiter.api.Test;

class DefaultLoggingTest
{
    @Test
    void shouldConfigureMadsDefaultAppendersWhenNoFileIsNamed()
    {
        final String previous = System.clearProperty("logback.configurationFile");
        final LoggerContext context = new LoggerContext();
        try
        {
            final DefaultLogging logging = new DefaultLogging();
            logging.setContext(context);

            assertThat(logging.configure(context)).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
            final ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            assertThat(root.getAppender("stderr")).isInstanceOf(ConsoleAppender.class);
            final AsyncAppender async = (AsyncAppender)root.getAppender("async");
            assertThat(async.getQueueSize()).isEqualTo(500);
            assertThat(((FileAppender<?>)async.getAppender("file")).getFile()).isEqualTo(DefaultLogging.DEFAULT_FILE);
        }
        finally
        {
            context.stop();
            if (previous != null)
            {
                System.setProperty("logback.configurationFile", previous);
            }
        }
    }

    @Test
    void shouldStepAsideForAnOperatorsLogbackFile()
    {
        final String previous = System.setProperty("logback.configurationFile", "/etc/mad/logback.xml");
        final LoggerContext context = new LoggerContext();
        try
        {
            final DefaultLogging logging = new DefaultLogging();
            logging.setContext(context);

            assertThat(logging.configure(context)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
            assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext())
                .isFalse();
        }
        finally
        {
            context.stop();
            if (previous == null)
            {
                System.clearProperty("logback.configurationFile");
            }
            else
            {
                System.setProperty("logback.configurationFile", previous);
            }
        }
    }
}
