package dev.attributerelay.inbound;

/** The error codes of the HTTP contract, each with the status it answers. */
public enum Failure {
    BAD_REQUEST(400, "bad_request"),
    UNAUTHORIZED(401, "unauthorized"),
    UNKNOWN_INTEGRATION(404, "unknown_integration"),
    METHOD_NOT_ALLOWED(405, "method_not_allowed"),
    PAYLOAD_TOO_LARGE(413, "payload_too_large"),
    UNAVAILABLE(503, "unavailable");

    private final int status;
    private final String code;

    Failure(int status, String code) {
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
