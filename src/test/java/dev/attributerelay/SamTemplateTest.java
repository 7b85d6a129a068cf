package dev.attributerelay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.attributerelay.testing.CloudFormationYaml;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
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
 * template.yaml against AWS SAM's own JSON schema (vendored: src/test/resources/sam/), so a misspelled property or a
 * wrong type fails the build instead of the deploy; plus the facts the schema cannot know: handlers, jar, Lambda's
 * limits, references that resolve under every condition, queued mode's queue and worker, ChartMogul's rate and
 * connection budget in every setting the parameters allow, the alarms, and SnapStart through the alias. Each check
 * returns a list of problems, and a negative test shows it can fail.
 */
class SamTemplateTest {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Path TEMPLATE = Path.of("template.yaml");
    /** HTTP API's integration timeout, which a function behind it must stay under. */
    private static final int HTTP_API_TIMEOUT_SECONDS = 30;
    /** ChartMogul's limits per account: requests a second (429 beyond) and parallel connections (503 beyond). */
    private static final double CHARTMOGUL_RATE = 40;
    private static final int CHARTMOGUL_CONNECTIONS = 20;
    /** The share of them the template plans for: 10% is left for the account's other API users and bursts. */
    private static final double PLANNED_RATE = 0.9 * CHARTMOGUL_RATE;
    private static final int PLANNED_CONNECTIONS = 18;
    private static final int SQS_MAX_RETENTION_SECONDS = 1_209_600;
    private static final int SQS_MAX_VISIBILITY_SECONDS = 43_200;
    /**
     * The one setting whose ChartMogul callers have no bound on their containers, documented in template.yaml as
     * best effort: each container keeps the app's rate, 429s are retried, then answered 503 + Retry-After.
     */
    private static final Map<String, String> BEST_EFFORT = Map.of("DeliveryMode", "direct",
            "DirectConcurrency", "unreserved");
    /** Sample values for the parameters without a default: realistic lengths, for VersionDescription's limit. */
    private static final Map<String, String> REQUIRED_PARAMETERS = Map.of("ChartMogulSecretArn",
            "arn:aws:secretsmanager:eu-central-1:123456789012:secret:attribute-relay/production-AbCdEf");

    private static ObjectNode template;
    private static SamSchema sam;

    @BeforeAll
    static void load() throws IOException {
        // AWS SAM's published schema, vendored (src/test/resources/sam/README.md says from where)
        var url = SamTemplateTest.class.getResource("/sam/sam.schema.json");
        if (url == null) {
            fail("src/test/resources/sam/sam.schema.json is missing from the test classpath");
        }
        Path schema;
        try {
            schema = Path.of(url.toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
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

    // ---- queued mode: the update queue and its worker

    @Test
    void queuedModeHasAFifoQueueWithADeadLetterQueueAndAWorkerThatReportsPartialFailures() {
        assertThat(queueProblems(template)).isEmpty();
    }

    @Test
    void queueOnlyExistsInQueuedMode() {
        Stack direct = new Stack(template, Map.of("DeliveryMode", "direct"));
        Stack queued = new Stack(template, Map.of("DeliveryMode", "queued"));
        String worker = worker(template);
        String queue = workerQueue(template);
        assertThat(direct.exists(template.at("/Resources/" + worker))).isFalse();
        assertThat(direct.exists(template.at("/Resources/" + queue))).isFalse();
        assertThat(queued.exists(template.at("/Resources/" + worker))).isTrue();
        assertThat(queued.exists(template.at("/Resources/" + queue))).isTrue();
        for (String fn : functions(template).keySet()) {
            if (!fn.equals(worker)) {
                assertThat(environment(direct, fn).has("RELAY_QUEUE_URL")).as("%s in direct mode", fn).isFalse();
            }
        }
    }

    @Test
    void visibilityTimeoutShorterThanSixWorkerTimeoutsIsCaught() {
        ObjectNode broken = template.deepCopy();
        ((ObjectNode) broken.at("/Resources/" + workerQueue(template) + "/Properties")).put("VisibilityTimeout", 300);

        assertThat(queueProblems(broken)).anySatisfy(p -> assertThat(p).contains("VisibilityTimeout"));
    }

    @Test
    void standardDeadLetterQueueForAFifoQueueIsCaught() {
        ObjectNode broken = template.deepCopy();
        String dlq = broken.at("/Resources/" + workerQueue(template)
                + "/Properties/RedrivePolicy/deadLetterTargetArn/Fn::GetAtt/0").asText();
        ((ObjectNode) broken.at("/Resources/" + dlq + "/Properties")).remove("FifoQueue");

        assertThat(queueProblems(broken)).anySatisfy(p -> assertThat(p).contains(dlq).contains("FIFO"));
    }

    @Test
    void redriveLimitThatOutlivesTheRetentionIsCaught() {
        ObjectNode broken = template.deepCopy();
        ((ObjectNode) broken.at("/Resources/" + workerQueue(template) + "/Properties/RedrivePolicy"))
                .put("maxReceiveCount", 30);

        assertThat(queueProblems(broken)).anySatisfy(p -> assertThat(p).contains("maxReceiveCount"));
    }

    @Test
    void workerWithoutPartialBatchResponsesIsCaught() {
        ObjectNode broken = template.deepCopy();
        ((ObjectNode) eventOfType(broken.at("/Resources/" + worker(template)), "SQS").get("Properties"))
                .remove("FunctionResponseTypes");

        assertThat(queueProblems(broken)).anySatisfy(p -> assertThat(p).contains("ReportBatchItemFailures"));
    }

    @Test
    void contentBasedDeduplicationIsCaught() {
        ObjectNode broken = template.deepCopy();
        ((ObjectNode) broken.at("/Resources/" + workerQueue(template) + "/Properties"))
                .put("ContentBasedDeduplication", true);

        assertThat(queueProblems(broken)).anySatisfy(p -> assertThat(p).contains("ContentBasedDeduplication"));
    }

    // ---- ChartMogul's limits: containers x CHARTMOGUL_RATE_LIMIT, in every mode the parameters allow

    @Test
    void everySettingKeepsTheAccountUnderChartMogulsLimits() {
        assertThat(budgetProblems(template)).isEmpty();
    }

    @Test
    void theDefaultQueuedSettingUsesMostOfTheBudget() {
        Stack queued = new Stack(template, Map.of("DeliveryMode", "queued"));
        List<Caller> callers = callers(template, queued);
        assertThat(callers).extracting(Caller::function).containsExactly(worker(template));
        Caller worker = callers.get(0);
        assertThat(worker.concurrency()).isBetween(2, CHARTMOGUL_CONNECTIONS);
        assertThat(worker.concurrency() * worker.rate()).isBetween(0.9 * PLANNED_RATE, PLANNED_RATE);
    }

    @Test
    void aMappingRowOverTheBudgetIsCaught() {
        ObjectNode broken = template.deepCopy();
        ((ObjectNode) broken.at("/Mappings/WorkerRate/10")).put("PerContainer", "4");

        assertThat(budgetProblems(broken)).anySatisfy(p -> assertThat(p).contains("MaxWorkerConcurrency=10")
                .contains(worker(template)).contains("40"));
    }

    @Test
    void aRateTheAppCannotReadIsCaught() {
        ObjectNode broken = template.deepCopy();
        ((ObjectNode) broken.at("/Mappings/WorkerRate/5")).put("PerContainer", "7,2");

        assertThat(budgetProblems(broken)).anySatisfy(p -> assertThat(p).contains("7,2"));
    }

    @Test
    void anAllowedValueWithoutAMappingRowIsCaught() {
        ObjectNode broken = template.deepCopy();
        ((ObjectNode) broken.at("/Mappings/WorkerRate")).remove("13");

        assertThat(budgetProblems(broken)).anySatisfy(p -> assertThat(p).contains("WorkerRate").contains("13"));
        assertThat(referenceProblems(broken)).anySatisfy(p -> assertThat(p).contains("WorkerRate").contains("13"));
    }

    @Test
    void aWorkerWithoutMaximumConcurrencyIsCaught() {
        ObjectNode broken = template.deepCopy();
        ((ObjectNode) eventOfType(broken.at("/Resources/" + worker(template)), "SQS").get("Properties"))
                .remove("ScalingConfig");

        assertThat(budgetProblems(broken)).anySatisfy(p -> assertThat(p).contains("DeliveryMode=queued")
                .contains(worker(template)).contains("no bound"));
    }

    @Test
    void queuedModeWhereTheWebhookFunctionStillCallsChartMogulIsCaught() {
        ObjectNode broken = template.deepCopy();
        ((ObjectNode) broken.at("/Globals/Function/Environment/Variables")).remove("RELAY_QUEUE_URL");

        assertThat(budgetProblems(broken)).anySatisfy(p -> assertThat(p).contains("DeliveryMode=queued")
                .contains("ApiGatewayFunction"));
    }

    // ---- alarms

    @Test
    void alarmsWatchTheDeadLetterQueuesTheWorkerAndTheQueueAge() {
        assertThat(alarmProblems(template)).isEmpty();
    }

    @Test
    void alarmsNotifyOnlyWhenAskedTo() {
        for (Map.Entry<String, JsonNode> alarm : resourcesOfType(template, "AWS::CloudWatch::Alarm").entrySet()) {
            Stack silent = new Stack(template, Map.of("DeliveryMode", "queued"));
            assertThat(silent.resolve(alarm.getValue().at("/Properties/AlarmActions"))).as(alarm.getKey()).isEmpty();
            Stack mailed = new Stack(template, Map.of("DeliveryMode", "queued", "AlarmEmail", "ops@example.com"));
            JsonNode actions = mailed.resolve(alarm.getValue().at("/Properties/AlarmActions"));
            assertThat(actions).as(alarm.getKey()).hasSize(1);
            String topic = actions.get(0).path("Ref").asText();
            assertThat(template.at("/Resources/" + topic + "/Type").asText()).isEqualTo("AWS::SNS::Topic");
            assertThat(mailed.resolve(template.at("/Resources/" + topic + "/Properties/Subscription/0/Endpoint"))
                    .asText()).isEqualTo("ops@example.com");
            Stack paged = new Stack(template, Map.of("DeliveryMode", "queued",
                    "AlarmTopicArn", "arn:aws:sns:eu-central-1:123456789012:pager"));
            assertThat(paged.resolve(alarm.getValue().at("/Properties/AlarmActions")))
                    .extracting(JsonNode::asText).containsExactly("arn:aws:sns:eu-central-1:123456789012:pager");
        }
    }

    @Test
    void missingDeadLetterAlarmIsCaught() {
        ObjectNode broken = template.deepCopy();
        ((ObjectNode) broken.get("Resources")).remove("UpdateDeadLetterQueueAlarm");

        assertThat(alarmProblems(broken)).anySatisfy(p -> assertThat(p).contains("ApproximateNumberOfMessagesVisible"));
    }

    @Test
    void alarmOnTheWrongQueueIsCaught() throws IOException {
        ObjectNode broken = template.deepCopy();
        ((ObjectNode) broken.at("/Resources/UpdateQueueAgeAlarm/Properties/Dimensions/0"))
                .set("Value", json("{\"Fn::GetAtt\": [\"FailedEventsQueue\", \"QueueName\"]}"));

        assertThat(alarmProblems(broken)).anySatisfy(p -> assertThat(p).contains("ApproximateAgeOfOldestMessage"));
    }

    // ---- SnapStart and the alias

    @Test
    void snapStartIsAParameterAndEveryParameterChangePublishesAVersion() {
        assertThat(snapStartProblems(template)).isEmpty();
    }

    @Test
    void theSecretsExtensionLayerComesWithItsPortAndNoSecondCacheOnlyWhenSet() {
        String layer = "arn:aws:lambda:eu-central-1:187925254637:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:12";
        Stack without = new Stack(template, Map.of());
        Stack with = new Stack(template, Map.of("SecretsExtensionLayerArn", layer, "ChartMogulApiUrl",
                "https://api.chartmogul.example.com", "RelayConfigPath", "/opt/relay/production/relay.yaml"));
        functions(template).forEach((name, fn) -> {
            JsonNode props = mergedProperties(template, fn);
            assertThat(without.resolve(props.path("Layers"))).as(name).isNull();
            assertThat(with.resolve(props.path("Layers"))).as(name).extracting(JsonNode::asText).containsExactly(layer);
            JsonNode off = environment(without, name);
            assertThat(off.has("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT")).as(name).isFalse();
            JsonNode on = environment(with, name);
            assertThat(on.path("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT").asText()).as(name).isEqualTo("2773");
            assertThat(on.path("PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED").asText()).as(name).isEqualTo("false");
            JsonNode description = with.resolve(fn.at("/Properties/VersionDescription"));
            assertThat(description.asText()).as(name).endsWith(" x=12").hasSizeLessThanOrEqualTo(256);
            assertThat(without.resolve(fn.at("/Properties/VersionDescription")).asText()).endsWith(" x=none");
        });
    }

    @Test
    void versionDescriptionMissingAParameterIsCaught() throws IOException {
        ObjectNode broken = template.deepCopy();
        ObjectNode props = (ObjectNode) broken.at("/Resources/" + worker(template) + "/Properties");
        props.set("VersionDescription", json("{\"Fn::Sub\": \"mode=${DeliveryMode} snapstart=${SnapStart}\"}"));

        assertThat(snapStartProblems(broken)).anySatisfy(p -> assertThat(p).contains(worker(template))
                .contains("MaxWorkerConcurrency"));
    }

    @Test
    void snapStartThatIgnoresItsParameterIsCaught() {
        ObjectNode broken = template.deepCopy();
        ((ObjectNode) broken.at("/Globals/Function/SnapStart")).put("ApplyOn", "PublishedVersions");

        assertThat(snapStartProblems(broken)).anySatisfy(p -> assertThat(p).contains("SnapStart=off"));
    }

    @Test
    void conditionalAliasIsCaught() throws IOException {
        ObjectNode broken = template.deepCopy();
        ((ObjectNode) broken.at("/Globals/Function"))
                .set("AutoPublishAlias", json("{\"Fn::If\": [\"SnapStartOn\", \"live\", "
                        + "{\"Ref\": \"AWS::NoValue\"}]}"));

        assertThat(snapStartProblems(broken)).anySatisfy(p -> assertThat(p).contains("AutoPublishAlias"));
    }

    // ---- references that only resolve under a condition

    @Test
    void refToAResourceOutsideItsConditionIsCaught() throws IOException {
        ObjectNode broken = template.deepCopy();
        ((ObjectNode) broken.at("/Globals/Function/Environment/Variables"))
                .set("RELAY_QUEUE_URL", json("{\"Ref\": \"UpdateQueue\"}"));

        assertThat(referenceProblems(broken)).anySatisfy(p -> assertThat(p).contains("UpdateQueue").contains("Queued"));
    }

    @Test
    void misspelledResourceConditionIsCaught() {
        ObjectNode broken = template.deepCopy();
        ((ObjectNode) broken.at("/Resources/" + worker(template))).put("Condition", "Queueed");

        assertThat(referenceProblems(broken)).anySatisfy(p -> assertThat(p).contains("Queueed"));
    }

    @Test
    void misspelledMappingIsCaught() throws IOException {
        ObjectNode broken = template.deepCopy();
        ((ObjectNode) broken.at("/Resources/" + worker(template) + "/Properties/Environment/Variables"))
                .set("CHARTMOGUL_RATE_LIMIT",
                        json("{\"Fn::FindInMap\": [\"WorkerRates\", {\"Ref\": \"MaxWorkerConcurrency\"}, "
                                + "\"PerContainer\"]}"));

        assertThat(referenceProblems(broken)).anySatisfy(p -> assertThat(p).contains("WorkerRates"));
    }

    // ---- operations: the checks OperationsTemplateTest runs (without SAM's schema, so they stand alone)

    /** Every function names a LogGroup of the stack, created whenever the function is, kept LogRetentionDays. */
    static List<String> logGroupProblems(JsonNode template) {
        List<String> problems = new ArrayList<>();
        for (String mode : List.of("direct", "queued")) {
            Stack stack = new Stack(template, Map.of("DeliveryMode", mode));
            functions(template).forEach((name, fn) -> {
                if (!stack.exists(fn)) {
                    return;
                }
                JsonNode config = stack.resolve(mergedProperties(template, fn).path("LoggingConfig"));
                String group = config == null ? "" : config.at("/LogGroup/Ref").asText();
                JsonNode resource = template.at("/Resources/" + group);
                if (!"AWS::Logs::LogGroup".equals(resource.path("Type").asText()) || !stack.exists(resource)) {
                    problems.add(name + " (" + mode + "): LoggingConfig.LogGroup must name a log group of the stack, "
                            + "or Lambda creates one that keeps every line forever");
                    return;
                }
                if (!"LogRetentionDays".equals(resource.at("/Properties/RetentionInDays/Ref").asText())) {
                    problems.add(group + ": RetentionInDays must be the LogRetentionDays parameter");
                }
                if (!"JSON".equals(config.path("LogFormat").asText())) {
                    problems.add(name + ": LoggingConfig.LogFormat must stay JSON");
                }
            });
        }
        return problems;
    }

    /**
     * SAM's SQS event attaches AWSLambdaSQSQueueExecutionRole (every queue of the account): the worker needs a
     * permissions boundary whose SQS statements name only the stack's queues, and which covers every queue the
     * worker's own policies and event name (or the worker would lose access to one).
     */
    static List<String> boundaryProblems(JsonNode template) {
        List<String> problems = new ArrayList<>();
        String worker = worker(template);
        JsonNode fn = template.at("/Resources/" + worker);
        String boundary = fn.at("/Properties/PermissionsBoundary/Ref").asText();
        JsonNode policy = template.at("/Resources/" + boundary);
        if (!"AWS::IAM::ManagedPolicy".equals(policy.path("Type").asText())) {
            problems.add(worker + ": needs a PermissionsBoundary (a managed policy of the stack) that limits the "
                    + "AWSLambdaSQSQueueExecutionRole SAM attaches to the stack's own queues");
            return problems;
        }
        Set<String> allowed = new HashSet<>();
        for (JsonNode st : policy.at("/Properties/PolicyDocument/Statement")) {
            List<String> actions = new ArrayList<>();
            (st.path("Action").isArray() ? st.path("Action") : JSON.createArrayNode().add(st.path("Action")))
                    .forEach(a -> actions.add(a.asText()));
            boolean sqs = actions.stream().anyMatch(a -> a.startsWith("sqs:") || a.equals("*"));
            if (st.has("NotAction")) {
                JsonNode not = st.get("NotAction");
                boolean excludesSqs = not.asText().equals("sqs:*")
                        || (not.isArray() && not.toString().contains("\"sqs:*\""));
                if (!excludesSqs) {
                    problems.add(boundary + ": a NotAction statement must exclude sqs:*");
                }
                continue;
            }
            if (!sqs) {
                continue;
            }
            JsonNode resources = st.path("Resource").isArray() ? st.path("Resource")
                    : JSON.createArrayNode().add(st.path("Resource"));
            for (JsonNode r : resources) {
                String queue = r.at("/Fn::GetAtt/0").asText();
                if (r.isTextual() || !"AWS::SQS::Queue".equals(template.at("/Resources/" + queue + "/Type").asText())) {
                    problems.add(boundary + ": SQS may only name the stack's own queues, names " + r);
                } else {
                    allowed.add(queue);
                }
            }
        }
        Set<String> used = new HashSet<>();
        used.add(eventOfType(fn, "SQS").at("/Properties/Queue/Fn::GetAtt/0").asText());
        for (JsonNode p : fn.at("/Properties/Policies")) {
            p.properties().forEach(e -> {
                if (e.getKey().startsWith("SQS")) {
                    used.add(e.getValue().at("/QueueName/Fn::GetAtt/0").asText());
                }
            });
        }
        used.removeAll(allowed);
        if (!used.isEmpty()) {
            problems.add(boundary + ": the worker is given " + used + " but the boundary does not allow them");
        }
        return problems;
    }

    static List<String> throttlingProblems(JsonNode template) {
        List<String> problems = new ArrayList<>();
        JsonNode settings = template.at("/Resources/WebhookApi/Properties/DefaultRouteSettings");
        for (String limit : List.of("ThrottlingRateLimit", "ThrottlingBurstLimit")) {
            String parameter = settings.at("/" + limit + "/Ref").asText();
            JsonNode p = template.at("/Parameters/" + parameter);
            if (parameter.isEmpty() || !p.path("Default").canConvertToInt() || p.path("Default").asInt() < 1) {
                problems.add("WebhookApi: DefaultRouteSettings." + limit + " must be a parameter with a default");
            }
        }
        return problems;
    }

    /** With no parameter given, every ChartMogul caller has bounded containers and together they stay in budget. */
    static List<String> defaultBoundProblems(JsonNode template) {
        List<String> problems = new ArrayList<>();
        double total = 0;
        for (Caller c : callers(template, new Stack(template, Map.of()))) {
            if (c.concurrency() == null) {
                problems.add(c.function() + ": with the default parameters its containers are unbounded, so "
                        + "nothing keeps the account under ChartMogul's 40 requests/s");
            } else {
                total += c.rate() * c.concurrency();
            }
        }
        if (total > PLANNED_RATE) {
            problems.add("the default parameters allow " + total + " requests/s, over " + PLANNED_RATE);
        }
        return problems;
    }

    /**
     * In direct mode: Errors and Throttles of both webhook-facing functions, and the relay's events by outcome
     * unavailable, held and failure unauthorized, on a dimension set EventLog emits; every alarm notifies on recovery.
     */
    static List<String> directAlarmProblems(JsonNode template) {
        List<String> problems = new ArrayList<>();
        Stack direct = new Stack(template, Map.of("DeliveryMode", "direct"));
        Map<String, JsonNode> alarms = new LinkedHashMap<>();
        resourcesOfType(template, "AWS::CloudWatch::Alarm").forEach((name, alarm) -> {
            if (direct.exists(alarm)) {
                alarms.put(name, direct.resolve(alarm.get("Properties")));
            }
        });
        List<JsonNode> list = new ArrayList<>(alarms.values());
        for (String fn : List.of("ApiGatewayFunction", "EventBridgeFunction")) {
            for (String metric : List.of("Errors", "Throttles")) {
                requireAlarm(list, "AWS/Lambda", metric, "FunctionName",
                        v -> v.equals(JSON.createObjectNode().put("Ref", fn)), false, fn, problems);
            }
        }
        requireAlarm(list, EventLog.NAMESPACE, "events", "outcome", v -> v.asText().equals("unavailable"), false,
                "outcome unavailable", problems);
        requireAlarm(list, EventLog.NAMESPACE, "events", "outcome", v -> v.asText().equals("held"), false,
                "outcome held", problems);
        requireAlarm(list, EventLog.NAMESPACE, "events", "failure", v -> v.asText().equals("unauthorized"), false,
                "failure unauthorized", problems);
        Stack mailed = new Stack(template, Map.of("DeliveryMode", "direct", "AlarmEmail", "ops@example.com"));
        alarms.forEach((name, a) -> {
            if (EventLog.NAMESPACE.equals(a.path("Namespace").asText())) {
                Set<String> dims = new HashSet<>();
                a.path("Dimensions").forEach(d -> dims.add(d.path("Name").asText()));
                if (EventLog.DIMENSIONS.stream().noneMatch(set -> new HashSet<>(set).equals(dims))) {
                    problems.add(name + ": dimensions " + dims + " are no dimension set the app emits "
                            + EventLog.DIMENSIONS + ", so the metric never has data");
                }
            }
            JsonNode raw = template.at("/Resources/" + name + "/Properties");
            JsonNode ok = mailed.resolve(raw.path("OKActions"));
            if (ok == null || ok.isMissingNode() || !ok.equals(mailed.resolve(raw.path("AlarmActions")))) {
                problems.add(name + ": OKActions must notify the same as AlarmActions (recovery)");
            }
        });
        return problems;
    }

    /** The dashboard body, rendered as CloudFormation would, is JSON and shows each thing on-call asks about. */
    static List<String> dashboardProblems(JsonNode template) {
        List<String> problems = new ArrayList<>();
        for (String mode : List.of("direct", "queued")) {
            Stack stack = new Stack(template, Map.of("DeliveryMode", mode));
            JsonNode sub = template.at("/Resources/OperationsDashboard/Properties/DashboardBody/Fn::Sub");
            Map<String, String> vars = new HashMap<>(Map.of("AWS::Region", "eu-central-1"));
            sub.path(1).properties().forEach(e -> {
                JsonNode v = stack.resolve(e.getValue());
                vars.put(e.getKey(), v.isTextual() ? v.asText() : v.at("/Fn::GetAtt/0").asText() + "-name");
            });
            Matcher m = Pattern.compile("\\$\\{([^!}][^}]*)}").matcher(sub.path(0).asText());
            StringBuilder body = new StringBuilder();
            while (m.find()) {
                String name = m.group(1);
                String v = vars.containsKey(name) ? vars.get(name)
                        : template.path("Resources").has(name) ? name + "-name" : null;
                if (v == null) {
                    problems.add("OperationsDashboard: ${" + name + "} names nothing");
                    v = "";
                }
                m.appendReplacement(body, Matcher.quoteReplacement(v));
            }
            m.appendTail(body);
            String rendered;
            try {
                rendered = JSON.readTree(body.toString()).toString();
            } catch (IOException e) {
                problems.add("OperationsDashboard (" + mode + "): the body is not JSON: " + e.getMessage());
                continue;
            }
            for (String shown : List.of("MetricName=\\\"events\\\"", "integration_name,outcome", "chartmogul_latency_ms",
                    "chartmogul_429", "\"held\"", "ApproximateNumberOfMessagesVisible", "FailedEventsQueue-name",
                    "ApproximateAgeOfOldestMessage")) {
                if (!rendered.contains(shown)) {
                    problems.add("OperationsDashboard (" + mode + "): shows no " + shown);
                }
            }
            if (mode.equals("queued") && !(rendered.contains("UpdateQueue-name")
                    && rendered.contains("UpdateDeadLetterQueue-name"))) {
                problems.add("OperationsDashboard (queued): must show the update queue and its dead-letter queue");
            }
        }
        return problems;
    }

    /** One customer's events, one event id, held and failed: each over every function's log group of the mode. */
    static List<String> queryProblems(JsonNode template) {
        List<String> problems = new ArrayList<>();
        Map<String, String> asks = Map.of("CustomerEventsQuery", "filter customer", "EventIdQuery", "filter event_id",
                "HeldAndFailedQuery", "\"held\"");
        for (String mode : List.of("direct", "queued")) {
            Stack stack = new Stack(template, Map.of("DeliveryMode", mode));
            Set<String> groups = new HashSet<>();
            functions(template).forEach((name, fn) -> {
                if (stack.exists(fn)) {
                    groups.add(fn.at("/Properties/LoggingConfig/LogGroup/Ref").asText());
                }
            });
            asks.forEach((name, ask) -> {
                JsonNode q = template.at("/Resources/" + name);
                if (!"AWS::Logs::QueryDefinition".equals(q.path("Type").asText())) {
                    problems.add(name + ": missing");
                    return;
                }
                Set<String> named = new HashSet<>();
                stack.resolve(q.at("/Properties/LogGroupNames")).forEach(g -> named.add(g.path("Ref").asText()));
                if (!named.equals(groups)) {
                    problems.add(name + " (" + mode + "): must search " + groups + ", searches " + named);
                }
                if (!q.at("/Properties/QueryString").asText().contains(ask)) {
                    problems.add(name + ": the query must " + ask);
                }
            });
        }
        return problems;
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

    /**
     * Queued mode's queue and worker: FIFO with the app's own deduplication ids, a FIFO dead-letter queue reached
     * before any message can expire, a visibility timeout of six worker timeouts, partial batch responses, and the
     * policies the two sides need.
     */
    static List<String> queueProblems(JsonNode template) {
        List<String> problems = new ArrayList<>();
        Stack queued = new Stack(template, Map.of("DeliveryMode", "queued"));
        List<String> workers = new ArrayList<>();
        functions(template).forEach((name, fn) -> {
            if (queued.exists(fn) && hasEventOfType(fn, "SQS")) {
                workers.add(name);
            }
        });
        if (workers.size() != 1) {
            problems.add("queued mode needs exactly one function with an SQS event, found " + workers);
            return problems;
        }
        String worker = workers.get(0);
        JsonNode fn = template.at("/Resources/" + worker);
        JsonNode event = queued.resolve(eventOfType(fn, "SQS").path("Properties"));
        String queue = event.at("/Queue/Fn::GetAtt/0").asText();
        JsonNode q = queued.resolve(template.at("/Resources/" + queue + "/Properties"));
        if (!"AWS::SQS::Queue".equals(template.at("/Resources/" + queue + "/Type").asText())) {
            problems.add(worker + ": the SQS event's Queue must be !GetAtt <an AWS::SQS::Queue>.Arn, is "
                    + event.get("Queue"));
            return problems;
        }
        if (!q.path("FifoQueue").asBoolean(false)) {
            problems.add(queue + ": must be a FIFO queue (one customer's updates in order)");
        }
        if (q.path("ContentBasedDeduplication").asBoolean(false)) {
            problems.add(queue + ": ContentBasedDeduplication must be false: the app sets MessageDeduplicationId");
        }
        int retention = q.path("MessageRetentionPeriod").asInt(345_600);
        if (retention != SQS_MAX_RETENTION_SECONDS) {
            problems.add(queue + ": MessageRetentionPeriod must be SQS's maximum, 14 days, is " + retention);
        }
        int timeout = effective(template, fn, "Timeout").asInt();
        int visibility = q.path("VisibilityTimeout").asInt(30);
        if (visibility < 6 * timeout) {
            problems.add(queue + ": VisibilityTimeout " + visibility + " s must be at least 6 x the worker's Timeout ("
                    + timeout + " s)");
        }
        JsonNode redrive = q.path("RedrivePolicy");
        String dlq = redrive.at("/deadLetterTargetArn/Fn::GetAtt/0").asText();
        int maxReceives = redrive.path("maxReceiveCount").asInt(0);
        if (dlq.isEmpty() || !"AWS::SQS::Queue".equals(template.at("/Resources/" + dlq + "/Type").asText())) {
            problems.add(queue + ": RedrivePolicy.deadLetterTargetArn must be !GetAtt <an AWS::SQS::Queue>.Arn");
        } else {
            JsonNode d = queued.resolve(template.at("/Resources/" + dlq + "/Properties"));
            if (!d.path("FifoQueue").asBoolean(false)) {
                problems.add(dlq + ": a FIFO queue's dead-letter queue must be FIFO too");
            }
            if (d.path("MessageRetentionPeriod").asInt(345_600) != SQS_MAX_RETENTION_SECONDS) {
                problems.add(dlq + ": MessageRetentionPeriod must be 14 days: time for a person to fix and replay");
            }
        }
        // whatever delay the worker sets (SQS caps a visibility timeout at 12 h), the receives run out, and the
        // message moves to the dead-letter queue, before the queue's retention could delete it
        if (maxReceives < 1 || (long) maxReceives * SQS_MAX_VISIBILITY_SECONDS >= retention) {
            problems.add(queue + ": RedrivePolicy.maxReceiveCount " + maxReceives + " x SQS's 12 h longest visibility "
                    + "must end before the retention (" + retention + " s), or a message expires instead of reaching "
                    + "the dead-letter queue");
        }
        if (event.path("BatchSize").asInt(10) > 10) {
            problems.add(worker + ": BatchSize above 10 is not allowed on a FIFO queue");
        }
        boolean reports = false;
        for (JsonNode t : event.path("FunctionResponseTypes")) {
            reports |= "ReportBatchItemFailures".equals(t.asText());
        }
        if (!reports) {
            problems.add(worker + ": the SQS event needs FunctionResponseTypes [ReportBatchItemFailures], or one "
                    + "failed update returns the whole batch");
        }
        if (!hasPolicy(queued, fn, "SQSPollerPolicy", queue)) {
            problems.add(worker + ": needs SQSPollerPolicy on " + queue + " (ChangeMessageVisibility delays failures)");
        }
        if (!queue.equals(environment(queued, worker).path("RELAY_QUEUE_URL").path("Ref").asText())) {
            problems.add(worker + ": RELAY_QUEUE_URL must be !Ref " + queue + " (ChangeMessageVisibility needs it)");
        }
        functions(template).forEach((name, other) -> {
            if (name.equals(worker) || !queued.exists(other)) {
                return;
            }
            if (!queue.equals(environment(queued, name).path("RELAY_QUEUE_URL").path("Ref").asText())) {
                problems.add(name + ": in queued mode RELAY_QUEUE_URL must be !Ref " + queue);
            }
            if (!hasPolicy(queued, other, "SQSSendMessagePolicy", queue)) {
                problems.add(name + ": in queued mode needs SQSSendMessagePolicy on " + queue);
            }
        });
        return problems;
    }

    private static boolean hasPolicy(Stack stack, JsonNode function, String policyTemplate, String queue) {
        for (JsonNode p : stack.resolve(function.at("/Properties/Policies"))) {
            if (queue.equals(p.path(policyTemplate).at("/QueueName/Fn::GetAtt/0").asText())
                    && "QueueName".equals(p.path(policyTemplate).at("/QueueName/Fn::GetAtt/1").asText())) {
                return true;
            }
        }
        return false;
    }

    /** A function that calls ChartMogul: its per-container rate and how many containers may run (null: no bound). */
    record Caller(String function, double rate, Integer concurrency) {
    }

    /**
     * For every combination of the parameters' allowed values: the functions that call ChartMogul, each container's
     * CHARTMOGUL_RATE_LIMIT and the containers that may run at once. Together they stay under the planned share of
     * ChartMogul's 40 requests/s and 20 connections, and use most of it. The one setting allowed no bound is
     * {@link #BEST_EFFORT}, which the template documents as such.
     */
    static List<String> budgetProblems(JsonNode template) {
        List<String> problems = new ArrayList<>();
        for (Map<String, String> assignment : assignments(template)) {
            Stack stack = new Stack(template, assignment);
            String label = label(assignment);
            List<Caller> callers;
            try {
                callers = callers(template, stack);
            } catch (IllegalStateException e) {
                problems.add(label + ": " + e.getMessage());
                continue;
            }
            if (callers.isEmpty()) {
                problems.add(label + ": no function calls ChartMogul");
                continue;
            }
            boolean bounded = true;
            double rate = 0;
            int connections = 0;
            for (Caller c : callers) {
                if (c.concurrency() == null) {
                    bounded = false;
                    if (!assignment.entrySet().containsAll(BEST_EFFORT.entrySet())) {
                        problems.add(label + ": " + c.function() + " calls ChartMogul with no bound on its containers");
                    }
                } else {
                    rate += c.concurrency() * c.rate();
                    connections += c.concurrency();
                }
            }
            if (!bounded) {
                continue;
            }
            String sum = callers.stream().map(c -> c.function() + " " + c.concurrency() + " x " + c.rate())
                    .reduce((a, b) -> a + " + " + b).orElse("");
            if (rate > PLANNED_RATE + 1e-9) {
                problems.add(label + ": " + sum + " = " + round(rate) + " requests/s, over the planned "
                        + round(PLANNED_RATE) + " of ChartMogul's " + round(CHARTMOGUL_RATE));
            } else if (rate < 0.9 * PLANNED_RATE) {
                problems.add(label + ": " + sum + " = " + round(rate) + " requests/s leaves most of the planned "
                        + round(PLANNED_RATE) + " unused");
            }
            if (connections > PLANNED_CONNECTIONS) {
                problems.add(label + ": " + connections + " containers may hold a connection each, over the planned "
                        + PLANNED_CONNECTIONS + " of ChartMogul's " + CHARTMOGUL_CONNECTIONS);
            }
        }
        return problems;
    }

    /**
     * The functions that call ChartMogul in this stack: every function but those that send to the queue instead
     * (RELAY_QUEUE_URL set, no SQS event: the worker only uses the URL to delay failures).
     */
    static List<Caller> callers(JsonNode template, Stack stack) {
        List<Caller> callers = new ArrayList<>();
        functions(template).forEach((name, fn) -> {
            if (!stack.exists(fn)) {
                return;
            }
            JsonNode env = environment(stack, name);
            boolean worker = hasEventOfType(fn, "SQS");
            if (!worker && env.has("RELAY_QUEUE_URL")) {
                return;
            }
            String text = env.path("CHARTMOGUL_RATE_LIMIT").asText(null);
            if (text == null || !text.matches("\\d+(\\.\\d+)?")) {
                throw new IllegalStateException(name + ": CHARTMOGUL_RATE_LIMIT must be a number the app reads "
                        + "(requests/s), is " + env.path("CHARTMOGUL_RATE_LIMIT"));
            }
            double rate = Double.parseDouble(text);
            if (!(rate > 0 && rate <= CHARTMOGUL_RATE)) {
                throw new IllegalStateException(name + ": CHARTMOGUL_RATE_LIMIT " + text + " is outside the app's "
                        + "range (above 0, at most 40)");
            }
            JsonNode limit = worker
                    ? stack.resolve(eventOfType(fn, "SQS").at("/Properties/ScalingConfig/MaximumConcurrency"))
                    : stack.resolve(fn.at("/Properties/ReservedConcurrentExecutions"));
            Integer concurrency = null;
            if (limit != null && !limit.isMissingNode()) {
                if (!limit.asText().matches("\\d+")) {
                    throw new IllegalStateException(name + ": concurrency must be a whole number, is " + limit);
                }
                concurrency = Integer.parseInt(limit.asText());
                if (worker && (concurrency < 2 || concurrency > 1000)) {
                    throw new IllegalStateException(name + ": MaximumConcurrency " + concurrency
                            + " is outside SQS's range 2..1000");
                }
            }
            callers.add(new Caller(name, rate, concurrency));
        });
        return callers;
    }

    /**
     * Alarms, in queued mode: the update queue's dead-letter queue and the EventBridge failed-events queue not
     * empty, the worker's errors, and the age of the update queue's oldest message against a parameter.
     */
    static List<String> alarmProblems(JsonNode template) {
        List<String> problems = new ArrayList<>();
        Stack queued = new Stack(template, Map.of("DeliveryMode", "queued"));
        String worker = worker(template);
        String queue = workerQueue(template);
        String dlq = template.at("/Resources/" + queue + "/Properties/RedrivePolicy/deadLetterTargetArn/Fn::GetAtt/0")
                .asText();
        String failedEvents = eventOfType(template.at("/Resources/EventBridgeFunction"), "EventBridgeRule")
                .at("/Properties/DeadLetterConfig/Arn/Fn::GetAtt/0").asText();
        List<JsonNode> alarms = new ArrayList<>();
        resourcesOfType(template, "AWS::CloudWatch::Alarm").forEach((name, alarm) -> {
            if (queued.exists(alarm)) {
                alarms.add(queued.resolve(alarm.get("Properties")));
            }
        });
        requireAlarm(alarms, "AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName",
                v -> v.equals(getAtt(dlq, "QueueName")), false, "the update dead-letter queue " + dlq, problems);
        requireAlarm(alarms, "AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName",
                v -> v.equals(getAtt(failedEvents, "QueueName")), false,
                "the EventBridge failed-events queue " + failedEvents, problems);
        requireAlarm(alarms, "AWS/Lambda", "Errors", "FunctionName",
                v -> v.equals(JSON.createObjectNode().put("Ref", worker)), false, "the worker " + worker, problems);
        requireAlarm(alarms, "AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName",
                v -> v.equals(getAtt(queue, "QueueName")), true, "the update queue " + queue, problems);
        return problems;
    }

    private static void requireAlarm(List<JsonNode> alarms, String namespace, String metric, String dimension,
                                     java.util.function.Predicate<JsonNode> watched, boolean thresholdParameter,
                                     String what, List<String> problems) {
        for (JsonNode a : alarms) {
            JsonNode dims = a.path("Dimensions");
            if (namespace.equals(a.path("Namespace").asText()) && metric.equals(a.path("MetricName").asText())
                    && dims.size() == 1 && dimension.equals(dims.get(0).path("Name").asText())
                    && watched.test(dims.get(0).path("Value"))
                    && "GreaterThanThreshold".equals(a.path("ComparisonOperator").asText())
                    && (thresholdParameter ? a.path("Threshold").isTextual() : a.path("Threshold").asDouble(-1) == 0)) {
                return;
            }
        }
        problems.add("no alarm on " + namespace + " " + metric + " of " + what
                + (thresholdParameter ? " above a parameter's threshold" : " above 0"));
    }

    private static JsonNode getAtt(String resource, String attribute) {
        ObjectNode node = JSON.createObjectNode();
        node.putArray("Fn::GetAtt").add(resource).add(attribute);
        return node;
    }

    /**
     * SnapStart through the alias: every function publishes versions behind a literal AutoPublishAlias (SAM cannot
     * switch it by condition); SnapStart.ApplyOn follows the SnapStart parameter; and, because SAM names versions by
     * the literal template, every parameter reaching a function's versioned configuration is in its
     * VersionDescription (create-only: a change publishes a new version the alias moves to), which fits Lambda's 256.
     */
    static List<String> snapStartProblems(JsonNode template) {
        List<String> problems = new ArrayList<>();
        Stack on = new Stack(template, Map.of("SnapStart", "on"));
        Stack off = new Stack(template, Map.of("SnapStart", "off"));
        Map<String, String> longest = new HashMap<>();
        template.path("Parameters").properties().forEach(p -> p.getValue().path("AllowedValues").forEach(v -> {
            if (v.asText().length() > longest.getOrDefault(p.getKey(), "").length()) {
                longest.put(p.getKey(), v.asText());
            }
        }));
        // free text at its MaxLength; without one it has no bound, and the description none either
        Set<String> unbounded = new HashSet<>();
        template.path("Parameters").properties().forEach(p -> {
            if (!p.getValue().has("AllowedValues") && "String".equals(p.getValue().path("Type").asText())) {
                if (p.getValue().has("MaxLength")) {
                    // an ARN-shaped parameter is filled with colon-separated parts, so a Split of it still resolves
                    String filler = p.getValue().path("AllowedPattern").asText("").contains(":") ? "x:" : "x";
                    int length = p.getValue().get("MaxLength").asInt();
                    longest.put(p.getKey(), filler.repeat(length).substring(0, length));
                } else {
                    unbounded.add(p.getKey());
                }
            }
        });
        Stack wordy = new Stack(template, longest);
        functions(template).forEach((name, fn) -> {
            JsonNode props = mergedProperties(template, fn);
            JsonNode alias = props.path("AutoPublishAlias");
            if (!alias.isTextual() || !alias.asText().matches("(?!^[0-9]+$)[A-Za-z0-9_-]+")) {
                problems.add(name + ": AutoPublishAlias must be a literal alias name (SAM takes no condition "
                        + "there), is " + alias);
            }
            String applyOn = on.resolve(props.at("/SnapStart/ApplyOn")) == null ? ""
                    : on.resolve(props.at("/SnapStart/ApplyOn")).asText();
            if (!"PublishedVersions".equals(applyOn)) {
                problems.add(name + ": with SnapStart=on, SnapStart.ApplyOn must be PublishedVersions, is " + applyOn);
            }
            JsonNode offValue = off.resolve(props.at("/SnapStart/ApplyOn"));
            if (offValue != null && !offValue.isMissingNode() && !"None".equals(offValue.asText())) {
                problems.add(name + ": with SnapStart=off, SnapStart.ApplyOn must be None, is " + offValue.asText());
            }
            JsonNode description = fn.at("/Properties/VersionDescription");
            JsonNode subArg = description.path("Fn::Sub");
            String sub = subArg.isArray() ? subArg.path(0).asText("") : subArg.asText("");
            Set<String> named = new HashSet<>();
            Matcher m = Pattern.compile("\\$\\{([^!}][^}]*)}").matcher(sub);
            while (m.find()) {
                named.add(m.group(1));
            }
            if (subArg.isArray()) {
                // a variable of the two-argument form names the parameters its value refers to
                subArg.path(1).findValues("Ref").forEach(r -> named.add(r.asText()));
            }
            Set<String> reaching = versionedParameters(template, props);
            reaching.removeAll(named);
            if (!reaching.isEmpty()) {
                problems.add(name + ": VersionDescription must name every parameter that reaches the function's "
                        + "configuration, or changing it leaves the alias on the old version; missing " + reaching);
            }
            named.stream().filter(unbounded::contains).forEach(p -> problems.add(name + ": VersionDescription names "
                    + p + ", a free-text parameter without MaxLength, so it can exceed Lambda's 256 characters"));
            JsonNode rendered = wordy.resolve(description);
            if (rendered == null || !rendered.isTextual() || rendered.asText().length() > 256) {
                problems.add(name + ": VersionDescription must render to at most 256 characters, renders to "
                        + rendered);
            }
        });
        return problems;
    }

    /** Properties that belong to the function or its role, not to a published version's configuration. */
    private static final Set<String> UNVERSIONED = Set.of("Events", "Policies", "ReservedConcurrentExecutions",
            "EventInvokeConfig", "AutoPublishAlias", "VersionDescription", "Description");

    /** The parameters a function's versioned configuration depends on: through Ref, Sub, FindInMap and conditions. */
    private static Set<String> versionedParameters(JsonNode template, JsonNode properties) {
        Set<String> found = new HashSet<>();
        properties.properties().forEach(e -> {
            if (!UNVERSIONED.contains(e.getKey())) {
                collectParameters(template, e.getValue(), found, new HashSet<>());
            }
        });
        return found;
    }

    private static void collectParameters(JsonNode template, JsonNode node, Set<String> found,
                                          Set<String> seenConditions) {
        Set<String> parameters = new HashSet<>();
        template.path("Parameters").fieldNames().forEachRemaining(parameters::add);
        walk(node, "", (path, n) -> {
            if (!n.isObject() || n.size() != 1) {
                return;
            }
            String key = n.fieldNames().next();
            JsonNode arg = n.get(key);
            List<String> conditions = new ArrayList<>();
            switch (key) {
                case "Ref" -> {
                    if (parameters.contains(arg.asText())) {
                        found.add(arg.asText());
                    }
                }
                case "Fn::Sub" -> {
                    Matcher m = Pattern.compile("\\$\\{([^!}][^}]*)}").matcher(arg.isArray() ? arg.path(0).asText()
                            : arg.asText());
                    while (m.find()) {
                        if (parameters.contains(m.group(1))) {
                            found.add(m.group(1));
                        }
                    }
                }
                case "Fn::If" -> conditions.add(arg.path(0).asText());
                case "Condition" -> conditions.add(arg.asText());
                default -> {
                }
            }
            for (String c : conditions) {
                if (seenConditions.add(c)) {
                    collectParameters(template, template.at("/Conditions/" + c), found, seenConditions);
                }
            }
        });
    }

    /**
     * Ref, GetAtt, Sub, FindInMap and condition names that point at nothing: typos the schema cannot see. A
     * resource that exists only under a condition may be referred to only where that condition holds (a resource
     * or output with the same Condition, or the true branch of an Fn::If on it); elsewhere the deploy fails for
     * the settings where it does not exist.
     */
    static List<String> referenceProblems(JsonNode template) {
        Map<String, String> declared = new HashMap<>(); // name -> the condition it exists under ("" for always)
        for (String pseudo : List.of("AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition",
                "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix")) {
            declared.put(pseudo, "");
        }
        template.path("Parameters").fieldNames().forEachRemaining(p -> declared.put(p, ""));
        template.path("Resources").properties().forEach(e ->
                declared.put(e.getKey(), e.getValue().path("Condition").asText("")));
        // SAM names the resources an event generates <function><event> (e.g. the EventBridge rule), and the
        // function's role <function>Role; they exist when the function does
        functions(template).forEach((fn, resource) -> {
            String condition = resource.path("Condition").asText("");
            resource.at("/Properties/Events").fieldNames().forEachRemaining(e -> declared.put(fn + e, condition));
            declared.put(fn + "Role", condition);
        });
        Set<String> conditions = new HashSet<>();
        template.path("Conditions").fieldNames().forEachRemaining(conditions::add);

        List<String> problems = new ArrayList<>();
        References refs = new References(template, declared, conditions, problems);
        template.properties().forEach(section -> {
            String path = "/" + section.getKey();
            if (Set.of("Resources", "Outputs").contains(section.getKey())) {
                section.getValue().properties().forEach(e -> {
                    Set<String> holds = new HashSet<>();
                    JsonNode condition = e.getValue().path("Condition");
                    if (condition.isTextual()) {
                        refs.requireCondition(condition.asText(), path + "/" + e.getKey() + "/Condition");
                        holds.add(condition.asText());
                    }
                    refs.check(e.getValue(), path + "/" + e.getKey(), holds);
                });
            } else if (!section.getKey().equals("Mappings")) {
                refs.check(section.getValue(), path, Set.of());
            }
        });
        return problems;
    }

    private record References(JsonNode template, Map<String, String> declared, Set<String> conditions,
                              List<String> problems) {
        private static final Pattern SUB_NAME = Pattern.compile("\\$\\{([^!}][^}]*)}");

        void check(JsonNode node, String path, Set<String> holds) {
            if (node.isObject() && node.size() == 1) {
                String key = node.fieldNames().next();
                JsonNode arg = node.get(key);
                switch (key) {
                    case "Ref" -> require(arg.asText(), path, holds);
                    case "Fn::GetAtt" -> require(arg.path(0).asText(), path, holds);
                    case "Fn::Sub" -> {
                        Set<String> local = new HashSet<>();
                        if (arg.isArray()) {
                            arg.path(1).fieldNames().forEachRemaining(local::add);
                        }
                        Matcher m = SUB_NAME.matcher(arg.isArray() ? arg.path(0).asText() : arg.asText());
                        while (m.find()) {
                            String name = m.group(1).split("\\.")[0];
                            if (!local.contains(name)) {
                                require(name, path, holds);
                            }
                        }
                    }
                    case "Fn::If" -> {
                        String condition = arg.path(0).asText();
                        requireCondition(condition, path);
                        Set<String> then = new HashSet<>(holds);
                        then.add(condition);
                        check(arg.path(1), path + "/Fn::If/1", then);
                        check(arg.path(2), path + "/Fn::If/2", holds);
                        return;
                    }
                    case "Fn::FindInMap" -> requireMapping(arg, path);
                    case "Condition" -> {
                        if (arg.isTextual()) {
                            requireCondition(arg.asText(), path);
                        }
                    }
                    default -> {
                    }
                }
            }
            if (node.isObject()) {
                node.properties().forEach(e -> check(e.getValue(), path + "/" + e.getKey(), holds));
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    check(node.get(i), path + "/" + i, holds);
                }
            }
        }

        void require(String name, String path, Set<String> holds) {
            String condition = declared.get(name);
            if (condition == null) {
                problems.add(path + ": " + name + " is not declared in template.yaml");
            } else if (!condition.isEmpty() && !holds.contains(condition)) {
                problems.add(path + ": " + name + " exists only when " + condition + " holds, which is not certain "
                        + "here (give the referring resource Condition: " + condition + ", or use !If ["
                        + condition + ", ...])");
            }
        }

        void requireCondition(String name, String path) {
            if (!conditions.contains(name)) {
                problems.add(path + ": condition " + name + " is not declared in template.yaml");
            }
        }

        /** The mapping exists, and so does the row for every value its key can take (a literal or a parameter). */
        void requireMapping(JsonNode arg, String path) {
            String map = arg.path(0).asText();
            JsonNode mapping = template.path("Mappings").path(map);
            if (!mapping.isObject()) {
                problems.add(path + ": mapping " + map + " is not declared in template.yaml");
                return;
            }
            JsonNode key = arg.path(1);
            List<String> keys = new ArrayList<>();
            if (key.isTextual() || key.isNumber()) {
                keys.add(key.asText());
            } else if (key.has("Ref") && template.at("/Parameters/" + key.path("Ref").asText()).has("AllowedValues")) {
                template.at("/Parameters/" + key.path("Ref").asText() + "/AllowedValues")
                        .forEach(v -> keys.add(v.asText()));
            } else {
                problems.add(path + ": the key of Fn::FindInMap " + map + " must be a literal or a parameter with "
                        + "AllowedValues, so every row can be checked; is " + key);
                return;
            }
            String attribute = arg.path(2).asText();
            for (String k : keys) {
                if (mapping.path(k).path(attribute).isMissingNode()) {
                    problems.add(path + ": mapping " + map + " has no " + k + "/" + attribute);
                }
            }
        }
    }

    // ---- template helpers

    private static Map<String, JsonNode> resourcesOfType(JsonNode template, String type) {
        Map<String, JsonNode> found = new LinkedHashMap<>();
        template.path("Resources").properties().forEach(e -> {
            if (type.equals(e.getValue().path("Type").asText())) {
                found.put(e.getKey(), e.getValue());
            }
        });
        return found;
    }

    /** The function with the SQS event: queued mode's worker. */
    static String worker(JsonNode template) {
        for (Map.Entry<String, JsonNode> fn : functions(template).entrySet()) {
            if (hasEventOfType(fn.getValue(), "SQS")) {
                return fn.getKey();
            }
        }
        throw new AssertionError("no function has an SQS event");
    }

    /** The queue the worker's SQS event reads. */
    private static String workerQueue(JsonNode template) {
        return eventOfType(template.at("/Resources/" + worker(template)), "SQS").at("/Properties/Queue/Fn::GetAtt/0")
                .asText();
    }

    /** A function's environment variables as deployed in this stack: Globals merged in, intrinsics applied. */
    private static JsonNode environment(Stack stack, String function) {
        JsonNode merged = mergedProperties(stack.template, stack.template.at("/Resources/" + function));
        JsonNode resolved = stack.resolve(merged.at("/Environment/Variables"));
        return resolved == null ? JSON.createObjectNode() : resolved;
    }

    /**
     * A function's properties with Globals.Function merged in as SAM does: maps merged key by key, lists added to,
     * anything else (intrinsic functions included) taken from the function.
     */
    private static JsonNode mergedProperties(JsonNode template, JsonNode function) {
        JsonNode globals = template.path("Globals").path("Function");
        ObjectNode merged = globals.isObject() ? globals.deepCopy() : JSON.createObjectNode();
        mergeInto(merged, function.path("Properties"));
        return merged;
    }

    private static void mergeInto(ObjectNode target, JsonNode source) {
        source.properties().forEach(e -> {
            JsonNode mine = target.get(e.getKey());
            JsonNode theirs = e.getValue();
            if (mine != null && mine.isObject() && theirs.isObject() && !isIntrinsic(mine) && !isIntrinsic(theirs)) {
                ObjectNode copy = mine.deepCopy();
                mergeInto(copy, theirs);
                target.set(e.getKey(), copy);
            } else if (mine != null && mine.isArray() && theirs.isArray()) {
                ArrayNode copy = mine.deepCopy();
                copy.addAll((ArrayNode) theirs.deepCopy());
                target.set(e.getKey(), copy);
            } else {
                target.set(e.getKey(), theirs.deepCopy());
            }
        });
    }

    private static boolean isIntrinsic(JsonNode node) {
        if (!node.isObject() || node.size() != 1) {
            return false;
        }
        String key = node.fieldNames().next();
        return key.equals("Ref") || key.equals("Condition") || key.startsWith("Fn::");
    }

    /** Every combination of the values that the parameters with AllowedValues allow. */
    private static List<Map<String, String>> assignments(JsonNode template) {
        List<Map<String, String>> all = new ArrayList<>();
        all.add(new LinkedHashMap<>());
        template.path("Parameters").properties().forEach(p -> {
            if (!p.getValue().has("AllowedValues")) {
                return;
            }
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> partial : all) {
                for (JsonNode v : p.getValue().get("AllowedValues")) {
                    Map<String, String> a = new LinkedHashMap<>(partial);
                    a.put(p.getKey(), v.asText());
                    next.add(a);
                }
            }
            all.clear();
            all.addAll(next);
        });
        return all;
    }

    private static String label(Map<String, String> assignment) {
        StringBuilder s = new StringBuilder();
        assignment.forEach((k, v) -> s.append(s.length() == 0 ? "" : " ").append(k).append('=').append(v));
        return s.toString();
    }

    private static String round(double v) {
        return BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    /**
     * The template as one set of parameter values deploys it: parameters, conditions, Fn::If, Fn::FindInMap and
     * parameter-only Fn::Sub evaluated; Ref and GetAtt of resources left as they are; AWS::NoValue removes its entry.
     * Parameters not given take their Default, those without one a sample value from {@link #REQUIRED_PARAMETERS}.
     */
    static final class Stack {
        final JsonNode template;
        private final Map<String, String> parameters = new LinkedHashMap<>();

        Stack(JsonNode template, Map<String, String> given) {
            this.template = template;
            template.path("Parameters").properties().forEach(p -> {
                JsonNode d = p.getValue().get("Default");
                String value = d != null ? d.asText() : REQUIRED_PARAMETERS.get(p.getKey());
                if (value != null) {
                    parameters.put(p.getKey(), value);
                }
            });
            given.forEach((k, v) -> {
                if (!template.path("Parameters").has(k)) {
                    throw new IllegalArgumentException("template.yaml has no parameter " + k);
                }
                parameters.put(k, v);
            });
        }

        boolean condition(String name) {
            JsonNode c = template.path("Conditions").path(name);
            if (c.isMissingNode()) {
                throw new IllegalStateException("condition " + name + " is not declared");
            }
            return truth(c);
        }

        /** Whether a resource (or output) is created: its Condition holds, or it has none. */
        boolean exists(JsonNode resource) {
            JsonNode c = resource.path("Condition");
            return !c.isTextual() || condition(c.asText());
        }

        private boolean truth(JsonNode c) {
            String key = c.isObject() && c.size() == 1 ? c.fieldNames().next() : "";
            JsonNode arg = c.path(key);
            return switch (key) {
                case "Fn::Equals" -> text(resolve(arg.get(0))).equals(text(resolve(arg.get(1))));
                case "Fn::Not" -> !truth(arg.get(0));
                case "Fn::And" -> {
                    boolean all = true;
                    for (JsonNode a : arg) {
                        all &= truth(a);
                    }
                    yield all;
                }
                case "Fn::Or" -> {
                    boolean any = false;
                    for (JsonNode a : arg) {
                        any |= truth(a);
                    }
                    yield any;
                }
                case "Condition" -> condition(arg.asText());
                default -> throw new IllegalStateException("not a condition: " + c);
            };
        }

        private static String text(JsonNode node) {
            if (node == null || !node.isValueNode()) {
                throw new IllegalStateException("cannot compare " + node + " before deployment");
            }
            return node.asText();
        }

        /** @return the value deployed, or null where AWS::NoValue removes it */
        JsonNode resolve(JsonNode node) {
            if (node == null || node.isMissingNode()) {
                return node;
            }
            if (node.isObject() && node.size() == 1) {
                String key = node.fieldNames().next();
                JsonNode arg = node.get(key);
                switch (key) {
                    case "Ref" -> {
                        if (arg.asText().equals("AWS::NoValue")) {
                            return null;
                        }
                        String value = parameters.get(arg.asText());
                        return value != null ? JSON.getNodeFactory().textNode(value) : node;
                    }
                    case "Fn::If" -> {
                        return resolve(condition(arg.path(0).asText()) ? arg.path(1) : arg.path(2));
                    }
                    case "Fn::FindInMap" -> {
                        String map = text(resolve(arg.get(0)));
                        String row = text(resolve(arg.get(1)));
                        String attribute = text(resolve(arg.get(2)));
                        JsonNode value = template.path("Mappings").path(map).path(row).path(attribute);
                        if (value.isMissingNode()) {
                            throw new IllegalStateException("Fn::FindInMap: mapping " + map + " has no " + row + "/"
                                    + attribute);
                        }
                        return value;
                    }
                    case "Fn::Select" -> {
                        JsonNode list = resolve(arg.get(1));
                        int index = Integer.parseInt(text(resolve(arg.get(0))));
                        if (list == null || !list.isArray() || index >= list.size()) {
                            throw new IllegalStateException("Fn::Select: no item " + index + " in " + list);
                        }
                        return list.get(index);
                    }
                    case "Fn::Split" -> {
                        JsonNode source = resolve(arg.get(1));
                        if (source != null && source.isTextual()) {
                            var parts = JSON.createArrayNode();
                            for (String part : source.asText().split(Pattern.quote(text(arg.get(0))), -1)) {
                                parts.add(part);
                            }
                            return parts;
                        }
                    }
                    case "Fn::Sub" -> {
                        // the two-argument form: its own variables first, then the parameters
                        Map<String, String> vars = new HashMap<>();
                        if (arg.isArray() && arg.size() == 2 && arg.get(0).isTextual()) {
                            arg.get(1).properties().forEach(v -> {
                                JsonNode value = resolve(v.getValue());
                                if (value != null && value.isValueNode()) {
                                    vars.put(v.getKey(), value.asText());
                                }
                            });
                            arg = arg.get(0);
                        }
                        if (arg.isTextual()) {
                            Matcher m = Pattern.compile("\\$\\{([^!}][^}]*)}").matcher(arg.asText());
                            StringBuilder out = new StringBuilder();
                            boolean whole = true;
                            while (m.find()) {
                                String value = vars.containsKey(m.group(1)) ? vars.get(m.group(1))
                                        : parameters.get(m.group(1));
                                whole &= value != null;
                                m.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : m.group()));
                            }
                            m.appendTail(out);
                            return whole ? JSON.getNodeFactory().textNode(out.toString())
                                    : JSON.createObjectNode().put("Fn::Sub", out.toString());
                        }
                    }
                    default -> {
                    }
                }
            }
            if (node.isObject()) {
                ObjectNode copy = JSON.createObjectNode();
                node.properties().forEach(e -> {
                    JsonNode v = resolve(e.getValue());
                    if (v != null) {
                        copy.set(e.getKey(), v);
                    }
                });
                return copy;
            }
            if (node.isArray()) {
                ArrayNode copy = JSON.createArrayNode();
                node.forEach(e -> {
                    JsonNode v = resolve(e);
                    if (v != null) {
                        copy.add(v);
                    }
                });
                return copy;
            }
            return node;
        }
    }

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

    static JsonNode json(String text) throws IOException {
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
}
