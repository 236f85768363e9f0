package io.nodeprobe.localcloud;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak behind scripts/soak.sh: nodeprobe {@code serve --interval 5s} on the local cloud, with a
 * {@link FaultProxy} in front of S3 and one in front of IMDS whose fault changes every minute, while a client keeps
 * about 200 {@code /health} requests a second coming. Every 10 s it samples the server's RSS, open file descriptors
 * and threads; at the end it fails (exit 1) if any of them keeps growing over the second half (a least-squares slope
 * above a small limit), if /health's p99 latency is over 10 ms, if a run started before the one before it ended, or
 * if the schedule paused longer than its interval allows between two runs.
 * <pre>
 * java -cp target/test-classes io.nodeprobe.localcloud.SoakMain --bin PATH --duration 3m --roles-dir DIR
 *      --rgw URL --bucket NAME [--rate 200] [--cycle 60s] [--sample 10s]
 * </pre>
 */
public final class SoakMain {
    /** Growth limits per minute over the second half: far below a leak of one of anything per 5 s run (12/min). */
    static final double RSS_MIB_PER_MIN = 1.0;
    static final double FDS_PER_MIN = 2.0;
    static final double THREADS_PER_MIN = 2.0;
    static final double P99_LIMIT_MS = 10.0;
    private static final Pattern RUN = Pattern.compile("\"ts\":\"([^\"]+)\",\"level\":\"\\w+\",\"event\":\"run\","
            + "\"status\":\"(\\w+)\",\"durationMs\":(\\d+)");
    /** The faults each minute brings, S3's and IMDS's, in turn; a minute without faults between them. */
    private static final List<Fault[]> CYCLE = List.of(
            new Fault[] {Fault.PASS, Fault.PASS},
            new Fault[] {Fault.RESET_MID_BODY, Fault.PASS},
            new Fault[] {Fault.PASS, Fault.ERROR_500},
            new Fault[] {Fault.SLOW_DOWN_503, Fault.PASS},
            new Fault[] {Fault.HEADERS_THEN_SILENCE, Fault.PASS},
            new Fault[] {Fault.PASS, Fault.SILENCE},
            new Fault[] {Fault.PORTAL_200, Fault.PASS},
            new Fault[] {Fault.SHORT_BODY, Fault.REFUSED});

    record Sample(double minutes, double rssMib, int fds, int threads) {
    }

    public static void main(String[] args) throws Exception {
        String bin = null;
        String rolesDir = null;
        String rgw = null;
        String bucket = null;
        Duration duration = Duration.ofMinutes(3);
        Duration cycle = Duration.ofSeconds(60);
        Duration every = Duration.ofSeconds(10);
        int rate = 200;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--bin" -> bin = args[i + 1];
                case "--roles-dir" -> rolesDir = args[i + 1];
                case "--rgw" -> rgw = args[i + 1];
                case "--bucket" -> bucket = args[i + 1];
                case "--duration" -> duration = duration(args[i + 1]);
                case "--cycle" -> cycle = duration(args[i + 1]);
                case "--sample" -> every = duration(args[i + 1]);
                case "--rate" -> rate = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (bin == null || rolesDir == null || rgw == null || bucket == null) {
            System.err.println("usage: SoakMain --bin PATH --roles-dir DIR --rgw URL --bucket NAME [--duration 3m]"
                    + " [--rate 200] [--cycle 60s] [--sample 10s]");
            System.exit(2);
        }
        System.exit(new SoakMain().soak(bin, Path.of(rolesDir), URI.create(rgw), bucket, duration, cycle, every,
                rate) ? 0 : 1);
    }

    private boolean soak(String bin, Path roles, URI rgw, String bucket, Duration duration, Duration cycle,
                         Duration every, int rate) throws Exception {
        ImdsEmulator imds = ImdsEmulator.start(0).role("np-full", roles.resolve("np-full.json"));
        StsEmulator sts = StsEmulator.start(0).identitiesFromRoles(roles, ImdsEmulator.DEFAULT_ACCOUNT,
                ImdsEmulator.DEFAULT_INSTANCE_ID);
        try (FaultProxy s3 = FaultProxy.start(rgw, FaultProxy.Flavour.S3);
             FaultProxy meta = FaultProxy.start(URI.create(imds.endpoint()), FaultProxy.Flavour.IMDS)) {
            int port = freePort();
            Path home = Files.createTempDirectory("nodeprobe-soak");
            Path log = home.resolve("serve.log");
            ProcessBuilder pb = new ProcessBuilder(bin, "serve", "--bucket", bucket, "--prefix", "soak",
                    "--interval", "5s", "--port", Integer.toString(port), "--log-format", "json")
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().clear();
            pb.environment().put("PATH", "/usr/bin:/bin");
            pb.environment().put("HOME", home.toString());
            pb.environment().put("AWS_EC2_METADATA_SERVICE_ENDPOINT", meta.endpoint());
            pb.environment().put("AWS_ENDPOINT_URL_S3", s3.endpoint());
            pb.environment().put("AWS_ENDPOINT_URL_STS", sts.endpoint());
            pb.environment().put("NODEPROBE_S3_PATH_STYLE", "true");
            Process serve = pb.start();
            Load load = new Load(port, rate);
            List<Sample> samples = new ArrayList<>();
            long t0 = System.nanoTime();
            long end = t0 + duration.toNanos();
            int minute = -1;
            try {
                awaitListening(log, serve);
                load.start();
                long nextSample = System.nanoTime();
                while (System.nanoTime() < end && serve.isAlive()) {
                    int m = (int) ((System.nanoTime() - t0) / cycle.toNanos());
                    if (m != minute) {
                        minute = m;
                        Fault[] f = CYCLE.get(m % CYCLE.size());
                        s3.set(f[0]);
                        meta.set(f[1]);
                        System.out.println("soak: " + seconds(t0) + "s: S3 " + f[0].label() + ", IMDS "
                                + f[1].label());
                    }
                    if (System.nanoTime() >= nextSample) {
                        Sample s = sample(serve.pid(), (System.nanoTime() - t0) / 60e9);
                        samples.add(s);
                        System.out.printf("soak: %ds: rss %.1f MiB, %d fds, %d threads, /health %d requests, "
                                + "p99 %.2f ms%n", seconds(t0), s.rssMib(), s.fds(), s.threads(), load.count(),
                                load.p99Ms());
                        nextSample += every.toNanos();
                    }
                    Thread.sleep(100);
                }
            } finally {
                load.stop();
                s3.set(Fault.PASS);
                meta.set(Fault.PASS);
                serve.destroy();
                serve.waitFor();
                imds.close();
                sts.close();
            }
            return verdict(samples, load, Files.readAllLines(log), duration, serve.exitValue());
        }
    }

    private static boolean verdict(List<Sample> samples, Load load, List<String> log, Duration duration, int exit) {
        boolean ok = true;
        List<Sample> half = samples.subList(samples.size() / 2, samples.size());
        double rss = slope(half, Sample::rssMib);
        double fds = slope(half, s -> s.fds());
        double threads = slope(half, s -> s.threads());
        ok &= report("RSS", rss, RSS_MIB_PER_MIN, "MiB/min", half, Sample::rssMib);
        ok &= report("open fds", fds, FDS_PER_MIN, "/min", half, s -> s.fds());
        ok &= report("threads", threads, THREADS_PER_MIN, "/min", half, s -> s.threads());
        double p99 = load.p99Ms();
        System.out.printf("soak: /health: %d requests (%.0f/s), %d errors, p50 %.2f ms, p99 %.2f ms, max %.2f ms "
                        + "(limit p99 %.0f ms)%n", load.count(), load.count() / (duration.toMillis() / 1000.0),
                load.errors(), load.percentileMs(50), p99, load.maxMs(), P99_LIMIT_MS);
        if (p99 > P99_LIMIT_MS || load.errors() > 0 || load.count() == 0) {
            System.out.println("soak: FAIL: /health p99 over the limit, or requests failed");
            ok = false;
        }
        List<Instant[]> runs = new ArrayList<>();
        int byStatus = 0;
        for (String line : log) {
            Matcher m = RUN.matcher(line);
            if (m.find()) {
                Instant endAt = Instant.parse(m.group(1));
                runs.add(new Instant[] {endAt.minusMillis(Long.parseLong(m.group(3))), endAt});
                byStatus++;
            }
        }
        int overlaps = 0;
        long maxPauseMs = 0;
        for (int i = 1; i < runs.size(); i++) {
            // the log's clock has millisecond steps: a start 1 ms before the previous end is the same instant
            if (runs.get(i)[0].plusMillis(1).isBefore(runs.get(i - 1)[1])) {
                overlaps++;
            }
            maxPauseMs = Math.max(maxPauseMs, Duration.between(runs.get(i - 1)[1], runs.get(i)[0]).toMillis());
        }
        // The schedule waits 5 s ± 10 % between runs; a longer pause means it slipped or stalled.
        long pauseLimitMs = 5_500 + 1_000;
        System.out.println("soak: " + byStatus + " runs logged, " + overlaps + " overlapping, longest pause between "
                + "two runs " + maxPauseMs + " ms (limit " + pauseLimitMs + "); serve exited " + exit);
        if (overlaps > 0 || runs.size() < 2 || maxPauseMs > pauseLimitMs || exit != 0) {
            System.out.println("soak: FAIL: runs overlapped, the schedule paused too long, or serve did not stop "
                    + "cleanly");
            ok = false;
        }
        System.out.println(ok ? "soak: PASS" : "soak: FAIL");
        return ok;
    }

    private static boolean report(String what, double slope, double limit, String unit, List<Sample> half,
                                  java.util.function.ToDoubleFunction<Sample> value) {
        double first = half.isEmpty() ? 0 : value.applyAsDouble(half.get(0));
        double last = half.isEmpty() ? 0 : value.applyAsDouble(half.get(half.size() - 1));
        boolean ok = half.size() >= 3 && slope <= limit;
        System.out.printf("soak: %s over the second half: %.1f -> %.1f, slope %.3f %s (limit %.1f)%s%n", what, first,
                last, slope, unit, limit, ok ? "" : "  FAIL");
        return ok;
    }

    /** Least-squares slope of value against minutes. */
    static double slope(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> value) {
        int n = samples.size();
        if (n < 2) {
            return 0;
        }
        double mx = samples.stream().mapToDouble(Sample::minutes).average().orElse(0);
        double my = samples.stream().mapToDouble(value).average().orElse(0);
        double num = 0;
        double den = 0;
        for (Sample s : samples) {
            num += (s.minutes() - mx) * (value.applyAsDouble(s) - my);
            den += (s.minutes() - mx) * (s.minutes() - mx);
        }
        return den == 0 ? 0 : num / den;
    }

    private static Sample sample(long pid, double minutes) throws IOException {
        double rss = 0;
        int threads = 0;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            } else if (line.startsWith("Threads:")) {
                threads = Integer.parseInt(line.replaceAll("\\D", ""));
            }
        }
        int fds;
        try (var s = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            fds = (int) s.count();
        }
        return new Sample(minutes, rss, fds, threads);
    }

    private static void awaitListening(Path log, Process serve) throws Exception {
        long end = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < end && serve.isAlive()) {
            if (Files.readString(log).contains("listening on")) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("serve did not start:\n" + Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static long seconds(long t0) {
        return (System.nanoTime() - t0) / 1_000_000_000L;
    }

    static Duration duration(String text) {
        Matcher m = Pattern.compile("(\\d+)(ms|s|m|h)").matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: " + text);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    /**
     * Keep-alive clients, each sending GET /health on a fixed schedule (rate / clients a second) and timing each
     * answer from the moment it was due, so a stall counts against the server (no coordinated omission).
     */
    static final class Load {
        private static final int CLIENTS = 4;
        /** Latency histogram in 10 µs steps up to 1 s; the last bucket holds the rest. */
        private final AtomicLongArray buckets = new AtomicLongArray(100_001);
        private final AtomicLong count = new AtomicLong();
        private final AtomicLong errors = new AtomicLong();
        private final AtomicLong maxNanos = new AtomicLong();
        private final int port;
        private final long periodNanos;
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean stopped;

        Load(int port, int rate) {
            this.port = port;
            this.periodNanos = 1_000_000_000L * CLIENTS / rate;
        }

        void start() {
            for (int i = 0; i < CLIENTS; i++) {
                long offset = periodNanos * i / CLIENTS;
                Thread t = new Thread(() -> client(offset), "soak-client");
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }
        }

        void stop() throws InterruptedException {
            stopped = true;
            for (Thread t : threads) {
                t.join(5_000);
            }
        }

        private void client(long offset) {
            byte[] request = ("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            long due = System.nanoTime() + offset;
            Socket socket = null;
            while (!stopped) {
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
                try {
                    if (socket == null) {
                        socket = new Socket(InetAddress.getLoopbackAddress(), port);
                        socket.setTcpNoDelay(true);
                        socket.setSoTimeout(5_000);
                    }
                    OutputStream out = socket.getOutputStream();
                    out.write(request);
                    out.flush();
                    readResponse(socket.getInputStream());
                    record(System.nanoTime() - due);
                } catch (IOException e) {
                    errors.incrementAndGet();
                    close(socket);
                    socket = null;
                }
                due += periodNanos;
            }
            close(socket);
        }

        private static void readResponse(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            int state = 0;
            int length = 0;
            StringBuilder line = new StringBuilder();
            while (state < 4) {
                int c = in.read();
                if (c < 0) {
                    throw new IOException("closed");
                }
                head.append((char) c);
                if (c == '\n') {
                    String l = line.toString().strip().toLowerCase(java.util.Locale.ROOT);
                    if (l.startsWith("content-length:")) {
                        length = Integer.parseInt(l.substring(15).strip());
                    }
                    line.setLength(0);
                } else if (c != '\r') {
                    line.append((char) c);
                }
                state = (c == '\r' && (state == 0 || state == 2)) ? state + 1
                        : (c == '\n' && (state == 1 || state == 3)) ? state + 1 : (c == '\r' ? 1 : 0);
            }
            String status = head.substring(0, Math.min(12, head.length()));
            if (!status.equals("HTTP/1.1 200") && !status.equals("HTTP/1.1 503")) {
                throw new IOException("unexpected answer: " + head);
            }
            if (in.readNBytes(length).length < length) {
                throw new IOException("short body");
            }
        }

        private void record(long nanos) {
            count.incrementAndGet();
            maxNanos.accumulateAndGet(nanos, Math::max);
            buckets.incrementAndGet((int) Math.min(buckets.length() - 1, nanos / 10_000));
        }

        long count() {
            return count.get();
        }

        long errors() {
            return errors.get();
        }

        double maxMs() {
            return maxNanos.get() / 1e6;
        }

        double p99Ms() {
            return percentileMs(99);
        }

        double percentileMs(double p) {
            long total = count.get();
            if (total == 0) {
                return 0;
            }
            long rank = (long) Math.ceil(total * p / 100.0);
            long seen = 0;
            for (int i = 0; i < buckets.length(); i++) {
                seen += buckets.get(i);
                if (seen >= rank) {
                    return (i + 1) * 0.01;
                }
            }
            return Double.POSITIVE_INFINITY;
        }

        private static void close(Socket s) {
            if (s != null) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // gone already
                }
            }
        }
    }
}
