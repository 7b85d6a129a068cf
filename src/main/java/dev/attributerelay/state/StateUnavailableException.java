package dev.attributerelay.state;

/**
 * Applied state could not be read or written now (DynamoDB failing, throttled, out of time, or another delivery for
 * the customer holding it past the deadline). Never a reason to write without the guard: the delivery answers
 * {@code unavailable} and the sender, or the queue, tries again.
 */
public final class StateUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int retryAfterSeconds;

    public StateUnavailableException(String message, int retryAfterSeconds) {
        super(message, null, false, false);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
