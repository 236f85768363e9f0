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

    private static final byte[] LIVE = "{\"status\":\"UP\",\"checks\":[]}\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NOT_FOUND = "not found: try /health, /health/live, /health/ready, /metrics or /\n"
            .getBytes(StandardCharsets.UTF_8);

    /** What one path answers; {@code post} routes take POST, the others GET and HEAD. */
    private interface Handler {
        void handle(HttpExchange ex) throws IOException;
    }

    private record Route(boolean post, Handler handler) {
    }

    private final java.util.Map<String, Route> routes = java.util.Map.of(
            "/health", new Route(false, this::health),
            "/health/ready", new Route(false, this::health),
            // Alive means serving: the bucket being unusable is /health's business, not a restart's.
            "/health/live", new Route(false, ex -> send(ex, 200, "application/json", LIVE)),
            "/metrics", new Route(false, ex -> render(ex, metrics)),
            "/", new Route(false, ex -> render(ex, html)),
            "/refresh", new Route(true, this::refresh));

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            Route route = routes.get(ex.getRequestURI().getPath());
            String method = ex.getRequestMethod();
            if (route == null) {
                send(ex, 404, "text/plain; charset=utf-8", NOT_FOUND);
            } else if (route.post() ? method.equals("POST") : method.equals("GET") || method.equals("HEAD")) {
                route.handler().handle(ex);
            } else {
                ex.getResponseHeaders().set("Allow", route.post() ? "POST" : "GET, HEAD");
                send(ex, 405, "text/plain; charset=utf-8", "method not allowed\n".getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private void render(HttpExchange ex, Memo format) throws IOException {
        send(ex, 200, format.contentType(), format.render(scheduler.snapshot()));
    }

    private void health(HttpExchange ex) throws IOException {
        if ("refresh=true".equals(ex.getRequestURI().getQuery())) {
            refresh(ex);
            return;
        }
        HealthSnapshot s = scheduler.snapshot();
        send(ex, s.healthy() ? 200 : 503, health.contentType(), health.render(s));
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
