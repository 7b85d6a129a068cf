package dev.attributerelay.mapping;

import static dev.attributerelay.JsonStreamingTest.assertSameTree;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.attributerelay.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build's YAML trees stand in for a parse only for the very text they came from, and are that parse. */
class CompiledYamlTest {
    static final List<String> SHIPPED = List.of("relay.yaml", "presets/stripe.yaml", "presets/paddle.yaml",
            "presets/chargebee.yaml", "presets/hubspot.yaml", "presets/intercom.yaml", "presets/shopify.yaml",
            "presets/customerio.yaml", "presets/mailchimp.yaml");

    @Test
    void everyShippedFileIsKeptAsExactlyTheTreeTheYamlParserGives() throws IOException {
        for (String resource : SHIPPED) {
            String yaml = resource(resource);
            JsonNode kept = CompiledYaml.lookup(yaml);
            assertThat(kept).as(resource + " kept by the build (pom.xml, process-classes)").isNotNull();
            assertSameTree(kept, ConfigLoader.readYaml(yaml), resource);
        }
    }

    @Test
    void anyOtherTextIsParsedAsBefore() throws IOException {
        String edited = resource("relay.yaml") + "\n# edited after the build\n";
        assertThat(CompiledYaml.lookup(edited)).isNull();
        RelayConfig config = ConfigLoader.parse("relay.yaml", edited);
        assertThat(config.integrations().keySet())
                .isEqualTo(ConfigLoader.parse("relay.yaml", resource("relay.yaml")).integrations().keySet());
    }

    @Test
    void aLookupIsTheCallersToChange() throws IOException {
        String yaml = resource("relay.yaml");
        ((ObjectNode) CompiledYaml.lookup(yaml)).remove("integrations");
        assertThat(CompiledYaml.lookup(yaml).has("integrations")).isTrue();
    }

    @Test
    void valuesJsonWouldNotHoldExactlyAreNotKept() throws IOException {
        assertThat(CompiledYaml.keepsAsJson(ConfigLoader.readYaml("a: [1, 2.5, x, true, ~, 12345678901234567890]")))
                .isTrue();
        assertThat(CompiledYaml.keepsAsJson(ConfigLoader.readYaml("a: !!binary aGVsbG8="))).isFalse();
    }

    @Test
    void theBuildStepKeepsValidFilesAndLeavesBrokenOnesToTheParser(@TempDir Path classes) throws IOException {
        Files.writeString(classes.resolve("relay.yaml"), "integrations:\n  a: [unclosed\n");
        Files.createDirectories(classes.resolve("presets"));
        String preset = "events:\n  - when: type = 'x'\n    ratio: 0.25\n";
        Files.writeString(classes.resolve("presets").resolve("p.yaml"), preset);

        CompiledYaml.main(new String[] {classes.toString()});

        JsonNode written = Json.readTree(Files.readString(classes.resolve(CompiledYaml.RESOURCE)));
        assertThat(written.path("documents")).hasSize(1);
        assertThat(written.path("documents").get(0).path("yaml").asText()).isEqualTo(preset);
        assertThat(written.path("documents").get(0).path("tree").path("events").get(0).path("ratio").asDouble())
                .isEqualTo(0.25);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = CompiledYamlTest.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
