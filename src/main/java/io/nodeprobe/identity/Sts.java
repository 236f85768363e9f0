package io.nodeprobe.identity;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/** STS as a check uses it. Failures are the SDK's own exceptions, which the diagnosis classifies. */
public interface Sts {
    /** GetCallerIdentity, within {@code budget}. */
    CallerIdentity callerIdentity(Duration budget);

    /**
     * AssumeRoleWithWebIdentity, unsigned (the token is the proof), within {@code budget}. Only the SDK's STS
     * has it; a stand-in without it says so.
     */
    default AwsSessionCredentials assumeRoleWithWebIdentity(String roleArn, String sessionName, String token,
                                                            Duration budget) {
        throw new UnsupportedOperationException("AssumeRoleWithWebIdentity is not available here");
    }
}
