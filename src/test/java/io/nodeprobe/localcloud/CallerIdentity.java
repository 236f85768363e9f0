package io.nodeprobe.localcloud;

/** What sts:GetCallerIdentity says about the credentials that signed the request. */
public record CallerIdentity(String arn, String userId, String account) {

    /** An instance-profile session: EC2 names it after the instance id. */
    static CallerIdentity assumedRole(String account, String roleName, String sessionName) {
        return new CallerIdentity("arn:aws:sts::" + account + ":assumed-role/" + roleName + "/" + sessionName,
                AwsIds.uniqueId("AROA", account + ":" + roleName) + ":" + sessionName, account);
    }
}
