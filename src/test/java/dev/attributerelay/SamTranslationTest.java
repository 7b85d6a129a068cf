package dev.attributerelay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * template.yaml as SAM's own translator turns it into CloudFormation, where SAM adds what the template does not
 * say: the roles (with AWSLambdaSQSQueueExecutionRole for the worker), the HTTP API's stage. Skipped where
 * Python's aws-sam-translator package is not installed; SamTemplateTest checks what the template declares.
 */
class SamTranslationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonNode queued;

    @BeforeAll
    static void translate() throws Exception {
        queued = transform("DeliveryMode=queued");
    }

    @Test
    void theWorkersRoleCarriesTheBoundaryThatLimitsSqsToTheStacksQueues() {
        JsonNode role = queued.at("/Resources/QueueWorkerFunctionRole/Properties");
        assertThat(role.path("ManagedPolicyArns").toString()).contains("AWSLambdaSQSQueueExecutionRole");
        assertThat(role.at("/PermissionsBoundary/Ref").asText()).isEqualTo("QueueWorkerBoundary");
        JsonNode boundary = queued.at("/Resources/QueueWorkerBoundary/Properties/PolicyDocument/Statement");
        List<String> sqsResources = new ArrayList<>();
        for (JsonNode st : boundary) {
            if (st.has("NotAction")) {
                assertThat(st.get("NotAction").asText()).isEqualTo("sqs:*");
            } else {
                st.path("Resource").forEach(r -> sqsResources.add(r.toString()));
            }
        }
        assertThat(sqsResources).containsExactlyInAnyOrder("{\"Fn::GetAtt\":[\"UpdateQueue\",\"Arn\"]}",
                "{\"Fn::GetAtt\":[\"HeldQueue\",\"Arn\"]}");
    }

    @Test
    void theHttpApiStageThrottlesEveryRoute() {
        JsonNode stage = null;
        for (JsonNode r : queued.path("Resources")) {
            if (r.path("Type").asText().equals("AWS::ApiGatewayV2::Stage")) {
                stage = r;
            }
        }
        assertThat(stage).isNotNull();
        assertThat(stage.at("/Properties/DefaultRouteSettings/ThrottlingRateLimit/Ref").asText())
                .isEqualTo("ApiThrottlingRateLimit");
        assertThat(stage.at("/Properties/DefaultRouteSettings/ThrottlingBurstLimit/Ref").asText())
                .isEqualTo("ApiThrottlingBurstLimit");
    }

    @Test
    void everyFunctionLogsToItsOwnGroupInJson() {
        for (String fn : List.of("ApiGatewayFunction", "EventBridgeFunction", "QueueWorkerFunction")) {
            JsonNode logging = queued.at("/Resources/" + fn + "/Properties/LoggingConfig");
            assertThat(logging.path("LogFormat").asText()).as(fn).isEqualTo("JSON");
            String group = logging.at("/LogGroup/Ref").asText();
            assertThat(queued.at("/Resources/" + group + "/Type").asText()).as(fn).isEqualTo("AWS::Logs::LogGroup");
        }
    }

    private static JsonNode transform(String... parameters) throws Exception {
        Path script = Path.of("src/test/resources/sam/transform.py");
        List<String> command = new ArrayList<>(List.of("python3", script.toString(), "template.yaml",
                "ChartMogulSecretArn=arn:aws:secretsmanager:eu-central-1:123456789012:secret:relay-AbCdEf"));
        command.addAll(List.of(parameters));
        Path out = Files.createTempFile("sam-transform", ".json");
        Path err = Files.createTempFile("sam-transform", ".err");
        try {
            Process p;
            try {
                p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            } catch (IOException e) {
                assumeTrue(false, "python3 is not installed: SAM's translator cannot run here");
                return null;
            }
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("SAM's translator did not finish within 120 s");
            }
            String errors = Files.readString(err, StandardCharsets.UTF_8);
            assumeTrue(!errors.contains("No module named 'samtranslator'"),
                    "Python's aws-sam-translator package is not installed (pip install aws-sam-translator)");
            assertThat(p.exitValue()).as("SAM's translator failed:\n" + errors).isZero();
            return JSON.readTree(out.toFile());
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
