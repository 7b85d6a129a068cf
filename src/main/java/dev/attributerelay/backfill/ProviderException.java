package dev.attributerelay.backfill;

/**
 * The provider's API could not be read: the key was refused, the answer was not what its documentation says, or
 * it stayed unavailable through every retry. A backfill stops on it; its state file lets a later run resume.
 * The message names the status and the provider's own error text, never the key.
 */
public final class ProviderException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    public ProviderException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    /** HTTP status, or 0 when no answer arrived. */
    public int status() {
        return status;
    }
}
