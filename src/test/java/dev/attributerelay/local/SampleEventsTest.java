package dev.attributerelay.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every sample in events/ verifies with the bundled config and sample secrets and is applied (dry run). */
class SampleEventsTest {

    @TestFactory
    Stream<DynamicTest> everySampleIsAppliedWithTheBundledConfiguration() throws IOException {
        List<Path> samples;
        try (Stream<Path> files = Files.list(Path.of("events"))) {
            samples = files.filter(p -> p.toString().endsWith(".json") && !p.getFileName().toString().equals("local-secrets.json"))
                    .sorted().toList();
        }
        assertThat(samples).hasSizeGreaterThanOrEqualTo(10);
        return samples.stream().map(sample -> DynamicTest.dynamicTest(sample.getFileName().toString(), () -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int code = Cli.run(new String[] {"invoke", sample.toString(), "--secrets", "events/local-secrets.json"},
                    Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
            String printed = out.toString(StandardCharsets.UTF_8);
            assertThat(code).as(printed).isZero();
            assertThat(printed).contains("PUT https://api.chartmogul.com/v1/customers/").contains("\"source\":\"");
        }));
    }
}
