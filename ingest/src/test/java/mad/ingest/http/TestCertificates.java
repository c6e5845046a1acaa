package mad.ingest.http;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed certificate for 127.0.0.1 generated in the test, written as MAD expects it: a PKCS#8 PEM key
 * ({@code BEGIN PRIVATE KEY}) and a PEM certificate. Shared test fixture: ingest's HTTPS server tests use it, and
 * this module publishes it in its test-jar (only this class) for emit's HTTPS client tests.
 *
 * <p>Thread ownership: immutable; {@link #generate} may be called from any test thread.
 *
 * @param certificate the certificate (to trust in the client).
 * @param keyFile the PKCS#8 PEM key file.
 * @param certificateFile the PEM certificate file.
 */
public record TestCertificates(X509Certificate certificate, Path keyFile, Path certificateFile)
{
    /**
     * @param directory where {@code key.pem} and {@code cert.pem} are written.
     * @return the certificate and its files.
     * @throws Exception when the JDK or Bouncy Castle cannot generate it.
     */
    public static TestCertificates generate(final Path directory) throws Exception
    {
        final KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        final KeyPair pair = generator.generateKeyPair();
        final X500Name name = new X500Name("CN=127.0.0.1");
        final long now = System.currentTimeMillis();
        final JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now),
            new Date(now - 60_000), new Date(now + 86_400_000L), name, pair.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false,
            new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        final X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
            builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
        final Path key = directory.resolve("key.pem");
        final Path cert = directory.resolve("cert.pem");
        Files.writeString(key, pem(new JcaPKCS8Generator(pair.getPrivate(), null).generate()));
        Files.writeString(cert, pem(certificate));
        return new TestCertificates(certificate, key, cert);
    }

    private static String pem(final Object object) throws IOException
    {
        final StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text))
        {
            writer.writeObject(object);
        }
        return text.toString();
    }
}
