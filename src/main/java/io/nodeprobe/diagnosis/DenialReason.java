package io.nodeprobe.diagnosis;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which kind of policy refused a request, and whether by a Deny statement, as S3's enhanced access-denied message
 * says since 2024 ("... because no identity-based policy allows the s3:GetObject action", "... with an explicit
 * deny in a resource-based policy"). Only same-account and same-organization requests get these texts; a bare
 * "Access Denied" (another organization, HEAD, older endpoints) parses to nothing, and the diagnosis then lists
 * every place a denial can come from.
 *
 * @param policyType one of {@link #TYPES}
 * @param explicit   a Deny statement refused it (an Allow added elsewhere cannot win), rather than no Allow
 */
public record DenialReason(String policyType, boolean explicit) {
    public static final String IDENTITY = "identity";
    public static final String RESOURCE = "resource";
    public static final String SCP = "scp";
    public static final String RCP = "rcp";
    public static final String PERMISSIONS_BOUNDARY = "permissions-boundary";
    public static final String SESSION = "session";
    public static final String VPC_ENDPOINT = "vpc-endpoint";
    /** The role trust policy: the IAM guide's sts:AssumeRole texts, accepted so they are not mistaken for others. */
    public static final String TRUST = "trust";
    public static final List<String> TYPES = List.of(IDENTITY, RESOURCE, SCP, RCP,
            PERMISSIONS_BOUNDARY, SESSION, VPC_ENDPOINT, TRUST);

    /*
     * The phrase after "explicit deny in" or "because no" names the policy type. Matched without regard to case:
     * the old IAM note writes "due to an explicit deny in a Service Control Policy". The IAM guide's variants
     * are accepted as printed: "a sessions policy", and "because the role trust policy allows" (sic, no "no").
     */
    private static final Pattern EXPLICIT = Pattern.compile("explicit deny in (?:an? |the )?([a-z -]+)");
    private static final Pattern IMPLICIT = Pattern.compile("because (?:no |the )([a-z -]+?) (?:policy |policies )?"
            + "allows?\\b");

    /** The reason in an access-denied message, or null when the message does not say (bare "Access Denied"). */
    public static DenialReason parse(String message) {
        if (message == null) {
            return null;
        }
        String m = message.replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
        Matcher e = EXPLICIT.matcher(m);
        if (e.find()) {
            String type = type(e.group(1));
            return type == null ? null : new DenialReason(type, true);
        }
        Matcher i = IMPLICIT.matcher(m);
        if (i.find()) {
            String type = type(i.group(1));
            return type == null ? null : new DenialReason(type, false);
        }
        return null;
    }

    /**
     * The phrase each policy type begins with, in the order they are tried. The VPC endpoint policy comes first:
     * "a VPC endpoint policy transitively through a service control policy" is the endpoint policy's Deny, reached
     * by way of an SCP.
     */
    private static final List<Map.Entry<String, String>> PHRASES = List.of(
            Map.entry("vpc endpoint", VPC_ENDPOINT), Map.entry("identity-based", IDENTITY),
            Map.entry("resource-based", RESOURCE), Map.entry("service control", SCP),
            Map.entry("resource control", RCP), Map.entry("permissions boundar", PERMISSIONS_BOUNDARY),
            Map.entry("session", SESSION), Map.entry("role trust", TRUST));

    private static String type(String phrase) {
        return PHRASES.stream().filter(p -> phrase.startsWith(p.getKey())).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    /** The policy type as the message names it, for a sentence. */
    public String policyName() {
        return switch (policyType) {
            case IDENTITY -> "an identity-based policy";
            case RESOURCE -> "a resource-based policy";
            case SCP -> "a service control policy (SCP)";
            case RCP -> "a resource control policy (RCP)";
            case PERMISSIONS_BOUNDARY -> "the permissions boundary";
            case SESSION -> "a session policy";
            case VPC_ENDPOINT -> "a VPC endpoint policy";
            default -> "the role trust policy";
        };
    }
}
