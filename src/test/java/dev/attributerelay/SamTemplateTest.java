package dev.attributerelay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * template.yaml against AWS SAM's own JSON schema (shared/sam/sam.schema.json), so a misspelled property or a
 * wrong type fails the build instead of the deploy; plus the facts the schema cannot know (handlers, jar, limits).
 */
class SamTemplateTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path TEMPLATE = Path.of("template.yaml");
    /** HTTP API's integration timeout, which a function behind it must stay under. */
    private static final int HTTP_API_TIMEOUT_SECONDS = 30;

    private static ObjectNode template;
    private static SamSchema sam;

    @BeforeAll
    static void load() throws IOException {
        String shared = System.getProperty("shared.dir");
        if (shared == null || shared.isBlank()) {
            fail("system property shared.dir is not set: run the test through Maven, whose surefire "
                    + "configuration points it at the shared folder holding sam/sam.schema.json");
        }
        Path schema = Path.of(shared, "sam", "sam.schema.json");
        if (!Files.isRegularFile(schema)) {
            fail("AWS SAM's schema is missing at " + schema.toAbsolutePath().normalize() + ", so template.yaml "
                    + "cannot be validated: put the shared folder (sam/sam.schema.json) beside the repository, "
                    + "or pass -Dshared.dir=<folder>");
        }
        sam = new SamSchema(schema);
        template = (ObjectNode) CloudFormationYaml.read(Files.readString(TEMPLATE));
    }

    // ---- the schema

    @Test
    void everyServerlessResourceAndTheGlobalsMatchSamsSchema() {
        assertThat(serverlessResources(template)).isNotEmpty();
        assertThat(schemaProblems(template)).isEmpty();
    }

    @Test
    void misspelledPropertyFailsValidation() {
        ObjectNode broken = template.deepCopy();
        ((ObjectNode) broken.at("/Resources/ApiGatewayFunction/Properties")).put("Runtimee", "java21");

        assertThat(schemaProblems(broken)).anySatisfy(p -> assertThat(p).contains("ApiGatewayFunction").contains("Runtimee"));
    }

    @Test
    void misspelledGlobalFailsValidation() {
        ObjectNode broken = template.deepCopy();
        ((ObjectNode) broken.at("/Globals/Function")).put("MemorySise", 1024);

        assertThat(schemaProblems(broken)).anySatisfy(p -> assertThat(p).contains("Globals").contains("MemorySise"));
    }

    @Test
    void wrongTypeFailsValidation() {
        ObjectNode broken = template.deepCopy();
        ((ObjectNode) broken.at("/Resources/EventBridgeFunction/Properties/EventInvokeConfig"))
                .put("MaximumRetryAttempts", "two");

        assertThat(schemaProblems(broken)).anySatisfy(p -> assertThat(p).contains("MaximumRetryAttempts"));
    }

    @Test
    void misspelledEventPropertyFailsValidation() {
        ObjectNode broken = template.deepCopy();
        ObjectNode webhook = (ObjectNode) broken.at("/Resources/ApiGatewayFunction/Properties/Events/Webhook/Properties");
        webhook.set("Paht", webhook.remove("Path"));

        assertThat(schemaProblems(broken)).anySatisfy(p -> assertThat(p).contains("Paht"));
    }

    @Test
    void unknownServerlessTypeFailsValidation() {
        ObjectNode broken = template.deepCopy();
        ((ObjectNode) broken.at("/Resources/WebhookApi")).put("Type", "AWS::Serverless::HttpAPI");

        assertThat(schemaProblems(broken)).anySatisfy(p -> assertThat(p).contains("AWS::Serverless::HttpAPI"));
    }

    // ---- what the schema cannot know

    @Test
    void everyHandlerIsAStreamHandlerOnTheClasspath() throws Exception {
        for (Map.Entry<String, JsonNode> fn : functions(template).entrySet()) {
            String handler = effective(template, fn.getValue(), "Handler").asText();
            String[] parts = handler.split("::");
            assertThat(parts).as("%s: Handler %s is class::method", fn.getKey(), handler).hasSize(2);
            // initialize=false: naming the class must not build a relay from the environment
            Class<?> type = Class.forName(parts[0], false, getClass().getClassLoader());
            assertThat(RequestStreamHandler.class.isAssignableFrom(type))
                    .as("%s: %s implements RequestStreamHandler", fn.getKey(), parts[0]).isTrue();
            assertThat(parts[1]).isEqualTo("handleRequest");
            assertThat(type.getConstructor()).as("the runtime needs a public no-arg constructor").isNotNull();
        }
    }

    @Test
    void everyFunctionRunsOnJava21FromTheShadedJar() throws Exception {
        String jar = "target/" + pomFinalName() + ".jar";
        assertThat(functions(template)).isNotEmpty();
        for (Map.Entry<String, JsonNode> fn : functions(template).entrySet()) {
            assertThat(effective(template, fn.getValue(), "Runtime").asText()).as(fn.getKey()).isEqualTo("java21");
            assertThat(effective(template, fn.getValue(), "CodeUri").asText()).as(fn.getKey()).isEqualTo(jar);
        }
    }

    @Test
    void numbersTheSchemaPassesThroughAreWithinLambdasLimits() {
        assertThat(limitProblems(template)).isEmpty();
    }

    @Test
    void memorySizeThatIsNotANumberIsCaught() {
        ObjectNode broken = template.deepCopy();
        ((ObjectNode) broken.at("/Globals/Function")).putObject("MemorySize").put("Value", 1024);

        assertThat(limitProblems(broken)).anySatisfy(p -> assertThat(p).contains("MemorySize"));
    }

    @Test
    void webhookFunctionAnswersBeforeHttpApiGivesUp() {
        ObjectNode slow = template.deepCopy();
        ((ObjectNode) slow.at("/Resources/ApiGatewayFunction/Properties")).put("Timeout", 30);

        assertThat(limitProblems(slow)).anySatisfy(p -> assertThat(p).contains("ApiGatewayFunction").contains("Timeout"));
    }

    @Test
    void webhookRouteIsPostOnTheIntegrationPath() {
        JsonNode events = template.at("/Resources/ApiGatewayFunction/Properties/Events");
        List<String> routes = new ArrayList<>();
        events.forEach(e -> {
            if ("HttpApi".equals(e.path("Type").asText())) {
                routes.add(e.at("/Properties/Method").asText().toUpperCase() + " " + e.at("/Properties/Path").asText());
                assertThat(e.at("/Properties/PayloadFormatVersion").asText()).isEqualTo("2.0");
            }
        });
        assertThat(routes).contains("POST /webhooks/{integration}");
    }

    @Test
    void eventPatternIsAParameterHoldingAJsonObject() throws IOException {
        JsonNode rule = eventOfType(template.at("/Resources/EventBridgeFunction"), "EventBridgeRule");
        JsonNode pattern = rule.at("/Properties/Pattern");
        // SAM's translator requires Pattern to be a mapping: a Ref is one, a quoted JSON string is not
        assertThat(pattern.isObject()).as("Pattern is a mapping").isTrue();
        String parameter = pattern.path("Ref").asText();
        JsonNode declared = template.at("/Parameters/" + parameter);
        assertThat(declared.isObject()).as("Pattern refers to a parameter, found %s", pattern).isTrue();
        assertThat(declared.path("Type").asText()).isEqualTo("String");

        String defaultPattern = declared.path("Default").asText();
        assertThat(JSON.readTree(defaultPattern).isObject()).as("the default pattern is a JSON object").isTrue();
        assertThat(defaultPattern.length()).isLessThanOrEqualTo(declared.path("MaxLength").asInt());
        assertThat(declared.path("MaxLength").asInt()).isBetween(1, 4096);
        assertThat(Pattern.compile(declared.path("AllowedPattern").asText()).matcher(defaultPattern).matches())
                .as("the default passes the parameter's own AllowedPattern").isTrue();

        assertThat(rule.at("/Properties/EventBusName/Ref").asText()).as("the bus is a parameter too")
                .satisfies(name -> assertThat(template.at("/Parameters/" + name).isObject()).isTrue());
    }

    @Test
    void eventsThatKeepFailingLandInADeadLetterQueue() {
        JsonNode fn = template.at("/Resources/EventBridgeFunction");
        JsonNode rule = eventOfType(fn, "EventBridgeRule");
        String ruleDlq = rule.at("/Properties/DeadLetterConfig/Arn/Fn::GetAtt/0").asText();
        String invokeDlq = fn.at("/Properties/EventInvokeConfig/DestinationConfig/OnFailure/Destination/Fn::GetAtt/0")
                .asText();
        assertThat(fn.at("/Properties/EventInvokeConfig/DestinationConfig/OnFailure/Type").asText()).isEqualTo("SQS");
        assertThat(ruleDlq).isNotEmpty().isEqualTo(invokeDlq);
        assertThat(template.at("/Resources/" + ruleDlq + "/Type").asText()).isEqualTo("AWS::SQS::Queue");
        assertThat(rule.at("/Properties/RetryPolicy").isObject()).isTrue();
    }

    @Test
    void everyFunctionReadsOnlyTheConfiguredSecret() {
        JsonNode secretId = template.at("/Globals/Function/Environment/Variables/CHARTMOGUL_SECRET_ID");
        assertThat(template.at("/Parameters/" + secretId.path("Ref").asText()).isObject())
                .as("CHARTMOGUL_SECRET_ID comes from a parameter").isTrue();
        for (Map.Entry<String, JsonNode> fn : functions(template).entrySet()) {
            List<JsonNode> scoped = new ArrayList<>();
            fn.getValue().at("/Properties/Policies").forEach(p -> {
                if (p.has("AWSSecretsManagerGetSecretValuePolicy")) {
                    scoped.add(p.at("/AWSSecretsManagerGetSecretValuePolicy/SecretArn"));
                }
            });
            assertThat(scoped).as(fn.getKey()).containsExactly(secretId);
        }
    }

    @Test
    void everyReferenceNamesSomethingTheTemplateDeclares() {
        assertThat(referenceProblems(template)).isEmpty();
    }

    @Test
    void misspelledReferenceIsCaught() {
        ObjectNode broken = template.deepCopy();
        ((ObjectNode) broken.at("/Globals/Function/Environment/Variables"))
                .set("CHARTMOGUL_SECRET_ID", JSON.createObjectNode().put("Ref", "ChartMogulSecretArm"));

        assertThat(referenceProblems(broken)).anySatisfy(p -> assertThat(p).contains("ChartMogulSecretArm"));
    }

    @Test
    void shortFormIntrinsicsBecomeTheirLongForms() throws IOException {
        JsonNode read = CloudFormationYaml.read(String.join("\n",
                "ref: !Ref Bucket",
                "sub: !Sub 'https://${Api}.example'",
                "subList: !Sub ['${A}', {A: !Ref B}]",
                "dotted: !GetAtt Queue.Arn",
                "nestedAttr: !GetAtt Db.Endpoint.Address",
                "listed: !GetAtt [Queue, Arn]",
                "join: !Join ['', [a, !Ref B]]",
                "if: !If [IsProd, 1, !Ref AWS::NoValue]",
                "cond: !Not [!Equals [!Ref P, ''], !And [!Condition C, !Or [!Condition D]]]",
                "select: !Select [0, !Split [',', !ImportValue Exported]]",
                "map: !FindInMap [M, K, V]",
                "b64: !Base64 text",
                "azs: !GetAZs ''",
                "cidr: !Cidr [10.0.0.0/16, 4, 8]",
                "plain: 512",
                "quoted: '512'",
                "flag: true"));

        assertThat(read.get("ref")).isEqualTo(json("{\"Ref\":\"Bucket\"}"));
        assertThat(read.get("sub")).isEqualTo(json("{\"Fn::Sub\":\"https://${Api}.example\"}"));
        assertThat(read.get("subList")).isEqualTo(json("{\"Fn::Sub\":[\"${A}\",{\"A\":{\"Ref\":\"B\"}}]}"));
        assertThat(read.get("dotted")).isEqualTo(json("{\"Fn::GetAtt\":[\"Queue\",\"Arn\"]}"));
        assertThat(read.get("nestedAttr")).isEqualTo(json("{\"Fn::GetAtt\":[\"Db\",\"Endpoint.Address\"]}"));
        assertThat(read.get("listed")).isEqualTo(json("{\"Fn::GetAtt\":[\"Queue\",\"Arn\"]}"));
        assertThat(read.get("join")).isEqualTo(json("{\"Fn::Join\":[\"\",[\"a\",{\"Ref\":\"B\"}]]}"));
        assertThat(read.get("if")).isEqualTo(json("{\"Fn::If\":[\"IsProd\",1,{\"Ref\":\"AWS::NoValue\"}]}"));
        assertThat(read.get("cond")).isEqualTo(json("{\"Fn::Not\":[{\"Fn::Equals\":[{\"Ref\":\"P\"},\"\"]},"
                + "{\"Fn::And\":[{\"Condition\":\"C\"},{\"Fn::Or\":[{\"Condition\":\"D\"}]}]}]}"));
        assertThat(read.get("select")).isEqualTo(json("{\"Fn::Select\":[0,{\"Fn::Split\":[\",\","
                + "{\"Fn::ImportValue\":\"Exported\"}]}]}"));
        assertThat(read.get("map")).isEqualTo(json("{\"Fn::FindInMap\":[\"M\",\"K\",\"V\"]}"));
        assertThat(read.get("b64")).isEqualTo(json("{\"Fn::Base64\":\"text\"}"));
        assertThat(read.get("azs")).isEqualTo(json("{\"Fn::GetAZs\":\"\"}"));
        assertThat(read.get("cidr")).isEqualTo(json("{\"Fn::Cidr\":[\"10.0.0.0/16\",4,8]}"));
        assertThat(read.get("plain").isInt()).isTrue();
        assertThat(read.get("quoted").isTextual()).isTrue();
        assertThat(read.get("flag").isBoolean()).isTrue();
    }

    @Test
    void unknownTagIsRejectedRatherThanReadAsText() {
        assertThatThrownBy(() -> CloudFormationYaml.read("x: !Reff Bucket"))
                .hasMessageContaining("!Reff");
    }

    // ---- checks, as lists of problems so the negative tests can show each one bites

    /** Every AWS::Serverless::* resource against its own definition in SAM's schema, and Globals against its. */
    static List<String> schemaProblems(JsonNode template) {
        List<String> problems = new ArrayList<>();
        if (template.has("Globals")) {
            sam.validate(sam.globalsDefinition(), template.get("Globals"))
                    .forEach(p -> problems.add("Globals: " + p));
        }
        serverlessResources(template).forEach((name, resource) -> {
            String type = resource.path("Type").asText();
            String definition = sam.definitionFor(type);
            if (definition == null) {
                problems.add("Resources/" + name + ": AWS SAM has no resource type " + type);
                return;
            }
            sam.validate(definition, resource).forEach(p -> problems.add("Resources/" + name + ": " + p));
        });
        return problems;
    }

    /**
     * SAM's schema types its own properties but passes Lambda's (MemorySize, Timeout, Runtime, ...) through
     * untyped, so the numbers that matter are checked here against Lambda's and API Gateway's limits.
     */
    static List<String> limitProblems(JsonNode template) {
        List<String> problems = new ArrayList<>();
        functions(template).forEach((name, fn) -> {
            JsonNode memory = effective(template, fn, "MemorySize");
            if (!memory.isInt() || memory.asInt() < 128 || memory.asInt() > 10_240) {
                problems.add(name + ": MemorySize must be a whole number of MB from 128 to 10240, is " + memory);
            }
            JsonNode timeout = effective(template, fn, "Timeout");
            if (!timeout.isInt() || timeout.asInt() < 1 || timeout.asInt() > 900) {
                problems.add(name + ": Timeout must be whole seconds from 1 to 900, is " + timeout);
            } else if (hasEventOfType(fn, "HttpApi") && timeout.asInt() >= HTTP_API_TIMEOUT_SECONDS) {
                problems.add(name + ": Timeout " + timeout + " s must stay under HTTP API's "
                        + HTTP_API_TIMEOUT_SECONDS + " s, or API Gateway answers for the function");
            }
            JsonNode architectures = effective(template, fn, "Architectures");
            if (!architectures.isArray() || architectures.size() != 1
                    || !Set.of("arm64", "x86_64").contains(architectures.get(0).asText())) {
                problems.add(name + ": Architectures must be [arm64] or [x86_64], is " + architectures);
            }
            if (!"JSON".equals(effective(template, fn, "LoggingConfig").path("LogFormat").asText())) {
                problems.add(name + ": LoggingConfig.LogFormat must be JSON");
            }
        });
        return problems;
    }

    /** Ref, GetAtt, Sub and condition names that point at nothing: typos the schema cannot see. */
    static List<String> referenceProblems(JsonNode template) {
        Set<String> names = new HashSet<>(Set.of("AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue",
                "AWS::Partition", "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix"));
        template.path("Parameters").fieldNames().forEachRemaining(names::add);
        template.path("Resources").fieldNames().forEachRemaining(names::add);
        // SAM names the resources an event generates <function><event> (e.g. the EventBridge rule)
        functions(template).forEach((fn, resource) ->
                resource.at("/Properties/Events").fieldNames().forEachRemaining(e -> names.add(fn + e)));
        Set<String> conditions = new HashSet<>();
        template.path("Conditions").fieldNames().forEachRemaining(conditions::add);

        List<String> problems = new ArrayList<>();
        walk(template, "", (path, node) -> {
            if (!node.isObject() || node.size() != 1) {
                return;
            }
            String key = node.fieldNames().next();
            JsonNode arg = node.get(key);
            switch (key) {
                case "Ref" -> require(names, arg.asText(), path, problems);
                case "Fn::GetAtt" -> require(names, arg.path(0).asText(), path, problems);
                case "Fn::Sub" -> {
                    String text = arg.isArray() ? arg.path(0).asText() : arg.asText();
                    Set<String> local = new HashSet<>(names);
                    if (arg.isArray()) {
                        arg.path(1).fieldNames().forEachRemaining(local::add);
                    }
                    Matcher m = Pattern.compile("\\$\\{([^!}][^}]*)}").matcher(text);
                    while (m.find()) {
                        require(local, m.group(1).split("\\.")[0], path, problems);
                    }
                }
                case "Fn::If" -> require(conditions, arg.path(0).asText(), path, problems);
                case "Condition" -> {
                    if (arg.isTextual() && path.contains("Fn::")) {
                        require(conditions, arg.asText(), path, problems);
                    }
                }
                default -> {
                }
            }
        });
        return problems;
    }

    private static void require(Set<String> declared, String name, String path, List<String> problems) {
        if (!declared.contains(name)) {
            problems.add(path + ": " + name + " is not declared in template.yaml");
        }
    }

    // ---- template helpers

    private static Map<String, JsonNode> serverlessResources(JsonNode template) {
        Map<String, JsonNode> found = new LinkedHashMap<>();
        template.path("Resources").properties().forEach(e -> {
            if (e.getValue().path("Type").asText().startsWith("AWS::Serverless::")) {
                found.put(e.getKey(), e.getValue());
            }
        });
        return found;
    }

    private static Map<String, JsonNode> functions(JsonNode template) {
        Map<String, JsonNode> found = new LinkedHashMap<>();
        serverlessResources(template).forEach((name, r) -> {
            if ("AWS::Serverless::Function".equals(r.path("Type").asText())) {
                found.put(name, r);
            }
        });
        return found;
    }

    /** A function's property, falling back to Globals.Function as SAM does. */
    private static JsonNode effective(JsonNode template, JsonNode function, String property) {
        JsonNode own = function.path("Properties").path(property);
        return own.isMissingNode() ? template.path("Globals").path("Function").path(property) : own;
    }

    private static boolean hasEventOfType(JsonNode function, String type) {
        return eventOfType(function, type) != null;
    }

    private static JsonNode eventOfType(JsonNode function, String type) {
        for (JsonNode e : function.at("/Properties/Events")) {
            if (type.equals(e.path("Type").asText())) {
                return e;
            }
        }
        return null;
    }

    private interface Visitor {
        void visit(String path, JsonNode node);
    }

    private static void walk(JsonNode node, String path, Visitor visitor) {
        visitor.visit(path, node);
        if (node.isObject()) {
            node.properties().forEach(e -> walk(e.getValue(), path + "/" + e.getKey(), visitor));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), path + "/" + i, visitor);
            }
        }
    }

    private static String pomFinalName() throws Exception {
        var pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        var build = pom.getDocumentElement().getElementsByTagName("build");
        var finalName = ((org.w3c.dom.Element) build.item(0)).getElementsByTagName("finalName");
        assertThat(finalName.getLength()).as("pom.xml sets build/finalName").isPositive();
        return finalName.item(0).getTextContent().trim();
    }

    private static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }

    /** AWS SAM's schema, validated one definition at a time: Resources' anyOf keeps a generic CFN branch. */
    static final class SamSchema {
        private static final String ID = "https://schemas.attribute-relay.invalid/sam.schema.json";
        private final JsonNode root;
        private final SchemaRegistry registry;
        private final Map<String, Schema> compiled = new HashMap<>();

        SamSchema(Path file) throws IOException {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            this.root = JSON.readTree(text);
            // the schema is served from memory under an id of our own: nothing is fetched
            this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4,
                    builder -> builder.schemas(Map.of(ID, text)));
        }

        /**
         * The definition the schema itself uses for a resource type: the entry of Resources' anyOf whose Type
         * enum names it. Looked up, not derived from the definitions' names, which are Python module paths.
         */
        String definitionFor(String type) {
            for (JsonNode option : root.at("/properties/Resources/additionalProperties/anyOf")) {
                String definition = definitionName(option.path("$ref").asText());
                for (JsonNode allowed : root.at("/definitions/" + definition + "/properties/Type/enum")) {
                    if (allowed.asText().equals(type)) {
                        return definition;
                    }
                }
            }
            return null;
        }

        String globalsDefinition() {
            return definitionName(root.at("/properties/Globals/$ref").asText());
        }

        List<String> validate(String definition, JsonNode instance) {
            Schema schema = compiled.computeIfAbsent(definition,
                    d -> registry.getSchema(SchemaLocation.of(ID + "#/definitions/" + d)));
            try {
                var errors = schema.validate(JSON.writeValueAsString(instance), InputFormat.JSON);
                List<String> messages = new ArrayList<>();
                errors.forEach(e -> messages.add(e.toString()));
                return messages;
            } catch (IOException e) {
                throw new IllegalStateException("cannot serialize " + definition + " instance", e);
            }
        }

        private static String definitionName(String ref) {
            if (!ref.startsWith("#/definitions/")) {
                throw new IllegalStateException("unexpected $ref in SAM's schema: " + ref);
            }
            return ref.substring("#/definitions/".length());
        }
    }

    /**
     * Reads a CloudFormation YAML template into the JSON form, turning short-form intrinsic tags (!Ref, !Sub,
     * !GetAtt, ...) into their long forms ({"Ref": ...}, {"Fn::Sub": ...}). Jackson's YAML parser reports a
     * node's tag as its type id, so the tree is built here from the token stream.
     */
    static final class CloudFormationYaml {
        private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
        private static final Set<String> FUNCTIONS = Set.of("Base64", "Cidr", "FindInMap", "GetAtt", "GetAZs",
                "ImportValue", "Join", "Select", "Split", "Sub", "If", "Equals", "Not", "And", "Or");
        private static final String CORE_TAG = "tag:yaml.org,2002:";

        private CloudFormationYaml() {
        }

        static JsonNode read(String yaml) throws IOException {
            try (YAMLParser parser = new YAMLFactory().createParser(yaml)) {
                if (parser.nextToken() == null) {
                    throw new IOException("empty YAML document");
                }
                return value(parser);
            }
        }

        private static JsonNode value(YAMLParser parser) throws IOException {
            String tag = parser.getTypeId();
            JsonNode node;
            switch (parser.currentToken()) {
                case START_OBJECT -> {
                    ObjectNode object = NODES.objectNode();
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String name = parser.currentName();
                        parser.nextToken();
                        object.set(name, value(parser));
                    }
                    node = object;
                }
                case START_ARRAY -> {
                    ArrayNode array = NODES.arrayNode();
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        array.add(value(parser));
                    }
                    node = array;
                }
                case VALUE_STRING -> node = NODES.textNode(parser.getText());
                case VALUE_NUMBER_INT -> node = integral(parser);
                case VALUE_NUMBER_FLOAT -> node = NODES.numberNode(parser.getDecimalValue());
                case VALUE_TRUE, VALUE_FALSE -> node = NODES.booleanNode(parser.getBooleanValue());
                case VALUE_NULL -> node = NODES.nullNode();
                default -> throw new IOException("unexpected YAML token " + parser.currentToken());
            }
            return tag == null ? node : intrinsic(tag, node, parser);
        }

        private static JsonNode integral(YAMLParser parser) throws IOException {
            return switch (parser.getNumberType()) {
                case INT -> NODES.numberNode(parser.getIntValue());
                case LONG -> NODES.numberNode(parser.getLongValue());
                default -> NODES.numberNode(parser.getBigIntegerValue());
            };
        }

        private static JsonNode intrinsic(String tag, JsonNode argument, YAMLParser parser) throws IOException {
            if (tag.startsWith(CORE_TAG)) {
                return argument; // !!str and friends: plain YAML, already typed by the parser
            }
            if (tag.equals("Ref") || tag.equals("Condition")) {
                return NODES.objectNode().set(tag, argument);
            }
            if (!FUNCTIONS.contains(tag)) {
                throw new IOException("unknown tag !" + tag + " at line "
                        + parser.currentLocation().getLineNr() + " (not a CloudFormation intrinsic function)");
            }
            JsonNode value = argument;
            if (tag.equals("GetAtt") && argument.isTextual()) {
                String text = argument.asText();
                int dot = text.indexOf('.');
                if (dot < 1) {
                    throw new IOException("!GetAtt " + text + " is not Resource.Attribute");
                }
                value = NODES.arrayNode().add(text.substring(0, dot)).add(text.substring(dot + 1));
            }
            return NODES.objectNode().set("Fn::" + tag, value);
        }
    }
}
