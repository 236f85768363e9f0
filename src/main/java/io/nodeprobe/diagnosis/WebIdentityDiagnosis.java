package io.nodeprobe.diagnosis;

import io.nodeprobe.report.JsonWriter;

/**
 * Why a web identity token (IRSA on EKS, or any OIDC federation) gave no role credentials, and what fixes it.
 * The texts name the token's issuer and subject: they are what the role's trust policy must match.
 */
public final class WebIdentityDiagnosis {
    private WebIdentityDiagnosis() {
    }

    public static Diagnosis tokenFileMissing(String file) {
        return new Diagnosis("the web identity token file " + file + " (AWS_WEB_IDENTITY_TOKEN_FILE) does not exist",
                "on EKS: annotate the pod's service account with eks.amazonaws.com/role-arn and recreate the pod, so "
                        + "the token volume is projected; elsewhere, point AWS_WEB_IDENTITY_TOKEN_FILE at the token");
    }

    public static Diagnosis tokenFileUnreadable(String file, String why) {
        return new Diagnosis("the web identity token file " + file + " cannot be read: " + why,
                "make it readable to the user nodeprobe runs as (on Kubernetes: the pod's securityContext.fsGroup)");
    }

    public static Diagnosis tokenFileEmpty(String file) {
        return new Diagnosis("the web identity token file " + file + " is empty",
                "check what writes the token (the kubelet's projected service account token volume on EKS)");
    }

    /** STS AccessDenied: the token is valid, but the role's trust policy does not accept its issuer and subject. */
    public static Diagnosis notTrusted(String roleArn, String issuer, String providerPath, String subject,
                                       String account, String partition) {
        JsonWriter w = new JsonWriter(false);
        w.beginObject().field("Effect", "Allow");
        w.name("Principal").beginObject().field("Federated", "arn:" + partition + ":iam::" + account
                + ":oidc-provider/" + providerPath).endObject();
        w.field("Action", "sts:AssumeRoleWithWebIdentity");
        w.name("Condition").beginObject().name("StringEquals").beginObject()
                .field(providerPath + ":sub", subject == null ? "SUBJECT" : subject)
                .field(providerPath + ":aud", "sts.amazonaws.com")
                .endObject().endObject();
        w.endObject();
        return new Diagnosis("STS refused AssumeRoleWithWebIdentity: the trust policy of " + roleArn
                + " does not trust this token (issuer " + (issuer == null ? "?" : issuer) + ", subject "
                + (subject == null ? "?" : subject) + ")",
                "add this statement to the trust policy of " + roleArn + ":\n" + w
                        + "\n(on EKS the subject is system:serviceaccount:NAMESPACE:SERVICE_ACCOUNT)");
    }

    /** InvalidIdentityToken: commonly no IAM OIDC provider for the issuer in the role's account. */
    public static Diagnosis invalidToken(String message, String issuer, String roleArn) {
        return new Diagnosis("STS rejected the web identity token (InvalidIdentityToken: " + message + ")",
                "make sure the account of " + roleArn + " has an IAM OIDC provider for "
                        + (issuer == null ? "the token's issuer" : issuer)
                        + " (aws iam create-open-id-connect-provider --url " + (issuer == null ? "ISSUER" : issuer)
                        + " --client-id-list sts.amazonaws.com; on EKS: eksctl utils associate-iam-oidc-provider)");
    }

    /** ExpiredTokenException: judged by STS's clock, so a node clock far ahead does not cause it. */
    public static Diagnosis tokenExpired(String message) {
        return new Diagnosis("STS says the web identity token has expired (ExpiredTokenException: " + message + ")",
                "projected service account tokens are refreshed by the kubelet: a copied or static token file "
                        + "expires; read the file the pod mounts, not a copy");
    }

    public static Diagnosis exchangeFailed(String roleArn, Diagnosis why) {
        return new Diagnosis("AssumeRoleWithWebIdentity for " + roleArn + " failed: " + why.summary(),
                why.remediation());
    }
}
