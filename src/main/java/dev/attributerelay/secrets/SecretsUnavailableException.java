package dev.attributerelay.secrets;

/** The secrets could not be read, or lack a key relay.yaml names. Deliveries answer 503 until it is fixed. */
public final class SecretsUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SecretsUnavailableException(String message) {
        super(message, null, false, false);
    }
}
