package dev.attributerelay.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Small pieces the harnesses share: reading JSON log lines, stopping a child JVM. */
public final class TestSupport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestSupport() {
    }

    /** Every non-blank line as JSON; a line that is not JSON fails the test. */
    public static List<JsonNode> jsonLines(String text) {
        List<JsonNode> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                try {
                    out.add(JSON.readTree(line));
                } catch (IOException e) {
                    throw new AssertionError("log line is not JSON: " + line, e);
                }
            }
        }
        return out;
    }

    /** The most timestamps (nanoseconds, sorted ascending) that fall within any one second. */
    public static int maxInAnySecond(List<Long> sortedNanos) {
        int peak = 0;
        int from = 0;
        for (int to = 0; to < sortedNanos.size(); to++) {
            while (sortedNanos.get(to) - sortedNanos.get(from) >= 1_000_000_000L) {
                from++;
            }
            peak = Math.max(peak, to - from + 1);
        }
        return peak;
    }

    /** Asks the process to end, then forces it after {@code graceSeconds}; never leaves it running. */
    public static void stop(Process process, int graceSeconds) {
        process.destroy();
        try {
            if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(graceSeconds, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The pseudonym log lines give a customer reference key when the secret's API key is {@code apiKey}. */
    public static String pseudonym(String apiKey, String refKey) {
        String key = dev.attributerelay.CustomerPseudonyms.keyOf(dev.attributerelay.secrets.RelaySecrets.parse(
                "{\"chartmogul_api_key\":\"" + apiKey + "\"}", "test"));
        return new dev.attributerelay.CustomerPseudonyms(() -> key).of(refKey);
    }
}
