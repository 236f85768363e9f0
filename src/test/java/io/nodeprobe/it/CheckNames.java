package io.nodeprobe.it;

import java.util.List;

/**
 * The check names in report order, spelled out here rather than read from the code: monitoring selects on them, so
 * a rename or reorder must fail a test.
 */
final class CheckNames {
    static final List<String> ALL = List.of("imds.token", "imds.instance-profile", "imds.credentials",
            "sts.caller-identity", "s3.list", "s3.location", "s3.put", "s3.get", "s3.delete", "s3.multipart",
            "s3.list-parts", "s3.list-uploads", "s3.abort", "node.clock");
    /** What --read-only skips. */
    static final List<String> WRITES = List.of("s3.put", "s3.get", "s3.delete", "s3.multipart", "s3.list-parts",
            "s3.list-uploads", "s3.abort");
    /** What a failed s3.put leaves untried. */
    static final List<String> AFTER_PUT = WRITES.subList(1, WRITES.size());

    private CheckNames() {
    }
}
