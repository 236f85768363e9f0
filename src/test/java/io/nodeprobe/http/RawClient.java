package io.nodeprobe.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A blocking HTTP/1.1 client on a raw socket, so tests control every byte sent (partial heads, pipelining, bad
 * syntax) and see every byte received (duplicate headers, a body after HEAD, EOF).
 */
final class RawClient implements AutoCloseable {
    /** One response; header names lower-cased. */
    record Reply(int status, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final InputStream in;

    RawClient(int port) throws IOException {
        this(port, 0);
    }

    /** {@code receiveBuffer} > 0 shrinks the socket's receive buffer (and so the TCP window) before connecting. */
    RawClient(int port, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        socket.setSoTimeout(5_000);
        socket.setTcpNoDelay(true);
        in = new BufferedInputStream(socket.getInputStream());
    }

    /** One request on a fresh connection that closes after it. */
    static Reply get(int port, String path) throws IOException {
        try (RawClient c = new RawClient(port)) {
            return c.send("GET " + path + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").read();
        }
    }

    RawClient send(String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return this;
    }

    Reply read() throws IOException {
        return read(false);
    }

    /** Reads one response; {@code head}: it answers HEAD, so no body follows whatever Content-Length says. */
    Reply read(boolean head) throws IOException {
        String statusLine = line();
        if (!statusLine.startsWith("HTTP/1.1 ")) {
            throw new IOException("not a status line: " + statusLine);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(); !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
            if (headers.put(name, line.substring(colon + 1).strip()) != null) {
                throw new IOException("header sent twice: " + name);
            }
        }
        byte[] body = in.readNBytes(head ? 0 : Integer.parseInt(headers.get("content-length")));
        return new Reply(Integer.parseInt(statusLine.substring(9, 12)), headers, body);
    }

    /**
     * True if the server ends the connection within {@code timeout} (EOF or reset), discarding what it sends
     * before; false if it is still open then.
     */
    boolean closedWithin(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                socket.setSoTimeout((int) left);
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset: closed as well
        } finally {
            socket.setSoTimeout(5_000);
        }
    }

    /** Everything until EOF or reset. */
    byte[] readToEnd() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] chunk = new byte[64 * 1024];
        try {
            for (int n; (n = in.read(chunk)) >= 0; ) {
                bytes.write(chunk, 0, n);
            }
        } catch (SocketException e) {
            // reset: what came before it is the answer
        }
        return bytes.toByteArray();
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new IOException("EOF in the response head");
            }
            line.write(b);
        }
        String s = line.toString(StandardCharsets.ISO_8859_1);
        if (!s.endsWith("\r")) {
            throw new IOException("line without CR: " + s);
        }
        return s.substring(0, s.length() - 1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
