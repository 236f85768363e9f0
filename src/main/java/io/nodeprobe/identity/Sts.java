package io.nodeprobe.identity;

import java.time.Duration;

/** STS as a check uses it. Failures are the SDK's own exceptions, which the diagnosis classifies. */
public interface Sts {
    /** GetCallerIdentity, within {@code budget}. */
    CallerIdentity callerIdentity(Duration budget);
}
