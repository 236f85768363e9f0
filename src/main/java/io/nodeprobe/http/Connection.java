package io.nodeprobe.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One accepted socket and where it is in its request/response cycle. Touched only by the selector thread: every
 * method runs there, handler completions included (they arrive through {@code selectorThread}), so nothing here is
 * synchronised. One request is served at a time; pipelined requests wait in the input buffer, unread until their turn.
 */
final class Connection {
    /**
     * The cycle. REQUEST: reading a head and its small body, until the header timeout. HANDLING: the handler's stage
     * is pending; nothing is read and no deadline runs (the handler owns its time limits). WRITING: a response is
     * leaving, until the write timeout. IDLE: keep-alive, no byte of a next request yet, until the idle timeout.
     * LINGER: the last response is out and output shut; input is drained, so that the close sends FIN, not RST.
     */
    private enum Phase { REQUEST, HANDLING, WRITING, IDLE, LINGER, CLOSED }

    /**
     * How long a closing connection drains input. Closing a socket with unread input makes the kernel answer RST,
     * and a client that receives RST may lose the response it has not read yet (a 400 or 431 above all).
     */
    private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);
    /**
     * How long a connection still sending its request is safe from eviction. Without it, at the cap every evicted
     * slowloris that reconnects evicts the next, and an honest client accepted amid that churn can be closed
     * before its head, a few milliseconds away, is read.
     */
    static final long FAIR_CHANCE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** The most handed to one write: the JDK copies a heap buffer whole into a temporary direct one per write. */
    private static final int MAX_WRITE = 64 * 1024;

    private final SocketChannel channel;
    private final SelectionKey key;
    private final NioHttpServer.Handler handler;
    private final NioHttpServer.Limits limits;
    private final Executor selectorThread;
    private final Consumer<Connection> onClose;
    /** Holds at most one request head, so a head that fills it without ending is too large. */
    private final byte[] in;
    /** Wraps {@link #in}; its position is the number of bytes held. */
    private final ByteBuffer input;
    private final RequestParser.HeadEnd headEnd = new RequestParser.HeadEnd();

    private Phase phase = Phase.REQUEST;
    /** When the current phase began, in {@link System#nanoTime} units. */
    private long since;
    private long deadline;
    /** The request being read or answered; null while its head is still arriving. */
    private RequestParser.Head head;
    private int bodyLeft;
    private ByteBuffer out;
    private boolean closeAfterWrite;
    /** Counts requests, so a completion that arrives after a timeout or close finds it stale. */
    private long serial;

    Connection(SocketChannel channel, SelectionKey key, NioHttpServer.Handler handler, NioHttpServer.Limits limits,
            Executor selectorThread, Consumer<Connection> onClose) {
        this.channel = channel;
        this.key = key;
        this.handler = handler;
        this.limits = limits;
        this.selectorThread = selectorThread;
        this.onClose = onClose;
        this.in = new byte[limits.maxHeaderBytes()];
        this.input = ByteBuffer.wrap(in);
        key.attach(this);
        startRequest();
    }

    /**
     * The connection to close for a newcomer when the server is full, or null when all are being answered: of the
     * lowest {@link #evictionRank}, the one longest in its phase.
     */
    static Connection leastWorthKeeping(Iterable<Connection> connections, long now) {
        Connection victim = null;
        for (Connection c : connections) {
            int rank = c.evictionRank(now);
            if (rank >= 0 && (victim == null || rank < victim.evictionRank(now)
                    || rank == victim.evictionRank(now) && c.since - victim.since < 0)) {
                victim = c;
            }
        }
        return victim;
    }

    /**
     * Lower goes first: a lingering connection is done, one still sending its request (slowloris) is next, an idle
     * keep-alive one after it; -1 for one whose request is being answered or that began its request less than
     * {@link #FAIR_CHANCE_NANOS} ago.
     */
    private int evictionRank(long now) {
        return switch (phase) {
            case LINGER -> 0;
            case REQUEST -> now - since < FAIR_CHANCE_NANOS ? -1 : 1;
            case IDLE -> 2;
            default -> -1;
        };
    }

    /** The selector found the channel ready for what {@link #key} asked. */
    void onReady() {
        step(() -> {
            if (key.isWritable()) {
                write();
            }
            if (phase != Phase.CLOSED && key.isReadable()) {
                read();
            }
        });
    }

    /** Ends the current phase if its deadline has passed. */
    void checkDeadline(long now) {
        if (phase == Phase.HANDLING || phase == Phase.CLOSED || now - deadline < 0) {
            return;
        }
        if (phase == Phase.REQUEST && (input.position() > 0 || head != null)) {
            step(() -> refuse(408)); // a client that sent part of a request learns why it got nothing
        } else {
            close(); // silent: nothing was asked (new or idle), nobody is reading, or the linger is over
        }
    }

    private interface Step {
        void run() throws IOException;
    }

    /**
     * Every way into a connection goes through here. An I/O error means the peer is gone: there is nobody to answer.
     * A runtime exception is a bug; it closes this connection rather than stop the thread that serves all others.
     */
    private void step(Step step) {
        try {
            step.run();
        } catch (IOException | RuntimeException e) {
            close();
        }
    }

    void close() {
        if (phase == Phase.CLOSED) {
            return;
        }
        phase = Phase.CLOSED;
        out = null;
        key.cancel();
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway: nothing left to tell the peer
        }
        onClose.accept(this);
    }

    private void read() throws IOException {
        if (phase == Phase.LINGER) {
            input.clear(); // drained bytes are dropped
        }
        int n = channel.read(input);
        if (n < 0) {
            close();
        } else if (n > 0 && phase != Phase.LINGER) {
            if (phase == Phase.IDLE) {
                startRequest(); // the header timeout of a keep-alive request runs from its first byte
            }
            advance();
        }
    }

    /** Moves the request in the buffer on: finds and parses its head, skips its body, hands it to the handler. */
    private void advance() throws IOException {
        if (head == null) {
            int end = headEnd.find(in, input.position());
            if (end < 0) {
                if (!input.hasRemaining()) {
                    refuse(431);
                }
                return;
            }
            try {
                head = RequestParser.parse(in, end);
            } catch (RequestParser.Refusal r) {
                refuse(r.status);
                return;
            }
            consume(end);
            bodyLeft = head.contentLength();
        }
        int skipped = Math.min(bodyLeft, input.position());
        consume(skipped);
        bodyLeft -= skipped;
        if (bodyLeft == 0) {
            dispatch();
        }
    }

    private void consume(int n) {
        int held = input.position();
        System.arraycopy(in, n, in, 0, held - n);
        input.position(held - n);
        headEnd.reset();
    }

    private void dispatch() throws IOException {
        phase = Phase.HANDLING;
        key.interestOps(0);
        long request = ++serial;
        try {
            CompletionStage<NioHttpServer.Response> stage = handler.handle(head.request());
            // Runs at once if the stage is done, else on whichever thread completes it: either way it only queues.
            stage.whenComplete((response, failure) ->
                    selectorThread.execute(() -> step(() -> complete(request, response, failure))));
        } catch (RuntimeException e) { // a throwing handler, or a null stage
            complete(request, null, e);
        }
    }

    private void complete(long request, NioHttpServer.Response response, Throwable failure) throws IOException {
        if (phase != Phase.HANDLING || request != serial) {
            return; // closed, evicted or shut down meanwhile
        }
        // The failure is not shown to the client: a stack trace or message could leak internals.
        boolean failed = failure != null || response == null;
        respond(failed ? ResponseEncoder.error(500) : response, !head.keepAlive());
    }

    /** Answers with the server's own error for {@code status} and closes after it. */
    private void refuse(int status) throws IOException {
        respond(ResponseEncoder.error(status), true);
    }

    private void respond(NioHttpServer.Response response, boolean close) throws IOException {
        out = ResponseEncoder.encode(response, head != null && head.isHead(), close);
        closeAfterWrite = close;
        phase = Phase.WRITING;
        deadline = System.nanoTime() + limits.writeTimeout().toNanos();
        write();
    }

    private void write() throws IOException {
        while (out.hasRemaining()) {
            int limit = out.limit();
            out.limit(Math.min(limit, out.position() + MAX_WRITE));
            int n = channel.write(out);
            out.limit(limit);
            if (n == 0) {
                key.interestOps(SelectionKey.OP_WRITE); // the socket buffer is full: go on when it drains
                return;
            }
        }
        out = null;
        if (closeAfterWrite) {
            linger();
            return;
        }
        head = null;
        if (input.position() > 0) {
            startRequest(); // a pipelined request waits in the buffer
            advance();
        } else {
            enter(Phase.IDLE, limits.idleTimeout().toNanos());
        }
    }

    private void linger() throws IOException {
        channel.shutdownOutput();
        input.clear();
        enter(Phase.LINGER, LINGER_NANOS);
    }

    private void startRequest() {
        enter(Phase.REQUEST, limits.headerTimeout().toNanos());
    }

    private void enter(Phase next, long timeoutNanos) {
        phase = next;
        since = System.nanoTime();
        deadline = since + timeoutNanos;
        key.interestOps(SelectionKey.OP_READ);
    }
}
