package io.nodeprobe.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArnTest {

    @Test
    void parse_assumedRole_givesRoleSessionAndRoleArn() {
        Arn a = Arn.parse("arn:aws:sts::123456789012:assumed-role/anyscale-node/i-0123456789abcdef0").orElseThrow();
        assertEquals("sts", a.service());
        assertEquals("123456789012", a.account());
        assertEquals(Optional.of("anyscale-node"), a.roleName());
        assertEquals(Optional.of("i-0123456789abcdef0"), a.sessionName());
        assertEquals(Optional.of("arn:aws:iam::123456789012:role/anyscale-node"), a.iamRoleArn());
    }

    @Test
    void parse_rgwAssumedRoleWithoutAccount_isAccepted() {
        Arn a = Arn.parse("arn:aws:sts:::assumed-role/np-full/i-0123456789abcdef0").orElseThrow();
        assertEquals("", a.account());
        assertEquals(Optional.of("np-full"), a.roleName());
    }

    @Test
    void parse_otherPartitions() {
        assertEquals("aws-cn", Arn.parse("arn:aws-cn:sts::123456789012:assumed-role/r/s").orElseThrow().partition());
        assertEquals("aws-us-gov",
                Arn.parse("arn:aws-us-gov:iam::123456789012:role/r").orElseThrow().partition());
    }

    @Test
    void parse_iamRoleWithPath_givesLastSegmentAsName() {
        assertEquals(Optional.of("node"), Arn.parse("arn:aws:iam::123456789012:role/team/a/node").orElseThrow()
                .roleName());
    }

    @Test
    void parse_instanceProfileAndUser_haveNoRole() {
        assertTrue(Arn.parse("arn:aws:iam::123456789012:instance-profile/p").orElseThrow().roleName().isEmpty());
        assertTrue(Arn.parse("arn:aws:iam::123456789012:user/alice").orElseThrow().roleName().isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "arn", "arn:aws:sts", "arn:aws:sts::12345:assumed-role/r/s", "urn:aws:sts::123456789012:x",
            "arn:gcp:sts::123456789012:assumed-role/r/s", "arn:aws:::123456789012:x", "arn:aws:sts::123456789012:"})
    void parse_notAnArn_isEmpty(String text) {
        assertEquals(Optional.empty(), Arn.parse(text), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"arn:aws:sts::123456789012:assumed-role/r", "arn:aws:sts::123456789012:assumed-role//s",
            "arn:aws:sts::123456789012:federated-user/bob", "arn:aws:iam::123456789012:role/"})
    void parse_arnWithoutARole_parsesButNamesNoRole(String text) {
        Arn a = Arn.parse(text).orElseThrow(() -> new AssertionError("should parse: " + text));
        assertEquals(Optional.empty(), a.roleName(), text);
        assertEquals(Optional.empty(), a.iamRoleArn(), text);
    }

    @Test
    void iamRoleArn_withoutAccount_isEmptyUntilTheAccountIsKnown() {
        Arn rgw = Arn.parse("arn:aws:sts:::assumed-role/np-full/i-1").orElseThrow();
        assertEquals(Optional.empty(), rgw.iamRoleArn());
        assertEquals(Optional.of("arn:aws:iam::123456789012:role/np-full"),
                rgw.withAccount("123456789012").iamRoleArn());
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"us-east-1,aws", "eu-west-1,aws", "cn-north-1,aws-cn",
            "cn-northwest-1,aws-cn", "us-gov-west-1,aws-us-gov", "us-iso-east-1,aws-iso", "us-isob-east-1,aws-iso-b"})
    void partitionOf_region(String region, String partition) {
        assertEquals(partition, Arn.partitionOf(region));
    }

    @Test
    void callerIdentity_roleArn_isInTheCallersPartitionAndAccount() {
        CallerIdentity gov = new CallerIdentity("123456789012",
                "arn:aws-us-gov:sts::123456789012:assumed-role/node/i-1", "AROA:i-1");
        assertEquals("arn:aws-us-gov:iam::123456789012:role/node", gov.roleArn());
        assertEquals("aws-us-gov", gov.partition());
        CallerIdentity rgw = new CallerIdentity("123456789012", "arn:aws:sts:::assumed-role/np-full/i-1", "x");
        assertEquals("arn:aws:iam::123456789012:role/np-full", rgw.roleArn());
    }
}
