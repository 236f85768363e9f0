package io.nodeprobe.identity;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An ARN, {@code arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE}. The account may be empty: Ceph RGW's STS issues
 * {@code arn:aws:sts:::assumed-role/R/S}.
 */
public record Arn(String partition, String service, String region, String account, String resource) {
    private static final Pattern PARTITION = Pattern.compile("aws(-[a-z]+)*");
    private static final Pattern ACCOUNT = Pattern.compile("(\\d{12})?");

    public static Optional<Arn> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String[] p = text.strip().split(":", 6);
        if (p.length != 6 || !p[0].equals("arn") || !PARTITION.matcher(p[1]).matches() || p[2].isEmpty()
                || !ACCOUNT.matcher(p[4]).matches() || p[5].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Arn(p[1], p[2], p[3], p[4], p[5]));
    }

    /** The role name of an STS assumed-role ARN ({@code assumed-role/ROLE/SESSION}), or of an IAM role ARN. */
    public Optional<String> roleName() {
        if (service.equals("sts") && resource.startsWith("assumed-role/")) {
            String[] parts = resource.split("/");
            return parts.length == 3 && !parts[1].isEmpty() && !parts[2].isEmpty()
                    ? Optional.of(parts[1]) : Optional.empty();
        }
        if (service.equals("iam") && resource.startsWith("role/")) {
            String name = resource.substring(resource.lastIndexOf('/') + 1);
            return name.isEmpty() ? Optional.empty() : Optional.of(name);
        }
        return Optional.empty();
    }

    /** The session name of an assumed-role ARN (on EC2: the instance id). */
    public Optional<String> sessionName() {
        if (service.equals("sts") && resource.startsWith("assumed-role/")) {
            String[] parts = resource.split("/");
            return parts.length == 3 ? Optional.of(parts[2]) : Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * The IAM role ARN a policy must name for an assumed-role session. The role's path is not in the session ARN;
     * roles with a path need it added by hand. Empty when the ARN names no role or no account.
     */
    public Optional<String> iamRoleArn() {
        return account.isEmpty() ? Optional.empty()
                : roleName().map(r -> "arn:" + partition + ":iam::" + account + ":role/" + r);
    }

    /** The same ARN in {@code newAccount}: RGW's STS leaves the account out of the ARNs it issues. */
    public Arn withAccount(String newAccount) {
        return new Arn(partition, service, region, newAccount, resource);
    }

    /**
     * The partition a region belongs to, for ARNs built before STS has named one: China and GovCloud (and the
     * isolated regions) are not {@code aws}.
     */
    public static String partitionOf(String region) {
        if (region == null) {
            return "aws";
        }
        if (region.startsWith("cn-")) {
            return "aws-cn";
        }
        if (region.startsWith("us-gov-")) {
            return "aws-us-gov";
        }
        if (region.startsWith("us-isob-")) {
            return "aws-iso-b";
        }
        if (region.startsWith("us-iso-")) {
            return "aws-iso";
        }
        return "aws";
    }

    @Override
    public String toString() {
        return "arn:" + partition + ":" + service + ":" + region + ":" + account + ":" + resource;
    }
}
