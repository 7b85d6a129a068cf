package dev.attributerelay.mapping;

/** relay.yaml does not parse or validate; the message names the file, integration, rule and field. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
