package dev.attributerelay.chartmogul;

/**
 * ChartMogul answered with an error, or could not be reached. One type for all three error-body shapes.
 *
 * @see ErrorBody
 */
public final class ChartMogulException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Status used when no HTTP answer arrived (connection refused, reset, timed out). */
    public static final int NO_RESPONSE = 0;

    private final int status;
    private final String requestId;
    private final boolean mayPass;
    private final int retryAfterSeconds;

    public ChartMogulException(int status, String message, String requestId, boolean mayPass, int retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.requestId = requestId;
        this.mayPass = mayPass;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** HTTP status, or {@link #NO_RESPONSE}. */
    public int status() {
        return status;
    }

    /** ChartMogul's {@code X-Request-Id}, for support tickets; may be null. */
    public String requestId() {
        return requestId;
    }

    /** Whether trying again later may succeed (429, 5xx, no response, 401 after a key rotation). */
    public boolean mayPass() {
        return mayPass;
    }

    /** Suggested wait before a redelivery, whole seconds. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
