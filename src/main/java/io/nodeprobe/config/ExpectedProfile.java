package io.nodeprobe.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The instance profile a node must run with: from --expected-instance-profile, or from an Anyscale compute config's
 * {@code {"IamInstanceProfile": {"Arn": "..."}}} (also found under advanced_instance_config or
 * advanced_configurations_json, where full compute-config exports keep it).
 */
public final class ExpectedProfile {
    private static final Pattern PROFILE_ARN =
            Pattern.compile("arn:aws(-[a-z]+)*:iam::\\d{12}:instance-profile/[\\w+=,.@/-]{1,128}");

    private ExpectedProfile() {
    }

    public static String resolve(String arnFlag, Path computeConfig) {
        if (arnFlag != null && computeConfig != null) {
            throw new ConfigException("--expected-instance-profile and --compute-config both name a profile; pass one");
        }
        if (arnFlag != null) {
            return validate("--expected-instance-profile", arnFlag.strip());
        }
        return computeConfig == null ? null : fromComputeConfig(computeConfig);
    }

    static String fromComputeConfig(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("--compute-config " + file + ": cannot read it (" + e.getMessage() + ")");
        }
        JsonObject doc = JsonObject.parse(text)
                .orElseThrow(() -> new ConfigException("--compute-config " + file + ": not a JSON object"));
        String arn = profileArn(doc)
                .or(() -> doc.object("advanced_instance_config").flatMap(ExpectedProfile::profileArn))
                .or(() -> doc.object("advanced_configurations_json").flatMap(ExpectedProfile::profileArn))
                .orElseThrow(() -> new ConfigException("--compute-config " + file
                        + ": no IamInstanceProfile.Arn in it"));
        return validate("--compute-config " + file, arn);
    }

    private static Optional<String> profileArn(JsonObject o) {
        return o.object("IamInstanceProfile").flatMap(p -> p.string("Arn"));
    }

    private static String validate(String what, String arn) {
        if (!PROFILE_ARN.matcher(arn).matches()) {
            throw new ConfigException(what + ": '" + arn + "' is not an instance profile ARN "
                    + "(arn:aws:iam::123456789012:instance-profile/NAME)");
        }
        return arn;
    }
}
