package mad.emit.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoop;
import io.netty.util.NetUtil;

/**
 * Resolves sink host names without blocking the shared {@code madx-http-client} event loop: address literals are
 * turned into addresses at once; names are looked up with the JDK resolver (its cache, {@code /etc/hosts} and
 * {@code networkaddress.cache.ttl} apply, as for MAD's client) on one helper thread, {@code madx-http-resolver},
 * that exists only while lookups are pending (it ends 10 s after the last one). Resolution happens per connect, so a
 * reconnect follows a changed DNS record.
 *
 * <p>Thread ownership: {@link #resolve} from any thread; the callback always runs on the given event loop.
 */
final class OffLoopNameResolver implements AutoCloseable
{
    /** Receives the outcome of one lookup on the event loop. */
    interface Callback
    {
        void resolved(InetSocketAddress address);

        void failed(Throwable error);
    }

    private final ThreadPoolExecutor executor;

    OffLoopNameResolver()
    {
        executor = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable ->
        {
            final Thread thread = new Thread(runnable, "madx-http-resolver");
            thread.setDaemon(true);
            return thread;
        });
        executor.allowCoreThreadTimeOut(true);
    }

    /**
     * @param host a name or an address literal (IPv6 without brackets).
     * @param port the port.
     * @param loop where the callback runs.
     * @param callback the outcome.
     */
    void resolve(final String host, final int port, final EventLoop loop, final Callback callback)
    {
        final byte[] literal = NetUtil.createByteArrayFromIpAddressString(host);
        if (literal != null)
        {
            try
            {
                final InetSocketAddress address = new InetSocketAddress(InetAddress.getByAddress(host, literal), port);
                runOn(loop, () -> callback.resolved(address));
            }
            catch (final UnknownHostException e)
            {
                runOn(loop, () -> callback.failed(e));
            }
            return;
        }
        final ExecutorService lookups = executor;
        try
        {
            lookups.execute(() ->
            {
                try
                {
                    final InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(host), port);
                    loop.execute(() -> callback.resolved(address));
                }
                catch (final UnknownHostException | RuntimeException e)
                {
                    loop.execute(() -> callback.failed(e));
                }
            });
        }
        catch (final RuntimeException e)
        {
            runOn(loop, () -> callback.failed(e));
        }
    }

    @Override
    public void close()
    {
        executor.shutdownNow();
    }

    private static void runOn(final EventLoop loop, final Runnable task)
    {
        if (loop.inEventLoop())
        {
            task.run();
        }
        else
        {
            loop.execute(task);
        }
    }
}
