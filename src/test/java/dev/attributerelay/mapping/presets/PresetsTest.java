package dev.attributerelay.mapping.presets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attributerelay.mapping.ConfigException;
import dev.attributerelay.mapping.ConfigLoader;
import dev.attributerelay.mapping.Integration;
import dev.attributerelay.mapping.Rule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every bundled preset loads, agrees with the others on what an attribute means, and is on the reference page. */
class PresetsTest {
    static final List<String> PRESETS = List.of("stripe", "paddle", "chargebee", "hubspot", "intercom", "shopify",
            "customerio", "mailchimp");

    static Stream<String> presets() {
        return PRESETS.stream();
    }

    static Integration load(String preset, String... settings) {
        StringBuilder yaml = new StringBuilder("integrations:\n  app:\n    verify: { scheme: none, allow_unsigned: true }\n")
                .append("    preset: ").append(preset).append('\n');
        for (String s : settings) {
            yaml.append("    ").append(s).append('\n');
        }
        return ConfigLoader.parse("relay.yaml", yaml.toString()).integration("app");
    }

    static String docs() {
        try {
            return Files.readString(Path.of("docs", "presets.md"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The reference page's section for a preset: from its heading to the next one. */
    static String docsSection(String preset) {
        for (String section : docs().split("\n## ")) {
            if (section.contains("`preset: " + preset + "`")) {
                return section;
            }
        }
        throw new AssertionError("docs/presets.md has no section saying `preset: " + preset + "`");
    }

    @Test
    void theBundledPresetsAreExactlyTheOnesTestedHere() throws IOException {
        TreeSet<String> files = new TreeSet<>();
        try (Stream<Path> list = Files.list(Path.of("src", "main", "resources", "presets"))) {
            list.forEach(p -> files.add(p.getFileName().toString()));
        }
        TreeSet<String> expected = new TreeSet<>();
        PRESETS.forEach(p -> expected.add(p + ".yaml"));
        assertThat(files).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("presets")
    void everyPresetLoadsIntoAnIntegrationWithItsEventFields(String preset) {
        Integration i = load(preset);

        assertThat(i.rules()).isNotEmpty();
        assertThat(i.rules()).allSatisfy(r -> assertThat(r.name()).startsWith("preset " + preset + " events["));
        assertThat(i.event().type()).as("every preset says where the event type is").isNotNull();
    }

    @ParameterizedTest
    @MethodSource("presets")
    void theIntegrationsOwnRulesComeAfterThePresets(String preset) {
        Integration plain = load(preset);
        Integration extended = load(preset, "events:", "  - customer: { email: email }",
                "    attributes: { extra: { type: String, value: extra } }");

        assertThat(extended.rules()).hasSize(plain.rules().size() + 1);
        assertThat(extended.rules().get(extended.rules().size() - 1).name()).isEqualTo("events[0]");
    }

    @Test
    void theIntegrationsDataSourceNarrowsEveryExternalIdRuleOfAPreset() {
        for (String preset : List.of("stripe", "paddle", "chargebee")) {
            Integration i = load(preset, "data_source_uuid: ds_123");
            assertThat(i.rules()).as(preset).allSatisfy(r -> {
                assertThat(r.customer().kind()).isEqualTo(Rule.CustomerSpec.Kind.EXTERNAL_ID);
                assertThat(r.customer().dataSourceUuid()).isEqualTo("ds_123");
            });
        }
    }

    @Test
    void marketingToolsIdentifyCustomersByEmail() {
        for (String preset : List.of("hubspot", "intercom", "shopify", "customerio", "mailchimp")) {
            assertThat(load(preset).rules()).as(preset)
                    .allSatisfy(r -> assertThat(r.customer().kind()).isEqualTo(Rule.CustomerSpec.Kind.EMAIL));
        }
    }

    @Test
    void anUnknownPresetNameFailsTheLoadNamingIt() {
        assertThatThrownBy(() -> load("recurly"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("no bundled preset named 'recurly'");
    }

    @Test
    void anAttributeKeyHasOneTypeAcrossAllPresets() {
        Map<String, TreeSet<String>> types = new TreeMap<>();
        for (String preset : PRESETS) {
            for (Rule r : load(preset).rules()) {
                for (Rule.AttributeSpec a : r.attributes()) {
                    types.computeIfAbsent(a.key(), k -> new TreeSet<>()).add(a.type().name());
                }
            }
        }
        List<String> conflicts = new ArrayList<>();
        types.forEach((key, t) -> {
            if (t.size() > 1) {
                conflicts.add(key + " " + t);
            }
        });
        assertThat(conflicts).isEmpty();
        // the shared vocabulary is really shared
        assertThat(types).containsEntry("subscription_status", new TreeSet<>(List.of("String")))
                .containsEntry("seats", new TreeSet<>(List.of("Integer")))
                .containsEntry("marketing_consent", new TreeSet<>(List.of("Boolean")));
    }

    @ParameterizedTest
    @MethodSource("presets")
    void theReferencePageListsEveryAttributeWithItsTypeAndPath(String preset) {
        String section = docsSection(preset);
        for (Rule r : load(preset).rules()) {
            for (Rule.AttributeSpec a : r.attributes()) {
                String row = "| `" + a.key() + "` | " + a.type().name() + " |";
                assertThat(section).as(preset + " documents " + a.key()).contains(row);
                String source = a.value().source();
                if (!source.contains(" ")) {
                    // a plain path is quoted as written
                    assertThat(section).as(preset + " gives the path of " + a.key()).contains("`" + source + "`");
                }
            }
        }
    }
}
