package dev.attributerelay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attributerelay.testing.CloudFormationYaml;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** template.yaml's held queue (DESIGN §3), in both modes: 14 days, alarmed, named to and writable by every function. */
class HeldQueueTemplateTest {

    static JsonNode template() throws Exception {
        return CloudFormationYaml.read(Files.readString(Path.of("template.yaml")));
    }

    @Test
    void theHeldQueueExistsInBothModesKeepsFourteenDaysAndIsAlarmed() throws Exception {
        JsonNode t = template();
        JsonNode queue = t.at("/Resources/HeldQueue");
        assertThat(queue.path("Type").asText()).isEqualTo("AWS::SQS::Queue");
        assertThat(queue.has("Condition")).as("both modes").isFalse();
        assertThat(queue.at("/Properties/FifoQueue").asBoolean(false)).as("a standard queue").isFalse();
        assertThat(queue.at("/Properties/MessageRetentionPeriod").asInt()).isEqualTo(14 * 24 * 3600);

        JsonNode alarm = t.at("/Resources/HeldQueueAlarm/Properties");
        assertThat(alarm.path("MetricName").asText()).isEqualTo("ApproximateNumberOfMessagesVisible");
        assertThat(alarm.at("/Dimensions/0/Value").toString()).contains("HeldQueue");
        assertThat(alarm.path("Threshold").asInt()).isZero();
        assertThat(t.at("/Outputs/HeldQueueUrl/Value").toString()).contains("HeldQueue");
    }

    @Test
    void everyFunctionIsToldTheHeldQueueAndMayWriteToIt() throws Exception {
        JsonNode t = template();
        assertThat(t.at("/Globals/Function/Environment/Variables/RELAY_HELD_QUEUE_URL").toString()).contains("HeldQueue");
        for (String fn : new String[] {"ApiGatewayFunction", "EventBridgeFunction", "QueueWorkerFunction"}) {
            JsonNode policies = t.at("/Resources/" + fn + "/Properties/Policies");
            boolean sends = false;
            for (JsonNode p : policies) {
                if (p.has("SQSSendMessagePolicy") && p.at("/SQSSendMessagePolicy/QueueName").toString().contains("HeldQueue")) {
                    sends = true;
                }
            }
            assertThat(sends).as(fn + " may send to the held queue").isTrue();
            assertThat(t.at("/Resources/" + fn + "/Properties/Environment/Variables").has("RELAY_HELD_QUEUE_URL"))
                    .as(fn + " does not override it away").isFalse();
        }
    }
}
