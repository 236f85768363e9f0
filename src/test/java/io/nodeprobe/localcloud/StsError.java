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
