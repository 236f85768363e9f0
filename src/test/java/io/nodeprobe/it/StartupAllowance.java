package io.nodeprobe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the artifact's own start and exit add to a run's wall time, measured once per test JVM: the best of three
 * runs of {@code check --help} (Quarkus and picocli start as for a check, no call is made; not {@code --version},
 * which answers before Quarkus starts). Bounds on wall time then fit the artifact under test (a few ms native,
 * about a second on the JVM) instead of a guess.
 */
final class StartupAllowance {
    private static long startupMs = -1;

    private StartupAllowance() {
    }

    static synchronized long startupMs() {
        if (startupMs < 0) {
            long best = Long.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                NodeprobeRun run = new Nodeprobe().run("check", "--help");
                assertEquals(0, run.exitCode(), run::toString);
                best = Math.min(best, run.elapsedMs());
            }
            startupMs = best;
        }
        return startupMs;
    }

    /**
     * Start and exit as measured, with room for a loaded CI machine: a JVM that ran a check exits slower than one
     * that printed help (measured on CI: 9 ms over one and a half times the start-up).
     */
    static long ms() {
        return startupMs() * 2 + 250;
    }
}
