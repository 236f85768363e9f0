package io.nodeprobe.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A plain TCP front for RGW that forwards everything until a request carrying {@code marker} arrives, and then
 * holds it: nothing more goes up that connection. A run is thereby stopped at a known call (an UploadPart, say)
 * so that a kill lands exactly there.
 */
final class HoldingProxy implements AutoCloseable {
    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final URI upstream;
    private final byte[] marker;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean holding;

    HoldingProxy(URI upstream, String marker) throws IOException {
        this.upstream = upstream;
        this.marker = marker.getBytes(StandardCharsets.US_ASCII);
        Thread acceptor = new Thread(this::accept, "holding-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** True once a request with the marker has been held. */
    boolean holding() {
        return holding;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket rgw = new Socket();
                rgw.connect(new InetSocketAddress(upstream.getHost(), upstream.getPort()), 2000);
                open.add(client);
                open.add(rgw);
                pump(client, rgw, true);
                pump(rgw, client, false);
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
            }
        }
    }

    private void pump(Socket from, Socket to, boolean watch) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    if (watch && contains(buf, n)) {
                        holding = true;
                        return; // held: the request never reaches RGW, and the client waits for an answer
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException closed) {
                // either side went away
            }
        }, "holding-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private boolean contains(byte[] buf, int n) {
        outer:
        for (int i = 0; i + marker.length <= n; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (buf[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
