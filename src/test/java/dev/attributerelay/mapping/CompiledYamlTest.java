package dev.attributerelay.mapping;

import static dev.attributerelay.JsonStreamingTest.assertSameTree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.attributerelay.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build's YAML trees stand in for a parse only for the very text they came from, and are that parse; the texts
 * it compiled with JSONata are compiled on first use, every other text at once.
 */
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
        // of the kept file's texts, the one JSONata compiles; the broken file's texts are not looked at
        assertThat(written.path("compiling")).extracting(JsonNode::textValue).containsExactly("type = 'x'");
    }

    @Test
    void theBuildKeepsOnlyTextsJsonataCompiles(@TempDir Path classes) throws IOException {
        Files.writeString(classes.resolve("relay.yaml"), "integrations:\n  a:\n    source: a\n    events:\n"
                + "      - when: type in ['x', 'y']\n        customer: { external_id: 'data.(id' }\n"
                + "        note: 'Customers, their plans & seats'\n");

        CompiledYaml.main(new String[] {classes.toString()});

        JsonNode written = Json.readTree(Files.readString(classes.resolve(CompiledYaml.RESOURCE)));
        assertThat(written.path("compiling")).extracting(JsonNode::textValue)
                .containsExactlyInAnyOrder("a", "type in ['x', 'y']")
                .doesNotContain("data.(id", "Customers, their plans & seats");
    }

    @Test
    void theBundledExpressionsAreLeftForFirstUseAndCompileThen() throws IOException {
        RelayConfig config = ConfigLoader.parse("relay.yaml", resource("relay.yaml"));
        List<Expression> all = config.integrations().values().stream().flatMap(Integration::expressions).toList();
        assertThat(all).hasSizeGreaterThan(50);
        assertThat(all).as("compiled at init").noneMatch(Expression::isCompiled);
        all.forEach(Expression::prepare);
        assertThat(all).allMatch(Expression::isCompiled);
    }

    @Test
    void aTextTheBuildDidNotCompileIsCompiledAtOnceAndFailsThere() {
        assertThat(CompiledYaml.compiles("data.object.metadata.not_in_any_shipped_file")).isFalse();
        assertThat(Expression.compile("data.object.metadata.not_in_any_shipped_file").isCompiled()).isTrue();
        assertThatThrownBy(() -> Expression.compile("data.(object")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("JSONata does not compile");
    }

    @Test
    void aTextLeftForFirstUseAnswersAsJsonataDoes() {
        String source = "data.object.metadata.plan";
        assertThat(CompiledYaml.compiles(source)).as("a text of presets/stripe.yaml").isTrue();
        Expression lazy = Expression.compile(source);
        assertThat(lazy.isCompiled()).isFalse();
        Map<String, Object> input = Map.of("data", Map.of("object", Map.of("metadata", Map.of("plan", "pro"))));
        assertThat(lazy.evaluateWithJsonata(input, new Expression.Bindings(Map.of(), Map.of()))).isEqualTo("pro");
        assertThat(lazy.isCompiled()).isTrue();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = CompiledYamlTest.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
