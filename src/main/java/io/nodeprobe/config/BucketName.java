package io.nodeprobe.config;

import java.util.regex.Pattern;

/** S3's naming rules for general purpose buckets, so a typo is a usage error instead of a confusing 400 or 404. */
public final class BucketName {
    private static final Pattern CHARS = Pattern.compile("[a-z0-9][a-z0-9.-]*[a-z0-9]");
    private static final Pattern IP = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final String[] BAD_PREFIXES = {"xn--", "sthree-", "amzn-s3-demo-"};
    private static final String[] BAD_SUFFIXES = {"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"};

    private BucketName() {
    }

    /** Returns the name when valid; otherwise throws a one-line explanation of the rule it breaks. */
    public static String validate(String name) {
        String why = problem(name);
        if (why != null) {
            throw new ConfigException("invalid bucket name '" + name + "': " + why);
        }
        return name;
    }

    static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "empty";
        }
        if (name.length() < 3 || name.length() > 63) {
            return "must be 3 to 63 characters long";
        }
        if (!CHARS.matcher(name).matches()) {
            return "only lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit";
        }
        if (name.contains("..")) {
            return "must not contain two adjacent dots";
        }
        if (IP.matcher(name).matches()) {
            return "must not look like an IP address";
        }
        for (String p : BAD_PREFIXES) {
            if (name.startsWith(p)) {
                return "must not start with '" + p + "'";
            }
        }
        for (String s : BAD_SUFFIXES) {
            if (name.endsWith(s)) {
                return "must not end with '" + s + "'";
            }
        }
        return null;
    }
}
