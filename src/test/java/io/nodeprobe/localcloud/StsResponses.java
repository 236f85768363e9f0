package io.nodeprobe.localcloud;

/** STS's XML bodies (AWS Query protocol, API version 2011-06-15). */
final class StsResponses {
    static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

    private StsResponses() {
    }

    static String getCallerIdentity(CallerIdentity identity, String requestId) {
        return "<GetCallerIdentityResponse xmlns=\"" + NAMESPACE + "\">\n"
                + "  <GetCallerIdentityResult>\n"
                + "    <Arn>" + escape(identity.arn()) + "</Arn>\n"
                + "    <UserId>" + escape(identity.userId()) + "</UserId>\n"
                + "    <Account>" + escape(identity.account()) + "</Account>\n"
                + "  </GetCallerIdentityResult>\n"
                + "  <ResponseMetadata>\n"
                + "    <RequestId>" + requestId + "</RequestId>\n"
                + "  </ResponseMetadata>\n"
                + "</GetCallerIdentityResponse>\n";
    }

    /** The documented shape (STS API reference, AssumeRoleWithWebIdentity, example response). */
    static String assumeRoleWithWebIdentity(CallerIdentity session, CredentialsDocument c, String subject,
                                            String audience, String provider, String requestId) {
        return "<AssumeRoleWithWebIdentityResponse xmlns=\"" + NAMESPACE + "\">\n"
                + "  <AssumeRoleWithWebIdentityResult>\n"
                + "    <SubjectFromWebIdentityToken>" + escape(subject) + "</SubjectFromWebIdentityToken>\n"
                + "    <Audience>" + escape(audience) + "</Audience>\n"
                + "    <AssumedRoleUser>\n"
                + "      <Arn>" + escape(session.arn()) + "</Arn>\n"
                + "      <AssumedRoleId>" + escape(session.userId()) + "</AssumedRoleId>\n"
                + "    </AssumedRoleUser>\n"
                + "    <Credentials>\n"
                + "      <SessionToken>" + escape(c.token()) + "</SessionToken>\n"
                + "      <SecretAccessKey>" + escape(c.secretAccessKey()) + "</SecretAccessKey>\n"
                + "      <Expiration>" + c.expiration().map(Object::toString).orElse("") + "</Expiration>\n"
                + "      <AccessKeyId>" + escape(c.accessKeyId()) + "</AccessKeyId>\n"
                + "    </Credentials>\n"
                + "    <Provider>" + escape(provider) + "</Provider>\n"
                + "  </AssumeRoleWithWebIdentityResult>\n"
                + "  <ResponseMetadata>\n"
                + "    <RequestId>" + requestId + "</RequestId>\n"
                + "  </ResponseMetadata>\n"
                + "</AssumeRoleWithWebIdentityResponse>\n";
    }

    static String error(StsError error, String requestId) {
        return "<ErrorResponse xmlns=\"" + NAMESPACE + "\">\n"
                + "  <Error>\n"
                + "    <Type>" + error.type() + "</Type>\n"
                + "    <Code>" + escape(error.code()) + "</Code>\n"
                + "    <Message>" + escape(error.message()) + "</Message>\n"
                + "  </Error>\n"
                + "  <RequestId>" + requestId + "</RequestId>\n"
                + "</ErrorResponse>\n";
    }

    private static String escape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;").replace("'", "&apos;");
    }
}
