package io.nodeprobe.diagnosis;

/** What IMDS's answers (and silences) mean, and what to do about each. */
public final class ImdsDiagnosis {
    private static final String HOP_LIMIT_FIX = "aws ec2 modify-instance-metadata-options --instance-id ID "
            + "--http-put-response-hop-limit 2 --http-endpoint enabled (in a launch template: "
            + "MetadataOptions.HttpPutResponseHopLimit=2)";

    private ImdsDiagnosis() {
    }

    public static Diagnosis disabled() {
        return new Diagnosis("IMDS disabled by AWS_EC2_METADATA_DISABLED", null);
    }

    public static Diagnosis unreachable(String endpoint, String message) {
        return new Diagnosis("IMDS is unreachable at " + endpoint + " (" + message + "): not an EC2 instance, or "
                + "IMDS is disabled or blocked for this process", "on EC2 check the instance's metadata options (HttpEndpoint=enabled); "
                + "off EC2 set AWS_EC2_METADATA_DISABLED=true and provide credentials another way");
    }

    /** The classic container symptom: the PUT's reply is dropped one hop early when HttpPutResponseHopLimit is 1. */
    public static Diagnosis hopLimit() {
        return new Diagnosis("hop limit too low: the IMDSv2 token PUT timed out while a plain GET answers "
                + "(containers need HttpPutResponseHopLimit >= 2)", HOP_LIMIT_FIX);
    }

    /** 403: a proxy header such as X-Forwarded-For, or IMDS turned off; 404/405: an IMDS without v2. */
    public static Diagnosis tokenRefused(String message) {
        return new Diagnosis("IMDS refused the token request (" + message + ")", null);
    }

    /** The token could not be had and IMDS answers a token-less GET with an error: no credentials at all. */
    public static Diagnosis noV1Either(Diagnosis token, int getStatus) {
        String v1 = getStatus == 401 ? "IMDSv1 is turned off (HttpTokens=required)"
                : "a token-less GET answers HTTP " + getStatus;
        return new Diagnosis(token.summary() + "; " + v1 + ", so no credentials can be fetched", token.remediation());
    }

    /**
     * Neither the token PUT nor a GET answered. At EC2's link-local address that can also be the 1,024 packets/s
     * limit on link-local traffic (IMDS, DNS, NTP together): packets over it are dropped, not refused.
     */
    public static Diagnosis silent(String endpoint, String tokenError, String getError, boolean linkLocal) {
        return new Diagnosis("IMDS does not answer at " + endpoint + " (token PUT: " + tokenError + "; GET: "
                + getError + ")" + (linkLocal ? "; on EC2 this can also be the instance's 1,024 packets/s limit on "
                + "link-local traffic (IMDS, DNS and NTP together), over which packets are dropped" : ""),
                "check that IMDS is enabled and reachable from this process; raise --timeout or "
                        + "AWS_METADATA_SERVICE_TIMEOUT if it is just slow" + (linkLocal ? "; for the packet limit: "
                        + "ethtool -S eth0 | grep linklocal_allowance_exceeded, CloudWatch "
                        + "NetworkLinkLocalAllowanceExceeded, and cache DNS and metadata answers" : ""));
    }

    /**
     * The token PUT and a GET both answered 403 with no body: what EC2 answers when the instance's metadata
     * endpoint is turned off (its own refusals, such as a proxy's X-Forwarded-For, carry a small HTML page).
     */
    public static Diagnosis endpointTurnedOff(String instanceId) {
        return new Diagnosis("IMDS is turned off on this instance (HttpEndpoint=disabled): the token PUT and a GET "
                + "both answer 403 with an empty body", "aws ec2 modify-instance-metadata-options --instance-id "
                + (instanceId == null ? "INSTANCE_ID" : instanceId) + " --http-endpoint enabled (in a launch "
                + "template: MetadataOptions.HttpEndpoint=enabled), or provide credentials another way");
    }

    /** 401 on a GET, again with a token fetched just for the retry. */
    public static Diagnosis tokenRejected(String message) {
        return new Diagnosis("IMDS rejects the session token (" + message + ") even after a new one was fetched: "
                + "something between this process and IMDS drops or rewrites the X-aws-ec2-metadata-token header",
                "look for a proxy or an iptables rule intercepting 169.254.169.254; unset HTTP(S)_PROXY for it "
                        + "(NO_PROXY=169.254.169.254)");
    }

    /** 503 to every attempt: IMDS throttles per instance. */
    public static Diagnosis busy(String message) {
        return new Diagnosis("IMDS is busy (" + message + ")", "retry later; look for processes on this instance "
                + "polling IMDS hard (EC2 throttles IMDS per instance)");
    }

    /** iam/info answered with a Code other than Success: EC2 could not attach the profile's role. */
    public static Diagnosis instanceProfileCode(String code, String message) {
        return new Diagnosis("IMDS reports the instance profile with Code " + code + (message == null ? ""
                : ": " + message) + " (not Success)", "check the instance profile's role and its trust policy "
                + "(Principal {\"Service\":\"ec2.amazonaws.com\"}); re-associate the profile if it persists");
    }

    public static Diagnosis v1Forbidden(Diagnosis token) {
        return new Diagnosis(token.summary() + "; IMDSv1 answers but AWS_EC2_METADATA_V1_DISABLED forbids using it",
                token.remediation());
    }

    public static Diagnosis fellBackToV1(Diagnosis token) {
        return new Diagnosis(token.summary() + "; fell back to IMDSv1", token.remediation() != null
                ? token.remediation() : "require IMDSv2 on the instance (HttpTokens=required) once tokens work");
    }

    public static Diagnosis noSession() {
        return new Diagnosis("no IMDS session (see imds.token)", null);
    }

    public static Diagnosis malformedInstanceProfile() {
        return new Diagnosis("IMDS answered iam/info with something that is not an instance profile document", null);
    }

    public static Diagnosis noInstanceProfile(String instanceId) {
        return new Diagnosis("no instance profile is attached to this instance",
                "attach one: aws ec2 associate-iam-instance-profile --instance-id " + (instanceId == null ? "ID"
                        : instanceId) + " --iam-instance-profile Name=PROFILE (on Anyscale: the cloud's instance "
                        + "profile, or the compute config's IamInstanceProfile)");
    }

    public static Diagnosis noRoleCredentials() {
        return new Diagnosis("IMDS has no role credentials for this instance: no instance profile, a profile without "
                + "a role, or credentials not delivered yet (early after boot or after a profile change)",
                "attach an instance profile whose role Anyscale may use; just after boot, retry with --wait");
    }

    public static Diagnosis invalidRoleName() {
        return new Diagnosis("IMDS answered iam/security-credentials/ with no valid role name", null);
    }

    public static Diagnosis credentialsNotServed(String role) {
        return new Diagnosis("IMDS lists role " + role + " but does not serve its credentials", null);
    }

    public static Diagnosis credentialsNotJson(String role) {
        return new Diagnosis("the credentials document for role " + role + " is not JSON", null);
    }

    public static Diagnosis credentialsCodeNotSuccess(String role, String code) {
        return new Diagnosis("IMDS could not get credentials for role " + role + " (Code " + code + "): often the "
                + "role's trust policy does not allow ec2.amazonaws.com",
                "the role's trust policy must allow Principal {\"Service\":\"ec2.amazonaws.com\"} sts:AssumeRole");
    }

    public static Diagnosis credentialsIncomplete(String role) {
        return new Diagnosis("the credentials document for role " + role + " lacks AccessKeyId, SecretAccessKey, "
                + "Token or a valid Expiration", null);
    }

    /** The SDK would keep using these (static stability); we say so instead of failing later and vaguely. */
    public static Diagnosis credentialsExpired(String role, String expiration) {
        return new Diagnosis("IMDS serves credentials for role " + role + " that expired at " + expiration
                + ": credential rotation on this instance is stuck", "check the instance's clock and IMDS health; "
                + "re-associating the instance profile forces new credentials");
    }

    public static Diagnosis credentialsExpireSoon(String role, String expiration) {
        return new Diagnosis("credentials for role " + role + " expire in less than 5 minutes (" + expiration + ")",
                null);
    }

    /** Something other than IMDS answered at its address: a proxy, a portal, a wrong endpoint setting. */
    public static Diagnosis notImds(String endpoint, String message) {
        return new Diagnosis("the endpoint " + endpoint + " did not answer as IMDS (" + message + "): a proxy or "
                + "another service is answering in its place", "check AWS_EC2_METADATA_SERVICE_ENDPOINT, and any "
                + "iptables rule or proxy that intercepts 169.254.169.254 on this node");
    }

    public static Diagnosis callFailed(String message) {
        return new Diagnosis("IMDS call failed: " + message, null);
    }
}
