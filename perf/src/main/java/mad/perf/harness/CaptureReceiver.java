package mad.perf.harness;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The harness's own sink receiver, a drop-in for {@code ../shared/mad-ref}'s {@code CaptureServer} on the paths the
 * harness uses: every POST (any path: the PT1S and PT1M aggregation-server sinks, the self-metrics sink, collectd's
 * {@code /collectd}) is appended to {@code <dir>/<path-slug>.frames} as {@code [int64 receive epoch ms][int32
 * length][body]} (big endian, the same file names and format, so {@link SinkCounter} reads it unchanged) and answered
 * 200 with an empty body; {@code GET /ping} answers 200 and {@code GET /stats} the requests and bytes per path as
 * JSON. Bodies go through a 1 MB buffer per path that is written out when full and every
 * {@value #FLUSH_MS} ms (the harness reads the files seconds after a trial), instead of one {@code write} system call
 * per request; keep-alive is honoured, {@code Expect: 100-continue} is answered (collectd's libcurl asks for it).
 *
 * <pre>
 * java -cp perf/target/benchmarks.jar mad.perf.harness.CaptureReceiver --port 7066 --dir capture
 *      [--bind 127.0.0.1] [--discard]
 * </pre>
 * Thread ownership: one Netty event loop ({@code capture-receiver}, epoll where available) owns every connection,
 * every {@link FrameFile} and the statistics; the shutdown hook flushes and closes the files after that loop has
 * terminated. A separate process started by the harness, so its CPU is neither the daemon's nor the generator's.
 */
public final class CaptureReceiver implements AutoCloseable
{
    static final int FLUSH_MS = 20;
    private static final int MAX_BODY = 64 << 20;

    private final Path _dir;
    private final boolean _store;
    private final EventLoopGroup _group;
    private final Channel _server;
    /** Per path: its frame file (null when discarding) and counters; owned by the event loop. */
    private final Map<String, PathState> _paths = new TreeMap<>();

    private CaptureReceiver(final String bind, final int port, final Path dir, final boolean store)
            throws InterruptedException
    {
        _dir = dir;
        _store = store;
        final boolean epoll = Epoll.isAvailable();
        final IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        final Class<? extends ServerChannel> channel = epoll ? EpollServerSocketChannel.class
                : NioServerSocketChannel.class;
        _group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("capture-receiver"), factory);
        try
        {
            _server = new ServerBootstrap().group(_group).channel(channel)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>()
                    {
                        @Override
                        protected void initChannel(final SocketChannel ch)
                        {
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_BODY),
                                    new Handler());
                        }
                    })
                    .bind(new InetSocketAddress(bind, port)).sync().channel();
        }
        catch (final InterruptedException | RuntimeException e)
        {
            _group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
        _group.next().scheduleAtFixedRate(this::flushAll, FLUSH_MS, FLUSH_MS, TimeUnit.MILLISECONDS);
    }

    /** Starts a receiver on {@code bind:port} (0 = an ephemeral port) writing frame files into {@code dir}. */
    static CaptureReceiver start(final String bind, final int port, final Path dir, final boolean store)
            throws IOException, InterruptedException
    {
        Files.createDirectories(dir);
        return new CaptureReceiver(bind, port, dir, store);
    }

    public static void main(final String[] args) throws Exception
    {
        int port = 7066;
        String bind = "127.0.0.1";
        String dir = "capture";
        boolean store = true;
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--bind" -> bind = args[++i];
                case "--dir" -> dir = args[++i];
                case "--discard" -> store = false;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        final CaptureReceiver receiver = start(bind, port, Paths.get(dir), store);
        Runtime.getRuntime().addShutdownHook(new Thread(receiver::close, "capture-receiver-stop"));
        System.out.println("capture-receiver: listening on " + bind + ":" + receiver.port() + " dir=" + dir
                + " store=" + store + (Epoll.isAvailable() ? " (epoll)" : " (nio)"));
    }

    /** The bound port. */
    int port()
    {
        return ((InetSocketAddress) _server.localAddress()).getPort();
    }

    /** Stops accepting, lets the event loop end, then writes out and closes every frame file. */
    @Override
    public void close()
    {
        _server.close().awaitUninterruptibly();
        _group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        // the loop has terminated: this thread is now the only one touching the files
        for (final Map.Entry<String, PathState> e : _paths.entrySet())
        {
            final PathState s = e.getValue();
            System.out.println("capture-receiver: " + e.getKey() + " " + s._requests + " requests, " + s._bytes
                    + " bytes");
            if (s._file != null)
            {
                try
                {
                    s._file.close();
                }
                catch (final IOException ex)
                {
                    System.err.println("capture-receiver: closing " + e.getKey() + ": " + ex);
                }
            }
        }
    }

    /** Same file name as CaptureServer's for a request path. */
    static String slug(final String path)
    {
        final String s = path.replaceAll("[^A-Za-z0-9._-]+", "_").replaceAll("^_+|_+$", "");
        return s.isEmpty() ? "root" : s;
    }

    private void flushAll()
    {
        for (final Map.Entry<String, PathState> e : _paths.entrySet())
        {
            final FrameFile f = e.getValue()._file;
            if (f != null)
            {
                try
                {
                    f.flush();
                }
                catch (final IOException ex)
                {
                    System.err.println("capture-receiver: writing " + e.getKey() + ": " + ex);
                }
            }
        }
    }

    private PathState state(final String path)
    {
        PathState s = _paths.get(path);
        if (s == null)
        {
            try
            {
                s = new PathState(_store ? FrameFile.open(_dir.resolve(slug(path) + ".frames")) : null);
            }
            catch (final IOException e)
            {
                throw new UncheckedIOException(e);
            }
            _paths.put(path, s);
        }
        return s;
    }

    private String stats()
    {
        final StringBuilder sb = new StringBuilder("{");
        for (final Map.Entry<String, PathState> e : _paths.entrySet())
        {
            if (sb.length() > 1)
            {
                sb.append(',');
            }
            sb.append('"').append(e.getKey()).append("\":{\"requests\":").append(e.getValue()._requests)
                    .append(",\"bytes\":").append(e.getValue()._bytes).append('}');
        }
        return sb.append("}\n").toString();
    }

    /** Counters and file of one request path; owned by the event loop. */
    private static final class PathState
    {
        private final FrameFile _file;
        private long _requests;
        private long _bytes;

        PathState(final FrameFile file)
        {
            _file = file;
        }
    }

    /** Answers one aggregated request; runs on the event loop. */
    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest>
    {
        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest request)
                throws IOException
        {
            final String uri = request.uri();
            final int query = uri.indexOf('?');
            final String path = query < 0 ? uri : uri.substring(0, query);
            final FullHttpResponse response;
            if (HttpMethod.GET.equals(request.method()))
            {
                final byte[] body = ("/stats".equals(path) ? stats() : "{\"status\":\"ok\"}\n")
                        .getBytes(StandardCharsets.UTF_8);
                response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.wrappedBuffer(body));
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
            }
            else
            {
                final ByteBuf content = request.content();
                final PathState s = state(path);
                s._requests++;
                s._bytes += content.readableBytes();
                if (s._file != null)
                {
                    s._file.append(System.currentTimeMillis(), content);
                }
                response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.EMPTY_BUFFER);
            }
            HttpUtil.setContentLength(response, response.content().readableBytes());
            if (HttpUtil.isKeepAlive(request))
            {
                ctx.writeAndFlush(response, ctx.voidPromise());
            }
            else
            {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            System.err.println("capture-receiver: " + ctx.channel().remoteAddress() + ": " + cause);
            ctx.close();
        }
    }

    /**
     * An append-only frames file with a write buffer: frames are copied into a 1 MB direct buffer that is written out
     * when it cannot take the next frame and on {@link #flush()}; a frame larger than the buffer is written directly
     * after it. Frames are appended whole and in order, so a reader sees complete frames or a partial last one.
     * Owned by one thread (the receiver's event loop).
     */
    static final class FrameFile implements AutoCloseable
    {
        static final int BUFFER = 1 << 20;
        private static final int HEADER = 12;

        private final FileChannel _channel;
        private final ByteBuffer _buffer = ByteBuffer.allocateDirect(BUFFER);

        private FrameFile(final FileChannel channel)
        {
            _channel = channel;
        }

        static FrameFile open(final Path file) throws IOException
        {
            return new FrameFile(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND));
        }

        /** Appends {@code [recvMs][length][body]}; the body's reader index is left unchanged. */
        void append(final long recvMs, final ByteBuf body) throws IOException
        {
            final int length = body.readableBytes();
            if (HEADER + length > _buffer.remaining())
            {
                flush();
            }
            _buffer.putLong(recvMs).putInt(length);
            if (length <= _buffer.remaining())
            {
                final int at = _buffer.position();
                body.getBytes(body.readerIndex(), _buffer.duplicate().position(at).limit(at + length));
                _buffer.position(at + length);
            }
            else
            {
                // larger than the buffer: the header, then the body straight from the request
                flush();
                final ByteBuffer direct = body.nioBuffer(body.readerIndex(), length);
                while (direct.hasRemaining())
                {
                    _channel.write(direct);
                }
            }
        }

        /** Writes out what is buffered. */
        void flush() throws IOException
        {
            _buffer.flip();
            while (_buffer.hasRemaining())
            {
                _channel.write(_buffer);
            }
            _buffer.clear();
        }

        @Override
        public void close() throws IOException
        {
            try
            {
                flush();
            }
            finally
            {
                _channel.close();
            }
        }
    }
}
