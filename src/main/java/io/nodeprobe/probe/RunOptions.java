package io.nodeprobe.probe;

import io.nodeprobe.config.Target;
import java.time.Duration;

/**
 * One run's settings. {@code expectedInstanceProfile} is null unless the operator named the profile the node must
 * run with.
 */
public record RunOptions(Target target, boolean readOnly, Duration timeout, String expectedInstanceProfile) {
}
