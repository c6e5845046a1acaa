package mad.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;

class IngestThreadsTest
{
    @Test
    void shouldPickEpollWhenAvailableAndNameThreads() throws Exception
    {
        try (IngestThreads threads = new IngestThreads(2))
        {
            assertThat(threads.threadCount()).isEqualTo(2);
            if (Epoll.isAvailable())
            {
                assertThat(threads.transportName()).isEqualTo("epoll");
                assertThat(threads.serverChannelClass()).isEqualTo(EpollServerSocketChannel.class);
            }
            final Thread thread = threads.group().submit(Thread::currentThread).get(5, TimeUnit.SECONDS);
            assertThat(thread.getName()).matches("ingest-[01]");
            assertThat(thread).isInstanceOf(IngestThreads.IngestThread.class);
        }
    }

    @Test
    void shouldFallBackToNioWhenAsked()
    {
        try (IngestThreads threads = new IngestThreads(1, IngestThreads.Transport.NIO))
        {
            assertThat(threads.transportName()).isEqualTo("nio");
            assertThat(threads.serverChannelClass()).isEqualTo(NioServerSocketChannel.class);
        }
    }
}
