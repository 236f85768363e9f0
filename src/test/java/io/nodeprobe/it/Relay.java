package io.nodeprobe.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Relays every connection accepted on {@code server} to {@code upstream}, byte for byte, both ways. With a hold
 * marker, a client chunk carrying it is not passed on, and nothing after it on that connection: the request waits
 * for an answer that never comes. The fronts of the tests (TLS, holding) differ only in their server socket and
 * marker.
 */
final class Relay implements AutoCloseable {
    private final ServerSocket server;
    private final URI upstream;
    private final byte[] hold;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean holding;

    /** @param holdMarker null to relay everything */
    Relay(ServerSocket server, URI upstream, String holdMarker, String name) {
        this.server = server;
        this.upstream = upstream;
        this.hold = holdMarker == null ? null : holdMarker.getBytes(StandardCharsets.US_ASCII);
        Thread acceptor = new Thread(this::accept, name);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** True once a request with the hold marker has been held. */
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
                pump(client, rgw, hold);
                pump(rgw, client, null);
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
            }
        }
    }

    private void pump(Socket from, Socket to, byte[] marker) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[64 * 1024];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                for (int n; (n = in.read(buf)) > 0; ) {
                    if (marker != null && contains(buf, n, marker)) {
                        holding = true;
                        return; // held: both sockets stay open, unanswered, until close()
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException closed) {
                // one side went away: close both below
            }
            closeQuietly(from);
            closeQuietly(to);
        }, "relay-pump");
        t.setDaemon(true);
        t.start();
    }

    private static boolean contains(byte[] buf, int n, byte[] marker) {
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

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        open.forEach(Relay::closeQuietly);
    }
}
