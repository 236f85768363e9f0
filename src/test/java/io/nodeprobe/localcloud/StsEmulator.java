package io.nodeprobe.localcloud;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * AWS STS emulator for {@code GetCallerIdentity} (Query protocol: form POST or GET with
 * {@code Action=GetCallerIdentity&Version=2011-06-15}), on 127.0.0.1. RGW does not implement that call, so tests
 * that need the caller's identity point the SDK here ({@code AWS_ENDPOINT_URL_STS}).
 *
 * <p>The caller is the access key id in the SigV4 credential scope (header {@code Authorization}, or the
 * {@code X-Amz-Credential} parameter of a presigned request); signatures are not verified. No or unparseable
 * signature: 403 MissingAuthenticationToken; unknown key: 403 InvalidClientTokenId. A key from a roles directory
 * is a temporary one and, as on AWS, also needs its session token (else InvalidClientTokenId) and must not be
 * past its Expiration (else ExpiredToken). Other actions: 400 InvalidAction.
 */
public final class StsEmulator implements AutoCloseable {
    private static final String SECURITY_TOKEN = "X-Amz-Security-Token";

    /** Role sessions whose credentials documents sit in {@code dir} as {@code ROLE.json}. */
    private record RolesDirectory(Path dir, String account, String sessionName) {
    }

    /** The outcome of looking up a caller: exactly one of identity and error is set. */
    private record Caller(CallerIdentity identity, StsError error) {
    }

    private final LoopbackServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final Map<String, CallerIdentity> identities = new ConcurrentHashMap<>();
    private final List<RolesDirectory> rolesDirectories = new CopyOnWriteArrayList<>();
    private volatile StsError refusal;

    private StsEmulator(int port) {
        this.server = new LoopbackServer(port, "sts-emulator", this::handle);
    }

    /** Binds 127.0.0.1:{@code port}; 0 picks a free port. */
    public static StsEmulator start(int port) {
        return new StsEmulator(port);
    }

    public String endpoint() {
        return server.endpoint();
    }

    /** A long-term key (no session token needed) and who it belongs to. */
    public StsEmulator identity(String accessKeyId, String arn, String userId, String account) {
        identities.put(accessKeyId, new CallerIdentity(arn, userId, account));
        return this;
    }

    /**
     * Every {@code ROLE.json} in {@code rolesDir} (IMDS credentials documents) is a session of role ROLE:
     * {@code arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION}, user id {@code AROA...:SESSION}. The files are
     * read per request, so rotated keys are known at once and replaced ones are no longer.
     */
    public StsEmulator identitiesFromRoles(Path rolesDir, String account, String sessionName) {
        rolesDirectories.add(new RolesDirectory(rolesDir, account, sessionName));
        return this;
    }

    /** Every call answers this error from now on; {@code refuse(0, null, null)} resets. */
    public StsEmulator refuse(int httpStatus, String code, String message) {
        this.refusal = httpStatus == 0 ? null : new StsError(httpStatus, code, message);
        return this;
    }

    public int requestCount() {
        return requests.get();
    }

    @Override
    public void close() {
        server.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            String requestId = UUID.randomUUID().toString();
            Map<String, String> params = parameters(exchange);
            StsError error = refusal;
            CallerIdentity identity = null;
            if (error == null) {
                Caller caller = caller(exchange, params);
                error = caller.error();
                identity = caller.identity();
            }
            String action = params.get("Action");
            if (error == null && action == null) {
                error = StsError.missingAction();
            } else if (error == null && !action.equals("GetCallerIdentity")) {
                error = StsError.invalidAction(action);
            }
            Map<String, String> headers = Map.of("x-amzn-RequestId", requestId);
            if (error != null) {
                HttpReplies.send(exchange, error.status(), "text/xml", StsResponses.error(error, requestId), headers);
            } else {
                HttpReplies.send(exchange, 200, "text/xml", StsResponses.getCallerIdentity(identity, requestId), headers);
            }
        } catch (IOException e) {
            // client went away
        }
    }

    private Caller caller(HttpExchange exchange, Map<String, String> params) {
        Optional<String> accessKeyId = SigV4Credential.fromAuthorization(exchange.getRequestHeaders().getFirst("Authorization"))
                .map(SigV4Credential::accessKeyId)
                .or(() -> Optional.ofNullable(params.get("X-Amz-Credential")).map(c -> c.split("/", 2)[0]));
        if (accessKeyId.isEmpty() || accessKeyId.get().isEmpty()) {
            return new Caller(null, StsError.missingAuthenticationToken());
        }
        CallerIdentity known = identities.get(accessKeyId.get());
        if (known != null) {
            return new Caller(known, null);
        }
        String token = Optional.ofNullable(exchange.getRequestHeaders().getFirst(SECURITY_TOKEN))
                .orElse(params.get(SECURITY_TOKEN));
        for (RolesDirectory roles : rolesDirectories) {
            for (Path file : documents(roles.dir())) {
                Optional<CredentialsDocument> doc = CredentialsDocument.read(file);
                if (doc.isEmpty() || !accessKeyId.get().equals(doc.get().accessKeyId())) {
                    continue;
                }
                if (token == null || !token.equals(doc.get().token())) {
                    return new Caller(null, StsError.invalidClientTokenId());
                }
                if (doc.get().expiredAt(Instant.now())) {
                    return new Caller(null, StsError.expiredToken());
                }
                String role = file.getFileName().toString().replaceFirst("\\.json$", "");
                return new Caller(CallerIdentity.assumedRole(roles.account(), role, roles.sessionName()), null);
            }
        }
        return new Caller(null, StsError.invalidClientTokenId());
    }

    private static List<Path> documents(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> {
                String name = f.getFileName().toString();
                return name.endsWith(".json") && !name.startsWith(".");
            }).sorted().toList();
        } catch (IOException e) {
            return List.of(); // directory not there (yet)
        }
    }

    /** Query-string and form-body parameters; the Query protocol accepts either. */
    private static Map<String, String> parameters(HttpExchange exchange) throws IOException {
        Map<String, String> params = new HashMap<>();
        addForm(params, exchange.getRequestURI().getRawQuery());
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null || contentType.startsWith("application/x-www-form-urlencoded")) {
            addForm(params, HttpReplies.readBody(exchange));
        }
        return params;
    }

    private static void addForm(Map<String, String> params, String form) {
        if (form == null || form.isBlank()) {
            return;
        }
        for (String pair : form.trim().split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            params.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
    }
}
