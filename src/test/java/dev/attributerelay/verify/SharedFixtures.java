package dev.attributerelay.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attributerelay.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The recorded SDK vectors and captures of the shared corpus; see {@link Fixtures#recorded}. */
final class SharedFixtures {
    private SharedFixtures() {
    }

    /** The sdk fixtures folder; the calling test is skipped, with the corpus message, when it is absent. */
    static Path sdk() {
        return Fixtures.recorded("sdk");
    }

    static JsonNode json(Path file) {
        return Fixtures.read(file);
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
