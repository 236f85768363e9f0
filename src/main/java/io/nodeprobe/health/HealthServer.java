package io.nodeprobe.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The health endpoint, on the JDK's own HTTP server, started by `serve` alone: one-shot commands never open a
 * port (Quarkus's HTTP extension would listen for every command). Requests read the cached snapshot; only
 * {@code POST /refresh} or {@code ?refresh=true} ask for a new run, through the scheduler's single flight.
 */
public final class HealthServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService workers;
    private final CheckScheduler scheduler;
    private final Memo health = new Memo(new HealthJsonRenderer());
    private final Memo metrics = new Memo(new PrometheusRenderer());
    private final Memo html = new Memo(new HtmlRenderer());

    public HealthServer(String host, int port, CheckScheduler scheduler) throws IOException {
        this.scheduler = scheduler;
        // Without TCP_NODELAY the JDK server's replies wait ~40 ms on Nagle + delayed ACK; it reads this
        // property once, when its first server is created.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        this.server = HttpServer.create(new InetSocketAddress(host, port), 256);
        this.workers = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "nodeprobe-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(workers);
        server.createContext("/", this::handle);
    }

    public void start() {
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            boolean read = method.equals("GET") || method.equals("HEAD");
            switch (path) {
                case "/health", "/health/ready" -> {
                    if (!read) {
                        notAllowed(ex, "GET, HEAD");
                    } else if ("refresh=true".equals(ex.getRequestURI().getQuery())) {
                        refresh(ex);
                    } else {
                        HealthSnapshot s = scheduler.snapshot();
                        send(ex, s.healthy() ? 200 : 503, health.contentType(), health.render(s));
                    }
                }
                case "/health/live" -> {
                    if (read) {
                        // Alive means serving: the bucket being unusable is /health's business, not a restart's.
                        send(ex, 200, "application/json", "{\"status\":\"UP\",\"checks\":[]}\n"
                                .getBytes(StandardCharsets.UTF_8));
                    } else {
                        notAllowed(ex, "GET, HEAD");
                    }
                }
                case "/metrics" -> {
                    if (read) {
                        send(ex, 200, metrics.contentType(), metrics.render(scheduler.snapshot()));
                    } else {
                        notAllowed(ex, "GET, HEAD");
                    }
                }
                case "/refresh" -> {
                    if (method.equals("POST")) {
                        refresh(ex);
                    } else {
                        notAllowed(ex, "POST");
                    }
                }
                case "/" -> {
                    if (read) {
                        send(ex, 200, html.contentType(), html.render(scheduler.snapshot()));
                    } else {
                        notAllowed(ex, "GET, HEAD");
                    }
                }
                default -> send(ex, 404, "text/plain; charset=utf-8",
                        "not found: try /health, /health/live, /health/ready, /metrics or /\n"
                                .getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /** Asks for a run (or joins the one in flight), waits for it, and answers with the fresh verdict. */
    private void refresh(HttpExchange ex) throws IOException {
        CheckScheduler.Refresh r = scheduler.requestRefresh();
        if (r == CheckScheduler.Refresh.RATE_LIMITED) {
            ex.getResponseHeaders().set("Retry-After", Long.toString(scheduler.refreshRetryAfterSeconds()));
            send(ex, 429, "application/json", ("{\"error\":\"refresh is limited to one per "
                    + CheckScheduler.REFRESH_LIMIT.toSeconds() + "s; the cached result is at /health\"}\n")
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        scheduler.awaitInFlight(java.time.Duration.ofMinutes(2));
        HealthSnapshot s = scheduler.snapshot();
        send(ex, s.healthy() ? 200 : 503, health.contentType(), health.render(s));
    }

    private static void notAllowed(HttpExchange ex, String allow) throws IOException {
        ex.getResponseHeaders().set("Allow", allow);
        send(ex, 405, "text/plain; charset=utf-8", "method not allowed\n".getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }

    /** Renders a snapshot once, however many requests read it: a snapshot changes once per run. */
    private static final class Memo {
        private final SnapshotRenderer renderer;
        private volatile Object[] last = {null, null};

        Memo(SnapshotRenderer renderer) {
            this.renderer = renderer;
        }

        String contentType() {
            return renderer.contentType();
        }

        byte[] render(HealthSnapshot s) {
            Object[] l = last;
            if (l[0] == s) {
                return (byte[]) l[1];
            }
            byte[] bytes = renderer.render(s).getBytes(StandardCharsets.UTF_8);
            last = new Object[] {s, bytes};
            return bytes;
        }
    }
}
