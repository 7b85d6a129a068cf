package dev.attributerelay.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.attributerelay.Json;
import dev.attributerelay.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Plain field paths are walked without JSONata; the answer must be JSONata's, always. */
class ExpressionTest {
    private static final ObjectMapper JSON = Json.mapper();
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Expression.Bindings NONE = new Expression.Bindings(Map.of(), Map.of());

    @Test
    void everyPlainPathThroughEveryProviderCaptureAnswersAsJsonataDoes() throws IOException {
        // the project's own payloads always; the recorded captures too when the shared corpus is there
        List<Path> files = new ArrayList<>();
        List<Path> roots = new ArrayList<>(List.of(Fixtures.own("stripe").getParent()));
        Fixtures.recordedCorpus().ifPresent(corpus -> roots.add(corpus.resolve("providers")));
        for (Path root : roots) {
            try (Stream<Path> s = Files.walk(root)) {
                s.filter(p -> p.toString().endsWith(".json") && !p.toString().contains("chartmogul")
                        && !p.toString().contains("apigw")).forEach(files::add);
            }
        }
        int compared = 0;
        for (Path file : files) {
            JsonNode root = JSON.readTree(file.toFile());
            // a recorded capture is {headers, body}; the project's own fixtures are the body itself
            Object payload = JSON.readValue((root.has("body") && root.has("headers") ? root.get("body") : root).toString(),
                    Object.class);
            List<String> paths = new ArrayList<>();
            collect(payload, "", 0, paths);
            for (String p : paths) {
                List<String> exprs = new ArrayList<>(List.of(p, p + ".missing", p + ".missing.deeper",
                        p + " in [\"customer.updated\", 'x']", p + ".missing in ['x']", p + " in []"));
                Object value = Expression.compile(p).evaluateWithJsonata(payload, NONE);
                if (value instanceof String s && !s.contains("\"") && !s.contains("\\")) {
                    exprs.add(p + " in [\"other\", \"" + s + "\"]");
                    exprs.add(p + "  in  [ \"" + s + "\" ]");
                }
                for (String expr : exprs) {
                    assertSameAsJsonata(expr, payload, file.getFileName() + ": " + expr);
                    compared++;
                }
            }
        }
        assertThat(compared).isGreaterThan(500);
    }

    @Test
    void nullsArraysNumbersAndKeywordsAnswerAsJsonataDoes() throws IOException {
        Object payload = JSON.readValue("""
                {"a": null, "s": "text", "t": true, "f": false, "n": 12, "d": 99.50, "big": 12345678901234567890,
                 "list": [{"x": "1"}, {"x": "2"}], "one": [{"x": "only"}], "empty": [], "o": {"in": "kw", "x": {}},
                 "nested": {"list": ["p", "q"], "s": "deep"}}""", Object.class);
        for (String expr : List.of("a", "a.b", "s", "s.length", "t", "f", "n", "d", "big", "list", "list.x", "one.x",
                "empty", "empty.x", "o", "o.x", "o.x.y", "nested.list", "nested.s", "missing", "missing.x", "true",
                "null", "false", "s in [\"text\"]", "s in ['x', \"text\"]", "s in ['x']", "a in ['x']", "missing in ['x']",
                "n in [\"12\"]", "t in [\"true\"]", "list.x in [\"1\"]", "one.x in [\"only\"]", "o in [\"x\"]",
                "o.in in [\"kw\"]", "s in [\"te\\\"xt\"]", "true in [\"x\"]")) {
            assertSameAsJsonata(expr, payload, expr);
        }
        assertSameAsJsonata("s", List.of(Map.of("s", "in a list")), "a list at the root");
        assertSameAsJsonata("s", "a string at the root", "a string at the root");
    }

    private static void assertSameAsJsonata(String expr, Object payload, String what) {
        Expression e = Expression.compile(expr);
        Object jsonata;
        try {
            jsonata = e.evaluateWithJsonata(payload, NONE);
        } catch (Expression.EvaluationException ex) {
            jsonata = ex.getMessage();
        }
        Object fast;
        try {
            fast = e.evaluate(payload, NONE);
        } catch (Expression.EvaluationException ex) {
            fast = ex.getMessage();
        }
        assertThat(fast).as(what).isEqualTo(jsonata);
    }

    @SuppressWarnings("unchecked")
    private static void collect(Object node, String prefix, int depth, List<String> out) {
        if (depth > 6) {
            return;
        }
        if (node instanceof Map<?, ?> m) {
            for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) {
                if (NAME.matcher(e.getKey()).matches()) {
                    String p = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
                    out.add(p);
                    collect(e.getValue(), p, depth + 1, out);
                }
            }
        } else if (node instanceof List<?> l && !l.isEmpty()) {
            collect(l.get(0), prefix, depth + 1, out);
        }
    }

    @Test
    void aFailureMessageNeverQuotesTheValueItCouldNotUse() {
        Expression e = Expression.compile("$number(seats)");
        assertThatThrownBy(() -> e.evaluateWithJsonata(java.util.Map.of("seats", "twelve-private"),
                new Expression.Bindings(null, null)))
                .isInstanceOf(Expression.EvaluationException.class)
                .hasMessageStartingWith("`$number(seats)` failed")
                .hasMessageNotContaining("twelve-private");
    }
}
