package io.nodeprobe.diagnosis;

import io.nodeprobe.report.ErrorDetail;

/**
 * A classified failure with its evidence. {@code bucketRegion} is set when S3 told us where the bucket really
 * lives (x-amz-bucket-region, or the region named in an AuthorizationHeaderMalformed message).
 */
public record Failure(FailureKind kind, ErrorDetail evidence, String bucketRegion) {
}
