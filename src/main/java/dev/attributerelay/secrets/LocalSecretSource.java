package dev.attributerelay.secrets;

/** The secret JSON given directly: {@code RELAY_SECRETS}, or a file, for local runs without Secrets Manager. */
public final class LocalSecretSource implements SecretSource {
    private final String value;
    private final String describe;

    public LocalSecretSource(String value, String describe) {
        this.value = value;
        this.describe = describe;
    }

    @Override
    public String read() {
        if (value == null || value.isBlank()) {
            throw new SecretsUnavailableException(describe + " is empty");
        }
        return value;
    }

    @Override
    public String describe() {
        return describe;
    }
}
