package io.nodeprobe.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TargetResolverTest {
    private static final Env ALL = Env.of(
            "NODEPROBE_BUCKET", "np-env", "NODEPROBE_PREFIX", "/np/prefix/",
            "ANYSCALE_ARTIFACT_STORAGE", "s3://anyscale-art/org/cld/artifact_storage/",
            "ANYSCALE_CLOUD_STORAGE_BUCKET", "anyscale-cloud",
            "ANYSCALE_CLOUD_STORAGE_BUCKET_REGION", "eu-west-1",
            "AWS_REGION", "us-west-2");

    @Test
    void resolve_flagsGiven_flagsWin() {
        Target t = new TargetResolver(ALL).resolve(new TargetOptions("flag-bucket", "p", null, "ap-south-1"));
        assertEquals(new Target("flag-bucket", "p", "ap-south-1"), t);
    }

    @Test
    void resolve_storageUriFlag_givesBucketAndPrefix() {
        Target t = new TargetResolver(ALL).resolve(new TargetOptions(null, null, "s3://uri-bucket/a/b/", null));
        assertEquals("uri-bucket", t.bucket());
        assertEquals("a/b", t.prefix());
        assertEquals("eu-west-1", t.region());
    }

    @Test
    void resolve_noFlags_nodeprobeEnvBeforeAnyscale() {
        Target t = new TargetResolver(ALL).resolve(TargetOptions.NONE);
        assertEquals(new Target("np-env", "np/prefix", "eu-west-1", "ANYSCALE_CLOUD_STORAGE_BUCKET_REGION"), t);
    }

    @Test
    void resolve_artifactStorage_beforeCloudStorageBucket() {
        Env env = Env.of("ANYSCALE_ARTIFACT_STORAGE", "s3://anyscale-art/org/cld/artifact_storage/",
                "ANYSCALE_CLOUD_STORAGE_BUCKET", "anyscale-cloud");
        Target t = new TargetResolver(env).resolve(TargetOptions.NONE);
        assertEquals("anyscale-art", t.bucket());
        assertEquals("org/cld/artifact_storage", t.prefix());
        assertNull(t.region(), "no region configured: IMDS decides");
    }

    @Test
    void resolve_cloudStorageBucketOnly_usesItsRegionVariable() {
        Env env = Env.of("ANYSCALE_CLOUD_STORAGE_BUCKET", "anyscale-cloud",
                "ANYSCALE_CLOUD_STORAGE_BUCKET_REGION", "eu-central-1", "AWS_REGION", "us-west-2");
        Target t = new TargetResolver(env).resolve(TargetOptions.NONE);
        assertEquals(new Target("anyscale-cloud", "", "eu-central-1", "ANYSCALE_CLOUD_STORAGE_BUCKET_REGION"), t);
    }

    @Test
    void resolve_regionFallsBackToAwsRegion() {
        Env env = Env.of("NODEPROBE_BUCKET", "np-env", "AWS_REGION", "us-west-2");
        assertEquals("us-west-2", new TargetResolver(env).resolve(TargetOptions.NONE).region());
    }

    @Test
    void resolve_prefixFlag_overridesSourcePrefix() {
        Target t = new TargetResolver(ALL).resolve(new TargetOptions(null, "/mine/", null, null));
        assertEquals("np-env", t.bucket());
        assertEquals("mine", t.prefix());
    }

    @Test
    void resolve_nothingConfigured_isAConfigError() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> new TargetResolver(Env.of()).resolve(TargetOptions.NONE));
        assertTrue(e.getMessage().startsWith("no bucket configured"), e.getMessage());
    }

    @Test
    void resolve_bucketAndStorageUri_isAConfigError() {
        assertThrows(ConfigException.class, () -> new TargetResolver(Env.of())
                .resolve(new TargetOptions("a-bucket", null, "s3://b-bucket/", null)));
    }

    @Test
    void resolve_invalidEnvBucket_namesTheVariable() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> new TargetResolver(Env.of("NODEPROBE_BUCKET", "Bad_Bucket")).resolve(TargetOptions.NONE));
        assertTrue(e.getMessage().startsWith("NODEPROBE_BUCKET: invalid bucket name"), e.getMessage());
    }

    @Test
    void resolve_invalidRegion_isAConfigError() {
        assertThrows(ConfigException.class, () -> new TargetResolver(Env.of())
                .resolve(new TargetOptions("a-bucket", null, null, "US East")));
    }
}
