package dev.attributerelay.mapping;

import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.attributerelay.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The YAML files the jar ships (relay.yaml, presets/*.yaml), read at build time into the trees the YAML parser
 * gives, kept beside them as JSON. Reading YAML is a tenth of a cold start (the YAML parser's classes load for
 * it); a file whose text is exactly one kept here is not parsed again, and any other text (an edited file, a
 * RELAY_CONFIG of one's own) is parsed as before. Only the parse is skipped: ConfigLoader checks the tree as
 * it checks any other. Keyed by the whole text, so a stale entry can never stand in for a changed file.
 *
 * <p>The build also keeps every text of those files that JSONata compiles (any string value: a field path, a
 * test, also a word that happens to be one), so {@link Expression} compiles those on first use rather than all
 * at init: compiling relay.yaml's hundred-odd expressions was a third of the init's configuration time, and a
 * text the build compiled cannot fail to compile with the same library in the jar. Any other text is compiled at
 * init as before, so a mistake in one's own relay.yaml still fails the deployment's first start.
 *
 * <p>The build runs {@link #main} after resources are copied (pom.xml, process-classes).
 */
public final class CompiledYaml {
    static final String RESOURCE = "yaml-trees.json";
    private static final JsonFactory JSON = new JsonFactory();
    private static volatile Kept kept;

    /** What the resource holds: trees by their YAML text, and the texts JSONata compiles. */
    private record Kept(Map<String, JsonNode> trees, Set<String> compiling) {
    }

    private CompiledYaml() {
    }

    /** The tree of this YAML text when the build kept it (a copy, the caller's to change); else null. */
    static JsonNode lookup(String yaml) {
        JsonNode tree = kept().trees().get(yaml);
        return tree == null ? null : tree.deepCopy();
    }

    /** Whether the build compiled this very text with JSONata (so it compiles: the same library is in the jar). */
    static boolean compiles(String expression) {
        return kept().compiling().contains(expression);
    }

    private static Kept kept() {
        Kept k = kept;
        if (k == null) {
            k = load();
            kept = k;
        }
        return k;
    }

    private static Kept load() {
        Map<String, JsonNode> byText = new HashMap<>();
        Set<String> compiling = new HashSet<>();
        try (InputStream in = CompiledYaml.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return new Kept(byText, compiling); // run from sources without the build step: all as before
            }
            JsonNode root;
            try (JsonParser p = JSON.createParser(in)) {
                root = Json.tree(p, false); // decimals as doubles, as the YAML parser typed them
            }
            for (JsonNode d : root.path("documents")) {
                if (d.path("yaml").isTextual() && d.path("tree").isObject()) {
                    byText.put(d.get("yaml").textValue(), d.get("tree"));
                }
            }
            for (JsonNode e : root.path("compiling")) {
                if (e.isTextual()) {
                    compiling.add(e.textValue());
                }
            }
        } catch (IOException | RuntimeException e) {
            // a damaged file only costs the parse and compiles it would have saved
            byText.clear();
            compiling.clear();
        }
        return new Kept(byText, compiling);
    }

    /**
     * Build step: keeps the tree of every YAML file under {@code classes} whose tree survives JSON exactly, and
     * every string value of those files that JSONata compiles.
     *
     * @param args the class output folder (resources already copied there)
     */
    public static void main(String[] args) throws IOException {
        Path classes = Path.of(args[0]);
        List<Path> files = new ArrayList<>();
        files.add(classes.resolve("relay.yaml"));
        Path presets = classes.resolve("presets");
        if (Files.isDirectory(presets)) {
            try (Stream<Path> s = Files.list(presets)) {
                s.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().forEach(files::add);
            }
        }
        ArrayNode documents = Json.array();
        Set<String> compiling = new TreeSet<>();
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                continue;
            }
            String yaml = Files.readString(file, StandardCharsets.UTF_8);
            JsonNode tree;
            try {
                tree = ConfigLoader.readYaml(yaml);
            } catch (IOException e) {
                // left to fail where it always did, with the YAML parser's own line and column
                System.out.println("[yaml-trees] " + classes.relativize(file) + " not kept: not valid YAML");
                continue;
            }
            if (tree.isObject() && keepsAsJson(tree)) {
                ObjectNode d = documents.addObject();
                d.put("yaml", yaml);
                d.set("tree", tree);
                collectCompiling(tree, compiling);
            }
        }
        ObjectNode root = Json.object();
        root.put("v", 1);
        root.set("documents", documents);
        ArrayNode texts = root.putArray("compiling");
        compiling.forEach(texts::add);
        Files.writeString(classes.resolve(RESOURCE), Json.write(root), StandardCharsets.UTF_8);
        System.out.println("[yaml-trees] kept " + documents.size() + " of " + files.size() + " YAML files, "
                + compiling.size() + " texts JSONata compiles");
    }

    /** Every string value under {@code n} that JSONata compiles as it is. */
    static void collectCompiling(JsonNode n, Set<String> into) {
        if (n.isContainerNode()) {
            n.forEach(child -> collectCompiling(child, into));
        } else if (n.isTextual() && !into.contains(n.textValue())) {
            try {
                Jsonata.jsonata(n.textValue());
                into.add(n.textValue());
            } catch (RuntimeException e) {
                // not an expression (a description, a URL) or not a valid one: compiled, or refused, at init
            }
        }
    }

    /** Whether JSON holds this tree exactly: YAML's binary and other embedded values it would not. */
    static boolean keepsAsJson(JsonNode n) {
        if (n.isContainerNode()) {
            for (JsonNode child : n) {
                if (!keepsAsJson(child)) {
                    return false;
                }
            }
            return true;
        }
        if (n.isDouble()) {
            return Double.isFinite(n.doubleValue()); // YAML's .nan and .inf would come back as text
        }
        return n.isTextual() || n.isNumber() && !n.isFloat() || n.isBoolean() || n.isNull();
    }

    /** For tests: drops what was loaded, so the next lookup reads the resource again. */
    static void forget() {
        kept = null;
    }
}
