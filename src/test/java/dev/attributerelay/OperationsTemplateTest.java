package dev.attributerelay;

import static dev.attributerelay.SamTemplateTest.JSON;
import static dev.attributerelay.SamTemplateTest.boundaryProblems;
import static dev.attributerelay.SamTemplateTest.dashboardProblems;
import static dev.attributerelay.SamTemplateTest.defaultBoundProblems;
import static dev.attributerelay.SamTemplateTest.directAlarmProblems;
import static dev.attributerelay.SamTemplateTest.json;
import static dev.attributerelay.SamTemplateTest.logGroupProblems;
import static dev.attributerelay.SamTemplateTest.queryProblems;
import static dev.attributerelay.SamTemplateTest.throttlingProblems;
import static dev.attributerelay.SamTemplateTest.worker;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What on-call and a security reviewer need from template.yaml: log groups with a retention, the worker's SQS
 * access bounded to its own queues, HTTP API throttling, ChartMogul's rate bounded by the default parameters,
 * alarms that work in direct mode too (with recovery), the dashboard, saved queries, and a VersionDescription
 * within Lambda's limit. The checks live beside SamTemplateTest's; these need no SAM schema, so they stand alone.
 */
class OperationsTemplateTest {
    private static ObjectNode template;

    @BeforeAll
    static void load() throws IOException {
        template = (ObjectNode) dev.attributerelay.testing.CloudFormationYaml.read(Files.readString(Path.of("template.yaml")));
    }

    @Test
    void everyFunctionLogsToAGroupOfTheStackWithTheRetentionParameter() {
        assertThat(template.at("/Parameters/LogRetentionDays/Default").asInt()).isEqualTo(30);
        assertThat(logGroupProblems(template)).isEmpty();
    }

    @Test
    void aFunctionLoggingToLambdasOwnGroupIsCaught() {
        ObjectNode broken = template.deepCopy();
        ((ObjectNode) broken.at("/Resources/" + worker(template) + "/Properties/LoggingConfig")).remove("LogGroup");

        assertThat(logGroupProblems(broken)).anySatisfy(p -> assertThat(p).contains(worker(template)));
    }

    @Test
    void aLogGroupKeptForeverIsCaught() {
        ObjectNode broken = template.deepCopy();
        ((ObjectNode) broken.at("/Resources/ApiGatewayLogGroup/Properties")).remove("RetentionInDays");

        assertThat(logGroupProblems(broken)).anySatisfy(p -> assertThat(p).contains("ApiGatewayLogGroup"));
    }

    @Test
    void theWorkersSqsAccessIsBoundedToItsOwnQueues() {
        assertThat(boundaryProblems(template)).isEmpty();
    }

    @Test
    void aWorkerWithoutABoundaryIsCaught() {
        ObjectNode broken = template.deepCopy();
        ((ObjectNode) broken.at("/Resources/" + worker(template) + "/Properties")).remove("PermissionsBoundary");

        assertThat(boundaryProblems(broken)).anySatisfy(p -> assertThat(p).contains("AWSLambdaSQSQueueExecutionRole"));
    }

    @Test
    void aBoundaryThatAllowsEveryQueueIsCaught() {
        ObjectNode broken = template.deepCopy();
        ((ObjectNode) broken.at("/Resources/QueueWorkerBoundary/Properties/PolicyDocument/Statement/1"))
                .put("Resource", "*");

        assertThat(boundaryProblems(broken)).anySatisfy(p -> assertThat(p).contains("*"));
    }

    @Test
    void aQueueTheWorkerIsGivenButTheBoundaryLacksIsCaught() throws IOException {
        ObjectNode broken = template.deepCopy();
        ((ArrayNode) broken.at("/Resources/" + worker(template) + "/Properties/Policies")).add(
                json("{\"SQSSendMessagePolicy\": {\"QueueName\": {\"Fn::GetAtt\": [\"FailedEventsQueue\", \"QueueName\"]}}}"));

        assertThat(boundaryProblems(broken)).anySatisfy(p -> assertThat(p).contains("FailedEventsQueue"));
    }

    @Test
    void theHttpApiThrottlesEveryRouteByParameters() {
        assertThat(throttlingProblems(template)).isEmpty();
    }

    @Test
    void anUnthrottledHttpApiIsCaught() {
        ObjectNode broken = template.deepCopy();
        ((ObjectNode) broken.at("/Resources/WebhookApi/Properties")).remove("DefaultRouteSettings");

        assertThat(throttlingProblems(broken)).isNotEmpty();
    }

    @Test
    void theDefaultParametersCannotExceedChartMogulsRate() {
        assertThat(defaultBoundProblems(template)).isEmpty();
    }

    @Test
    void directUnreservedByDefaultIsCaught() {
        ObjectNode broken = template.deepCopy();
        ((ObjectNode) broken.at("/Parameters/DeliveryMode")).put("Default", "direct");

        assertThat(defaultBoundProblems(broken)).anySatisfy(p -> assertThat(p).contains("ApiGatewayFunction"));
    }

    @Test
    void directModeHasAlarmsOnTheFunctionsAndTheRelaysOutcomesWithRecovery() {
        assertThat(directAlarmProblems(template)).isEmpty();
    }

    @Test
    void anAlarmOnADimensionSetTheAppDoesNotEmitIsCaught() {
        ObjectNode broken = template.deepCopy();
        ((ObjectNode) broken.at("/Resources/RelayUnauthorizedAlarm/Properties/Dimensions/0")).put("Name", "status");

        assertThat(directAlarmProblems(broken)).anySatisfy(p -> assertThat(p).contains("RelayUnauthorizedAlarm"));
    }

    @Test
    void anAlarmWithoutRecoveryNotificationIsCaught() {
        ObjectNode broken = template.deepCopy();
        ((ObjectNode) broken.at("/Resources/RelayHeldAlarm/Properties")).remove("OKActions");

        assertThat(directAlarmProblems(broken)).anySatisfy(p -> assertThat(p).contains("RelayHeldAlarm"));
    }

    @Test
    void theDashboardIsJsonAndShowsWhatOnCallLooksAtInBothModes() {
        assertThat(dashboardProblems(template)).isEmpty();
    }

    @Test
    void aDashboardWithoutQueueAgeIsCaught() {
        ObjectNode broken = template.deepCopy();
        ArrayNode sub = (ArrayNode) broken.at("/Resources/OperationsDashboard/Properties/DashboardBody/Fn::Sub");
        sub.set(0, JSON.getNodeFactory().textNode(sub.get(0).asText().replace("ApproximateAgeOfOldestMessage", "x")));

        assertThat(dashboardProblems(broken)).anySatisfy(p -> assertThat(p).contains("ApproximateAgeOfOldestMessage"));
    }

    @Test
    void savedQueriesAnswerOnCallsQuestionsOverEveryFunctionsLogs() {
        assertThat(queryProblems(template)).isEmpty();
    }

    @Test
    void aSavedQueryMissingTheWorkersLogsIsCaught() {
        ObjectNode broken = template.deepCopy();
        ((ArrayNode) broken.at("/Resources/EventIdQuery/Properties/LogGroupNames")).remove(2);

        assertThat(queryProblems(broken)).anySatisfy(p -> assertThat(p).contains("EventIdQuery"));
    }

    @Test
    void versionDescriptionFitsEvenWithEveryParameterAtItsLongest() {
        assertThat(SamTemplateTest.snapStartProblems(template)).isEmpty();
        ObjectNode broken = template.deepCopy();
        ((ObjectNode) broken.at("/Parameters/ChartMogulSecretArn")).put("MaxLength", 2048);

        assertThat(SamTemplateTest.snapStartProblems(broken)).anySatisfy(p -> assertThat(p).contains("256"));
    }

    @Test
    void aFreeTextParameterWithoutMaxLengthInVersionDescriptionIsCaught() {
        ObjectNode broken = template.deepCopy();
        ((ObjectNode) broken.at("/Parameters/RelayConfigPath")).remove("MaxLength");

        assertThat(SamTemplateTest.snapStartProblems(broken)).anySatisfy(p -> assertThat(p).contains("RelayConfigPath"));
    }

}
