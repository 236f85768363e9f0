package io.nodeprobe.identity;

import io.nodeprobe.aws.Backoff;
import io.nodeprobe.aws.Deadline;
import io.nodeprobe.clock.ServerDates;
import io.nodeprobe.diagnosis.ErrorClassifier;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.NoRouteToHostException;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A small IMDS client. Ours rather than the SDK's {@code Ec2MetadataClient} because the diagnosis needs to tell a
 * token PUT that timed out from one that was refused, and to try a token-less GET on purpose; the SDK hides both.
 * It never goes through a proxy: IMDS is link-local, and a proxy would answer for the wrong machine.
 */
public final class ImdsClient implements Imds {
    private static final String TOKEN_PATH = "/latest/api/token";
    private static final int MAX_BODY = 64 * 1024;
    /** IMDSv2 tokens are base64 text (56 characters today); anything else did not come from IMDS. */
    private static final java.util.regex.Pattern TOKEN = java.util.regex.Pattern.compile("[A-Za-z0-9+/=_-]{16,1024}");

    private final ImdsSettings settings;
    /** Told each answer's Date, for the node's clock offset; null when nobody listens. */
    private final ServerDates dates;

    public ImdsClient(ImdsSettings settings) {
        this(settings, null);
    }

    private ImdsClient(ImdsSettings settings, ServerDates dates) {
        this.settings = settings;
        this.dates = dates;
    }

    @Override
    public Imds heardBy(ServerDates runDates) {
        return new ImdsClient(settings, runDates);
    }

    @Override
    public ImdsSettings settings() {
        return settings;
    }

    @Override
    public String token(Deadline deadline) throws ImdsException {
        return call("PUT", TOKEN_PATH, null, deadline);
    }

    @Override
    public String get(String path, String token, Deadline deadline) throws ImdsException {
        return call("GET", "/latest/meta-data/" + path, token, deadline);
    }

    /**
     * Up to the configured attempts, each within the configured timeout and what is left of the deadline. Between
     * attempts a short jittered back-off, as EC2 asks of a throttled client (503); a back-off that would outlast
     * the deadline is not waited.
     */
    private String call(String method, String path, String token, Deadline deadline) throws ImdsException {
        ImdsException last = null;
        int sent = 0;
        for (int attempt = 1; attempt <= settings.attempts(); attempt++) {
            if (last != null && !pause(RETRY.delay(attempt - 1), deadline)) {
                break;
            }
            Duration budget = deadline.cap(settings.timeout());
            if (budget.toMillis() < 1) {
                throw last != null ? last : new ImdsException(ImdsException.Kind.TIMEOUT, 0,
                        method + " " + path + ": not sent, the run's deadline was reached");
            }
            try {
                sent++;
                return once(method, path, token, (int) budget.toMillis());
            } catch (ImdsException e) {
                last = e;
                if (!e.retryable()) {
                    throw e;
                }
            }
        }
        throw sent < 2 ? last : last.withMessage(last.getMessage() + " (" + sent + " attempts)");
    }

    /** 50 ms, 100 ms, 200 ms ... (±20 %), capped at 1 s: IMDS answers in a millisecond when it answers. */
    private static final Backoff RETRY = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(1));

    private static boolean pause(Duration d, Deadline deadline) {
        if (deadline.remaining().compareTo(d) <= 0) {
            return false;
        }
        try {
            Thread.sleep(d.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String once(String method, String path, String token, int timeoutMs) throws ImdsException {
        HttpURLConnection c = null;
        try {
            c = (HttpURLConnection) new URL(settings.endpoint() + path).openConnection(Proxy.NO_PROXY);
            c.setRequestMethod(method);
            c.setConnectTimeout(timeoutMs);
            c.setReadTimeout(timeoutMs);
            c.setUseCaches(false);
            c.setInstanceFollowRedirects(false);
            c.setRequestProperty("User-Agent", "nodeprobe");
            if (method.equals("PUT")) {
                c.setRequestProperty("X-aws-ec2-metadata-token-ttl-seconds",
                        Integer.toString(ImdsSettings.TOKEN_TTL_SECONDS));
                c.setDoOutput(true);
                c.setFixedLengthStreamingMode(0);
            }
            if (token != null) {
                c.setRequestProperty("X-aws-ec2-metadata-token", token);
            }
            int status = c.getResponseCode();
            if (dates != null) {
                dates.heard("imds", c.getHeaderField("Date"));
            }
            if (status / 100 == 3) {
                drain(c.getErrorStream());
                throw new ImdsException(ImdsException.Kind.NOT_IMDS, status, method + " " + path + ": HTTP " + status
                        + " redirect to " + c.getHeaderField("Location") + ", which IMDS never answers");
            }
            if (status != 200) {
                int length = drain(c.getErrorStream());
                throw new ImdsException(ImdsException.Kind.HTTP, status, method + " " + path + ": HTTP " + status
                        + (status == 503 ? " (IMDS busy)" : "") + (length == 0 ? " with an empty body" : ""),
                        length == 0);
            }
            String type = c.getContentType() == null ? "" : c.getContentType();
            byte[] bytes = read(c.getInputStream(), method + " " + path);
            long promised = c.getContentLengthLong();
            if (promised > bytes.length) {
                // HttpURLConnection hands over a body cut short by a closed connection as if it were whole.
                throw new ImdsException(ImdsException.Kind.UNREACHABLE, "ConnectionClosed", method + " " + path
                        + ": the connection closed after " + bytes.length + " of the answer's " + promised + " bytes");
            }
            String body = new String(bytes, StandardCharsets.UTF_8);
            if (type.toLowerCase(java.util.Locale.ROOT).startsWith("text/html")) {
                throw new ImdsException(ImdsException.Kind.NOT_IMDS, 200, method + " " + path + ": HTTP 200 with an "
                        + "HTML page (Content-Type " + type + "), which IMDS never answers");
            }
            if (method.equals("PUT") && !TOKEN.matcher(body.strip()).matches()) {
                throw new ImdsException(ImdsException.Kind.NOT_IMDS, 200, method + " " + path + ": HTTP 200 with "
                        + "something that is not a session token (" + body.strip().length() + " characters)");
            }
            return body;
        } catch (SocketTimeoutException e) {
            throw new ImdsException(ImdsException.Kind.TIMEOUT, 0,
                    method + " " + path + ": no answer within " + settings.timeout().toMillis() + "ms");
        } catch (ConnectException | NoRouteToHostException | UnknownHostException e) {
            throw new ImdsException(ImdsException.Kind.UNREACHABLE, ErrorClassifier.networkCode(e),
                    method + " " + path + ": cannot connect to " + settings.endpoint() + " (" + e.getMessage() + ")");
        } catch (javax.net.ssl.SSLException e) {
            throw new ImdsException(ImdsException.Kind.UNREACHABLE, "TLS",
                    method + " " + path + ": TLS with " + settings.endpoint() + " failed (" + e.getMessage() + ")");
        } catch (IOException e) {
            // the same words as S3's and STS's errors; a broken answer that names nothing was cut short
            String code = "ConnectionReset".equals(ErrorClassifier.networkCode(e)) ? "ConnectionReset"
                    : "ConnectionClosed";
            throw new ImdsException(ImdsException.Kind.UNREACHABLE, code, method + " " + path + ": the connection "
                    + (code.equals("ConnectionReset") ? "was reset" : "closed") + " before the answer was whole ("
                    + e.getMessage() + ")");
        } finally {
            if (c != null) {
                c.disconnect();
            }
        }
    }

    private static byte[] read(InputStream in, String what) throws IOException, ImdsException {
        try (in) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                throw new ImdsException(ImdsException.Kind.MALFORMED, 200, what + ": answer larger than 64 KiB");
            }
            return body;
        }
    }

    /** Reads and drops an error body; its length (0 when there is none). */
    private static int drain(InputStream in) {
        if (in == null) {
            return 0;
        }
        try (in) {
            return in.readNBytes(MAX_BODY).length;
        } catch (IOException ignored) {
            return -1; // the status already says what went wrong
        }
    }
}
