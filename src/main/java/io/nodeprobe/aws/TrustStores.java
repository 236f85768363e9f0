package io.nodeprobe.aws;

import io.nodeprobe.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** Trust managers from a PEM bundle, as AWS_CA_BUNDLE works for the AWS CLI: the bundle replaces the defaults. */
final class TrustStores {
    private TrustStores() {
    }

    static TrustManager[] fromPem(Path bundle) {
        // Buffered: CertificateFactory reads a PEM bundle byte by byte, and a system bundle has ~200 KB.
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(bundle), 64 * 1024)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new ConfigException("AWS_CA_BUNDLE=" + bundle + " holds no certificate");
            }
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            return tmf.getTrustManagers();
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException("AWS_CA_BUNDLE=" + bundle + " is not a PEM certificate bundle: " + e.getMessage());
        }
    }
}
