package io.nodeprobe.localcloud;

/** An STS error reply; the texts are AWS's. */
record StsError(int status, String code, String message) {

    static StsError missingAuthenticationToken() {
        return new StsError(403, "MissingAuthenticationToken", "Request is missing Authentication Token");
    }

    static StsError invalidClientTokenId() {
        return new StsError(403, "InvalidClientTokenId", "The security token included in the request is invalid.");
    }

    static StsError expiredToken() {
        return new StsError(403, "ExpiredToken", "The security token included in the request is expired");
    }

    /** AssumeRoleWithWebIdentity when the role's trust policy does not accept the token. */
    static StsError webIdentityNotAuthorized() {
        return new StsError(403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity");
    }

    /** The token's issuer has no IAM OIDC provider in the account. */
    static StsError noOpenIdConnectProvider(String issuer) {
        return new StsError(400, "InvalidIdentityToken", "No OpenIDConnect provider found in your account for "
                + issuer);
    }

    static StsError notAJwt() {
        return new StsError(400, "InvalidIdentityToken", "The ID Token provided is not a valid JWT. (You may see "
                + "this error if you sent an Access Token)");
    }

    /** As STS words it, in epoch seconds, judged by STS's clock. */
    static StsError webIdentityTokenExpired(long now, long exp) {
        return new StsError(400, "ExpiredTokenException", "Token expired: current date/time " + now
                + " must be before the expiration date/time " + exp);
    }

    /**
     * A request signed more than 15 minutes from STS's clock (aws/aws-cli#6676, QT-DevOps/DevOpsIssues#989):
     * times in SigV4's basic format.
     */
    static StsError signatureTime(String requestTime, java.time.Instant now) {
        java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(java.time.ZoneOffset.UTC);
        java.time.Instant t = java.time.LocalDateTime.parse(requestTime, f).toInstant(java.time.ZoneOffset.UTC);
        if (t.isBefore(now)) {
            return new StsError(403, "SignatureDoesNotMatch", "Signature expired: " + requestTime + " is now earlier "
                    + "than " + f.format(now.minusSeconds(900)) + " (" + f.format(now) + " - 15 min.)");
        }
        return new StsError(403, "SignatureDoesNotMatch", "Signature not yet current: " + requestTime + " is still "
                + "later than " + f.format(now.plusSeconds(900)) + " (" + f.format(now) + " + 15 min.)");
    }

    static StsError missingAction() {
        return new StsError(400, "MissingAction", "Missing Action");
    }

    static StsError invalidAction(String action) {
        return new StsError(400, "InvalidAction", "Could not find operation " + action + " for version 2011-06-15");
    }

    /** AWS Query errors say whose fault it is: Sender for 4xx, Receiver for 5xx. */
    String type() {
        return status >= 500 ? "Receiver" : "Sender";
    }
}
