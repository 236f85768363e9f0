package io.nodeprobe.config;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Decides the bucket, prefix and region. First found wins: flags, NODEPROBE_BUCKET/NODEPROBE_PREFIX,
 * ANYSCALE_ARTIFACT_STORAGE, ANYSCALE_CLOUD_STORAGE_BUCKET. The prefix comes from --prefix, else from the source
 * that named the bucket; NODEPROBE_PREFIX goes with a bucket from --bucket or NODEPROBE_BUCKET, never with one
 * from an Anyscale variable or URI.
 */
public final class TargetResolver {
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z0-9]+)+-\\d{1,2}|[a-z0-9][a-z0-9-]{0,30}");

    private final Env env;

    public TargetResolver(Env env) {
        this.env = env;
    }

    /** Resolves the target; throws {@link ConfigException} when no bucket is configured anywhere or one is invalid. */
    public Target resolve(TargetOptions flags) {
        Target t = fromFlags(flags)
                .or(this::fromNodeprobeEnv)
                .or(() -> fromUri("ANYSCALE_ARTIFACT_STORAGE"))
                .or(this::fromAnyscaleBucket)
                .orElseThrow(() -> new ConfigException("no bucket configured: pass --bucket or --storage-uri, or set "
                        + "NODEPROBE_BUCKET, ANYSCALE_ARTIFACT_STORAGE or ANYSCALE_CLOUD_STORAGE_BUCKET"));
        if (flags.prefix() != null) {
            t = new Target(t.bucket(), Prefix.normalise("--prefix", flags.prefix()), t.region());
        }
        return t.withRegion(configuredRegion(flags), configuredRegionSource(flags));
    }

    /** Where a region can be configured, first found wins; the bucket's own variable before the SDK's. */
    private static final String[] REGION_VARIABLES = {"ANYSCALE_CLOUD_STORAGE_BUCKET_REGION", "AWS_REGION",
            "AWS_DEFAULT_REGION"};

    /** The region from flags or environment, or null when only IMDS can tell. */
    public String configuredRegion(TargetOptions flags) {
        String source = configuredRegionSource(flags);
        if (source == null) {
            return null;
        }
        String r = source.equals("--region") ? flags.region().strip() : env.get(source).orElseThrow();
        return validateRegion(r);
    }

    /** {@code --region} or the variable that names the region; null when none does. */
    public String configuredRegionSource(TargetOptions flags) {
        if (flags.region() != null && !flags.region().isBlank()) {
            return "--region";
        }
        for (String v : REGION_VARIABLES) {
            if (env.get(v).isPresent()) {
                return v;
            }
        }
        return null;
    }

    public static String validateRegion(String region) {
        if (!REGION.matcher(region).matches()) {
            throw new ConfigException("invalid region '" + region + "' (expected a name like us-west-2)");
        }
        return region;
    }

    private Optional<Target> fromFlags(TargetOptions flags) {
        if (flags.storageUri() != null) {
            if (flags.bucket() != null) {
                throw new ConfigException("--storage-uri and --bucket both name a bucket; pass only one");
            }
            StorageUri u = StorageUri.parse("--storage-uri", flags.storageUri());
            return Optional.of(new Target(u.bucket(), u.prefix(), null));
        }
        if (flags.bucket() != null) {
            String prefix = env.get("NODEPROBE_PREFIX").map(p -> Prefix.normalise("NODEPROBE_PREFIX", p)).orElse("");
            return Optional.of(new Target(bucket("--bucket", flags.bucket()), prefix, null));
        }
        return Optional.empty();
    }

    private Optional<Target> fromNodeprobeEnv() {
        return env.get("NODEPROBE_BUCKET").map(b -> new Target(bucket("NODEPROBE_BUCKET", b),
                env.get("NODEPROBE_PREFIX").map(p -> Prefix.normalise("NODEPROBE_PREFIX", p)).orElse(""), null));
    }

    private Optional<Target> fromUri(String var) {
        return env.get(var).map(v -> {
            StorageUri u = StorageUri.parse(var, v);
            return new Target(u.bucket(), u.prefix(), null);
        });
    }

    /** Anyscale sets this to a bare bucket name; an s3:// URI is accepted too. */
    private Optional<Target> fromAnyscaleBucket() {
        String var = "ANYSCALE_CLOUD_STORAGE_BUCKET";
        return env.get(var).map(v -> v.regionMatches(true, 0, "s3://", 0, 5)
                ? fromUri(var).orElseThrow()
                : new Target(bucket(var, v), "", null));
    }

    private static String bucket(String what, String name) {
        try {
            return BucketName.validate(name.strip());
        } catch (ConfigException e) {
            throw new ConfigException(what + ": " + e.getMessage());
        }
    }
}
