package dev.attributerelay.secrets;

/** Where the secret JSON lives: Secrets Manager when deployed, an environment variable in local runs. */
public interface SecretSource {

    /**
     * The secret's text, read now (callers cache).
     *
     * @throws SecretsUnavailableException when it cannot be read; the message names the secret, never its value
     */
    String read();

    /** For logs and messages: which secret, never its value. */
    String describe();
}
