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
