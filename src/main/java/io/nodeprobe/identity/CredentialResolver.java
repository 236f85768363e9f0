package io.nodeprobe.identity;

import io.nodeprobe.config.Env;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider;

/**
 * Walks the AWS SDK's default credential chain in its order, but knows which link answered: a node whose
 * environment variables shadow its instance profile is a classic cause of "wrong role". The instance-profile link
 * uses the document IMDS already served, so every call is signed with exactly what was checked.
 */
public final class CredentialResolver {
    private final Env env;

    public CredentialResolver(Env env) {
        this.env = env;
    }

    public Optional<ResolvedCredentials> resolve(InstanceCredentials fromImds) {
        return trySdk(CredentialSource.SYSTEM_PROPERTIES, () -> System.getProperty("aws.accessKeyId") != null,
                SystemPropertyCredentialsProvider::create)
                .or(this::fromEnvironment)
                .or(() -> trySdk(CredentialSource.WEB_IDENTITY,
                        () -> env.get("AWS_WEB_IDENTITY_TOKEN_FILE").isPresent() && env.get("AWS_ROLE_ARN").isPresent(),
                        WebIdentityTokenFileCredentialsProvider::create))
                .or(() -> trySdk(CredentialSource.PROFILE, this::profileConfigured,
                        () -> ProfileCredentialsProvider.create(env.get("AWS_PROFILE").orElse("default"))))
                .or(() -> trySdk(CredentialSource.CONTAINER,
                        () -> env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI").isPresent()
                                || env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI").isPresent(),
                        () -> ContainerCredentialsProvider.builder().build()))
                .or(() -> Optional.ofNullable(fromImds).map(c -> new ResolvedCredentials(
                        CredentialSource.INSTANCE_PROFILE,
                        StaticCredentialsProvider.create(AwsSessionCredentials.create(c.accessKeyId(),
                                c.secretAccessKey(), c.sessionToken())), c.expiration())));
    }

    /** Read from our Env, not the SDK's provider, so the rule is testable and half-set variables are visible. */
    private Optional<ResolvedCredentials> fromEnvironment() {
        Optional<String> ak = env.get("AWS_ACCESS_KEY_ID");
        Optional<String> sk = env.get("AWS_SECRET_ACCESS_KEY").or(() -> env.get("AWS_SECRET_KEY"));
        if (ak.isEmpty() || sk.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> token = env.get("AWS_SESSION_TOKEN");
        AwsCredentials creds = token.<AwsCredentials>map(t -> AwsSessionCredentials.create(ak.get(), sk.get(), t))
                .orElseGet(() -> AwsBasicCredentials.create(ak.get(), sk.get()));
        return Optional.of(new ResolvedCredentials(CredentialSource.ENVIRONMENT, StaticCredentialsProvider.create(creds),
                null));
    }

    private boolean profileConfigured() {
        if (env.get("AWS_PROFILE").isPresent()) {
            return true;
        }
        String home = System.getProperty("user.home", "");
        String file = env.get("AWS_SHARED_CREDENTIALS_FILE").orElse(home + "/.aws/credentials");
        String config = env.get("AWS_CONFIG_FILE").orElse(home + "/.aws/config");
        return new java.io.File(file).isFile() || new java.io.File(config).isFile();
    }

    /** Runs one SDK provider when its trigger is present; a provider that cannot resolve is simply not the answer. */
    private static Optional<ResolvedCredentials> trySdk(CredentialSource source, Supplier<Boolean> present,
                                                        Supplier<AwsCredentialsProvider> provider) {
        if (!present.get()) {
            return Optional.empty();
        }
        try {
            AwsCredentialsProvider p = provider.get();
            AwsCredentials c = p.resolveCredentials();
            return Optional.of(new ResolvedCredentials(source, StaticCredentialsProvider.create(c),
                    c.expirationTime().orElse(null)));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
