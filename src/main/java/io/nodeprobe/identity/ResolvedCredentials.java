package io.nodeprobe.identity;

import java.time.Instant;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/** Credentials for this run and where they came from; the provider never exposes them in toString. */
public record ResolvedCredentials(CredentialSource source, AwsCredentialsProvider provider, Instant expiresAt) {
}
