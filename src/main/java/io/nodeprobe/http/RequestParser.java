package io.nodeprobe.http;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the bytes of one request head (request line and header lines, up to and including the blank line) into a
 * {@link Head}, or refuses it with the status the client gets. Strict where leniency invites request smuggling (no
 * space before the colon, no folded lines, no stray CR, no {@code Transfer-Encoding}), lenient where it costs
 * nothing (bare LF line ends, blank lines before the request line).
 */
final class RequestParser {
    /** Bodies are read only to be skipped: this server answers {@code POST /refresh}, not uploads. */
    static final int MAX_BODY_BYTES = 1024;

    private RequestParser() {
    }

    /** A parsed request head and what it means for the connection. */
    record Head(NioHttpServer.Request request, boolean keepAlive, int contentLength) {
        boolean isHead() {
            return request.method().equals("HEAD");
        }
    }

    /** A request this server will not serve; {@code status} is the answer, after which the connection closes. */
    static final class Refusal extends Exception {
        final int status;

        Refusal(int status, String why) {
            super(why, null, false, false); // control flow, not a bug: no stack trace to fill
            this.status = status;
        }
    }

    /**
     * Finds the blank line that ends a head arriving in pieces, remembering how far it has looked so that a client
     * sending a byte at a time costs one scan of each byte, not one of the whole buffer per byte.
     */
    static final class HeadEnd {
        private int scanned;
        private int lineStart;
        private boolean sawLine;

        /** The index just past the blank line ending the head in {@code bytes[0, held)}, or -1 if none yet. */
        int find(byte[] bytes, int held) {
            for (int i = scanned; i < held; i++) {
                if (bytes[i] == '\n') {
                    boolean blank = i == lineStart || i == lineStart + 1 && bytes[lineStart] == '\r';
                    lineStart = i + 1;
                    if (blank && sawLine) {
                        scanned = i + 1;
                        return i + 1;
                    }
                    sawLine |= !blank; // blank lines before the request line do not end the head
                }
            }
            scanned = held;
            return -1;
        }

        /** Starts over: the bytes scanned so far were consumed. */
        void reset() {
            scanned = 0;
            lineStart = 0;
            sawLine = false;
        }
    }

    /** Parses {@code bytes[0, end)}, which ends with the blank line {@link HeadEnd} found. */
    static Head parse(byte[] bytes, int end) throws Refusal {
        // ISO-8859-1 maps each byte to one char, so no input is malformed at this stage and indexes stay bytes.
        String text = new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
        Lines lines = new Lines(text);
        String line = lines.next();
        while (line.isEmpty()) {
            line = lines.next(); // RFC 9112 §2.2: ignore blank lines before the request line
        }
        int sp1 = line.indexOf(' ');
        int sp2 = line.lastIndexOf(' ');
        if (sp1 <= 0 || sp2 <= sp1 + 1) {
            throw new Refusal(400, "request line is not METHOD SP target SP version");
        }
        String method = line.substring(0, sp1);
        String target = line.substring(sp1 + 1, sp2);
        boolean http11 = version(line.substring(sp2 + 1));
        if (!isToken(method) || !isVisibleAscii(target)) {
            throw new Refusal(400, "bad method or request target");
        }
        Map<String, String> headers = headers(lines);
        if (headers.containsKey("transfer-encoding")) {
            throw new Refusal(411, "Transfer-Encoding is not supported; send Content-Length");
        }
        int contentLength = contentLength(headers.get("content-length"));
        boolean keepAlive = http11 && !hasToken(headers.get("connection"), "close");
        int query = target.indexOf('?');
        String path = path(query < 0 ? target : target.substring(0, query));
        NioHttpServer.Request request = new NioHttpServer.Request(method, path,
                query < 0 ? "" : target.substring(query + 1), Collections.unmodifiableMap(headers));
        return new Head(request, keepAlive, contentLength);
    }

    /** True for HTTP/1.1, false for HTTP/1.0; refuses every other version. */
    private static boolean version(String v) throws Refusal {
        if (v.equals("HTTP/1.1")) {
            return true;
        }
        if (v.equals("HTTP/1.0")) {
            return false;
        }
        boolean wellFormed = v.length() == 8 && v.startsWith("HTTP/") && isDigit(v.charAt(5)) && v.charAt(6) == '.'
                && isDigit(v.charAt(7));
        throw wellFormed ? new Refusal(505, "HTTP version not supported") : new Refusal(400, "bad HTTP version");
    }

    private static Map<String, String> headers(Lines lines) throws Refusal {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = lines.next(); !line.isEmpty(); line = lines.next()) {
            int colon = line.indexOf(':');
            // A name must be a token, so a leading space (obsolete line folding) or a space before the colon fails.
            if (colon <= 0 || !isToken(line.substring(0, colon))) {
                throw new Refusal(400, "bad header line");
            }
            String value = trimWhitespace(line.substring(colon + 1));
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c != '\t' && (c < 0x20 || c == 0x7f)) {
                    throw new Refusal(400, "control character in a header value");
                }
            }
            // RFC 9110 §5.3: repeated fields combine into one comma-separated list.
            headers.merge(line.substring(0, colon).toLowerCase(Locale.ROOT), value, (a, b) -> a + ", " + b);
        }
        return headers;
    }

    private static int contentLength(String value) throws Refusal {
        if (value == null) {
            return 0;
        }
        String first = null;
        for (String part : value.split(",", -1)) { // "5, 5" from a repeated field is one length, "5, 6" is none
            String p = trimWhitespace(part);
            if (p.isEmpty() || !p.chars().allMatch(RequestParser::isDigit) || first != null && !first.equals(p)) {
                throw new Refusal(400, "bad Content-Length");
            }
            first = p;
        }
        long length = first.length() > 18 ? Long.MAX_VALUE : Long.parseLong(first);
        if (length > MAX_BODY_BYTES) {
            throw new Refusal(413, "request body larger than " + MAX_BODY_BYTES + " bytes");
        }
        return (int) length;
    }

    /** The path of an origin-form ({@code /a}), absolute-form ({@code http://h/a}) or asterisk-form target. */
    private static String path(String target) throws Refusal {
        if (target.startsWith("/") || target.equals("*")) {
            return target;
        }
        int scheme = target.indexOf("://");
        String s = scheme < 0 ? "" : target.substring(0, scheme).toLowerCase(Locale.ROOT);
        if (!s.equals("http") && !s.equals("https")) {
            throw new Refusal(400, "bad request target");
        }
        int slash = target.indexOf('/', scheme + 3);
        return slash < 0 ? "/" : target.substring(slash);
    }

    private static boolean hasToken(String list, String token) {
        if (list == null) {
            return false;
        }
        for (String t : list.split(",")) {
            if (t.strip().equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }

    /** RFC 9110 §5.6.2 token: one or more of ALPHA, DIGIT and {@code !#$%&'*+-.^_`|~}. */
    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    /** Drops RFC 9110 optional whitespace (SP, HTAB) only; {@link String#strip} would also eat control chars. */
    private static String trimWhitespace(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
            to--;
        }
        return s.substring(from, to);
    }

    private static boolean isVisibleAscii(String s) {
        return s.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    /** The lines of a head: split on LF, one trailing CR dropped; a CR anywhere else is refused. */
    private static final class Lines {
        private final String text;
        private int next;

        Lines(String text) {
            this.text = text;
        }

        String next() throws Refusal {
            int lf = text.indexOf('\n', next);
            if (lf < 0) {
                throw new Refusal(400, "head does not end with a blank line"); // the connection found one: a bug
            }
            int end = lf > next && text.charAt(lf - 1) == '\r' ? lf - 1 : lf;
            String line = text.substring(next, end);
            next = lf + 1;
            if (line.indexOf('\r') >= 0) {
                throw new Refusal(400, "bare CR in the request head");
            }
            return line;
        }
    }
}
