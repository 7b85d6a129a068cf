package dev.attributerelay.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.attributerelay.Json;
import dev.attributerelay.verify.Schemes;
import dev.attributerelay.verify.SignatureScheme;
import dev.attributerelay.verify.VerifySpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads relay.yaml, checks every field and compiles every expression, once per container (a text the build already
 * compiled is compiled on first use: {@link Expression#compile}). Problems are a
 * {@link ConfigException} whose message says where: file, integration, rule and field. Each integration, rule
 * and attribute is checked on its own, so one load reports every problem of the file; a valid file takes the
 * same path as before (the only extra is an empty try block per item).
 */
public final class ConfigLoader {
    /** The bundled configuration's classpath location. */
    public static final String BUNDLED = "relay.yaml";

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_]+");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Set<String> INTEGRATION_FIELDS = Set.of("source", "verify", "eventbridge_source",
            "create_missing_attributes", "on_unknown_customer", "events", "preset", "max_body_bytes", "event",
            "data_source_uuid", "skip_unchanged", "respond_within_ms", "backfill");
    private static final Set<String> VERIFY_FIELDS = Set.of("scheme", "secret", "tolerance_seconds", "public_url",
            "allow_unsigned", "legacy_versions");
    private static final Set<String> RULE_FIELDS = Set.of("name", "when", "each", "customer", "attributes");
    private static final Set<String> CUSTOMER_FIELDS = Set.of("uuid", "external_id", "email", "data_source_uuid");
    private static final Set<String> ATTRIBUTE_FIELDS = Set.of("type", "value");
    private static final Set<String> EVENT_FIELDS = Set.of("id", "type", "time");
    private static final Set<String> PRESET_FIELDS = Set.of("description", "event", "events", "on_unknown_customer");

    /** YAML read by its streaming parser into trees: no ObjectMapper on the cold path (docs/performance.md). */
    private static final YAMLFactory YAML = new YAMLFactory();

    private ConfigLoader() {
    }

    /** The tree of a YAML text: the build's own when it kept this very text (CompiledYaml), else parsed. */
    private static JsonNode yamlTree(String yaml) throws IOException {
        JsonNode kept = CompiledYaml.lookup(yaml);
        return kept != null ? kept : readYaml(yaml);
    }

    static JsonNode readYaml(String yaml) throws IOException {
        try (JsonParser p = YAML.createParser(yaml)) {
            return Json.tree(p, false);
        }
    }

    /** RELAY_CONFIG's file when set, else the bundled relay.yaml. */
    public static RelayConfig fromEnvironment(Map<String, String> env) {
        String path = env.get("RELAY_CONFIG");
        if (path != null && !path.isBlank()) {
            return load(Path.of(path));
        }
        return loadBundled();
    }

    public static RelayConfig loadBundled() {
        try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new ConfigException(BUNDLED + ": not found on the classpath");
            }
            return parse(BUNDLED, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConfigException(BUNDLED + ": cannot be read: " + e.getMessage(), e);
        }
    }

    public static RelayConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read: " + e.getMessage(), e);
        }
        return parse(file.toString(), text);
    }

    public static RelayConfig parse(String file, String yaml) {
        JsonNode root;
        try {
            root = yamlTree(yaml);
        } catch (IOException e) {
            throw new ConfigException(file + ": is not valid YAML: " + yamlProblem(e), e);
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException(file + ": must be a mapping with an 'integrations:' key");
        }
        Where top = new Where(file, null, null);
        onlyFields(root, Set.of("integrations"), top, "");
        JsonNode integrations = root.get("integrations");
        if (integrations == null || !integrations.isObject() || integrations.isEmpty()) {
            throw top.error("integrations", "must map at least one integration name to its settings");
        }
        Map<String, Integration> compiled = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = integrations.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            try {
                compiled.put(e.getKey(), integration(e.getKey(), e.getValue(), new Where(file, e.getKey(), null)));
            } catch (ConfigException problem) {
                problems.addAll(problem.problems());
            }
        }
        failIfAny(problems);
        return new RelayConfig(file, compiled);
    }

    private static Integration integration(String name, JsonNode node, Where where) {
        List<String> problems = new ArrayList<>();
        try {
            return integration(name, node, where, problems);
        } catch (ConfigException e) {
            // what was collected before a setting that stops the rest, and that setting's own problem
            java.util.Set<String> all = new java.util.LinkedHashSet<>(problems);
            all.addAll(e.problems());
            throw all.size() == 1 ? e : new ConfigException(new ArrayList<>(all));
        }
    }

    private static Integration integration(String name, JsonNode node, Where where, List<String> problems) {
        if (!NAME.matcher(name).matches()) {
            throw where.error("", "the integration name must be letters, digits, '-' or '_' (it is a URL path segment)");
        }
        if (!node.isObject()) {
            throw where.error("", "must be a mapping of settings");
        }
        try {
            onlyFields(node, INTEGRATION_FIELDS, where, "");
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
        String source = text(node, "source", where, name);
        String eventbridgeSource = text(node, "eventbridge_source", where, null);

        VerifySpec verify = null;
        SignatureScheme verifier = null;
        JsonNode v = node.get("verify");
        try {
            if (v != null) {
                verify = verifySpec(v, where);
                try {
                    verifier = Schemes.create(verify);
                } catch (IllegalArgumentException e) {
                    throw where.error("verify.scheme", e.getMessage());
                }
            } else if (eventbridgeSource == null) {
                throw where.error("verify", "is required for webhooks (use scheme: none with allow_unsigned: true to accept unsigned requests)");
            }
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }

        boolean create = bool(node, "create_missing_attributes", where, false);
        boolean skipUnchanged = bool(node, "skip_unchanged", where, true);
        UnknownCustomerPolicy ownPolicy = null; // null: the preset's, else retry
        try {
            ownPolicy = unknownCustomerPolicy(node, where, null);
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
        long maxBody = Integration.DEFAULT_MAX_BODY_BYTES;
        JsonNode mb = node.get("max_body_bytes");
        if (mb != null) {
            if (!mb.canConvertToLong() || mb.asLong() < 1 || mb.asLong() > 6L * 1024 * 1024) {
                problems.addAll(where.error("max_body_bytes",
                        "must be a whole number of bytes from 1 to 6291456 (Lambda's payload limit)").problems());
            } else {
                maxBody = mb.asLong();
            }
        }

        String dataSource = text(node, "data_source_uuid", where, null);
        List<Rule> rules = new ArrayList<>();
        JsonNode presetEvent = null;
        Duration presetBudget = null;
        // a preset names the policy that fits its provider (email-keyed ones: skip); relay.yaml's own wins
        UnknownCustomerPolicy policy = UnknownCustomerPolicy.RETRY;
        String preset = text(node, "preset", where, null);
        if (preset != null) {
            try {
                JsonNode presetRoot = readPreset(preset, where);
                presetEvent = presetRoot.get("event");
                policy = unknownCustomerPolicy(presetRoot, new Where("presets/" + preset + ".yaml", null, null), policy);
                presetBudget = ResponseBudgets.forPreset(preset);
                rules.addAll(rules(presetRoot.get("events"), new Where(where.file, where.integration, null),
                        "preset " + preset + " ", dataSource));
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
        }
        try {
            rules.addAll(rules(node.get("events"), where, "", dataSource));
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
        if (ownPolicy != null) {
            policy = ownPolicy;
        }
        if (rules.isEmpty() && problems.isEmpty()) {
            throw where.error("events", "no rules: list at least one under events:, or name a preset");
        }
        JsonNode eventNode = node.has("event") ? node.get("event") : presetEvent;
        Integration.EventFields event = null;
        try {
            event = eventFields(eventNode, where);
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
        Duration budget = null;
        try {
            budget = node.has("respond_within_ms") ? respondWithin(node.get("respond_within_ms"), where)
                    : presetBudget != null ? presetBudget
                    : ResponseBudgets.forScheme(verify == null ? null : verify.scheme());
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
        BackfillSpec backfill = null;
        try {
            backfill = backfillSpec(node.get("backfill"), preset, where);
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
        failIfAny(problems);
        return new Integration(name, source, verify, verifier, eventbridgeSource, create, policy, maxBody, budget, event,
                rules, skipUnchanged, backfill);
    }

    /** {@code backfill: { api_key: <secret key> }}: the secrets JSON key of the provider's API key (DESIGN §9). */
    private static BackfillSpec backfillSpec(JsonNode b, String preset, Where where) {
        if (b == null) {
            return null;
        }
        if (!b.isObject()) {
            throw where.error("backfill", "must be a mapping with 'api_key' (the secrets key of the provider's API key)");
        }
        onlyFields(b, Set.of("api_key"), where, "backfill.");
        JsonNode key = b.get("api_key");
        if (key == null || !key.isTextual() || key.asText().isBlank()) {
            throw where.error("backfill.api_key", "must name the key of the secrets JSON that holds the provider's API key");
        }
        return new BackfillSpec(key.asText(), preset);
    }

    /** API Gateway's HTTP API waits at most 30 s for the function; a budget beyond it could never be kept. */
    private static Duration respondWithin(JsonNode n, Where where) {
        if (!n.canConvertToLong() || !n.isIntegralNumber() || n.asLong() < 1000 || n.asLong() > 29_000) {
            throw where.error("respond_within_ms", "must be a whole number of milliseconds from 1000 to 29000 (API"
                    + " Gateway answers 503 itself after 30 s)");
        }
        return Duration.ofMillis(n.asLong());
    }

    private static VerifySpec verifySpec(JsonNode v, Where where) {
        if (!v.isObject()) {
            throw where.error("verify", "must be a mapping with at least 'scheme'");
        }
        onlyFields(v, VERIFY_FIELDS, where, "verify.");
        String scheme = text(v, "scheme", where.sub("verify."), null);
        if (scheme == null) {
            throw where.error("verify.scheme", "is required (one of " + String.join(", ", Schemes.NAMES) + ")");
        }
        String secret = text(v, "secret", where.sub("verify."), null);
        boolean allowUnsigned = bool(v, "allow_unsigned", where.sub("verify."), false);
        if (scheme.equals("none")) {
            if (!allowUnsigned) {
                throw where.error("verify.allow_unsigned", "must be true to accept unsigned requests with scheme: none");
            }
        } else if (secret == null) {
            throw where.error("verify.secret", "is required: the key in the secrets JSON that holds the signing secret");
        }
        Duration tolerance = VerifySpec.DEFAULT_TOLERANCE;
        JsonNode t = v.get("tolerance_seconds");
        if (t != null) {
            if (!t.canConvertToLong() || t.asLong() < 1 || t.asLong() > 7 * 24 * 3600) {
                throw where.error("verify.tolerance_seconds", "must be a whole number of seconds from 1 to 604800");
            }
            tolerance = Duration.ofSeconds(t.asLong());
        }
        String publicUrl = text(v, "public_url", where.sub("verify."), null);
        if (scheme.equals("hubspot-v3") && publicUrl == null) {
            throw where.error("verify.public_url", "is required for hubspot-v3: the URL HubSpot calls, as it signs it");
        }
        boolean legacy = bool(v, "legacy_versions", where.sub("verify."), false);
        if (legacy && !scheme.equals("hubspot-v3")) {
            throw where.error("verify.legacy_versions", "applies to hubspot-v3 only (HubSpot's v1/v2 signatures)");
        }
        return new VerifySpec(scheme, secret, tolerance, publicUrl, allowUnsigned, legacy);
    }

    private static List<Rule> rules(JsonNode events, Where where, String prefix, String defaultDataSource) {
        List<Rule> out = new ArrayList<>();
        if (events == null || events.isNull()) {
            return out;
        }
        if (!events.isArray()) {
            throw where.error(prefix + "events", "must be a list of rules");
        }
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            try {
                out.add(rule(prefix + "events[" + i + "]", events.get(i), where, defaultDataSource));
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
        }
        failIfAny(problems);
        return out;
    }

    private static Rule rule(String ruleName, JsonNode r, Where where, String defaultDataSource) {
        Where rw = new Where(where.file, where.integration, ruleName);
        if (!r.isObject()) {
            throw rw.error("", "must be a mapping with customer and attributes");
        }
        String label = r.path("name").isTextual() && !r.path("name").asText().isBlank() ? r.path("name").asText() : null;
        if (label != null) {
            ruleName = ruleName + " (" + label + ")";
            rw = new Where(where.file, where.integration, ruleName);
        }
        // each part of a rule on its own, so a rule with several mistakes shows them all
        List<String> problems = new ArrayList<>();
        Expression when = null;
        Expression each = null;
        Rule.CustomerSpec customer = null;
        List<Rule.AttributeSpec> attributes = null;
        try {
            onlyFields(r, RULE_FIELDS, rw, "");
            text(r, "name", rw, null);
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
        try {
            when = optionalExpression(r, "when", rw, "true");
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
        try {
            each = optionalExpression(r, "each", rw, null);
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
        try {
            customer = customer(r.get("customer"), rw, defaultDataSource);
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
        try {
            attributes = attributes(r.get("attributes"), rw);
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
        failIfAny(problems);
        return new Rule(ruleName, when, each, customer, attributes);
    }

    private static Rule.CustomerSpec customer(JsonNode c, Where where, String defaultDataSource) {
        if (c == null || !c.isObject()) {
            throw where.error("customer", "is required: one of uuid, external_id or email");
        }
        onlyFields(c, CUSTOMER_FIELDS, where, "customer.");
        Rule.CustomerSpec.Kind kind = null;
        for (Rule.CustomerSpec.Kind k : Rule.CustomerSpec.Kind.values()) {
            if (c.has(k.yamlName())) {
                if (kind != null) {
                    throw where.error("customer", "names both " + kind.yamlName() + " and " + k.yamlName() + ": use exactly one");
                }
                kind = k;
            }
        }
        if (kind == null) {
            throw where.error("customer", "needs exactly one of uuid, external_id or email");
        }
        Expression value = expression(c.get(kind.yamlName()), where, "customer." + kind.yamlName());
        String dataSource = text(c, "data_source_uuid", where.sub("customer."), null);
        if (dataSource != null && kind != Rule.CustomerSpec.Kind.EXTERNAL_ID) {
            throw where.error("customer.data_source_uuid", "only narrows an external_id lookup");
        }
        if (dataSource == null && kind == Rule.CustomerSpec.Kind.EXTERNAL_ID) {
            dataSource = defaultDataSource; // the integration-wide data source narrows every external_id lookup
        }
        return new Rule.CustomerSpec(kind, value, dataSource);
    }

    private static List<Rule.AttributeSpec> attributes(JsonNode a, Where where) {
        if (a == null || !a.isObject() || a.isEmpty()) {
            throw where.error("attributes", "must map at least one attribute key to {type, value}");
        }
        List<Rule.AttributeSpec> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = a.fields();
        while (it.hasNext()) {
            try {
                out.add(attribute(it.next(), where));
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
        }
        failIfAny(problems);
        return out;
    }

    private static Rule.AttributeSpec attribute(Map.Entry<String, JsonNode> e, Where where) {
        String key = e.getKey();
        String field = "attributes." + key;
        if (!KEY.matcher(key).matches()) {
            throw where.error(field, "attribute keys are letters, digits and underscores only");
        }
        JsonNode spec = e.getValue();
        if (!spec.isObject()) {
            throw where.error(field, "must be {type: <String|Integer|Decimal|Timestamp|Boolean>, value: <JSONata>}");
        }
        onlyFields(spec, ATTRIBUTE_FIELDS, where, field + ".");
        String typeName = text(spec, "type", where.sub(field + "."), null);
        AttributeType type = typeName == null ? null : AttributeType.named(typeName);
        if (type == null) {
            throw where.error(field + ".type", (typeName == null ? "is required" : "'" + typeName + "' is not a type")
                    + " (expected one of String, Integer, Decimal, Timestamp, Boolean)");
        }
        return new Rule.AttributeSpec(key, type, expression(spec.get("value"), where, field + ".value"));
    }

    private static void failIfAny(List<String> problems) {
        if (!problems.isEmpty()) {
            throw problems.size() == 1 ? new ConfigException(problems.get(0)) : new ConfigException(problems);
        }
    }

    private static Integration.EventFields eventFields(JsonNode e, Where where) {
        if (e == null) {
            return new Integration.EventFields(Expression.compile("id"), Expression.compile("type"), null);
        }
        if (!e.isObject()) {
            throw where.error("event", "must be a mapping with id, type and time expressions");
        }
        onlyFields(e, EVENT_FIELDS, where, "event.");
        return new Integration.EventFields(
                optionalExpression(e, "id", where.sub("event."), null),
                optionalExpression(e, "type", where.sub("event."), null),
                optionalExpression(e, "time", where.sub("event."), null));
    }

    private static UnknownCustomerPolicy unknownCustomerPolicy(JsonNode node, Where where, UnknownCustomerPolicy fallback) {
        String p = text(node, "on_unknown_customer", where, null);
        if (p == null) {
            return fallback;
        }
        // reject is the name this policy had when such updates were refused; it now holds them
        String policyName = p.equals("reject") ? "hold" : p;
        try {
            return UnknownCustomerPolicy.valueOf(policyName.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw where.error("on_unknown_customer", "must be retry, skip or hold, not '" + p + "'");
        }
    }

    private static JsonNode readPreset(String preset, Where where) {
        if (!NAME.matcher(preset).matches()) {
            throw where.error("preset", "'" + preset + "' is not a preset name");
        }
        String resource = "presets/" + preset + ".yaml";
        try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw where.error("preset", "no bundled preset named '" + preset + "'");
            }
            JsonNode root = yamlTree(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            if (root == null || !root.isObject()) {
                throw where.error("preset", resource + " is not a mapping");
            }
            onlyFields(root, PRESET_FIELDS, new Where(resource, null, null), "");
            return root;
        } catch (IOException e) {
            throw where.error("preset", resource + " is not valid YAML: " + yamlProblem(e));
        }
    }

    private static Expression optionalExpression(JsonNode parent, String field, Where where, String fallback) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return fallback == null ? null : Expression.compile(fallback);
        }
        return expression(n, where, where.prefix + field);
    }

    private static Expression expression(JsonNode n, Where where, String field) {
        if (n == null || n.isNull() || n.isContainerNode()) {
            throw where.error(field, "must be a JSONata expression");
        }
        String text = n.isTextual() ? n.asText() : n.toString();
        if (text.isBlank()) {
            throw where.error(field, "must be a JSONata expression, not empty");
        }
        try {
            return Expression.compile(text);
        } catch (IllegalArgumentException e) {
            throw where.error(field, e.getMessage() + " in `" + text + "`");
        }
    }

    private static String text(JsonNode parent, String field, Where where, String fallback) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isValueNode() || n.asText().isBlank()) {
            throw where.error(where.prefix + field, "must be a non-empty text");
        }
        return n.asText();
    }

    private static boolean bool(JsonNode parent, String field, Where where, boolean fallback) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isBoolean()) {
            throw where.error(where.prefix + field, "must be true or false");
        }
        return n.asBoolean();
    }

    private static void onlyFields(JsonNode node, Set<String> allowed, Where where, String prefix) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!allowed.contains(n)) {
                throw where.error(prefix + n, "is not a known setting (expected one of "
                        + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            }
        }
    }

    private static String yamlProblem(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.yaml.snakeyaml.error.MarkedYAMLException m && m.getProblemMark() != null) {
                // the mark of the character at fault (a tab, a bad indent), not where the parser had got to
                return m.getProblem() + " at line " + (m.getProblemMark().getLine() + 1) + ", column "
                        + (m.getProblemMark().getColumn() + 1);
            }
        }
        String where = "";
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getLocation() != null
                && j.getLocation().getLineNr() > 0) {
            where = " at line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr();
        }
        return firstLine(j(e)) + where;
    }

    private static String j(IOException e) {
        return e instanceof com.fasterxml.jackson.core.JsonProcessingException jp ? jp.getOriginalMessage() : e.getMessage();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Where in the file a problem is, for the message. */
    private record Where(String file, String integration, String rule, String prefix) {
        Where(String file, String integration, String rule) {
            this(file, integration, rule, "");
        }

        Where sub(String p) {
            return new Where(file, integration, rule, prefix + p);
        }

        ConfigException error(String field, String problem) {
            StringBuilder sb = new StringBuilder(file).append(": ");
            if (integration != null) {
                sb.append("integration '").append(integration).append("'");
            }
            if (rule != null) {
                sb.append(", rule ").append(rule);
            }
            if (field != null && !field.isEmpty()) {
                sb.append(integration != null || rule != null ? ", field " : "field ").append(field);
            }
            sb.append(": ").append(problem);
            return new ConfigException(sb.toString());
        }
    }
}
