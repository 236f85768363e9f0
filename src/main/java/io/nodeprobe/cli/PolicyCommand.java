package io.nodeprobe.cli;

import io.nodeprobe.config.Env;
import io.nodeprobe.config.Target;
import io.nodeprobe.config.TargetResolver;
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
    private static final String PLACEHOLDER = "arn:aws:iam::ACCOUNT_ID:role/ROLE_NAME";

    @Spec
    CommandSpec spec;

    @Mixin
    TargetMixin target;

    @Option(names = "--role-arn", paramLabel = "ARN",
            description = "The node role's ARN (arn:aws:iam::ACCOUNT:role/NAME); skips discovery.")
    String roleArn;

    @Mixin
    TimeoutMixin deadline;

    @Override
    public Integer call() {
        Env env = Env.system();
        Target t = new TargetResolver(env).resolve(target.options());
        String role = roleArn != null ? validRoleArn(roleArn)
                : discoverRoleArn(env, deadline.timeout());
        if (role == null) {
            spec.commandLine().getErr().println("nodeprobe policy: could not discover this node's role; the bucket "
                    + "policy names " + PLACEHOLDER + " (pass --role-arn to fill it in)");
            role = PLACEHOLDER;
        }
        JsonWriter w = new JsonWriter(true);
        w.beginObject().field("bucket", t.bucket()).field("roleArn", role);
        w.name("rolePolicy");
        PolicyGenerator.writeRolePolicy(w, t.bucket());
        w.name("crossAccountBucketPolicy");
        PolicyGenerator.writeCrossAccountBucketPolicy(w, t.bucket(), role);
        w.endObject();
        spec.commandLine().getOut().println(w);
        spec.commandLine().getOut().flush();
        return 0;
    }

    private String validRoleArn(String arn) {
        return Arn.parse(arn).filter(a -> a.service().equals("iam") && a.roleName().isPresent()
                        && !a.account().isEmpty()).map(Arn::toString)
                .orElseThrow(() -> new ParameterException(spec.commandLine(),
                        "--role-arn '" + arn + "' is not an IAM role ARN (arn:aws:iam::123456789012:role/NAME)"));
    }

    /** The role STS says signs the calls; needs the account, which STS gives even where the ARN lacks it. */
    private static String discoverRoleArn(Env env, java.time.Duration deadline) {
        Report r = new NodeChecker(env, Clock.systemUTC()).run(NodeChecker.identityOnly(deadline));
        String account = r.identity().account();
        return Arn.parse(r.identity().arn()).flatMap(Arn::roleName)
                .filter(role -> account != null && !account.isEmpty())
                .map(role -> "arn:aws:iam::" + account + ":role/" + role)
                .orElse(null);
    }
}
