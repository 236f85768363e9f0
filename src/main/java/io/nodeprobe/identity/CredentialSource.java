package io.nodeprobe.identity;

/** Where the credentials that signed the calls came from, in the AWS SDK default chain's order. */
public enum CredentialSource {
    SYSTEM_PROPERTIES("system properties (aws.accessKeyId)"),
    ENVIRONMENT("environment variables (AWS_ACCESS_KEY_ID)"),
    WEB_IDENTITY("web identity token (AWS_WEB_IDENTITY_TOKEN_FILE)"),
    PROFILE("shared credentials/config file profile"),
    CONTAINER("container credentials endpoint (AWS_CONTAINER_CREDENTIALS_*)"),
    INSTANCE_PROFILE("instance profile (IMDS)");

    private final String description;

    CredentialSource(String description) {
        this.description = description;
    }

    /** The JSON word: kebab case of the constant, e.g. {@code instance-profile}. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    public String description() {
        return description;
    }
}
