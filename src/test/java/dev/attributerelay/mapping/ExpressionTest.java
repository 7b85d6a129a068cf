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

/** Shapes answered without JSONata (paths, tests, choices, a few functions): the answer must be JSONata's, always. */
class ExpressionTest {
    private static final ObjectMapper JSON = Json.mapper();
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Expression.Bindings NONE = new Expression.Bindings(Map.of(), Map.of());

    @Test
    void everyPlainPathThroughEveryProviderCaptureAnswersAsJsonataDoes() throws IOException {
        int compared = 0;
        for (Payload payload : providerPayloads()) {
            List<String> paths = new ArrayList<>();
            collect(payload.body(), "", 0, paths);
            for (String p : paths) {
                List<String> exprs = new ArrayList<>(List.of(p, p + ".missing", p + ".missing.deeper",
                        p + " in [\"customer.updated\", 'x']", p + ".missing in ['x']", p + " in []"));
                Object value = Expression.compile(p).evaluateWithJsonata(payload.body(), NONE);
                if (value instanceof String s && !s.contains("\"") && !s.contains("\\")) {
                    exprs.add(p + " in [\"other\", \"" + s + "\"]");
                    exprs.add(p + "  in  [ \"" + s + "\" ]");
                }
                for (String expr : exprs) {
                    assertSameAsJsonata(expr, payload.body(), payload.name() + ": " + expr);
                    compared++;
                }
            }
        }
        assertThat(compared).isGreaterThan(500);
    }

    @Test
    void everyShortcutShapeOverEveryPathOfEveryProviderCaptureAnswersAsJsonataDoes() throws IOException {
        int compared = 0;
        int answered = 0;
        for (Payload payload : providerPayloads()) {
            List<String> paths = new ArrayList<>();
            collect(payload.body(), "", 0, paths);
            for (String p : paths) {
                List<String> exprs = new ArrayList<>(shapes(p));
                Object value = Expression.compile(p).evaluateWithJsonata(payload.body(), NONE);
                if (value instanceof String s && !s.contains("\"") && !s.contains("\\")) {
                    exprs.add(p + " = \"" + s + "\"");
                    exprs.add(p + " != \"" + s + "\" ? \"differs\" : \"same\"");
                }
                for (String expr : exprs) {
                    assertSameAsJsonata(expr, payload.body(), payload.name() + ": " + expr);
                    compared++;
                    if (Expression.compile(expr).hasShortcut()) {
                        answered++;
                    } else if (readable(p)) {
                        throw new AssertionError(payload.name() + ": no shortcut for " + expr);
                    }
                }
            }
        }
        assertThat(compared).isGreaterThan(5_000);
        assertThat(answered).as("expressions read as shortcuts").isGreaterThan(compared * 9 / 10);
    }

    /** Every expression of every bundled preset, over every provider payload: the preset's own shapes. */
    @Test
    void everyBundledPresetExpressionOverEveryProviderCaptureAnswersAsJsonataDoes() throws IOException {
        List<Expression> expressions = new ArrayList<>();
        for (Integration integration : ConfigLoader.loadBundled().integrations().values()) {
            Integration.EventFields fields = integration.event();
            for (Expression e : new Expression[] {fields.id(), fields.type(), fields.time()}) {
                if (e != null) {
                    expressions.add(e);
                }
            }
            for (Rule rule : integration.rules()) {
                expressions.add(rule.when());
                if (rule.each() != null) {
                    expressions.add(rule.each());
                }
                expressions.add(rule.customer().value());
                rule.attributes().forEach(a -> expressions.add(a.value()));
            }
        }
        int compared = 0;
        for (Payload payload : providerPayloads()) {
            for (Expression e : expressions) {
                assertSameAsJsonata(e.source(), payload.body(), payload.name() + ": " + e.source());
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(1_000);
        // the shapes the Stripe and Paddle presets rely on are the shortcut's, not the interpreter's
        for (String source : List.of("$contains(type, /^customer\\.subscription\\./)",
                "$type(data.object.currency) = \"string\" ? $uppercase(data.object.currency)",
                "type = \"checkout.session.completed\" and $type(data.object.customer) = \"string\"",
                "$contains(event_type, /^subscription\\./)",
                "data.status != \"canceled\" and data.scheduled_change.action = \"cancel\"")) {
            assertThat(expressions).as(source).anyMatch(e -> e.source().equals(source));
            assertThat(Expression.compile(source).hasShortcut()).as(source).isTrue();
        }
    }

    /** Whether every step of the path is a name the shortcut reads (JSONata's keywords are not). */
    private static boolean readable(String path) {
        for (String step : path.split("\\.")) {
            if (List.of("true", "false", "null", "and", "or", "in", "function").contains(step.replace("[0]", ""))) {
                return false;
            }
        }
        return true;
    }

    /** The shortcut's shapes around one path, for the comparisons above and below. */
    private static List<String> shapes(String p) {
        return List.of("$type(" + p + ")", "$type(" + p + ") = \"string\"", "$type(" + p + ") = 'null'",
                "$exists(" + p + ")", "$exists(" + p + ".missing)", "$uppercase(" + p + ")", "$lowercase(" + p + ")",
                "$contains(" + p + ", /^cus_/)", "$contains(" + p + ", /\\./)", "$contains(" + p + ", /sub-\\/x:y/)",
                "$contains(" + p + ", \"_\")", p + " = \"x\"", p + " != \"x\"", p + " = true", p + " != false",
                p + " = " + p, p + " ? " + p + " : \"none\"", p + " ? \"yes\"",
                "$type(" + p + ") = \"string\" ? $uppercase(" + p + ")", p + " and " + p + ".missing",
                p + " or \"x\"", p + ".missing or " + p, "(" + p + ")", "(" + p + " = 'a') ? true : (" + p
                        + " = 'b' ? false)", "$exists(" + p + ") ? " + p + " : 'gone'",
                "$type(" + p + ") in ['number', \"boolean\"]", p + " = 'x' or " + p + " != 'y' and " + p);
    }

    /** The project's own payloads always; the recorded captures too when the shared corpus is there. */
    private static List<Payload> providerPayloads() throws IOException {
        List<Path> files = new ArrayList<>();
        List<Path> roots = new ArrayList<>(List.of(Fixtures.own("stripe").getParent()));
        Fixtures.recordedCorpus().ifPresent(corpus -> roots.add(corpus.resolve("providers")));
        for (Path root : roots) {
            try (Stream<Path> s = Files.walk(root)) {
                s.filter(p -> p.toString().endsWith(".json") && !p.toString().contains("chartmogul")
                        && !p.toString().contains("apigw")).forEach(files::add);
            }
        }
        List<Payload> out = new ArrayList<>();
        for (Path file : files) {
            JsonNode root = JSON.readTree(file.toFile());
            // a recorded capture is {headers, body}; the project's own fixtures are the body itself
            out.add(new Payload(file.getFileName().toString(), JSON.readValue((root.has("body") && root.has("headers")
                    ? root.get("body") : root).toString(), Object.class)));
        }
        assertThat(out).hasSizeGreaterThan(20);
        return out;
    }

    private record Payload(String name, Object body) {
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

    @Test
    void shortcutShapesOverNullsArraysNumbersAndTruthinessAnswerAsJsonataDoes() throws IOException {
        Object payload = JSON.readValue("""
                {"a": null, "s": "text", "e": "", "u": "mIxEd ß", "t": true, "f": false, "n": 12, "z": 0, "d": 99.50,
                 "tiny": 1e-400, "neg": -0.0, "big": 12345678901234567890, "list": [{"x": "1"}, {"x": "2"}],
                 "one": [{"x": "only"}], "empty": [], "nulls": [null], "nested_list": [["a"], ["b"]],
                 "scalars": ["p", "q"], "o": {"in": "kw", "x": {}}, "eo": {},
                 "type": "customer.subscription.updated", "nested": {"list": ["p", "q"], "s": "deep"}}""",
                Object.class);
        List<String> paths = List.of("a", "a.b", "s", "s.length", "e", "u", "t", "f", "n", "z", "d", "tiny", "neg",
                "big", "list", "list.x", "list[0]", "list[0].x", "list[1].x", "list[2].x", "one.x", "one[0].x",
                "empty", "empty[0]", "empty[0].x", "nulls", "nulls[0]", "nested_list[0]", "scalars[1]", "s[0]",
                "a[0]", "missing[0]", "o", "o.x", "o.x.y", "eo", "nested.list", "nested.list[0]", "nested.s",
                "missing", "missing.x", "type");
        for (String p : paths) {
            for (String expr : shapes(p)) {
                assertSameAsJsonata(expr, payload, expr);
            }
        }
        for (String expr : List.of("$contains(type, /^customer\\.subscription\\./)", "$contains(type, /^subscription\\./)",
                "$contains(type, /subscription\\./)", "$contains(type, /^customer\\.subscription\\.updated/)",
                "\"a\" = \"a\"", "'a' != \"a\"", "true and false", "true or missing", "false ? 'x' : 'y'",
                "s ? (t ? n : d) : z", "z ? 'zero is true' : 'zero is false'", "e ? 'x' : 'empty text is false'",
                "tiny ? 'x' : 'y'", "n = 12", "d = d", "a = a", "a != a", "a = missing", "big = big",
                "$type(a) = 'null' and $exists(a)", "s = 'text' ? $uppercase(u) : $lowercase(u)")) {
            assertSameAsJsonata(expr, payload, expr);
        }
        // JSONata maps over a list at the root: never answered by the shortcut, always the same answer
        for (String expr : shapes("s")) {
            assertSameAsJsonata(expr, List.of(Map.of("s", "in a list")), "at a root list: " + expr);
            assertSameAsJsonata(expr, "a string at the root", "at a root string: " + expr);
        }
    }

    @Test
    void shapesBeyondTheShortcutAreLeftToJsonata() {
        for (String source : List.of("$contains(type, /^customer.subscription/)", "$contains(type, /updated$/)",
                "$contains(type, /^customer/i)", "$contains(type, /[a-z]+/)", "$contains(type, /a|b/)",
                "$contains(type, /\\w/)", "\"te\\\"xt\" = type", "$event.type = 'x'", "$string(n) = '12'",
                "type = 'a' ?: 'b'", "n = 12", "list[-1].x", "list[0][0]", "list[x = '1']", "$uppercase(s) & 'x'",
                "type in ['a'] = true", "a.and", "$type(n) = 'number' and $count(list) > 1", "$exists($type(s))")) {
            assertThat(Expression.compile(source).hasShortcut()).as(source).isFalse();
        }
        for (String source : List.of("data.object.id", "type in ['a', \"b\"]", "$uppercase(data.object.currency)",
                "$contains(type, /^customer\\.subscription\\./)", "a ? b : (c ? d)", "x.items[0].price.id",
                "$exists(x.items) and $type(x.y) = 'number' or z")) {
            assertThat(Expression.compile(source).hasShortcut()).as(source).isTrue();
        }
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
            if (!prefix.isEmpty() && !prefix.endsWith("]")) {
                // the same fields through an index, as presets read an item list's first entry
                out.add(prefix + "[0]");
                collect(l.get(0), prefix + "[0]", depth + 1, out);
            }
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
