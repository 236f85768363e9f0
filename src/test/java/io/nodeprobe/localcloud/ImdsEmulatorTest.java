package io.nodeprobe.localcloud;

import static io.nodeprobe.localcloud.HttpCalls.get;
import static io.nodeprobe.localcloud.HttpCalls.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImdsEmulatorTest {
    private static final String TTL = ImdsEmulator.TTL_HEADER;
    private static final String TOKEN = ImdsEmulator.TOKEN_HEADER;
    private static final String DOC = "{\"Code\":\"Success\",\"LastUpdated\":\"2026-01-01T00:00:00Z\",\"Type\":\"AWS-HMAC\","
            + "\"AccessKeyId\":\"ASIAEXAMPLE\",\"SecretAccessKey\":\"secret\",\"Token\":\"tok\","
            + "\"Expiration\":\"2099-01-01T00:00:00Z\"}";

    @TempDir
    Path dir;
    ImdsEmulator imds;

    @BeforeEach
    void start() {
        imds = ImdsEmulator.start(0);
    }

    @AfterEach
    void stop() {
        imds.close();
    }

    private String url(String path) {
        return imds.endpoint() + path;
    }

    private String token() {
        HttpResponse<String> r = put(url("/latest/api/token"), TTL, "60");
        assertEquals(200, r.statusCode());
        return r.body();
    }

    private HttpResponse<String> getWithToken(String path) {
        return get(url(path), TOKEN, token());
    }

    @Test
    void endpoint_ephemeralPort_isLoopbackUrl() {
        assertTrue(imds.endpoint().matches("http://127\\.0\\.0\\.1:\\d+"), imds.endpoint());
    }

    @Test
    void putToken_validTtl_returnsTextTokenAndEchoesTtl() {
        HttpResponse<String> r = put(url("/latest/api/token"), TTL, "21600");
        assertEquals(200, r.statusCode());
        assertFalse(r.body().isBlank());
        assertEquals("text/plain", r.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("21600", r.headers().firstValue(TTL).orElseThrow());
    }

    @Test
    void putToken_twice_returnsDifferentTokens() {
        assertFalse(token().equals(token()));
    }

    @Test
    void putToken_missingTtlHeader_returns400() {
        assertEquals(400, put(url("/latest/api/token")).statusCode());
    }

    @Test
    void putToken_ttlOutOfRangeOrNotANumber_returns400() {
        for (String ttl : new String[] {"0", "21601", "-5", "abc", ""}) {
            assertEquals(400, put(url("/latest/api/token"), TTL, ttl).statusCode(), "ttl '" + ttl + "'");
        }
        assertEquals(200, put(url("/latest/api/token"), TTL, "1").statusCode());
    }

    @Test
    void putToken_withXForwardedFor_returns403() {
        assertEquals(403, put(url("/latest/api/token"), TTL, "60", "X-Forwarded-For", "10.0.0.1").statusCode());
    }

    @Test
    void getToken_wrongMethod_returns405() {
        assertEquals(405, get(url("/latest/api/token"), TTL, "60").statusCode());
    }

    @Test
    void putToken_tokenEndpointDisabled_returns403() {
        imds.disableTokenEndpoint(true);
        assertEquals(403, put(url("/latest/api/token"), TTL, "60").statusCode());
    }

    @Test
    void get_withoutTokenWhenV2Required_returns401() {
        HttpResponse<String> r = get(url("/latest/meta-data/instance-id"));
        assertEquals(401, r.statusCode());
        assertTrue(r.body().contains("401 - Unauthorized"), r.body());
    }

    @Test
    void get_withoutTokenWhenV1Allowed_returns200() {
        imds.v1Allowed(true);
        HttpResponse<String> r = get(url("/latest/meta-data/instance-id"));
        assertEquals(200, r.statusCode());
        assertEquals("i-0123456789abcdef0", r.body());
    }

    @Test
    void get_invalidTokenEvenWhenV1Allowed_returns401() {
        imds.v1Allowed(true);
        assertEquals(401, get(url("/latest/meta-data/instance-id"), TOKEN, "not-a-token").statusCode());
    }

    @Test
    void get_expiredToken_returns401() throws InterruptedException {
        String token = put(url("/latest/api/token"), TTL, "1").body();
        assertEquals(200, get(url("/latest/meta-data/instance-id"), TOKEN, token).statusCode());
        Thread.sleep(1100);
        assertEquals(401, get(url("/latest/meta-data/instance-id"), TOKEN, token).statusCode());
    }

    @Test
    void get_nodeDefaults_answersInstanceRegionAndZoneAsText() {
        HttpResponse<String> r = getWithToken("/latest/meta-data/instance-id");
        assertEquals("i-0123456789abcdef0", r.body());
        assertEquals("text/plain", r.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("us-east-1", getWithToken("/latest/meta-data/placement/region").body());
        assertEquals("us-east-1a", getWithToken("/latest/meta-data/placement/availability-zone").body());
    }

    @Test
    void get_customNode_answersItsValues() {
        imds.node("i-0fedcba9876543210", "eu-west-1", "eu-west-1b");
        assertEquals("i-0fedcba9876543210", getWithToken("/latest/meta-data/instance-id").body());
        assertEquals("eu-west-1", getWithToken("/latest/meta-data/placement/region").body());
        assertEquals("eu-west-1b", getWithToken("/latest/meta-data/placement/availability-zone").body());
    }

    @Test
    void get_directories_listEntriesWithTrailingSlashForSubdirectories() {
        imds.roleDocument("np-full", DOC);
        assertEquals("iam/\ninstance-id\nplacement/", getWithToken("/latest/meta-data/").body());
        assertEquals("info\nsecurity-credentials/", getWithToken("/latest/meta-data/iam").body());
        assertEquals("availability-zone\nregion", getWithToken("/latest/meta-data/placement/").body());
    }

    @Test
    void get_unknownPaths_return404() {
        imds.roleDocument("np-full", DOC);
        for (String path : new String[] {"/", "/latest/user-data", "/latest/meta-data/ami-id",
                "/latest/meta-data/iam/security-credentials-extended/", "/latest/meta-data/iam/security-credentials/other"}) {
            assertEquals(404, getWithToken(path).statusCode(), path);
        }
    }

    @Test
    void get_roleFromFile_listsRoleAndServesDocumentAsText() throws Exception {
        Path doc = Files.writeString(dir.resolve("np-full.json"), DOC);
        imds.role("np-full", doc);
        assertEquals("np-full", getWithToken("/latest/meta-data/iam/security-credentials/").body());
        HttpResponse<String> r = getWithToken("/latest/meta-data/iam/security-credentials/np-full");
        assertEquals(200, r.statusCode());
        assertEquals(DOC, r.body());
        assertEquals("text/plain", r.headers().firstValue("Content-Type").orElseThrow());
    }

    @Test
    void get_roleFileRewritten_servesNewDocument() throws Exception {
        Path doc = Files.writeString(dir.resolve("np-full.json"), DOC);
        imds.role("np-full", doc);
        getWithToken("/latest/meta-data/iam/security-credentials/np-full");
        String rotated = DOC.replace("ASIAEXAMPLE", "ASIAROTATED");
        Files.writeString(doc, rotated);
        assertEquals(rotated, getWithToken("/latest/meta-data/iam/security-credentials/np-full").body());
    }

    @Test
    void get_roleFileMissing_returns404ForDocumentOnly() {
        imds.role("np-full", dir.resolve("absent.json"));
        assertEquals("np-full", getWithToken("/latest/meta-data/iam/security-credentials/").body());
        assertEquals(404, getWithToken("/latest/meta-data/iam/security-credentials/np-full").statusCode());
    }

    @Test
    void get_inlineDocument_servedVerbatim() {
        imds.roleDocument("broken", "this is not json");
        assertEquals("this is not json", getWithToken("/latest/meta-data/iam/security-credentials/broken").body());
    }

    @Test
    void get_iamInfoWithoutExplicitProfile_namesProfileAfterRole() {
        imds.account("210987654321").roleDocument("np-full", DOC);
        String info = getWithToken("/latest/meta-data/iam/info").body();
        assertTrue(info.contains("\"Code\" : \"Success\""), info);
        assertTrue(info.contains("\"InstanceProfileArn\" : \"arn:aws:iam::210987654321:instance-profile/np-full\""), info);
        assertTrue(info.matches("(?s).*\"InstanceProfileId\" : \"AIPA[A-Z0-9]{17}\".*"), info);
        assertTrue(info.matches("(?s).*\"LastUpdated\" : \"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\".*"), info);
    }

    @Test
    void get_iamInfoWithExplicitProfile_returnsIt() {
        imds.instanceProfile("arn:aws:iam::123456789012:instance-profile/web", "AIPAEXAMPLEPROFILEID1").roleDocument("r", DOC);
        String info = getWithToken("/latest/meta-data/iam/info").body();
        assertTrue(info.contains("\"InstanceProfileArn\" : \"arn:aws:iam::123456789012:instance-profile/web\""), info);
        assertTrue(info.contains("\"InstanceProfileId\" : \"AIPAEXAMPLEPROFILEID1\""), info);
    }

    @Test
    void get_nodeWithoutProfile_iamPathsReturn404() {
        imds.roleDocument("np-full", DOC).instanceProfile(null, null);
        assertEquals(404, getWithToken("/latest/meta-data/iam/info").statusCode());
        assertEquals(404, getWithToken("/latest/meta-data/iam/security-credentials/").statusCode());
        assertEquals(404, getWithToken("/latest/meta-data/iam/security-credentials/np-full").statusCode());
        assertEquals("instance-id\nplacement/", getWithToken("/latest/meta-data/").body());
    }

    @Test
    void get_profileWithoutRole_infoOnly() {
        imds.instanceProfile("arn:aws:iam::123456789012:instance-profile/empty", null);
        assertEquals(200, getWithToken("/latest/meta-data/iam/info").statusCode());
        assertEquals(404, getWithToken("/latest/meta-data/iam/security-credentials/").statusCode());
    }

    @Test
    void putToken_tokenDelay_answersLateWhileMetadataStaysFast() throws Exception {
        imds.tokenDelay(Duration.ofMillis(1500)).v1Allowed(true);
        long start = System.nanoTime();
        CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> put(url("/latest/api/token"), TTL, "60"));
        Thread.sleep(100);
        assertEquals(200, get(url("/latest/meta-data/instance-id")).statusCode());
        assertFalse(slow.isDone(), "the token PUT answered before a metadata GET sent after it");
        assertEquals(200, slow.get().statusCode());
        assertTrue(System.nanoTime() - start >= 1_500_000_000L, "token PUT answered before the delay");
    }

    @Test
    void requestCount_countsImdsRequestsButNotControlPath() {
        imds.roleSwitching(dir);
        token();
        get(url("/latest/meta-data/instance-id"));
        put(url("/_emulator/role/none"));
        assertEquals(2, imds.requestCount());
    }

    @Test
    void controlPath_putRole_switchesToThatDocument() throws Exception {
        Files.writeString(dir.resolve("np-full.json"), DOC);
        Files.writeString(dir.resolve("np-no-put.json"), DOC.replace("ASIAEXAMPLE", "ASIANOPUT"));
        imds.role("np-full", dir.resolve("np-full.json")).roleSwitching(dir);
        assertEquals(200, put(url("/_emulator/role/np-no-put")).statusCode());
        assertEquals("np-no-put", getWithToken("/latest/meta-data/iam/security-credentials/").body());
        assertTrue(getWithToken("/latest/meta-data/iam/security-credentials/np-no-put").body().contains("ASIANOPUT"));
        assertEquals(404, put(url("/_emulator/role/np-unknown")).statusCode());
        assertEquals(200, HttpCalls.send("DELETE", url("/_emulator/role"), null).statusCode());
        assertEquals(404, getWithToken("/latest/meta-data/iam/security-credentials/").statusCode());
    }

    @Test
    void controlPath_withoutRoleSwitching_returns404() throws Exception {
        Files.writeString(dir.resolve("np-full.json"), DOC);
        assertEquals(404, put(url("/_emulator/role/np-full")).statusCode());
    }
}
