package dev.attributerelay.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Test data from two places. The project's own fixtures ({@code src/test/resources/fixtures}, written from the
 * providers' and ChartMogul's documented formats) are always there. The recorded third-party corpus
 * ({@code <shared.dir>/fixtures}, default {@code ../shared}) is a conformance extra: a test that reads it is
 * skipped, with one message naming the folder, when it is absent.
 */
public final class Fixtures {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {
    }

    /** The project's own fixture {@code fixtures/<relative>} on the test classpath. */
    public static Path own(String relative) {
        URL url = Fixtures.class.getResource("/fixtures/" + relative);
        if (url == null) {
            throw new IllegalArgumentException("no fixture src/test/resources/fixtures/" + relative);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode ownJson(String relative) {
        return read(own(relative));
    }

    /** The project's own ChartMogul exchange, e.g. {@code search_by_email_404}. */
    public static JsonNode chartmogul(String name) {
        return ownJson("chartmogul/" + name + ".json");
    }

    /** The recorded corpus folder, when it is there. */
    public static Optional<Path> recordedCorpus() {
        Path p = corpusFolder();
        return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
    }

    /** A file of the recorded corpus; the calling test is skipped when the corpus is absent. */
    public static Path recorded(String relative) {
        Path folder = corpusFolder();
        assumeTrue(Files.isDirectory(folder), skipMessage());
        return folder.resolve(relative);
    }

    public static JsonNode recordedJson(String relative) {
        return read(recorded(relative));
    }

    /** The one message every skipped conformance test gives. */
    public static String skipMessage() {
        return "recorded third-party corpus not found at " + corpusFolder().toAbsolutePath().normalize()
                + ": conformance test skipped (put the shared folder beside the checkout as ../shared, "
                + "or run with -Dshared.dir=<folder holding fixtures/>)";
    }

    private static Path corpusFolder() {
        String dir = System.getProperty("shared.dir");
        return Path.of(dir == null || dir.isBlank() ? "../shared" : dir, "fixtures");
    }

    public static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
