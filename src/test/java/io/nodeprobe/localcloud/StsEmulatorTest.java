package io.nodeprobe.localcloud;

import static io.nodeprobe.localcloud.HttpCalls.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

class StsEmulatorTest {
    private static final String NS = "https://sts.amazonaws.com/doc/2011-06-15/";
    private static final String FORM = "Action=GetCallerIdentity&Version=2011-06-15";
    private static final String USER_ARN = "arn:aws:iam::123456789012:user/alice";

    @TempDir
    Path rolesDir;
    StsEmulator sts;

    @BeforeEach
    void start() {
        sts = StsEmulator.start(0).identity("AKIAALICE0000000000A", USER_ARN, "AIDAALICE00000000000", "123456789012");
    }

    @AfterEach
    void stop() {
        sts.close();
    }

    private static String authorization(String accessKeyId) {
        return "AWS4-HMAC-SHA256 Credential=" + accessKeyId + "/20260101/us-east-1/sts/aws4_request, "
                + "SignedHeaders=host;x-amz-date, Signature=0123456789abcdef";
    }

    private HttpResponse<String> call(String form, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type";
        all[1] = "application/x-www-form-urlencoded; charset=utf-8";
        System.arraycopy(headers, 0, all, 2, headers.length);
        return send("POST", sts.endpoint() + "/", form, all);
    }

    private static Document xml(HttpResponse<String> response) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(response.body().getBytes(StandardCharsets.UTF_8)));
    }

    private static String text(Document doc, String element) {
        return doc.getElementsByTagNameNS(NS, element).item(0).getTextContent();
    }

    private static void assertError(HttpResponse<String> r, int status, String type, String code, String message)
            throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("text/xml", r.headers().firstValue("Content-Type").orElseThrow());
        Document doc = xml(r);
        assertEquals("ErrorResponse", doc.getDocumentElement().getLocalName());
        assertEquals(NS, doc.getDocumentElement().getNamespaceURI());
        assertEquals(type, text(doc, "Type"));
        assertEquals(code, text(doc, "Code"));
        assertEquals(message, text(doc, "Message"));
        assertEquals(r.headers().firstValue("x-amzn-RequestId").orElseThrow(), text(doc, "RequestId"));
    }

    private Path writeRoleDocument(String role, String accessKeyId, String token, String expiration) throws Exception {
        return Files.writeString(rolesDir.resolve(role + ".json"), "{\n  \"Code\" : \"Success\",\n  \"Type\" : \"AWS-HMAC\",\n"
                + "  \"AccessKeyId\" : \"" + accessKeyId + "\",\n  \"SecretAccessKey\" : \"s\",\n"
                + "  \"Token\" : \"" + token + "\",\n  \"Expiration\" : \"" + expiration + "\"\n}\n");
    }

    @Test
    void getCallerIdentity_knownKey_returnsAwsXmlShape() throws Exception {
        HttpResponse<String> r = call(FORM, "Authorization", authorization("AKIAALICE0000000000A"));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("text/xml", r.headers().firstValue("Content-Type").orElseThrow());
        Document doc = xml(r);
        assertEquals("GetCallerIdentityResponse", doc.getDocumentElement().getLocalName());
        assertEquals(NS, doc.getDocumentElement().getNamespaceURI());
        assertEquals("GetCallerIdentityResult", doc.getElementsByTagNameNS(NS, "Arn").item(0).getParentNode().getLocalName());
        assertEquals(USER_ARN, text(doc, "Arn"));
        assertEquals("AIDAALICE00000000000", text(doc, "UserId"));
        assertEquals("123456789012", text(doc, "Account"));
        assertEquals("ResponseMetadata", doc.getElementsByTagNameNS(NS, "RequestId").item(0).getParentNode().getLocalName());
        assertEquals(r.headers().firstValue("x-amzn-RequestId").orElseThrow(), text(doc, "RequestId"));
    }

    @Test
    void getCallerIdentity_queryStringGet_isAcceptedToo() throws Exception {
        HttpResponse<String> r = send("GET", sts.endpoint() + "/?" + FORM, null, "Authorization", authorization("AKIAALICE0000000000A"));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(USER_ARN, text(xml(r), "Arn"));
    }

    @Test
    void getCallerIdentity_presignedCredentialParameter_identifiesCaller() throws Exception {
        HttpResponse<String> r = send("GET", sts.endpoint() + "/?" + FORM
                + "&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAALICE0000000000A%2F20260101%2Fus-east-1%2Fsts%2Faws4_request"
                + "&X-Amz-Signature=00", null);
        assertEquals(200, r.statusCode(), r.body());
    }

    @Test
    void getCallerIdentity_noAuthorization_returnsMissingAuthenticationToken() throws Exception {
        assertError(call(FORM), 403, "Sender", "MissingAuthenticationToken", "Request is missing Authentication Token");
    }

    @Test
    void getCallerIdentity_unparseableAuthorization_returnsMissingAuthenticationToken() throws Exception {
        assertError(call(FORM, "Authorization", "Basic dXNlcjpwYXNz"), 403, "Sender", "MissingAuthenticationToken",
                "Request is missing Authentication Token");
    }

    @Test
    void getCallerIdentity_unknownKey_returnsInvalidClientTokenId() throws Exception {
        assertError(call(FORM, "Authorization", authorization("AKIAUNKNOWN000000000")), 403, "Sender",
                "InvalidClientTokenId", "The security token included in the request is invalid.");
    }

    @Test
    void getCallerIdentity_keyFromRolesDir_returnsAssumedRoleSession() throws Exception {
        writeRoleDocument("np-no-put", "TEMPKEY0000000000001", "token-1", "2099-01-01T00:00:00Z");
        sts.identitiesFromRoles(rolesDir, "123456789012", "i-0123456789abcdef0");
        HttpResponse<String> r = call(FORM, "Authorization", authorization("TEMPKEY0000000000001"),
                "X-Amz-Security-Token", "token-1");
        assertEquals(200, r.statusCode(), r.body());
        Document doc = xml(r);
        assertEquals("arn:aws:sts::123456789012:assumed-role/np-no-put/i-0123456789abcdef0", text(doc, "Arn"));
        assertTrue(text(doc, "UserId").matches("AROA[A-Z0-9]{17}:i-0123456789abcdef0"), text(doc, "UserId"));
        assertEquals("123456789012", text(doc, "Account"));
    }

    @Test
    void getCallerIdentity_roleKeyWithoutOrWithWrongToken_returnsInvalidClientTokenId() throws Exception {
        writeRoleDocument("np-full", "TEMPKEY0000000000002", "token-2", "2099-01-01T00:00:00Z");
        sts.identitiesFromRoles(rolesDir, "123456789012", "i-0123456789abcdef0");
        assertError(call(FORM, "Authorization", authorization("TEMPKEY0000000000002")), 403, "Sender",
                "InvalidClientTokenId", "The security token included in the request is invalid.");
        assertEquals(403, call(FORM, "Authorization", authorization("TEMPKEY0000000000002"),
                "X-Amz-Security-Token", "other").statusCode());
    }

    @Test
    void getCallerIdentity_roleDocumentExpired_returnsExpiredToken() throws Exception {
        writeRoleDocument("np-full", "TEMPKEY0000000000003", "token-3", "2020-01-01T00:00:00Z");
        sts.identitiesFromRoles(rolesDir, "123456789012", "i-0123456789abcdef0");
        assertError(call(FORM, "Authorization", authorization("TEMPKEY0000000000003"), "X-Amz-Security-Token", "token-3"),
                403, "Sender", "ExpiredToken", "The security token included in the request is expired");
    }

    @Test
    void getCallerIdentity_roleDocumentRotated_knowsOnlyTheNewKey() throws Exception {
        sts.identitiesFromRoles(rolesDir, "123456789012", "i-0123456789abcdef0");
        writeRoleDocument("np-full", "TEMPKEYOLD0000000001", "old", "2099-01-01T00:00:00Z");
        assertEquals(200, call(FORM, "Authorization", authorization("TEMPKEYOLD0000000001"), "X-Amz-Security-Token", "old").statusCode());
        writeRoleDocument("np-full", "TEMPKEYNEW0000000001", "new", "2099-01-01T00:00:00Z");
        assertEquals(200, call(FORM, "Authorization", authorization("TEMPKEYNEW0000000001"), "X-Amz-Security-Token", "new").statusCode());
        assertEquals(403, call(FORM, "Authorization", authorization("TEMPKEYOLD0000000001"), "X-Amz-Security-Token", "old").statusCode());
    }

    @Test
    void call_unknownAction_returnsInvalidAction() throws Exception {
        assertError(call("Action=AssumeRole&Version=2011-06-15", "Authorization", authorization("AKIAALICE0000000000A")),
                400, "Sender", "InvalidAction", "Could not find operation AssumeRole for version 2011-06-15");
    }

    @Test
    void call_refused_answersThatErrorUntilReset() throws Exception {
        sts.refuse(403, "AccessDenied", "User is not authorized to perform: sts:GetCallerIdentity");
        assertError(call(FORM, "Authorization", authorization("AKIAALICE0000000000A")), 403, "Sender", "AccessDenied",
                "User is not authorized to perform: sts:GetCallerIdentity");
        sts.refuse(503, "ServiceUnavailable", "Service is unable to handle request.");
        assertError(call(FORM), 503, "Receiver", "ServiceUnavailable", "Service is unable to handle request.");
        sts.refuse(0, null, null);
        assertEquals(200, call(FORM, "Authorization", authorization("AKIAALICE0000000000A")).statusCode());
    }

    @Test
    void requestCount_countsEveryCall() {
        call(FORM);
        call(FORM, "Authorization", authorization("AKIAALICE0000000000A"));
        assertEquals(2, sts.requestCount());
    }
}
