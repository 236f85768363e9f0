package io.nodeprobe.config;

/** An {@code s3://bucket/prefix/} URI as Anyscale writes it in ANYSCALE_ARTIFACT_STORAGE. */
public record StorageUri(String bucket, String prefix) {

    public static StorageUri parse(String what, String uri) {
        String u = uri == null ? "" : uri.strip();
        if (!u.regionMatches(true, 0, "s3://", 0, 5)) {
            throw new ConfigException(what + " '" + uri + "' is not an s3:// URI (expected s3://bucket/prefix)");
        }
        String rest = u.substring(5);
        if (rest.indexOf('?') >= 0 || rest.indexOf('#') >= 0) {
            throw new ConfigException(what + " '" + uri + "' must not have a query or fragment");
        }
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        if (bucket.isEmpty()) {
            throw new ConfigException(what + " '" + uri + "' has no bucket");
        }
        try {
            BucketName.validate(bucket);
        } catch (ConfigException e) {
            throw new ConfigException(what + ": " + e.getMessage());
        }
        return new StorageUri(bucket, Prefix.normalise(what, prefix));
    }
}
