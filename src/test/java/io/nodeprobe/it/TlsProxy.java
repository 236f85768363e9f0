package io.nodeprobe.it;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * An HTTPS front for RGW with a self-signed certificate for 127.0.0.1: TLS ends here and the bytes go on to RGW
 * unchanged, so SigV4 signatures (which cover the Host header) still verify. The certificate comes from the JDK's
 * keytool; {@link #certificatePem()} is what a node would trust through AWS_CA_BUNDLE.
 */
final class TlsProxy implements AutoCloseable {
    private final Relay relay;
    private final Path pem;

    TlsProxy(URI upstream) throws Exception {
        Path dir = Files.createTempDirectory("nodeprobe-tls");
        Path ks = dir.resolve("server.p12");
        pem = dir.resolve("ca.pem");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(List.of(keytool, "-genkeypair", "-alias", "tls", "-keyalg", "EC", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", ks.toString(), "-storepass", "changeit",
                "-storetype", "PKCS12"));
        run(List.of(keytool, "-exportcert", "-rfc", "-alias", "tls", "-keystore", ks.toString(), "-storepass",
                "changeit", "-file", pem.toString()));
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(ks.toFile())) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        relay = new Relay(ctx.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress()),
                upstream, null, "tls-proxy");
    }

    String endpoint() {
        return "https://127.0.0.1:" + relay.port();
    }

    Path certificatePem() {
        return pem;
    }

    private static void run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    @Override
    public void close() throws IOException {
        relay.close();
    }
}
