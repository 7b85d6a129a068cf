package dev.attributerelay.mapping;

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
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The YAML files the jar ships (relay.yaml, presets/*.yaml), read at build time into the trees the YAML parser
 * gives, kept beside them as JSON. Reading YAML is a tenth of a cold start (the YAML parser's classes load for
 * it); a file whose text is exactly one kept here is not parsed again, and any other text (an edited file, a
 * RELAY_CONFIG of one's own) is parsed as before. Only the parse is skipped: ConfigLoader checks the tree as
 * it checks any other. Keyed by the whole text, so a stale entry can never stand in for a changed file.
 *
 * <p>The build runs {@link #main} after resources are copied (pom.xml, process-classes).
 */
public final class CompiledYaml {
    static final String RESOURCE = "yaml-trees.json";
    private static final JsonFactory JSON = new JsonFactory();
    private static volatile Map<String, JsonNode> trees;

    private CompiledYaml() {
    }

    /** The tree of this YAML text when the build kept it (a copy, the caller's to change); else null. */
    static JsonNode lookup(String yaml) {
        JsonNode tree = trees().get(yaml);
        return tree == null ? null : tree.deepCopy();
    }

    private static Map<String, JsonNode> trees() {
        Map<String, JsonNode> t = trees;
        if (t == null) {
            t = load();
            trees = t;
        }
        return t;
    }

    private static Map<String, JsonNode> load() {
        Map<String, JsonNode> byText = new HashMap<>();
        try (InputStream in = CompiledYaml.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return byText; // run from sources without the build step: every file is parsed
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
        } catch (IOException | RuntimeException e) {
            // a damaged file only costs the parse it would have saved
            byText.clear();
        }
        return byText;
    }

    /**
     * Build step: keeps the tree of every YAML file under {@code classes} whose tree survives JSON exactly.
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
            }
        }
        ObjectNode root = Json.object();
        root.put("v", 1);
        root.set("documents", documents);
        Files.writeString(classes.resolve(RESOURCE), Json.write(root), StandardCharsets.UTF_8);
        System.out.println("[yaml-trees] kept " + documents.size() + " of " + files.size() + " YAML files");
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
        trees = null;
    }
}
