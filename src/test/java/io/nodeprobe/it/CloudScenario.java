package io.nodeprobe.it;

import io.nodeprobe.localcloud.ImdsEmulator;
import io.nodeprobe.localcloud.StsEmulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A node on the local cloud: IMDS and STS emulators in this JVM (fresh per test, so behaviours never leak between
 * tests), S3 on the real Ceph RGW. {@link #node(String)} gives a launcher whose environment is what a node has.
 */
abstract class CloudScenario {
    static final String INSTANCE_ID = "i-0123456789abcdef0";
    static final String PROFILE_ARN = "arn:aws:iam::" + LocalCloud.ACCOUNT + ":instance-profile/np-node-profile";

    final LocalCloud cloud = LocalCloud.get();
    ImdsEmulator imds;
    StsEmulator sts;

    @BeforeEach
    void startEmulators() {
        imds = ImdsEmulator.start(0).node(INSTANCE_ID, "us-east-1", "us-east-1a")
                .instanceProfile(PROFILE_ARN, "AIPAEXAMPLEPROFILEID1");
        sts = StsEmulator.start(0).identitiesFromRoles(cloud.roleDocument("np-full").getParent(), LocalCloud.ACCOUNT,
                INSTANCE_ID);
    }

    @AfterEach
    void stopEmulators() {
        imds.close();
        sts.close();
    }

    /** A node whose instance profile carries {@code role}, pointed at the local cloud with standard variables only. */
    Nodeprobe node(String role) {
        imds.role(role, cloud.roleDocument(role));
        return nodeAsConfigured();
    }

    /** A node pointed at the emulators as they are configured now (a test may have set an inline document). */
    Nodeprobe nodeAsConfigured() {
        return new Nodeprobe()
                .env("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.endpoint())
                .env("AWS_ENDPOINT_URL_S3", cloud.rgwEndpoint())
                .env("AWS_ENDPOINT_URL_STS", sts.endpoint())
                .env("NODEPROBE_S3_PATH_STYLE", "true")
                .secrets(cloud.secrets());
    }
}
