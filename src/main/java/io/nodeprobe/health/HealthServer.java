package io.nodeprobe.health;

import io.nodeprobe.http.NioHttpServer;
import io.nodeprobe.http.NioHttpServer.Request;
import io.nodeprobe.http.NioHttpServer.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The health endpoint, started by `serve` alone: one-shot commands never open a port. It runs on our small
 * non-blocking server, so slow or idle clients cannot hold it (header timeout, connection cap) and every GET is
 * answered from the cached snapshot at once. Only {@code POST /refresh} or {@code ?refresh=true} ask for a new
 * run, through the scheduler; their answer waits for that run, at most {@code refreshWait}, without holding a thread.
 */
public final class HealthServer implements AutoCloseable {
    /**
     * The page has inline styles and nothing else: no script, no external load, no frames, no forms. Sent with
     * every answer, so a JSON or text reply opened in a browser cannot run anything either.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; "
            + "form-action 'none'; frame-ancestors 'none'";
    private static final byte[] LIVE = "{\"status\":\"UP\",\"checks\":[]}\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NOT_FOUND = "not found: try /health, /health/live, /health/ready, /metrics or /\n"
            .getBytes(StandardCharsets.UTF_8);
    private static final String TEXT = "text/plain; charset=utf-8";

    private final NioHttpServer server;
    private final CheckScheduler scheduler;
    private final Duration refreshWait;
    private final Memo health = new Memo(new HealthJsonRenderer());
    private final Memo metrics = new Memo(new PrometheusRenderer());
    private final Memo html = new Memo(new HtmlRenderer());

    /** What one path answers; {@code post} routes take POST, the others GET and HEAD. */
    private record Route(boolean post, java.util.function.Function<Request, CompletionStage<Response>> handler) {
    }

    private final Map<String, Route> routes = Map.of(
            "/health", new Route(false, this::health),
            "/health/ready", new Route(false, this::health),
            // Alive means serving: the bucket being unusable is /health's business, not a restart's.
            "/health/live", new Route(false, r -> done(200, "application/json", LIVE, Map.of())),
            "/metrics", new Route(false, r -> render(metrics)),
            "/", new Route(false, r -> render(html)),
            "/refresh", new Route(true, r -> refresh()));

    public HealthServer(String host, int port, CheckScheduler scheduler, Duration refreshWait) throws IOException {
        this.scheduler = scheduler;
        this.refreshWait = refreshWait;
        this.server = NioHttpServer.start(host, port, this::handle, NioHttpServer.Limits.DEFAULT);
    }

    public int port() {
        return server.port();
    }

    private CompletionStage<Response> handle(Request request) {
        Route route = routes.get(request.path());
        String method = request.method();
        if (route == null) {
            return done(404, TEXT, NOT_FOUND, Map.of());
        }
        if (route.post() ? method.equals("POST") : method.equals("GET") || method.equals("HEAD")) {
            return route.handler().apply(request);
        }
        return done(405, TEXT, "method not allowed\n".getBytes(StandardCharsets.UTF_8),
                Map.of("Allow", route.post() ? "POST" : "GET, HEAD"));
    }

    private CompletionStage<Response> render(Memo format) {
        return done(200, format.contentType(), format.render(scheduler.snapshot()), Map.of());
    }

    private CompletionStage<Response> health(Request request) {
        if ("refresh=true".equals(request.query())) {
            return refresh();
        }
        return CompletableFuture.completedFuture(healthOf(scheduler.snapshot()));
    }

    private Response healthOf(HealthSnapshot s) {
        return response(s.healthy() ? 200 : 503, health.contentType(), health.render(s), Map.of());
    }

    /** Starts or joins a run and answers with its verdict; a run that overruns its deadline gets the cached one. */
    private CompletionStage<Response> refresh() {
        CheckScheduler.Refresh r = scheduler.requestRefresh();
        if (r.outcome() == CheckScheduler.Outcome.RATE_LIMITED) {
            return done(429, "application/json", ("{\"error\":\"refresh is limited to one per "
                    + scheduler.refreshLimit().toSeconds() + "s; the cached result is at /health\"}\n")
                    .getBytes(StandardCharsets.UTF_8),
                    Map.of("Retry-After", Long.toString(scheduler.refreshRetryAfterSeconds())));
        }
        return r.done().copy().completeOnTimeout(null, refreshWait.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(s -> healthOf(s != null ? s : scheduler.snapshot()));
    }

    private static CompletionStage<Response> done(int status, String contentType, byte[] body,
                                                  Map<String, String> headers) {
        return CompletableFuture.completedFuture(response(status, contentType, body, headers));
    }

    private static Response response(int status, String contentType, byte[] body, Map<String, String> headers) {
        Map<String, String> all = new java.util.HashMap<>(headers);
        all.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        return new Response(status, contentType, body, all);
    }

    @Override
    public void close() {
        server.close();
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
