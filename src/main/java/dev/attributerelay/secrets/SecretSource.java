package dev.attributerelay.secrets;

/** Where the secret JSON lives: Secrets Manager when deployed, an environment variable in local runs. */
public interface SecretSource {

    /**
     * The secret's text, read now (callers cache).
     *
     * @throws SecretsUnavailableException when it cannot be read; the message names the secret, never its value
     */
    String read();

    /**
     * The secret's text, read within {@code timeout}.
     *
     * @throws SecretsUnavailableException when it cannot be read in time
     */
    default String read(java.time.Duration timeout) {
        return read();
    }

    /** For logs and messages: which secret, never its value. */
    String describe();

    /**
     * Builds what {@link #read()} needs (an SDK client) without reading anything, so that work can happen at
     * init, off the first request's path and out of any SnapStart snapshot's secrets.
     */
    default void prepare() {
    }
}
