package io.nodeprobe.identity;

import io.nodeprobe.aws.Deadline;
import io.nodeprobe.config.Env;
import io.nodeprobe.report.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.profiles.ProfileFile;

/**
 * Walks the AWS SDK's default credential chain in its order, but knows which link answered: a node whose
 * environment variables shadow its instance profile is a classic cause of "wrong role". The instance-profile link
 * uses the document IMDS already served, so every call is signed with exactly what was checked. A link that is
 * configured but fails is not passed over in silence: it is named in {@link Resolution#problems()}.
 */
public final class CredentialResolver {
    /** Room for the SDK provider to give up by itself before we stop waiting for it. */
    private static final Duration GRACE = Duration.ofMillis(20);

    private final Env env;

    public CredentialResolver(Env env) {
        this.env = env;
    }

    /** The credentials found, if any, and each configured source that failed on the way, in chain order. */
    public record Resolution(Optional<ResolvedCredentials> credentials, List<CredentialProblem> problems) {
        /** The problems' one-line summaries, in chain order. */
        public List<String> summaries() {
            return problems.stream().map(CredentialProblem::summary).toList();
        }

        /** Whether a source other than the instance profile is configured, whether or not it answered. */
        public boolean otherSourceMeant() {
            return credentials.map(c -> c.source() != CredentialSource.INSTANCE_PROFILE).orElse(false)
                    || !problems.isEmpty();
        }
    }

    /**
     * @param sts the run's STS, for web identity; asked for only when a web identity is configured
     */
    public Resolution resolve(InstanceCredentials fromImds, Deadline deadline, Supplier<Sts> sts) {
        List<CredentialProblem> problems = new ArrayList<>();
        Optional<ResolvedCredentials> found = trySdk(CredentialSource.SYSTEM_PROPERTIES,
                System.getProperty("aws.accessKeyId") != null, SystemPropertyCredentialsProvider::create, deadline,
                problems)
                .or(this::fromEnvironment)
                .or(() -> webIdentity(sts, deadline, problems))
                .or(() -> profile(deadline, problems))
                .or(() -> trySdk(CredentialSource.CONTAINER,
                        env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI").isPresent()
                                || env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI").isPresent(),
                        () -> ContainerCredentialsProvider.builder().build(), deadline, problems))
                .or(() -> Optional.ofNullable(fromImds).map(c -> new ResolvedCredentials(
                        CredentialSource.INSTANCE_PROFILE,
                        StaticCredentialsProvider.create(AwsSessionCredentials.create(c.accessKeyId(),
                                c.secretAccessKey(), c.sessionToken())), c.expiration())));
        return new Resolution(found, List.copyOf(problems));
    }

    /**
     * The shared-file profile: AWS_PROFILE names one on purpose, so its failure is a problem; without it, files
     * that hold only settings (a region) are common, and the default profile lacking keys is no problem.
     */
    private Optional<ResolvedCredentials> profile(Deadline deadline, List<CredentialProblem> problems) {
        Optional<String> named = env.get("AWS_PROFILE");
        return trySdk(CredentialSource.PROFILE, named.isPresent() || profileFilesExist(),
                () -> profileProvider(named.orElse("default")), deadline,
                named.isPresent() ? problems : new ArrayList<>());
    }

    /**
     * The profile files as the SDK would find them, but located from our Env: the SDK's own default reads the
     * process environment, so what is judged here could differ from what a test or caller configured.
     */
    private AwsCredentialsProvider profileProvider(String name) {
        ProfileFile.Aggregator files = ProfileFile.aggregator();
        // The SDK's order: credentials, then config; a profile's settings in the first file win.
        if (Files.isRegularFile(credentialsFile())) {
            files.addFile(ProfileFile.builder().content(credentialsFile()).type(ProfileFile.Type.CREDENTIALS).build());
        }
        if (Files.isRegularFile(configFile())) {
            files.addFile(ProfileFile.builder().content(configFile()).type(ProfileFile.Type.CONFIGURATION).build());
        }
        return ProfileCredentialsProvider.builder().profileFile(files.build()).profileName(name).build();
    }

    /**
     * Configured by both variables, as the SDK requires (EKS's webhook sets both). From our Env rather than the
     * SDK's own look-up, so what is judged is what is used (and testable).
     */
    private Optional<ResolvedCredentials> webIdentity(Supplier<Sts> sts, Deadline deadline,
                                                      List<CredentialProblem> problems) {
        Optional<String> file = env.get("AWS_WEB_IDENTITY_TOKEN_FILE");
        Optional<String> role = env.get("AWS_ROLE_ARN");
        if (file.isEmpty() || role.isEmpty()) {
            return Optional.empty();
        }
        // The SDK's default session name is a timestamp; a fixed one makes the caller's ARN stable across runs.
        String session = env.get("AWS_ROLE_SESSION_NAME").orElse("nodeprobe");
        WebIdentityExchange.Outcome o = new WebIdentityExchange(Path.of(file.get()), role.get(), session)
                .exchange(sts, deadline);
        if (o.problem() != null) {
            problems.add(o.problem());
            return Optional.empty();
        }
        return Optional.of(new ResolvedCredentials(CredentialSource.WEB_IDENTITY,
                StaticCredentialsProvider.create(o.credentials()), o.credentials().expirationTime().orElse(null)));
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

    /** As the SDK looks for them: AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE, else under $HOME/.aws. */
    private boolean profileFilesExist() {
        return Files.isRegularFile(credentialsFile()) || Files.isRegularFile(configFile());
    }

    private Path credentialsFile() {
        return Path.of(expand(env.get("AWS_SHARED_CREDENTIALS_FILE").orElse("~/.aws/credentials"), home()));
    }

    private Path configFile() {
        return Path.of(expand(env.get("AWS_CONFIG_FILE").orElse("~/.aws/config"), home()));
    }

    /** The SDK's home directory: $HOME first, the JVM's user.home only when HOME is unset. */
    String home() {
        return env.get("HOME").orElse(System.getProperty("user.home", ""));
    }

    private static String expand(String path, String home) {
        return path.equals("~") ? home : path.startsWith("~/") ? home + path.substring(1) : path;
    }

    /**
     * Runs one SDK provider when it is configured, within the run's deadline, and closes it (the web-identity one
     * holds an STS client). A provider that cannot resolve is not the answer, and is reported.
     */
    private Optional<ResolvedCredentials> trySdk(CredentialSource source, boolean configured,
                                                 Supplier<AwsCredentialsProvider> provider, Deadline deadline,
                                                 List<CredentialProblem> problems) {
        if (!configured) {
            return Optional.empty();
        }
        try {
            AwsCredentials c = deadline.call("nodeprobe-credentials", GRACE, () -> resolveAndClose(provider));
            return Optional.of(new ResolvedCredentials(source, StaticCredentialsProvider.create(c),
                    c.expirationTime().orElse(null)));
        } catch (TimeoutException e) {
            problems.add(CredentialProblem.failed(source, Status.UNKNOWN,
                    source.description() + " is configured but gave no credentials before the deadline"));
        } catch (ExecutionException e) {
            problems.add(CredentialProblem.failed(source, Status.FAIL,
                    source.description() + " is configured but failed: " + oneLine(e.getCause())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problems.add(CredentialProblem.failed(source, Status.UNKNOWN,
                    source.description() + " is configured but was interrupted"));
        }
        return Optional.empty();
    }

    /** Built inside the bounded call too: some providers read their files as they are built. */
    static AwsCredentials resolveAndClose(Supplier<AwsCredentialsProvider> provider) {
        AwsCredentialsProvider p = provider.get();
        try {
            return p.resolveCredentials();
        } finally {
            if (p instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception ignored) {
                    // closing releases threads and connections; a failure to do so changes no verdict
                }
            }
        }
    }

    private static String oneLine(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        m = m.replaceAll("\\s+", " ").strip();
        return m.length() > 200 ? m.substring(0, 200) + "..." : m;
    }
}
