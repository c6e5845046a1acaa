package mad.ingest.http;

import java.io.File;

import javax.net.ssl.SSLException;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

/**
 * Builds the server TLS context of MAD's HTTPS listener ({@code enableHttps}, {@code httpsKeyPath},
 * {@code httpsCertificatePath}): a PEM private key (PKCS#8, as MAD requires; PKCS#1 is accepted too) and a PEM
 * certificate chain, TLS 1.3 and 1.2 only.
 *
 * <p>Thread ownership: stateless; called once by the wiring thread. The context it returns is thread-safe.
 */
public final class TlsContexts
{
    /** MAD serves TLS 1.3 only; 1.2 is kept for older clients and load balancers. Nothing older. */
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private TlsContexts()
    {
    }

    /**
     * @param keyPath PEM private key file.
     * @param certificatePath PEM certificate (chain) file.
     * @return the server context.
     * @throws IllegalArgumentException naming the file when a file is missing or unreadable or the key does not fit.
     */
    public static SslContext server(final String keyPath, final String certificatePath)
    {
        final File key = new File(keyPath);
        final File certificate = new File(certificatePath);
        if (!key.canRead())
        {
            throw new IllegalArgumentException("cannot read the HTTPS private key " + key.getAbsolutePath());
        }
        if (!certificate.canRead())
        {
            throw new IllegalArgumentException("cannot read the HTTPS certificate " + certificate.getAbsolutePath());
        }
        try
        {
            return SslContextBuilder.forServer(certificate, key)
                .sslProvider(SslProvider.JDK)
                .protocols(PROTOCOLS)
                .build();
        }
        catch (final SSLException | IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("invalid HTTPS key " + key + " or certificate " + certificate + ": "
                + (ex.getCause() != null ? ex.getCause().getMessage() : ex.getMessage()), ex);
        }
    }
}
