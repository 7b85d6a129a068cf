package dev.attributerelay.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The shared fixtures (recorded ChartMogul exchanges, provider captures), found through {@code shared.dir}. */
public final class Fixtures {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {
    }

    public static Path shared() {
        String dir = System.getProperty("shared.dir", "../shared");
        Path p = Path.of(dir, "fixtures");
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("shared fixtures not found at " + p.toAbsolutePath()
                    + "; run the tests with -Dshared.dir=<the shared folder>");
        }
        return p.getParent();
    }

    public static Path path(String relative) {
        return shared().resolve("fixtures").resolve(relative);
    }

    public static JsonNode json(String relative) {
        try {
            return JSON.readTree(path(relative).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A recorded ChartMogul exchange, e.g. {@code chartmogul/search_by_email_404.json}. */
    public static JsonNode chartmogul(String name) {
        return json("chartmogul/" + name + ".json");
    }
}
