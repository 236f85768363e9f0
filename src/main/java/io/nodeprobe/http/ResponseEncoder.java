package io.nodeprobe.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes a {@link NioHttpServer.Response} as HTTP/1.1 bytes: status line, the headers every answer carries, the
 * handler's own headers, and the body, all in one buffer so that a small reply leaves in one write and one segment.
 */
final class ResponseEncoder {
    /** Set by the server on every response; a handler naming one in {@code Response.headers} is refused. */
    private static final Set<String> SERVER_HEADERS = Set.of("content-type", "content-length", "connection",
            "transfer-encoding", "cache-control", "x-content-type-options");

    private static final String PLAIN_TEXT = "text/plain; charset=utf-8";

    private ResponseEncoder() {
    }

    /**
     * The bytes of {@code response}; a reply to {@code HEAD} keeps the {@code Content-Length} the body would have had
     * and leaves the body out, and {@code close} adds {@code Connection: close}.
     */
    static ByteBuffer encode(NioHttpServer.Response response, boolean head, boolean close) {
        byte[] body = response.body();
        StringBuilder sb = new StringBuilder(160).append("HTTP/1.1 ").append(response.status()).append(' ')
                .append(reason(response.status())).append("\r\n")
                .append("Content-Type: ").append(response.contentType()).append("\r\n")
                .append("Content-Length: ").append(body.length).append("\r\n")
                .append("X-Content-Type-Options: nosniff\r\n")
                .append("Cache-Control: no-store\r\n");
        if (close) {
            sb.append("Connection: close\r\n");
        }
        for (Map.Entry<String, String> h : response.headers().entrySet()) {
            sb.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        // Response's constructor admitted only Latin-1 characters, so this encoding loses nothing.
        byte[] top = sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer bytes = ByteBuffer.allocate(top.length + (head ? 0 : body.length)).put(top);
        if (!head) {
            bytes.put(body);
        }
        return bytes.flip();
    }

    /** The server's own answer for {@code status}: its reason phrase as a one-line plain-text body. */
    static NioHttpServer.Response error(int status) {
        byte[] body = (reason(status).toLowerCase(Locale.ROOT) + "\n").getBytes(StandardCharsets.UTF_8);
        return new NioHttpServer.Response(status, PLAIN_TEXT, body, Map.of());
    }

    /**
     * Checks what a {@link NioHttpServer.Response} holds and returns its headers, copied in the handler's order.
     * Statuses 1xx and 204 are refused: they may not carry the Content-Length every answer has here.
     */
    static Map<String, String> checked(int status, String contentType, byte[] body, Map<String, String> headers) {
        if (status < 200 || status > 599 || status == 204) {
            throw new IllegalArgumentException("unsupported status " + status);
        }
        checkValue(Objects.requireNonNull(contentType, "contentType"));
        Objects.requireNonNull(body, "body");
        headers.forEach(ResponseEncoder::checkHeader);
        return Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** Checks a header name or value a handler supplies, so that no handler bug can split the response. */
    private static void checkHeader(String name, String value) {
        if (!RequestParser.isToken(name)) {
            throw new IllegalArgumentException("header name is not a token: " + name);
        }
        if (SERVER_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException(name + " is set by the server");
        }
        checkValue(value);
    }

    /** A header value holds Latin-1 text without control characters other than HTAB: no CR or LF above all. */
    private static void checkValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '\t' && (c < 0x20 || c == 0x7f || c > 0xff)) {
                throw new IllegalArgumentException("header value holds character " + (int) c);
            }
        }
    }

    static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 304 -> "Not Modified";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 411 -> "Length Required";
            case 413 -> "Content Too Large";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            case 505 -> "HTTP Version Not Supported";
            default -> status < 300 ? "OK" : status < 400 ? "Redirect" : status < 500 ? "Client Error"
                    : "Server Error";
        };
    }
}
