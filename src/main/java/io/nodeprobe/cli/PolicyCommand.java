package io.nodeprobe.cli;

import io.nodeprobe.config.Env;
import io.nodeprobe.config.Target;
import io.nodeprobe.config.TargetResolver;
import io.nodeprobe.diagnosis.BucketArn;
import io.nodeprobe.diagnosis.PolicyGenerator;
import io.nodeprobe.identity.Arn;
import io.nodeprobe.probe.NodeChecker;
import io.nodeprobe.report.JsonWriter;
import io.nodeprobe.report.Report;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "policy", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Print, as one JSON document, the minimum role policy for the bucket and the bucket policy a "
                + "bucket in another account needs for this node's role.",
                "The role is discovered (IMDS, STS) unless --role-arn names it."})
public class PolicyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TargetMixin target;

    @Option(names = "--role-arn", paramLabel = "ARN",
            description = "The node role's ARN (arn:aws:iam::ACCOUNT:role/NAME); skips discovery.")
    String roleArn;

    @Option(names = "--kms-key", paramLabel = "ARN",
            description = "The bucket's SSE-KMS key (as a check reports it in target.kmsKeyId): also print the role "
                    + "statement and the key-policy statement it needs.")
    String kmsKey;

    @Mixin
    TimeoutMixin deadline;

    @Override
    public Integer call() {
        Env env = Env.system();
        Target t = new TargetResolver(env).resolve(target.options());
        Arn given = roleArn != null ? validRoleArn(roleArn) : null;
        String role = given != null ? given.toString() : discoverRoleArn(env, deadline.timeout());
        String partition = Arn.parse(role).map(Arn::partition).orElse(Arn.partitionOf(t.region()));
        if (role == null) {
            String placeholder = PolicyGenerator.placeholderRoleArn(partition);
            spec.commandLine().getErr().println("nodeprobe policy: could not discover this node's role; the bucket "
                    + "policy names " + placeholder + " (pass --role-arn to fill it in)");
            role = placeholder;
        }
        BucketArn bucket = new BucketArn(partition, t.bucket());
        JsonWriter w = new JsonWriter(true);
        w.beginObject().field("bucket", t.bucket()).field("roleArn", role);
        w.name("rolePolicy");
        PolicyGenerator.writeRolePolicy(w, bucket);
        w.name("recommendedRolePolicy");
        PolicyGenerator.writeRecommendedRolePolicy(w, bucket);
        w.name("crossAccountBucketPolicy");
        PolicyGenerator.writeCrossAccountBucketPolicy(w, bucket, role);
        if (kmsKey != null) {
            if (!kmsKey.matches("arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:key/[A-Za-z0-9-]+")) {
                throw new ParameterException(spec.commandLine(), "--kms-key '" + kmsKey
                        + "' is not a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY_ID)");
            }
            w.name("kmsRoleStatement");
            PolicyGenerator.writeKmsRoleStatement(w, kmsKey);
            w.name("kmsKeyPolicyStatement");
            PolicyGenerator.writeKmsKeyPolicyStatement(w, role);
        }
        w.endObject();
        spec.commandLine().getOut().println(w);
        spec.commandLine().getOut().flush();
        return 0;
    }

    private Arn validRoleArn(String arn) {
        return Arn.parse(arn).filter(a -> a.service().equals("iam") && a.roleName().isPresent()
                        && !a.account().isEmpty())
                .orElseThrow(() -> new ParameterException(spec.commandLine(),
                        "--role-arn '" + arn + "' is not an IAM role ARN (arn:aws:iam::123456789012:role/NAME)"));
    }

    /** The role STS says signs the calls, or null. */
    private static String discoverRoleArn(Env env, java.time.Duration deadline) {
        Report r = new NodeChecker(env, Clock.systemUTC()).run(NodeChecker.identityOnly(deadline));
        return r.identity().roleArn();
    }
}
