package io.nodeprobe.localcloud;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 proxy on loopback in front of IMDS, STS or RGW that does one {@link Fault} to the requests it is told
 * to, and relays the rest. It reads each request whole, so the fault can change between two requests on the same
 * keep-alive connection while a test runs ({@link #set}). Bounded: at most {@value #MAX_CONNECTIONS} connections at
 * once, no hold longer than {@value #MAX_HOLD_MS} ms, no trickle longer than {@value #MAX_TRICKLE} bytes.
 */
public final class FaultProxy implements AutoCloseable {
    static final int MAX_CONNECTIONS = 128;
    static final int MAX_HOLD_MS = 30_000;
    static final int MAX_TRICKLE = 60;
    private static final int MAX_HEAD = 64 * 1024;

    /** Whose answers the synthesized ones imitate: the service's error shapes and request-id header. */
    public enum Flavour { IMDS, STS, S3 }

    private final URI upstream;
    private final Flavour flavour;
    private final InetAddress bind;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger requests = new AtomicInteger();
    /** The request lines read (the first 10,000), for tests that count what was sent. */
    private final java.util.List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicInteger faulted = new AtomicInteger();
    private volatile ServerSocket server;
    private volatile int port;
    private volatile Fault fault = Fault.PASS;
    private volatile String marker;
    /** How many more matching requests meet the fault; negative for all of them. */
    private final AtomicInteger times = new AtomicInteger(-1);
    private volatile String retryAfter = "1";
    private volatile boolean closed;

    private FaultProxy(URI upstream, Flavour flavour, InetAddress bind) throws IOException {
        this.upstream = upstream;
        this.flavour = flavour;
        this.bind = bind;
        listen(0);
    }

    /** On 127.0.0.1. */
    public static FaultProxy start(URI upstream, Flavour flavour) throws IOException {
        return new FaultProxy(upstream, flavour, InetAddress.getLoopbackAddress());
    }

    /** On [::1] only: an IPv6-only service. */
    public static FaultProxy startIpv6Only(URI upstream, Flavour flavour) throws IOException {
        return new FaultProxy(upstream, flavour, InetAddress.getByName("::1"));
    }

    public int port() {
        return port;
    }

    /** http://127.0.0.1:port (or http://[::1]:port for an IPv6-only proxy). */
    public String endpoint() {
        return "http://" + (bind.getAddress().length == 16 ? "[::1]" : "127.0.0.1") + ":" + port;
    }

    /** Every request from now on meets {@code f}. */
    public FaultProxy set(Fault f) {
        return set(f, null);
    }

    /**
     * Requests whose request line or headers contain {@code onlyWith} meet {@code f} from now on; the others are
     * relayed. A fault of the connection itself (silence, TLS, refused) meets every connection.
     */
    public synchronized FaultProxy set(Fault f, String onlyWith) {
        return set(f, onlyWith, -1);
    }

    /** As {@link #set(Fault, String)}, for the next {@code count} matching requests only; then they are relayed. */
    public synchronized FaultProxy set(Fault f, String onlyWith, int count) {
        Fault was = fault;
        fault = f;
        marker = onlyWith;
        times.set(count);
        try {
            if (f == Fault.REFUSED && was != Fault.REFUSED) {
                server.close();
            } else if (f != Fault.REFUSED && was == Fault.REFUSED) {
                listen(port);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen again on " + port, e);
        }
        return this;
    }

    /** The Retry-After value of the throttling faults (seconds, or an HTTP date); "1" unless set. */
    public FaultProxy retryAfter(String value) {
        retryAfter = value;
        return this;
    }

    public Fault fault() {
        return fault;
    }

    /** Requests read so far, relayed or not. */
    public int requests() {
        return requests.get();
    }

    /** The request lines read so far ("PUT /bucket/key HTTP/1.1"). */
    public java.util.List<String> requestLines() {
        return java.util.List.copyOf(lines);
    }

    /** Requests (or connections, for a fault of the connection) that met the fault. */
    public int faulted() {
        return faulted.get();
    }

    private void listen(int at) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(bind, at), 64);
        server = s;
        port = s.getLocalPort();
        Thread acceptor = new Thread(() -> accept(s), "fault-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket client = s.accept();
                if (open.size() >= MAX_CONNECTIONS) {
                    client.close();
                    continue;
                }
                client.setTcpNoDelay(true);
                open.add(client);
                Thread t = new Thread(() -> serve(client), "fault-proxy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed: by set(REFUSED) or close()
            }
        }
    }

    private void serve(Socket client) {
        Socket up = null;
        try {
            client.setSoTimeout(MAX_HOLD_MS);
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            Fault f = fault;
            if (f == Fault.SILENCE || f == Fault.TLS_FAILURE) {
                faulted.incrementAndGet();
                if (f == Fault.TLS_FAILURE) {
                    out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    client.shutdownOutput();
                }
                hold(client);
                return;
            }
            while (!closed) {
                Message req = Message.read(in, true, null);
                if (req == null) {
                    return;
                }
                if (requests.incrementAndGet() <= 10_000) {
                    lines.add(req.head.substring(0, Math.max(0, req.head.indexOf('\r'))));
                }
                f = fault;
                String m = marker;
                boolean hit = f != Fault.PASS && (m == null || req.head.contains(m)) && take();
                if (!hit) {
                    up = relay(req, up, out);
                    if (up == null) {
                        return;
                    }
                    continue;
                }
                faulted.incrementAndGet();
                if (!answer(f, req, client, out)) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away or timed out: nothing to answer
        } finally {
            quietly(up);
            quietly(client);
            open.remove(client);
        }
    }

    /** Counts one matching request against {@link #times}; false once they are used up. */
    private boolean take() {
        return times.getAndUpdate(n -> n > 0 ? n - 1 : n) != 0;
    }

    /** Relays one request and its answer; returns the upstream socket to reuse, null when either side closed. */
    private Socket relay(Message req, Socket up, OutputStream out) throws IOException {
        Message res = exchange(req, up);
        if (res == null) {
            return null;
        }
        out.write(res.bytes());
        out.flush();
        return res.keepAlive ? res.via : null;
    }

    private Message exchange(Message req, Socket reuse) throws IOException {
        Socket up = reuse;
        if (up == null || up.isClosed()) {
            up = new Socket();
            up.setTcpNoDelay(true);
            up.connect(new InetSocketAddress(upstream.getHost(), upstream.getPort()), 2_000);
            up.setSoTimeout(MAX_HOLD_MS);
        }
        up.getOutputStream().write(req.bytes());
        up.getOutputStream().flush();
        Message res = Message.read(up.getInputStream(), false, req.method);
        if (res == null) {
            up.close();
            return null;
        }
        res.via = up;
        if (!res.keepAlive) {
            up.close();
        }
        return res;
    }

    /** Does the fault to one request; false when the connection is done with. */
    private boolean answer(Fault f, Message req, Socket client, OutputStream out) throws IOException {
        switch (f) {
            case HEADERS_THEN_SILENCE -> {
                out.write(head(200, contentType(), 4096, ""));
                out.flush();
                hold(client);
                return false;
            }
            case SLOW_BODY -> {
                byte[] body = okBody();
                out.write(head(200, contentType(), body.length, ""));
                out.flush();
                for (int i = 0; i < Math.min(body.length, MAX_TRICKLE) && !closed; i++) {
                    out.write(body[i]);
                    out.flush();
                    sleep(1_000);
                }
                return false;
            }
            case RESET_BEFORE_HEADERS -> {
                reset(client);
                return false;
            }
            case RESET_MID_BODY, SHORT_BODY -> {
                Message res = exchange(req, null);
                quietly(res == null ? null : res.via);
                if (res == null) {
                    reset(client);
                    return false;
                }
                byte[] head = res.headBytes();
                if (res.body.length >= 2) {
                    out.write(head);
                    out.write(res.body, 0, res.body.length / 2);
                } else {
                    // An answer all in its head (a PUT's, a DELETE's): what a cut connection cuts is the head.
                    out.write(head, 0, head.length / 2);
                }
                out.flush();
                if (f == Fault.RESET_MID_BODY) {
                    reset(client);
                } else {
                    client.shutdownOutput();
                    hold(client);
                }
                return false;
            }
            case ERROR_500 -> out.write(error(500, "InternalError", "We encountered an internal error. Please try "
                    + "again.", ""));
            case SLOW_DOWN_503 -> out.write(error(503, throttleCode(), "Please reduce your request rate.",
                    "Retry-After: " + retryAfter + "\r\n"));
            case TOO_MANY_429 -> out.write(error(429, throttleCode(), "Rate exceeded", "Retry-After: " + retryAfter
                    + "\r\n"));
            case GARBAGE_200 -> {
                byte[] g = "\u0000\u00ff garbage }{ <<not-a-document".getBytes(StandardCharsets.ISO_8859_1);
                out.write(head(200, contentType(), g.length, ""));
                out.write(g);
            }
            case PORTAL_200 -> {
                byte[] page = ("<!DOCTYPE html><html><head><title>Guest Wi-Fi</title></head><body><h1>Welcome</h1>"
                        + "<p>Accept the terms to continue.</p></body></html>").getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nServer: portal\r\n"
                        + "Content-Length: " + page.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(page);
            }
            case REDIRECT_LOOP -> out.write(("HTTP/1.1 302 Found\r\nLocation: " + req.target + "\r\n"
                    + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            case HUGE_ERROR -> {
                int size = 10 * 1024 * 1024;
                String start = switch (flavour) {
                    case IMDS -> "";
                    case S3 -> "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>InternalError</Code><Message>";
                    case STS -> "<ErrorResponse><Error><Type>Receiver</Type><Code>InternalFailure</Code><Message>";
                };
                String end = switch (flavour) {
                    case IMDS -> "";
                    case S3 -> "</Message></Error>";
                    case STS -> "</Message></Error><RequestId>FAULTPROXY</RequestId></ErrorResponse>";
                };
                out.write(head(500, contentType(), size, ""));
                out.write(start.getBytes(StandardCharsets.US_ASCII));
                byte[] filler = new byte[64 * 1024];
                java.util.Arrays.fill(filler, (byte) 'x');
                int left = size - start.length() - end.length();
                while (left > 0) {
                    int n = Math.min(left, filler.length);
                    out.write(filler, 0, n);
                    left -= n;
                }
                out.write(end.getBytes(StandardCharsets.US_ASCII));
            }
            default -> throw new IllegalStateException("not a fault of one request: " + f);
        }
        out.flush();
        return true;
    }

    private String throttleCode() {
        return switch (flavour) {
            case S3 -> "SlowDown";
            case STS -> "Throttling";
            case IMDS -> "";
        };
    }

    private String contentType() {
        return switch (flavour) {
            case S3 -> "application/xml";
            case STS -> "text/xml";
            case IMDS -> "text/plain";
        };
    }

    /** The request-id header each service puts on every answer (IMDS has none). */
    private String requestIdHeader() {
        String id = Long.toHexString(System.nanoTime()).toUpperCase(Locale.ROOT);
        return switch (flavour) {
            case S3 -> "x-amz-request-id: " + id + "\r\nx-amz-id-2: " + id + "\r\n";
            case STS -> "x-amzn-RequestId: " + id + "\r\n";
            case IMDS -> "";
        };
    }

    private byte[] head(int status, String type, long length, String extra) {
        return ("HTTP/1.1 " + status + " " + reason(status) + "\r\nContent-Type: " + type + "\r\n" + requestIdHeader()
                + extra + "Content-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private byte[] error(int status, String code, String message, String extra) {
        String body = switch (flavour) {
            case S3 -> "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>"
                    + message + "</Message><RequestId>FAULTPROXY</RequestId></Error>";
            case STS -> "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>"
                    + (status >= 500 ? "Receiver" : "Sender") + "</Type><Code>" + code + "</Code><Message>" + message
                    + "</Message></Error><RequestId>FAULTPROXY</RequestId></ErrorResponse>";
            case IMDS -> "";
        };
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        byte[] h = head(status, contentType(), b.length, extra);
        byte[] all = new byte[h.length + b.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(b, 0, all, h.length, b.length);
        return all;
    }

    /** A plausible start of a successful answer, for the faults that cut one short. */
    private byte[] okBody() {
        String b = switch (flavour) {
            case S3 -> "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult xmlns=\"http://s3.amazonaws.com/"
                    + "doc/2006-03-01/\"><Name>np</Name><KeyCount>0</KeyCount></ListBucketResult>";
            case STS -> "<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:sts::123456789012:"
                    + "assumed-role/np/i</Arn></GetCallerIdentityResult></GetCallerIdentityResponse>";
            case IMDS -> "AQAEAFaultProxyTokenThatNeverEndsxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
        };
        return b.getBytes(StandardCharsets.UTF_8);
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 302 -> "Found";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }

    /** Keeps the connection open and unanswered until the client gives up, the bound passes, or close(). */
    private void hold(Socket client) {
        try {
            InputStream in = client.getInputStream();
            byte[] sink = new byte[8192];
            while (!closed && in.read(sink) >= 0) {
                // drain what the client still sends; answer nothing
            }
        } catch (IOException e) {
            // timed out (the bound) or the client closed
        }
    }

    private static void reset(Socket s) throws SocketException {
        s.setSoLinger(true, 0);
        quietly(s);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void quietly(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
        open.forEach(FaultProxy::quietly);
    }

    /** One HTTP/1.1 request or response, read whole: head, and body by Content-Length, chunks, or until close. */
    static final class Message {
        final String head;
        final String method;
        final String target;
        final byte[] body;
        final boolean keepAlive;
        private final byte[] rawHead;
        private final byte[] rawBody;
        Socket via;

        private Message(byte[] rawHead, byte[] rawBody, byte[] body, boolean keepAlive) {
            this.rawHead = rawHead;
            this.rawBody = rawBody;
            this.body = body;
            this.keepAlive = keepAlive;
            this.head = new String(rawHead, StandardCharsets.ISO_8859_1);
            String[] first = head.substring(0, Math.max(0, head.indexOf('\r'))).split(" ");
            this.method = first.length > 0 ? first[0] : "";
            this.target = first.length > 1 ? first[1] : "/";
        }

        byte[] bytes() {
            byte[] all = new byte[rawHead.length + rawBody.length];
            System.arraycopy(rawHead, 0, all, 0, rawHead.length);
            System.arraycopy(rawBody, 0, all, rawHead.length, rawBody.length);
            return all;
        }

        byte[] headBytes() {
            return rawHead;
        }

        /**
         * @param request    true for a request (no body unless framed), false for a response
         * @param askedWith  the request's method, for a response (HEAD answers carry no body)
         * @return null at a clean end of stream before any byte
         */
        static Message read(InputStream in, boolean request, String askedWith) throws IOException {
            ByteArrayOutputStream h = new ByteArrayOutputStream();
            int state = 0;
            while (state < 4) {
                int c = in.read();
                if (c < 0) {
                    if (h.size() == 0) {
                        return null;
                    }
                    throw new IOException("end of stream inside a head");
                }
                h.write(c);
                if (h.size() > MAX_HEAD) {
                    throw new IOException("head too long");
                }
                state = (c == '\r' && (state == 0 || state == 2)) ? state + 1
                        : (c == '\n' && (state == 1 || state == 3)) ? state + 1 : (c == '\r' ? 1 : 0);
            }
            byte[] rawHead = h.toByteArray();
            String head = new String(rawHead, StandardCharsets.ISO_8859_1);
            String lower = head.toLowerCase(Locale.ROOT);
            long length = -1;
            for (String line : lower.split("\r\n")) {
                if (line.startsWith("content-length:")) {
                    length = Long.parseLong(line.substring(15).trim());
                }
            }
            boolean chunked = lower.contains("\r\ntransfer-encoding: chunked");
            boolean close = lower.contains("\r\nconnection: close");
            int status = request ? 0 : Integer.parseInt(head.substring(9, 12));
            boolean bodiless = !request && ("HEAD".equals(askedWith) || status == 204 || status == 304
                    || status / 100 == 1);
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (bodiless) {
                // nothing follows the head
            } else if (chunked) {
                readChunks(in, raw, body);
            } else if (length >= 0) {
                byte[] b = in.readNBytes((int) length);
                if (b.length < length) {
                    throw new IOException("end of stream inside a body");
                }
                raw.write(b);
                body.write(b);
            } else if (!request) {
                byte[] b = in.readAllBytes();
                raw.write(b);
                body.write(b);
                close = true;
            }
            return new Message(rawHead, raw.toByteArray(), body.toByteArray(), !close);
        }

        private static void readChunks(InputStream in, ByteArrayOutputStream raw, ByteArrayOutputStream body)
                throws IOException {
            while (true) {
                String sizeLine = line(in);
                raw.write((sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
                if (size == 0) {
                    String trailer;
                    while (!(trailer = line(in)).isEmpty()) {
                        raw.write((trailer + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    }
                    raw.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    return;
                }
                byte[] b = in.readNBytes(size);
                raw.write(b);
                body.write(b);
                raw.write((line(in) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder b = new StringBuilder();
            for (int c; (c = in.read()) >= 0; ) {
                if (c == '\n') {
                    return b.toString().replace("\r", "");
                }
                b.append((char) c);
            }
            throw new IOException("end of stream inside a chunk");
        }
    }
}
