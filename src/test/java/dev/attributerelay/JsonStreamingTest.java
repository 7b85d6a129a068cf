package dev.attributerelay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.attributerelay.testing.Fixtures;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Json} reads and writes on jackson-core's streaming API so that no ObjectMapper is built on a cold path; it
 * must read and write exactly as the mapper it replaced, configured as it was. Each case here compares the two:
 * node types and values (BigDecimal's scale too), the plain values' Java types, and the written text.
 */
public class JsonStreamingTest {
    /** The mapper as the relay configured it before: the oracle. */
    private static final ObjectMapper ORACLE = Json.mapper();

    static final List<String> EDGES = List.of(
            "{}", "[]", "{\"a\":1}", "[1, 2.50, -0.0, 1e3, 1E-7, 12345678901234567890123, 2147483648, -2147483649]",
            "{\"a\":1,\"a\":2}", "{\"a\":{\"b\":[{\"c\":null}]},\"a\":\"last\"}",
            "\"text\"", "42", "3.14000", "true", "null", "  {\"pad\" : true }  ",
            "{\"u\":\"\\u00e9\\ud83d\\ude00\\n\\t\\\"\\\\\"}", "{\"lone\":\"\\ud800\"}",
            "{\"big\":1.0000000000000000000000000001,\"zero\":0.000,\"neg\":-12.3400}",
            "{\"max\":9223372036854775807,\"over\":9223372036854775808,\"int\":2147483647}",
            "{\"nested\":[[[[[[1]]]]]],\"empty\":{\"o\":{},\"a\":[]}}");

    static Stream<Path> fixtureJson() throws IOException {
        List<Path> files = new ArrayList<>();
        collect(Fixtures.own(""), ".json", files);
        Fixtures.recordedCorpus().ifPresent(p -> collect(p, ".json", files));
        return files.stream();
    }

    static Stream<Path> yamlFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        collect(Path.of("src", "main", "resources"), ".yaml", files);
        collect(Path.of("src", "test", "resources"), ".yaml", files);
        return files.stream();
    }

    private static void collect(Path root, String suffix, List<Path> into) {
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(p -> p.toString().endsWith(suffix) && Files.isRegularFile(p)).sorted().forEach(into::add);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @MethodSource("fixtureJson")
    void everyFixtureReadsAndWritesAsTheMapperDid(Path file) throws IOException {
        sameAsMapper(Files.readString(file, StandardCharsets.UTF_8));
    }

    @Test
    void edgeCasesReadAndWriteAsTheMapperDid() throws IOException {
        for (String json : EDGES) {
            sameAsMapper(json);
        }
    }

    @ParameterizedTest
    @MethodSource("yamlFiles")
    void yamlReadsAsTheYamlMapperDid(Path file) throws IOException {
        String yaml = Files.readString(file, StandardCharsets.UTF_8);
        JsonNode expected = new YAMLMapper().readTree(yaml);
        JsonNode actual;
        try (JsonParser p = new YAMLFactory().createParser(yaml)) {
            actual = Json.tree(p, false);
        }
        assertSameTree(actual, expected, file.toString());
    }

    @Test
    void yamlScalarsAreTypedAsBefore() throws IOException {
        String yaml = "a: 1\nb: 1.5\nc: true\nd: ~\ne: '1'\nf: 12345678901234567890\ng: [1, x]\n";
        try (JsonParser p = new YAMLFactory().createParser(yaml)) {
            assertSameTree(Json.tree(p, false), new YAMLMapper().readTree(yaml), yaml);
        }
    }

    @Test
    void plainValuesHaveTheMappersJavaTypes() throws IOException {
        Object v = Json.readValue("{\"i\":1,\"l\":4294967296,\"b\":18446744073709551616,\"d\":1.50,\"s\":\"x\","
                + "\"t\":true,\"n\":null,\"a\":[1]}");
        assertThat(v).isInstanceOf(LinkedHashMap.class);
        Map<?, ?> m = (Map<?, ?>) v;
        assertThat(m.get("i")).isEqualTo(1);
        assertThat(m.get("l")).isEqualTo(4294967296L);
        assertThat(m.get("b")).isEqualTo(new BigInteger("18446744073709551616"));
        assertThat(m.get("d")).isEqualTo(new BigDecimal("1.50")); // scale kept: the provider's own digits
        assertThat(m.get("n")).isNull();
        assertThat(m.containsKey("n")).isTrue();
        assertThat(m.get("a")).isEqualTo(List.of(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "{\"a\":1} x", "{\"a\":1}{}", "{", "[1,]", "{'a':1}", "NaN", "01"})
    void whatTheMapperRefusedIsRefused(String json) {
        assertThatThrownBy(() -> ORACLE.readValue(json, Object.class)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> Json.readValue(json)).isInstanceOf(IOException.class);
        if (!json.isBlank()) {
            assertThatThrownBy(() -> ORACLE.readTree(json)).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> Json.readTree(json)).isInstanceOf(IOException.class);
        }
    }

    @Test
    void anEmptyDocumentIsTheMissingNodeAsBefore() throws IOException {
        assertThat(Json.readTree("").getNodeType()).isEqualTo(ORACLE.readTree("").getNodeType())
                .isEqualTo(JsonNodeType.MISSING);
    }

    @Test
    void nestingAndSizesStayBounded() {
        String deep = "[".repeat(201) + "]".repeat(201);
        assertThatThrownBy(() -> Json.readValue(deep)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> Json.readTree(deep)).isInstanceOf(IOException.class);
        String longNumber = "[" + "9".repeat(1001) + "]";
        assertThatThrownBy(() -> Json.readValue(longNumber)).isInstanceOf(IOException.class);
        String longText = "{\"s\":\"" + "x".repeat(2_000_001) + "\"}";
        assertThatThrownBy(() -> Json.readTree(longText)).isInstanceOf(IOException.class);
    }

    @Test
    void anEventEnvelopeMayCarryALongerBodyThanAPayloadString() throws IOException {
        String body = "x".repeat(3_000_000);
        JsonNode event = Json.readEvent(("{\"body\":\"" + body + "\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(event.path("body").textValue()).hasSize(3_000_000);
    }

    @Test
    void asciiWritingEscapesEverythingOutsideAsciiAsTheMapperDid() throws IOException {
        Map<String, Object> value = Map.of("t", "caf\u00e9 \ud83d\ude00 \ud800");
        String expected = ORACLE.writer().with(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII)
                .writeValueAsString(value);
        assertThat(Json.writeAscii(value)).isEqualTo(expected).doesNotContain("\u00e9");
    }

    @Test
    void treesOfPlainValuesAreTheMappersTrees() throws IOException {
        for (String json : EDGES) {
            Object plain = ORACLE.readValue(json, Object.class);
            assertSameTree(Json.toTree(plain), ORACLE.valueToTree(plain), json);
            JsonNode tree = ORACLE.readTree(json);
            assertThat(Json.toValue(tree)).isEqualTo(ORACLE.treeToValue(tree, Object.class));
        }
    }

    private static void sameAsMapper(String json) throws IOException {
        JsonNode expected = ORACLE.readTree(json);
        JsonNode actual = Json.readTree(json);
        assertSameTree(actual, expected, json);
        assertSameTree(Json.readEvent(json.getBytes(StandardCharsets.UTF_8)), expected, json);
        Object expectedValue = ORACLE.readValue(json, Object.class);
        Object actualValue = Json.readValue(json);
        assertSamePlain(actualValue, expectedValue, json);
        assertThat(Json.write(actual)).as(json).isEqualTo(ORACLE.writeValueAsString(expected));
        assertThat(Json.write(actualValue)).as(json).isEqualTo(ORACLE.writeValueAsString(expectedValue));
    }

    /** Node types, and exact values: {@code JsonNode.equals} compares a DecimalNode's BigDecimal with its scale. */
    public static void assertSameTree(JsonNode actual, JsonNode expected, String what) {
        assertThat(actual.getNodeType()).as(what).isEqualTo(expected.getNodeType());
        assertThat(actual.getClass()).as(what).isEqualTo(expected.getClass());
        if (expected.isContainerNode()) {
            assertThat(actual.size()).as(what).isEqualTo(expected.size());
            if (expected.isObject()) {
                Iterator<String> names = expected.fieldNames();
                Iterator<String> actualNames = actual.fieldNames();
                while (names.hasNext()) {
                    String name = names.next();
                    assertThat(actualNames.next()).as(what).isEqualTo(name); // same order
                    assertSameTree(actual.get(name), expected.get(name), what);
                }
            } else {
                for (int i = 0; i < expected.size(); i++) {
                    assertSameTree(actual.get(i), expected.get(i), what);
                }
            }
        } else {
            assertThat(actual).as(what).isEqualTo(expected);
        }
    }

    private static void assertSamePlain(Object actual, Object expected, String what) {
        if (expected == null) {
            assertThat(actual).as(what).isNull();
            return;
        }
        assertThat(actual).as(what).isNotNull();
        assertThat(actual.getClass()).as(what).isEqualTo(expected.getClass());
        if (expected instanceof Map<?, ?> em) {
            Map<?, ?> am = (Map<?, ?>) actual;
            assertThat(new ArrayList<>(am.keySet())).as(what).isEqualTo(new ArrayList<>(em.keySet()));
            em.forEach((k, v) -> assertSamePlain(am.get(k), v, what));
        } else if (expected instanceof List<?> el) {
            List<?> al = (List<?>) actual;
            assertThat(al).as(what).hasSameSizeAs(el);
            for (int i = 0; i < el.size(); i++) {
                assertSamePlain(al.get(i), el.get(i), what);
            }
        } else {
            assertThat(actual).as(what).isEqualTo(expected);
        }
    }
}
