package dev.attributerelay.mapping;

import java.util.List;

/**
 * relay.yaml does not parse or validate. Each problem names the file, integration, rule and field; the message
 * is every problem found, one a line, so one run of {@code check-config} shows them all.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public ConfigException(String message) {
        super(message);
        this.problems = List.of(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
        this.problems = List.of(message);
    }

    /** Several problems at once (at least one). */
    public ConfigException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
