package io.nodeprobe.http;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * A small HTTP/1.1 server on one non-blocking selector thread, which accepts, reads, parses and writes for every
 * connection. No client can hold a thread: a slow one only holds a connection slot, and only until its header
 * timeout, or until a newer connection needs the slot and it has had half a second (see
 * {@link Limits#maxConnections}).
 *
 * <p>A handler that throws, or whose stage fails, gets a {@code 500} with a one-line body; the connection stays
 * open, since the request was read whole and the next one can follow. Request bodies of up to 1024 bytes are read
 * and discarded (they count against the header timeout); larger ones get 413, {@code Transfer-Encoding} 411. No
 * {@code 100 Continue} is sent: a client expecting one waits its own timeout, then sends the body. While a stage is
 * pending, the connection is not read, so a client that hangs up is noticed only when the answer is written.
 */
public final class NioHttpServer implements AutoCloseable {
    /**
     * A request head; header names are lower-cased, repeated headers comma-joined, {@code query} is empty when
     * absent, nothing is percent-decoded.
     */
    public record Request(String method, String path, String query, Map<String, String> headers) {
    }

    /**
     * A response; {@code body} is sent as given, not copied, so it must not change after. The server sets
     * Content-Type, Content-Length, Connection, Cache-Control and X-Content-Type-Options itself; {@code headers}
     * adds others. Statuses 1xx and 204 are refused: they may not carry the Content-Length every answer has here.
     */
    public record Response(int status, String contentType, byte[] body, Map<String, String> headers) {
        public Response {
            headers = ResponseEncoder.checked(status, contentType, body, headers);
        }
    }

    /** Answers requests; called on the selector thread, so it must not block. A pending stage is answered later. */
    public interface Handler {
        CompletionStage<Response> handle(Request request);
    }

    /**
     * @param headerTimeout how long a connection may take to send a request head (and its small body), counted
     *     from its accept or, on keep-alive, from the first byte of the request
     * @param idleTimeout how long a keep-alive connection may wait, sending nothing, between requests
     * @param writeTimeout how long a response may take to leave when the client does not read it
     * @param maxConnections open connections; at the cap a new one evicts the oldest slow or idle one
     * @param maxHeaderBytes the largest request line plus headers; larger is answered 431
     */
    public record Limits(Duration headerTimeout, Duration idleTimeout, Duration writeTimeout, int maxConnections,
            int maxHeaderBytes) {
        public static final Limits DEFAULT = new Limits(Duration.ofSeconds(5), Duration.ofSeconds(30),
                Duration.ofSeconds(10), 256, 8192);

        public Limits {
            if (Stream.of(headerTimeout, idleTimeout, writeTimeout).anyMatch(d -> d.isNegative() || d.isZero())
                    || maxConnections < 1 || maxHeaderBytes < 64) {
                throw new IllegalArgumentException("need positive timeouts, maxConnections >= 1, maxHeaderBytes >= 64");
            }
        }
    }

    /** How long a select waits at most, hence how late a timeout can be noticed. */
    private static final long TICK_MILLIS = 250;
    private static final long CLOSE_WAIT_MILLIS = 5_000;

    private final Selector selector;
    private final ServerSocketChannel listener;
    private final SelectionKey acceptKey;
    private final Handler handler;
    private final Limits limits;
    private final int port;
    /** Open connections, touched by the selector thread alone. */
    private final Set<Connection> connections = new LinkedHashSet<>();
    /** Handler completions from any thread, run by the selector thread. */
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final byte[] unavailable = ResponseEncoder.encode(ResponseEncoder.error(503), false, true).array();
    private final Thread thread;

    private NioHttpServer(Selector selector, ServerSocketChannel listener, Handler handler, Limits limits)
            throws IOException {
        this.selector = selector;
        this.listener = listener;
        this.handler = handler;
        this.limits = limits;
        this.port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
        this.acceptKey = listener.register(selector, SelectionKey.OP_ACCEPT);
        this.thread = new Thread(this::run, "nodeprobe-http");
        thread.setDaemon(true);
    }

    /** Binds {@code host:port} (port 0: any free one) and starts the selector thread. */
    public static NioHttpServer start(String host, int port, Handler handler, Limits limits) throws IOException {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(limits, "limits");
        Selector selector = Selector.open();
        ServerSocketChannel listener = null;
        try {
            listener = ServerSocketChannel.open();
            // acceptAll drains the accept queue, which this backlog keeps short.
            listener.bind(new InetSocketAddress(host, port), limits.maxConnections());
            listener.configureBlocking(false);
            NioHttpServer server = new NioHttpServer(selector, listener, handler, limits);
            server.thread.start();
            return server;
        } catch (IOException | RuntimeException e) {
            closeQuietly(listener);
            closeQuietly(selector);
            throw e;
        }
    }

    public int port() {
        return port;
    }

    /**
     * Stops the selector thread, which closes every connection and the listening socket, and waits for it; stages
     * still pending are ignored when they complete. Called from a handler, it returns at once and the thread stops
     * when the handler returns.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        selector.wakeup();
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            thread.join(CLOSE_WAIT_MILLIS); // only a handler that blocks, against its contract, makes this wait
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            long nextSweep = System.nanoTime();
            while (!closed.get()) {
                selector.select(this::onReady, TICK_MILLIS);
                for (Runnable task; (task = tasks.poll()) != null; ) {
                    task.run();
                }
                long now = System.nanoTime();
                if (now - nextSweep >= 0) {
                    sweep(now);
                    nextSweep = now + TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            // the selector itself failed: nothing can be served any more, so shut down below
        } finally {
            closed.set(true);
            shutDown();
        }
    }

    private void onReady(SelectionKey key) {
        if (!key.isValid()) {
            return; // closed earlier in this round, e.g. evicted by an accept
        }
        if (key == acceptKey) {
            acceptAll();
            return;
        }
        ((Connection) key.attachment()).onReady();
    }

    /** Queues {@code task} for the selector thread, waking it when it may be asleep in select. */
    private void onSelectorThread(Runnable task) {
        tasks.add(task);
        if (Thread.currentThread() != thread) {
            selector.wakeup();
        }
    }

    private void acceptAll() {
        try {
            for (SocketChannel channel; (channel = listener.accept()) != null; ) {
                admit(channel);
            }
        } catch (IOException e) {
            // Typically out of file descriptors: the listener stays ready, so rather than spin on it, stop asking
            // until the next sweep.
            acceptKey.interestOps(0);
        }
    }

    private void admit(SocketChannel channel) {
        try {
            channel.configureBlocking(false);
            // Nagle would hold back a small reply, or a large one's last segment, while earlier bytes await the
            // client's ACK, which a delayed ACK puts off by ~40 ms.
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (connections.size() >= limits.maxConnections()) {
                Connection victim = Connection.leastWorthKeeping(connections, System.nanoTime());
                if (victim == null) {
                    reject(channel);
                    return;
                }
                victim.close();
            }
            SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
            connections.add(new Connection(channel, key, handler, limits, this::onSelectorThread,
                    connections::remove));
        } catch (IOException e) {
            closeQuietly(channel);
        }
    }

    /** Full of connections all being answered: a 503 in one best-effort write, then close. */
    private void reject(SocketChannel channel) {
        try {
            channel.write(ByteBuffer.wrap(unavailable));
            // Unread input would make the close send RST, which can discard the 503 before the client reads it.
            channel.read(ByteBuffer.allocate(4096));
        } catch (IOException e) {
            // closing anyway
        }
        closeQuietly(channel);
    }

    private void sweep(long now) {
        for (Connection c : connections.toArray(new Connection[0])) {
            c.checkDeadline(now);
        }
        if (acceptKey.interestOps() == 0) {
            acceptKey.interestOps(SelectionKey.OP_ACCEPT); // paused by a failed accept
        }
    }

    private void shutDown() {
        for (Connection c : connections.toArray(new Connection[0])) {
            c.close();
        }
        tasks.clear();
        closeQuietly(listener);
        closeQuietly(selector);
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            if (closeable != null) {
                closeable.close();
            }
        } catch (IOException e) {
            // nothing more to release
        }
    }
}
