package io.nodeprobe.it;

import io.nodeprobe.config.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The local cloud that scripts/local-cloud.sh started: Ceph RGW on loopback, its buckets and one IAM role per
 * scenario, each with an IMDS credential document from RGW's own STS AssumeRole. Read from its cloud.env.
 */
public final class LocalCloud {
    public static final String ACCOUNT = "123456789012";
    private static LocalCloud instance;

    private final Map<String, String> vars;

    private LocalCloud(Map<String, String> vars) {
        this.vars = vars;
    }

    public static synchronized LocalCloud get() {
        if (instance == null) {
            String dir = System.getenv().getOrDefault("NP_CLOUD_DIR",
                    System.getProperty("java.io.tmpdir") + "/nodeprobe-cloud");
            Path env = Path.of(dir, "cloud.env");
            Map<String, String> vars = new HashMap<>();
            try {
                for (String line : Files.readAllLines(env)) {
                    int eq = line.indexOf('=');
                    if (eq > 0 && !line.startsWith("#")) {
                        vars.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip().replaceAll("^\"|\"$", ""));
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("local cloud not running: start it with scripts/local-cloud.sh start ("
                        + env + ": " + e.getMessage() + ")");
            }
            instance = new LocalCloud(vars);
        }
        return instance;
    }

    public String rgwEndpoint() {
        return vars.get("NP_RGW_ENDPOINT");
    }

    public String bucket() {
        return vars.getOrDefault("NP_BUCKET", "np-bucket");
    }

    public Path roleDocument(String role) {
        return Path.of(vars.get("NP_ROLES_DIR"), role + ".json");
    }

    public String roleField(String role, String field) {
        try {
            return JsonObject.parse(Files.readString(roleDocument(role))).orElseThrow().string(field).orElseThrow();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every secret the local cloud hands out: none may ever appear in nodeprobe's output. */
    public String[] secrets() {
        List<String> s = new ArrayList<>();
        s.add(vars.get("NP_OWNER_SECRET_KEY"));
        try (var files = Files.list(Path.of(vars.get("NP_ROLES_DIR")))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                JsonObject.parse(Files.readString(p)).ifPresent(doc -> {
                    doc.string("SecretAccessKey").ifPresent(s::add);
                    doc.string("Token").ifPresent(s::add);
                });
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return s.toArray(String[]::new);
    }

    /** An S3 client as the bucket owner, for setting up and inspecting buckets behind nodeprobe's back. */
    public S3Client ownerS3() {
        return S3Client.builder()
                .endpointOverride(URI.create(rgwEndpoint()))
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        vars.get("NP_OWNER_ACCESS_KEY"), vars.get("NP_OWNER_SECRET_KEY"))))
                .httpClient(UrlConnectionHttpClient.create())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }
}
