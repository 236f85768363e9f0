package io.nodeprobe.localcloud;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A path-style S3 stand-in for what RGW cannot produce: it answers the real SDK with AWS's recorded status, headers
 * and error bodies (verbatim from the reference notes) for the calls it is told to refuse, and like S3 for the
 * rest, keeping objects in memory. Signatures are not checked: what is under test is how nodeprobe reads answers.
 */
public final class RecordedS3 implements AutoCloseable {
    /** Which call a recorded refusal answers. */
    public enum Call { PUT, GET, CREATE_UPLOAD }

    /** One recorded reply: status, S3 error code and message (the XML body is built as S3 builds it). */
    public record Refusal(int status, String code, String message) {
    }

    private final LoopbackServer server;
    private final Map<String, String> putHeaders = new ConcurrentHashMap<>();
    private volatile String owner;
    private final Map<Call, Refusal> refusals = new ConcurrentHashMap<>();
    private static final String PART_ETAG = "\"7215ee9c7d9dc229d2921a40e899ec5f\"";
    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    /** Uploads in progress: key to upload id. */
    private final Map<String, String> uploads = new ConcurrentHashMap<>();

    private RecordedS3() {
        server = new LoopbackServer(0, "recorded-s3", this::handle);
    }

    public static RecordedS3 start() {
        return new RecordedS3();
    }

    public String endpoint() {
        return server.endpoint();
    }

    /** The account that owns the bucket: a request naming another as x-amz-expected-bucket-owner gets S3's 403. */
    public RecordedS3 ownedBy(String account) {
        this.owner = account;
        return this;
    }

    /** PutObject answers that S3 encrypted the object so (x-amz-server-side-encryption and its KMS key id). */
    public RecordedS3 encrypts(String header, String kmsKeyId) {
        putHeaders.put("x-amz-server-side-encryption", header);
        if (kmsKeyId != null) {
            putHeaders.put("x-amz-server-side-encryption-aws-kms-key-id", kmsKeyId);
        }
        return this;
    }

    /** How S3 answers a request signed for the wrong region (reference notes, section 4). */
    public enum WrongRegion {
        /** 301 with the x-amz-bucket-region header; the body names the endpoint, not the region. */
        PERMANENT_REDIRECT,
        /** 400; the message and the Region element name the bucket's region. */
        AUTHORIZATION_HEADER_MALFORMED
    }

    private volatile String homeRegion;
    private volatile WrongRegion wrongRegion;

    /** The bucket lives in {@code region}: a request signed for another gets {@code answer}, a HEAD without body. */
    public RecordedS3 livesIn(String region, WrongRegion answer) {
        this.homeRegion = region;
        this.wrongRegion = answer;
        return this;
    }

    public RecordedS3 refuse(Call call, Refusal refusal) {
        refusals.put(call, refusal);
        return this;
    }

    private void handle(HttpExchange x) throws IOException {
        // S3 names every answer, successes and HEADs too; nodeprobe refuses one that is not named so.
        x.getResponseHeaders().set("x-amz-request-id", "RECORDED0000001");
        String method = x.getRequestMethod();
        String path = x.getRequestURI().getRawPath();
        String query = x.getRequestURI().getRawQuery() == null ? "" : x.getRequestURI().getRawQuery();
        boolean bucketLevel = path.indexOf('/', 1) < 0;
        byte[] body = x.getRequestBody().readAllBytes();
        String sha = x.getRequestHeaders().getFirst("x-amz-content-sha256");
        if (sha != null && sha.startsWith("STREAMING-")) {
            body = unchunk(body); // over plain http the SDK signs the payload chunk by chunk
        }
        String signedFor = SigV4Credential.fromAuthorization(x.getRequestHeaders().getFirst("Authorization"))
                .map(SigV4Credential::region).orElse(null);
        if (homeRegion != null && !homeRegion.equals(signedFor)) {
            wrongRegion(x, method, signedFor);
            return;
        }
        String expected = x.getRequestHeaders().getFirst("x-amz-expected-bucket-owner");
        if (expected != null && owner != null && !expected.equals(owner)) {
            // AWS: 403 with the generic message, nothing saying why (reference notes, section 3).
            error(x, new Refusal(403, "AccessDenied", "Access Denied"));
            return;
        }
        if (bucketLevel && method.equals("GET") && query.contains("location")) {
            xml(x, 200, "<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"/>");
        } else if (bucketLevel && method.equals("GET") && query.contains("uploads")) {
            StringBuilder listed = new StringBuilder();
            uploads.forEach((key, id) -> listed.append("<Upload><Key>").append(key).append("</Key><UploadId>")
                    .append(id).append("</UploadId></Upload>"));
            xml(x, 200, "<ListMultipartUploadsResult><Bucket>b</Bucket><IsTruncated>false</IsTruncated>" + listed
                    + "</ListMultipartUploadsResult>");
        } else if (bucketLevel && method.equals("GET")) {
            xml(x, 200, "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>b</Name>"
                    + "<KeyCount>0</KeyCount><MaxKeys>1</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>");
        } else if (method.equals("POST") && query.startsWith("uploads")) {
            if (!refused(x, Call.CREATE_UPLOAD)) {
                uploads.put(key(path), "up1");
                xml(x, 200, "<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>" + key(path) + "</Key>"
                        + "<UploadId>up1</UploadId></InitiateMultipartUploadResult>");
            }
        } else if (query.contains("uploadId") && !uploads.containsKey(key(path))) {
            error(x, new Refusal(404, "NoSuchUpload", "The specified upload does not exist. The upload ID may be "
                    + "invalid, or the upload may have been aborted or completed."));
        } else if (method.equals("PUT") && query.contains("uploadId")) {
            HttpReplies.send(x, 200, "text/plain", "", Map.of("ETag", PART_ETAG));
        } else if (method.equals("GET") && query.contains("uploadId")) {
            xml(x, 200, "<ListPartsResult><Bucket>b</Bucket><Key>" + key(path) + "</Key><UploadId>up1</UploadId>"
                    + "<IsTruncated>false</IsTruncated><Part><PartNumber>1</PartNumber><ETag>" + PART_ETAG
                    + "</ETag><Size>1</Size></Part></ListPartsResult>");
        } else if (method.equals("DELETE") && query.contains("uploadId")) {
            uploads.remove(key(path));
            HttpReplies.send(x, 204, "text/plain", "", Map.of());
        } else if (method.equals("PUT") && !query.contains("uploadId")) {
            if (!refused(x, Call.PUT)) {
                objects.put(path, body);
                Map<String, String> headers = new java.util.HashMap<>(putHeaders);
                headers.put("ETag", "\"d41d8cd98f00b204e9800998ecf8427e\"");
                HttpReplies.send(x, 200, "text/plain", "", headers);
            }
        } else if (method.equals("GET")) {
            byte[] stored = objects.get(path);
            if (refused(x, Call.GET)) {
                return;
            }
            if (stored == null) {
                error(x, new Refusal(404, "NoSuchKey", "The specified key does not exist."));
                return;
            }
            x.getResponseHeaders().set("Content-Type", "text/plain");
            x.sendResponseHeaders(200, stored.length == 0 ? -1 : stored.length);
            try (var out = x.getResponseBody()) {
                out.write(stored);
            }
            x.close();
        } else if (method.equals("HEAD")) {
            HttpReplies.send(x, objects.containsKey(path) ? 200 : 404, "text/plain", "", Map.of());
        } else if (method.equals("DELETE")) {
            objects.remove(path);
            HttpReplies.send(x, 204, "text/plain", "", Map.of());
        } else {
            error(x, new Refusal(501, "NotImplemented", "not recorded"));
        }
    }

    private void wrongRegion(HttpExchange x, String method, String signedFor) throws IOException {
        Map<String, String> headers = Map.of("x-amz-bucket-region", homeRegion, "x-amz-request-id", "A9D9FE127C48F985");
        int status = wrongRegion == WrongRegion.PERMANENT_REDIRECT ? 301 : 400;
        if (method.equals("HEAD")) {
            HttpReplies.send(x, status, "application/xml", "", headers);
            return;
        }
        String body = wrongRegion == WrongRegion.PERMANENT_REDIRECT
                ? "<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be "
                + "addressed using the specified endpoint. Please send all future requests to this endpoint."
                + "</Message><RequestId>A9D9FE127C48F985</RequestId><Bucket>b</Bucket><HostId>recorded</HostId>"
                + "<Endpoint>b.s3." + homeRegion + ".amazonaws.com</Endpoint></Error>"
                : "<Error><Code>AuthorizationHeaderMalformed</Code><Message>The authorization header is malformed; "
                + "the region '" + signedFor + "' is wrong; expecting '" + homeRegion + "'</Message><Region>"
                + homeRegion + "</Region><RequestId>531B68B3613F5C96</RequestId><HostId>recorded</HostId></Error>";
        HttpReplies.send(x, status, "application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + body, headers);
    }

    /** The payload of an aws-chunked body: "hex-size;chunk-signature=...\\r\\n" data "\\r\\n", up to size 0. */
    private static byte[] unchunk(byte[] chunked) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int i = 0;
        while (i < chunked.length) {
            int eol = i;
            while (eol + 1 < chunked.length && !(chunked[eol] == '\r' && chunked[eol + 1] == '\n')) {
                eol++;
            }
            String head = new String(chunked, i, eol - i, java.nio.charset.StandardCharsets.US_ASCII);
            int size = Integer.parseInt(head.split(";", 2)[0].trim(), 16);
            if (size == 0) {
                break;
            }
            out.write(chunked, eol + 2, size);
            i = eol + 2 + size + 2;
        }
        return out.toByteArray();
    }

    /** The object key of a path-style request path, /bucket/key, URL-decoded. */
    private static String key(String path) {
        return java.net.URLDecoder.decode(path.substring(path.indexOf('/', 1) + 1),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    private boolean refused(HttpExchange x, Call call) throws IOException {
        Refusal r = refusals.get(call);
        if (r == null) {
            return false;
        }
        error(x, r);
        return true;
    }

    private static void error(HttpExchange x, Refusal r) throws IOException {
        HttpReplies.send(x, r.status(), "application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>"
                + r.code() + "</Code><Message>" + r.message() + "</Message><RequestId>RECORDED0000001</RequestId>"
                + "<HostId>recorded</HostId></Error>", Map.of("x-amz-request-id", "RECORDED0000001"));
    }

    private static void xml(HttpExchange x, int status, String body) throws IOException {
        HttpReplies.send(x, status, "application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + body, Map.of());
    }

    @Override
    public void close() {
        server.close();
    }
}
