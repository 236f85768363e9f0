package io.nodeprobe.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nodeprobe.aws.Deadline;
import io.nodeprobe.config.Env;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

class CredentialResolverTest {
    /** No web identity is configured in these tests: STS is never to be asked. */
    private static final java.util.function.Supplier<Sts> NO_STS = () -> {
        throw new AssertionError("STS asked without a web identity");
    };


    private static Path homeWithProfile(String name, String accessKey) throws Exception {
        Path home = Files.createTempDirectory("np-home");
        Files.createDirectories(home.resolve(".aws"));
        Files.writeString(home.resolve(".aws/credentials"), "[" + name + "]\naws_access_key_id = " + accessKey
                + "\naws_secret_access_key = notASecretForTests\n");
        return home;
    }

    @Test
    void profile_isFoundUnderHomeAsTheEnvironmentGivesIt() throws Exception {
        Path home = homeWithProfile("np", "AKIAPROFILEEXAMPLE01");
        CredentialResolver.Resolution r = new CredentialResolver(Env.of("HOME", home.toString(), "AWS_PROFILE", "np"))
                .resolve(null, Deadline.in(Duration.ofSeconds(5)), NO_STS);
        assertEquals(java.util.List.of(), r.problems());
        ResolvedCredentials c = r.credentials().orElseThrow();
        assertEquals(CredentialSource.PROFILE, c.source());
        assertEquals("AKIAPROFILEEXAMPLE01", c.provider().resolveCredentials().accessKeyId());
    }

    @Test
    void profile_namedButAbsent_isAProblemNamingTheSource() throws Exception {
        Path home = homeWithProfile("other", "AKIAPROFILEEXAMPLE02");
        CredentialResolver.Resolution r = new CredentialResolver(Env.of("HOME", home.toString(), "AWS_PROFILE", "np"))
                .resolve(null, Deadline.in(Duration.ofSeconds(5)), NO_STS);
        assertTrue(r.credentials().isEmpty());
        assertEquals(1, r.problems().size(), r.problems()::toString);
        assertTrue(r.problems().get(0).summary().startsWith(CredentialSource.PROFILE.description() + " is configured but failed"),
                r.problems()::toString);
    }

    @Test
    void profile_defaultWithoutKeys_isNoProblem() throws Exception {
        Path home = Files.createTempDirectory("np-home");
        Files.createDirectories(home.resolve(".aws"));
        Files.writeString(home.resolve(".aws/config"), "[default]\nregion = eu-west-1\n");
        CredentialResolver.Resolution r = new CredentialResolver(Env.of("HOME", home.toString()))
                .resolve(null, Deadline.in(Duration.ofSeconds(5)), NO_STS);
        assertTrue(r.credentials().isEmpty());
        assertEquals(java.util.List.of(), r.problems(), "a settings-only file is common and no fault");
    }

    @Test
    void resolveAndClose_closesTheProvider_whetherItResolvesOrThrows() {
        AtomicInteger closed = new AtomicInteger();
        class Closing implements AwsCredentialsProvider, AutoCloseable {
            private final boolean fail;

            Closing(boolean fail) {
                this.fail = fail;
            }

            @Override
            public AwsCredentials resolveCredentials() {
                if (fail) {
                    throw new IllegalStateException("no credentials here");
                }
                return AwsBasicCredentials.create("AKIACLOSEEXAMPLE0001", "notASecretForTests");
            }

            @Override
            public void close() {
                closed.incrementAndGet();
            }
        }
        assertEquals("AKIACLOSEEXAMPLE0001", CredentialResolver.resolveAndClose(() -> new Closing(false)).accessKeyId());
        assertEquals(1, closed.get());
        assertThrows(IllegalStateException.class, () -> CredentialResolver.resolveAndClose(() -> new Closing(true)));
        assertEquals(2, closed.get());
    }
}
