package mad.perf.harness;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal HTTP/1.1 keep-alive client over one blocking socket: writes a request, reads the status and skips the
 * body (Content-Length or chunked). Lean on purpose so that the load generator costs little CPU.
 * Owned by one sender thread.
 */
final class HttpConn implements AutoCloseable
{
    private final String _host;
    private final int _port;
    private Socket _socket;
    private InputStream _in;
    private OutputStream _out;

    HttpConn(final String host, final int port)
    {
        _host = host;
        _port = port;
    }

    /** Head of a POST request; the body follows it. */
    static byte[] postHead(final String path, final String contentType, final int length)
    {
        return ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + contentType
                + "\r\nContent-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends one request and returns its status, or -1 on an I/O error (the connection is reopened next time). */
    int exchange(final byte[] head, final byte[] body)
    {
        try
        {
            if (_socket == null)
            {
                _socket = new Socket();
                _socket.setTcpNoDelay(true);
                _socket.connect(new InetSocketAddress(_host, _port), 2000);
                _socket.setSoTimeout(10_000);
                _in = new BufferedInputStream(_socket.getInputStream(), 8192);
                _out = _socket.getOutputStream();
            }
            _out.write(head);
            if (body != null)
            {
                _out.write(body);
            }
            _out.flush();
            return readResponse();
        }
        catch (final IOException e)
        {
            close();
            return -1;
        }
    }

    @Override
    public void close()
    {
        if (_socket != null)
        {
            try
            {
                _socket.close();
            }
            catch (final IOException ignored)
            {
                // closing anyway
            }
        }
        _socket = null;
    }

    private int readResponse() throws IOException
    {
        final String status = line();
        final int code = Integer.parseInt(status.split(" ")[1]);
        long length = 0;
        boolean chunked = false;
        boolean closeAfter = false;
        for (String h = line(); !h.isEmpty(); h = line())
        {
            final String lower = h.toLowerCase();
            if (lower.startsWith("content-length:"))
            {
                length = Long.parseLong(h.substring(15).trim());
            }
            else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked"))
            {
                chunked = true;
            }
            else if (lower.startsWith("connection:") && lower.contains("close"))
            {
                closeAfter = true;
            }
        }
        if (chunked)
        {
            for (long n = Long.parseLong(line().trim(), 16); n > 0; n = Long.parseLong(line().trim(), 16))
            {
                skip(n);
                line();
            }
            line();
        }
        else
        {
            skip(length);
        }
        if (closeAfter)
        {
            close();
        }
        return code;
    }

    private String line() throws IOException
    {
        final StringBuilder sb = new StringBuilder(64);
        for (int c = _in.read(); c != '\n'; c = _in.read())
        {
            if (c < 0)
            {
                throw new IOException("connection closed");
            }
            if (c != '\r')
            {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    private void skip(final long n) throws IOException
    {
        long left = n;
        while (left > 0)
        {
            final long s = _in.skip(left);
            if (s <= 0)
            {
                if (_in.read() < 0)
                {
                    throw new IOException("connection closed");
                }
                left--;
            }
            else
            {
                left -= s;
            }
        }
    }
}
