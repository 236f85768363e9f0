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
            "arn:gcp:sts::123456789012:assumed-role/r/s", "arn:aws:::123456789012:x", "arn:aws:sts::123456789012:",
            "arn:aws:sts::123456789012:assumed-role/r", "arn:aws:sts::123456789012:assumed-role//s"})
    void parse_garbage_isEmptyOrHasNoRole(String text) {
        Optional<Arn> a = Arn.parse(text);
        assertTrue(a.isEmpty() || a.get().roleName().isEmpty(), text);
    }
}
