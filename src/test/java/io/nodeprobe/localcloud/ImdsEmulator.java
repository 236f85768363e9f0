package io.nodeprobe.localcloud;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * EC2 Instance Metadata Service emulator for the paths an instance-profile client uses, on 127.0.0.1.
 *
 * <p>Emulated AWS behaviour: {@code PUT /latest/api/token} needs {@code X-aws-ec2-metadata-token-ttl-seconds}
 * (1..21600, else 400), echoes it, and refuses requests carrying {@code X-Forwarded-For} (403); GETs with an
 * unknown or expired {@code X-aws-ec2-metadata-token} get 401, and so do GETs without one unless IMDSv1 is
 * allowed (default: IMDSv2 required, as on new instances). Under {@code /latest/meta-data/}: {@code instance-id},
 * {@code placement/region}, {@code placement/availability-zone}, {@code iam/info},
 * {@code iam/security-credentials/[ROLE]}; directories list their entries; everything else is 404 (which is
 * what makes the AWS SDK fall back from {@code iam/security-credentials-extended/}). All bodies are text/plain,
 * JSON documents included, as on EC2.
 *
 * <p>Not AWS: {@code PUT /_emulator/role/NAME} switches the role to {@code NAME.json} of the directory given to
 * {@link #roleSwitching(Path)}, {@code DELETE /_emulator/role} removes it (404 unless roleSwitching is set).
 */
public final class ImdsEmulator implements AutoCloseable {
    static final String DEFAULT_INSTANCE_ID = "i-0123456789abcdef0";
    static final String DEFAULT_ACCOUNT = "123456789012";
    static final String TOKEN_HEADER = "X-aws-ec2-metadata-token";
    static final String TTL_HEADER = "X-aws-ec2-metadata-token-ttl-seconds";
    private static final int MAX_TOKEN_TTL_SECONDS = 21600;
    private static final String META_DATA = "/latest/meta-data";

    /** The instance itself. */
    record Node(String instanceId, String region, String availabilityZone) {
    }

    record InstanceProfile(String arn, String id) {
    }

    /** Where a role's credentials document comes from: a file re-read per request, or a fixed text. */
    private record RoleCredentials(String roleName, Supplier<Optional<String>> document) {
    }

    private final LoopbackServer server;
    private final ImdsTokens tokens = new ImdsTokens();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile Node node = new Node(DEFAULT_INSTANCE_ID, "us-east-1", "us-east-1a");
    private volatile String account = DEFAULT_ACCOUNT;
    private volatile Optional<InstanceProfile> explicitProfile; // null: derive from the role; empty: no profile
    private volatile RoleCredentials role;
    private volatile Instant profileUpdated = now();
    private volatile Duration tokenDelay = Duration.ZERO;
    private volatile boolean v1Allowed;
    private volatile boolean tokenEndpointDisabled;
    private volatile Path switchableRolesDir;
    private volatile boolean turnedOff;
    private volatile boolean rejectTokens;
    private final java.util.concurrent.atomic.AtomicBoolean expireOnNextUse = new java.util.concurrent.atomic.AtomicBoolean();
    private final AtomicInteger busyFor = new AtomicInteger();
    private volatile String[] profileCode;

    private ImdsEmulator(int port) {
        this.server = new LoopbackServer(port, "imds-emulator", this::handle);
    }

    /** Binds 127.0.0.1:{@code port}; 0 picks a free port. */
    public static ImdsEmulator start(int port) {
        return new ImdsEmulator(port);
    }

    public String endpoint() {
        return server.endpoint();
    }

    public ImdsEmulator node(String instanceId, String region, String availabilityZone) {
        this.node = new Node(instanceId, region, availabilityZone);
        return this;
    }

    /** Account of the instance-profile ARN derived from the role name when none is set explicitly. */
    public ImdsEmulator account(String account) {
        this.account = account;
        return this;
    }

    /**
     * A null ARN makes a node without instance profile: everything under {@code iam/} answers 404. A null id
     * gets a stable {@code AIPA...} id. Without this call the profile is named after the role.
     */
    public ImdsEmulator instanceProfile(String instanceProfileArn, String instanceProfileId) {
        this.explicitProfile = instanceProfileArn == null ? Optional.empty()
                : Optional.of(new InstanceProfile(instanceProfileArn,
                        instanceProfileId != null ? instanceProfileId : AwsIds.uniqueId("AIPA", instanceProfileArn)));
        profileUpdated = now();
        return this;
    }

    /** The profile's role (an instance profile has one; a second call replaces it). The file is read per request. */
    public ImdsEmulator role(String roleName, Path credentialsDocument) {
        return setRole(new RoleCredentials(roleName, () -> readIfPresent(credentialsDocument)));
    }

    /** The profile's role with a fixed document, e.g. garbage, expired credentials or {@code "Code":"Failure"}. */
    public ImdsEmulator roleDocument(String roleName, String credentialsJson) {
        return setRole(new RoleCredentials(roleName, () -> Optional.of(credentialsJson)));
    }

    /** Removes the role: the profile stays, {@code iam/security-credentials/} answers 404, as on EC2. */
    public ImdsEmulator noRole() {
        return setRole(null);
    }

    /**
     * Delays the token PUT's answer. On EC2 a token response that has to cross more network hops than the
     * instance's hop limit (e.g. from a container) is dropped, so the client's PUT just hangs.
     */
    public ImdsEmulator tokenDelay(Duration delay) {
        this.tokenDelay = delay;
        return this;
    }

    /** true = IMDSv1 allowed (HttpTokens optional); false (default) = IMDSv2 required. */
    public ImdsEmulator v1Allowed(boolean allowed) {
        this.v1Allowed = allowed;
        return this;
    }

    /** The token PUT answers 403, as when IMDSv2 is unavailable; SDKs then fall back to IMDSv1. */
    public ImdsEmulator disableTokenEndpoint(boolean disabled) {
        this.tokenEndpointDisabled = disabled;
        return this;
    }

    /**
     * The instance's metadata endpoint is turned off (HttpEndpoint=disabled): every request gets 403 with an empty
     * body from server EC2ws (ansible/ansible#68098's capture).
     */
    public ImdsEmulator turnedOff(boolean off) {
        this.turnedOff = off;
        return this;
    }

    /** The next GET with a valid token finds every token issued so far expired: 401, and a new token works. */
    public ImdsEmulator expireTokensOnNextUse() {
        expireOnNextUse.set(true);
        return this;
    }

    /** Every GET with a token gets 401, new tokens included (a proxy mangling the token header). */
    public ImdsEmulator rejectTokens(boolean reject) {
        this.rejectTokens = reject;
        return this;
    }

    /** The next {@code n} requests get 503, as a throttled IMDS answers. */
    public ImdsEmulator busy(int n) {
        busyFor.set(n);
        return this;
    }

    /** iam/info answers with this Code (and Message) instead of Success; null restores Success. */
    public ImdsEmulator instanceProfileCode(String code, String message) {
        this.profileCode = code == null ? null : new String[] {code, message};
        return this;
    }

    /** Enables the {@code /_emulator/role/NAME} control path over the {@code NAME.json} files of {@code rolesDir}. */
    public ImdsEmulator roleSwitching(Path rolesDir) {
        this.switchableRolesDir = rolesDir;
        return this;
    }

    /** IMDS requests served so far (control-path requests excluded). */
    public int requestCount() {
        return requests.get();
    }

    @Override
    public void close() {
        server.close();
    }

    private ImdsEmulator setRole(RoleCredentials newRole) {
        this.role = newRole;
        profileUpdated = now();
        return this;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith("/_emulator/")) {
                control(exchange, path);
                return;
            }
            requests.incrementAndGet();
            String method = exchange.getRequestMethod();
            String token = exchange.getRequestHeaders().getFirst(TOKEN_HEADER);
            if (turnedOff) {
                HttpReplies.send(exchange, 403, "text/plain", "", Map.of("Server", "EC2ws"));
            } else if (busyFor.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                error(exchange, 503, "Service Unavailable");
            } else if (path.equals("/latest/api/token")) {
                issueToken(exchange, method);
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                error(exchange, 405, "Method Not Allowed");
            } else if (!authorized(token) || token != null && (rejectTokens || expireOnNextUse.compareAndSet(true,
                    false) && expireAll())) {
                error(exchange, 401, "Unauthorized");
            } else {
                Optional<String> body = metadata(path);
                if (body.isPresent()) {
                    HttpReplies.send(exchange, 200, "text/plain", body.get(), Map.of("Server", "EC2ws"));
                } else {
                    error(exchange, 404, "Not Found");
                }
            }
        } catch (IOException e) {
            // The client gave up (e.g. timed out on a delayed token PUT); nothing left to answer.
        }
    }

    private boolean expireAll() {
        tokens.expireAll();
        return true;
    }

    private boolean authorized(String token) {
        // A token that is sent must be valid even when IMDSv1 is allowed.
        return token != null ? tokens.isValid(token) : v1Allowed;
    }

    private void issueToken(HttpExchange exchange, String method) throws IOException {
        if (!method.equals("PUT")) {
            error(exchange, 405, "Method Not Allowed");
            return;
        }
        // IMDSv2 refuses token requests that went through a proxy, so a misconfigured proxy cannot hand out tokens.
        if (tokenEndpointDisabled || exchange.getRequestHeaders().containsKey("X-Forwarded-For")) {
            error(exchange, 403, "Forbidden");
            return;
        }
        int ttl = parseTtl(exchange.getRequestHeaders().getFirst(TTL_HEADER));
        if (ttl < 1 || ttl > MAX_TOKEN_TTL_SECONDS) {
            error(exchange, 400, "Bad Request");
            return;
        }
        if (!tokenDelay.isZero()) {
            try {
                Thread.sleep(tokenDelay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // emulator closing
                return;
            }
        }
        String token = tokens.issue(Duration.ofSeconds(ttl));
        HttpReplies.send(exchange, 200, "text/plain", token, Map.of(TTL_HEADER, Integer.toString(ttl), "Server", "EC2ws"));
    }

    private static int parseTtl(String header) {
        try {
            return header == null ? -1 : Integer.parseInt(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A leaf's content, or a directory's listing (entries with a trailing "/" are directories). */
    private Optional<String> metadata(String path) {
        if (!path.equals(META_DATA) && !path.startsWith(META_DATA + "/")) {
            return Optional.empty();
        }
        String relative = path.substring(META_DATA.length()).replaceFirst("^/", "");
        TreeMap<String, Supplier<Optional<String>>> leaves = leaves();
        if (leaves.containsKey(relative)) {
            return leaves.get(relative).get();
        }
        String prefix = relative.isEmpty() || relative.endsWith("/") ? relative : relative + "/";
        Set<String> entries = new LinkedHashSet<>();
        for (String leaf : leaves.keySet()) {
            if (leaf.startsWith(prefix)) {
                String rest = leaf.substring(prefix.length());
                int slash = rest.indexOf('/');
                entries.add(slash < 0 ? rest : rest.substring(0, slash + 1));
            }
        }
        return entries.isEmpty() ? Optional.empty() : Optional.of(String.join("\n", entries));
    }

    private TreeMap<String, Supplier<Optional<String>>> leaves() {
        Node n = node;
        RoleCredentials r = role;
        TreeMap<String, Supplier<Optional<String>>> leaves = new TreeMap<>();
        leaves.put("instance-id", () -> Optional.of(n.instanceId()));
        leaves.put("placement/region", () -> Optional.of(n.region()));
        leaves.put("placement/availability-zone", () -> Optional.of(n.availabilityZone()));
        profile().ifPresent(p -> {
            leaves.put("iam/info", () -> Optional.of(infoDocument(p)));
            if (r != null) {
                leaves.put("iam/security-credentials/" + r.roleName(), r.document());
            }
        });
        return leaves;
    }

    private Optional<InstanceProfile> profile() {
        Optional<InstanceProfile> explicit = explicitProfile;
        if (explicit != null) {
            return explicit;
        }
        RoleCredentials r = role;
        if (r == null) {
            return Optional.empty();
        }
        String arn = "arn:aws:iam::" + account + ":instance-profile/" + r.roleName();
        return Optional.of(new InstanceProfile(arn, AwsIds.uniqueId("AIPA", arn)));
    }

    private String infoDocument(InstanceProfile p) {
        String[] code = profileCode;
        if (code != null) {
            return "{\n"
                    + "  \"Code\" : \"" + code[0] + "\",\n"
                    + (code[1] == null ? "" : "  \"Message\" : \"" + code[1] + "\",\n")
                    + "  \"LastUpdated\" : \"" + profileUpdated + "\"\n"
                    + "}";
        }
        return "{\n"
                + "  \"Code\" : \"Success\",\n"
                + "  \"LastUpdated\" : \"" + profileUpdated + "\",\n"
                + "  \"InstanceProfileArn\" : \"" + p.arn() + "\",\n"
                + "  \"InstanceProfileId\" : \"" + p.id() + "\"\n"
                + "}";
    }

    private void control(HttpExchange exchange, String path) throws IOException {
        Path dir = switchableRolesDir;
        String method = exchange.getRequestMethod();
        String name = path.startsWith("/_emulator/role/") ? path.substring("/_emulator/role/".length()) : "";
        if (dir != null && method.equals("DELETE") && (path.equals("/_emulator/role") || name.isEmpty())) {
            noRole();
            HttpReplies.send(exchange, 200, "text/plain", "no role\n", Map.of());
        } else if (dir != null && method.equals("PUT") && name.matches("[\\w+=,.@-]{1,64}")
                && Files.isRegularFile(dir.resolve(name + ".json"))) {
            role(name, dir.resolve(name + ".json"));
            HttpReplies.send(exchange, 200, "text/plain", "role " + name + "\n", Map.of());
        } else {
            HttpReplies.send(exchange, 404, "text/plain", "no such role or control path\n", Map.of());
        }
    }

    /** EC2's error pages are small HTML documents. */
    private static void error(HttpExchange exchange, int status, String reason) throws IOException {
        String title = status + " - " + reason;
        String html = "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>\n"
                + "<html xml:lang=\"en\" lang=\"en\">\n <head>\n  <title>" + title + "</title>\n </head>\n"
                + " <body>\n  <h1>" + title + "</h1>\n </body>\n</html>\n";
        HttpReplies.send(exchange, status, "text/html", html, Map.of("Server", "EC2ws"));
    }

    private static Optional<String> readIfPresent(Path file) {
        try {
            return Optional.of(Files.readString(file));
        } catch (IOException e) {
            return Optional.empty(); // not there (yet): like a role whose credentials IMDS cannot serve
        }
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS); // IMDS times have whole seconds
    }
}
