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
 *
 * <p>{@code AssumeRoleWithWebIdentity} (unsigned, as on AWS) hands out the session credentials of the role's
 * document in a roles directory, so that RGW accepts them, when the role trusts the token's issuer and subject
 * ({@link #trustWebIdentity}); the token's signature is not verified. Its errors are AWS's: an issuer no trust
 * names has no OIDC provider (400 InvalidIdentityToken), an untrusted subject gets 403 AccessDenied, a token
 * past its {@code exp} by this server's clock 400 ExpiredTokenException.
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
    /** Role name to the (issuer, subject) pairs its trust policy accepts. */
    private final Map<String, List<String[]>> webTrust = new ConcurrentHashMap<>();
    /** Sessions handed out by AssumeRoleWithWebIdentity, by access key id. */
    private final Map<String, CallerIdentity> webSessions = new ConcurrentHashMap<>();

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

    /** Role {@code roleName}'s trust policy allows sts:AssumeRoleWithWebIdentity for this issuer and subject. */
    public StsEmulator trustWebIdentity(String roleName, String issuer, String subject) {
        webTrust.computeIfAbsent(roleName, r -> new CopyOnWriteArrayList<>()).add(new String[] {issuer, subject});
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
            Map<String, String> headers = Map.of("x-amzn-RequestId", requestId);
            if (refusal == null && "AssumeRoleWithWebIdentity".equals(params.get("Action"))) {
                webIdentity(exchange, params, requestId, headers);
                return;
            }
            StsError error = refusal;
            if (error == null) {
                error = signedTooFarOff(exchange, params);
            }
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
            if (error != null) {
                HttpReplies.send(exchange, error.status(), "text/xml", StsResponses.error(error, requestId), headers);
            } else {
                HttpReplies.send(exchange, 200, "text/xml", StsResponses.getCallerIdentity(identity, requestId), headers);
            }
        } catch (IOException e) {
            // client went away
        }
    }

    /** SigV4 allows 15 minutes between the request's X-Amz-Date and the service's clock, either way. */
    private static StsError signedTooFarOff(HttpExchange exchange, Map<String, String> params) {
        String date = Optional.ofNullable(exchange.getRequestHeaders().getFirst("X-Amz-Date"))
                .orElse(params.get("X-Amz-Date"));
        if (date == null || !date.matches("\\d{8}T\\d{6}Z")) {
            return null;
        }
        Instant now = Instant.now();
        Instant t = java.time.LocalDateTime.parse(date, java.time.format.DateTimeFormatter.ofPattern(
                "yyyyMMdd'T'HHmmss'Z'")).toInstant(java.time.ZoneOffset.UTC);
        return Math.abs(java.time.Duration.between(t, now).toSeconds()) > 900 ? StsError.signatureTime(date, now) : null;
    }

    private Caller caller(HttpExchange exchange, Map<String, String> params) {
        Optional<String> accessKeyId = SigV4Credential.fromAuthorization(exchange.getRequestHeaders().getFirst("Authorization"))
                .map(SigV4Credential::accessKeyId)
                .or(() -> Optional.ofNullable(params.get("X-Amz-Credential")).map(c -> c.split("/", 2)[0]));
        if (accessKeyId.isEmpty() || accessKeyId.get().isEmpty()) {
            return new Caller(null, StsError.missingAuthenticationToken());
        }
        CallerIdentity known = Optional.ofNullable(identities.get(accessKeyId.get()))
                .orElse(webSessions.get(accessKeyId.get()));
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

    private void webIdentity(HttpExchange exchange, Map<String, String> params, String requestId,
                             Map<String, String> headers) throws IOException {
        String roleArn = params.getOrDefault("RoleArn", "");
        String role = roleArn.substring(roleArn.lastIndexOf('/') + 1);
        String session = params.getOrDefault("RoleSessionName", "web-identity");
        Optional<Map<String, String>> claims = jwtClaims(params.getOrDefault("WebIdentityToken", ""));
        StsError error = null;
        CredentialsDocument doc = null;
        String account = null;
        if (claims.isEmpty()) {
            error = StsError.notAJwt();
        } else {
            String iss = claims.get().get("iss");
            String sub = claims.get().get("sub");
            boolean providerKnown = webTrust.values().stream().flatMap(List::stream).anyMatch(t -> t[0].equals(iss));
            boolean trusted = webTrust.getOrDefault(role, List.of()).stream()
                    .anyMatch(t -> t[0].equals(iss) && t[1].equals(sub));
            long now = Instant.now().getEpochSecond();
            long exp = Long.parseLong(claims.get().getOrDefault("exp", "0"));
            if (!providerKnown) {
                error = StsError.noOpenIdConnectProvider(iss);
            } else if (exp <= now) {
                error = StsError.webIdentityTokenExpired(now, exp);
            } else if (!trusted) {
                error = StsError.webIdentityNotAuthorized();
            }
            for (RolesDirectory roles : rolesDirectories) {
                Optional<CredentialsDocument> d = CredentialsDocument.read(roles.dir().resolve(role + ".json"));
                if (d.isPresent() && doc == null) {
                    doc = d.get();
                    account = roles.account();
                }
            }
            if (error == null && doc == null) {
                error = StsError.webIdentityNotAuthorized(); // no such role: AWS says the same
            }
        }
        if (error != null) {
            HttpReplies.send(exchange, error.status(), "text/xml", StsResponses.error(error, requestId), headers);
            return;
        }
        CallerIdentity identity = CallerIdentity.assumedRole(account, role, session);
        webSessions.put(doc.accessKeyId(), identity);
        HttpReplies.send(exchange, 200, "text/xml", StsResponses.assumeRoleWithWebIdentity(identity, doc,
                claims.get().get("sub"), claims.get().get("aud"), claims.get().get("iss"), requestId), headers);
    }

    private static final java.util.regex.Pattern CLAIM = java.util.regex.Pattern.compile(
            "\"(iss|sub|aud|exp)\"\\s*:\\s*(?:\\[?\"([^\"]*)\"|(\\d+))");

    /** The claims a trust policy matches on, from the JWT's payload; empty when it is not a JWT. */
    static Optional<Map<String, String>> jwtClaims(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            return Optional.empty();
        }
        String payload;
        try {
            payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        Map<String, String> claims = new HashMap<>();
        java.util.regex.Matcher m = CLAIM.matcher(payload);
        while (m.find()) {
            claims.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
        }
        return claims.containsKey("iss") ? Optional.of(claims) : Optional.empty();
    }

    /** An unsigned-looking JWT with these claims (the emulator does not check signatures; AWS does). */
    public static String jwt(String issuer, String subject, String audience, Instant expires) {
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"RS256\",\"kid\":\"test\"}".getBytes(StandardCharsets.UTF_8));
        String body = b64.encodeToString(("{\"aud\":[\"" + audience + "\"],\"exp\":" + expires.getEpochSecond()
                + ",\"iat\":" + (expires.getEpochSecond() - 86400) + ",\"iss\":\"" + issuer + "\",\"sub\":\""
                + subject + "\"}").getBytes(StandardCharsets.UTF_8));
        return header + "." + body + "." + b64.encodeToString("not-a-real-signature".getBytes(StandardCharsets.UTF_8));
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
