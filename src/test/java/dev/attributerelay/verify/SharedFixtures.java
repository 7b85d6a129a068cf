package dev.attributerelay.verify;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The shared fixtures beside the repository (system property {@code shared.dir}, set by surefire). */
final class SharedFixtures {
    private SharedFixtures() {
    }

    /** The sdk fixtures folder; the calling test is skipped, with a message, when it is absent. */
    static Path sdk() {
        String dir = System.getProperty("shared.dir");
        Path sdk = dir == null ? null : Path.of(dir, "fixtures", "sdk");
        assumeTrue(sdk != null && Files.isDirectory(sdk),
                "shared fixtures not found (system property shared.dir = " + dir + "); skipping");
        return sdk;
    }

    static JsonNode json(Path file) {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file minus its single trailing LF, as Paddle's SDK fixtures must be read. */
    static byte[] withoutTrailingLf(Path file) {
        byte[] all = bytes(file);
        if (all.length == 0 || all[all.length - 1] != '\n') {
            throw new AssertionError(file + " does not end with LF");
        }
        return java.util.Arrays.copyOf(all, all.length - 1);
    }
}
