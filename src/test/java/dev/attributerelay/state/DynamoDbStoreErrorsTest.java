package dev.attributerelay.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attributerelay.Wiring;
import dev.attributerelay.chartmogul.Deadline;
import dev.attributerelay.testing.FakeAwsJson;
import dev.attributerelay.testing.FakeAwsJson.Answer;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the state table's store makes of DynamoDB's error answers, over real HTTP: the store as Wiring builds it
 * from the environment, against a loopback endpoint answering as DynamoDB does when it throttles, fails or hangs
 * (dynalite does none of these on demand).
 */
class DynamoDbStoreErrorsTest {
    private static final String PREFIX = "com.amazonaws.dynamodb.v20120810#";
    FakeAwsJson dynamo;
    StateStore store;
    final Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @BeforeEach
    void start() throws IOException {
        dynamo = new FakeAwsJson();
        store = Wiring.stateStore(Map.of("RELAY_STATE_TABLE", "relay-state", "AWS_ENDPOINT_URL_DYNAMODB",
                dynamo.url().toString(), "AWS_REGION", "eu-west-1", "AWS_ACCESS_KEY_ID", "test",
                "AWS_SECRET_ACCESS_KEY", "test"));
    }

    @AfterEach
    void stop() {
        dynamo.close();
    }

    @Test
    void aLeaseHeldElsewhereIsAnAnswerNotAnError() {
        dynamo.enqueue(Answer.error(400, PREFIX + "ConditionalCheckFailedException", "The conditional request failed"));

        assertThat(store.tryLease("cus_1", "me", now, now.plusSeconds(5), deadline(Duration.ofSeconds(5)))).isNull();
        assertThat(dynamo.requests()).hasSize(1);
        assertThat(dynamo.requests().get(0).header("X-Amz-Target")).isEqualTo("DynamoDB_20120810.UpdateItem");
        assertThat(dynamo.requests().get(0).text()).contains("\"TableName\":\"relay-state\"")
                .contains("\"ConditionExpression\":\"attribute_not_exists(lease_until) OR lease_until < :now\"")
                .contains("\":now\":{\"N\":\"" + now.toEpochMilli() + "\"}");
    }

    @Test
    void aFailedLookupLeaseSaysFromTheItemDynamoDbHandsBackWhetherTheReferenceIsResolvedOrBusy() {
        String until = Long.toString(now.plusSeconds(60).toEpochMilli());
        dynamo.enqueue(new Answer(400, "{\"__type\":\"" + PREFIX + "ConditionalCheckFailedException\","
                        + "\"message\":\"The conditional request failed\",\"Item\":{\"pk\":{\"S\":\"ref#r\"},"
                        + "\"uuid\":{\"S\":\"cus_9\"},\"resolved_until\":{\"N\":\"" + until + "\"}}}", null, 0),
                new Answer(400, "{\"__type\":\"" + PREFIX + "ConditionalCheckFailedException\","
                        + "\"message\":\"The conditional request failed\",\"Item\":{\"pk\":{\"S\":\"ref#r\"},"
                        + "\"lookup_owner\":{\"S\":\"other\"},\"lookup_until\":{\"N\":\"" + until + "\"}}}", null, 0));

        assertThat(store.startLookup("r", "me", now, now.plusSeconds(5), deadline(Duration.ofSeconds(5))))
                .isEqualTo(new StateStore.LookupStart.Resolved("cus_9"));
        assertThat(store.startLookup("r", "me", now, now.plusSeconds(5), deadline(Duration.ofSeconds(5))))
                .isEqualTo(new StateStore.LookupStart.Busy());
        // one call each: the item came with the refusal, so nothing was read after it
        assertThat(dynamo.requests()).hasSize(2).allSatisfy(r -> {
            assertThat(r.header("X-Amz-Target")).isEqualTo("DynamoDB_20120810.UpdateItem");
            assertThat(r.text()).contains("\"ReturnValuesOnConditionCheckFailure\":\"ALL_OLD\"");
        });
    }

    @Test
    void throttlingThatPassesIsRetriedAndTheLeaseTaken() {
        dynamo.enqueue(Answer.error(400, PREFIX + "ThrottlingException", "Rate of requests exceeds the allowed"),
                Answer.ok("{\"Attributes\":{\"pk\":{\"S\":\"customer#cus_1\"},\"a_plan\":{\"M\":{\"v\":{\"S\":\"pro\"},"
                        + "\"ty\":{\"S\":\"String\"},\"t\":{\"N\":\"1700000000000\"},\"et\":{\"N\":\"1700000000000\"},"
                        + "\"w\":{\"N\":\"1700000000001\"},\"d\":{\"BOOL\":false}}}}}"));

        StateStore.Leased leased = store.tryLease("cus_1", "me", now, now.plusSeconds(5), deadline(Duration.ofSeconds(5)));

        assertThat(leased).isNotNull();
        assertThat(leased.applied().get("plan").value()).isEqualTo("pro");
        assertThat(leased.applied().get("plan").writtenAt()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_001L));
        assertThat(dynamo.requests()).hasSize(2);
    }

    @Test
    void throttlingThatLastsIsUnavailableForAMoment() {
        for (int i = 0; i < 3; i++) {
            dynamo.enqueue(Answer.error(400, PREFIX + "ProvisionedThroughputExceededException", "slow down"));
        }

        assertThatThrownBy(() -> store.applied("cus_1", deadline(Duration.ofSeconds(5))))
                .isInstanceOfSatisfying(StateUnavailableException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("DynamoDB throttled the applied-state table; nothing was "
                            + "written without the newest-wins guard");
                    assertThat(e.retryAfterSeconds()).isEqualTo(2);
                });
        assertThat(dynamo.requests()).hasSizeBetween(1, 3);
    }

    @Test
    void aMissingTableSaysSo() {
        dynamo.enqueue(Answer.error(400, PREFIX + "ResourceNotFoundException", "Requested resource not found"));

        assertThatThrownBy(() -> store.resolution("ref", now, deadline(Duration.ofSeconds(5))))
                .isInstanceOfSatisfying(StateUnavailableException.class, e -> {
                    assertThat(e.getMessage()).contains("does not exist");
                    assertThat(e.retryAfterSeconds()).isEqualTo(30);
                });
        assertThat(dynamo.requests()).hasSize(1);
    }

    @Test
    void aNonStopServerErrorIsUnavailableByItsCode() {
        for (int i = 0; i < 3; i++) {
            dynamo.enqueue(Answer.error(500, PREFIX + "InternalServerError", "Internal server error"));
        }

        assertThatThrownBy(() -> store.applied("cus_1", deadline(Duration.ofSeconds(5))))
                .isInstanceOfSatisfying(StateUnavailableException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("DynamoDB (the applied-state table) is unavailable "
                            + "(InternalServerError); nothing was written without the newest-wins guard");
                    assertThat(e.retryAfterSeconds()).isEqualTo(5);
                });
    }

    @Test
    @Timeout(20)
    void aHangingTableFailsWithinTheDeadlineAsATimeout() {
        dynamo.enqueue(Answer.hang(60_000), Answer.hang(60_000), Answer.hang(60_000));

        assertThatThrownBy(() -> store.applied("cus_1", deadline(Duration.ofMillis(400))))
                .isInstanceOfSatisfying(StateUnavailableException.class, e -> {
                    assertThat(e.getMessage()).contains("unavailable (timeout)");
                    assertThat(e.retryAfterSeconds()).isEqualTo(5);
                });
    }

    private static Deadline deadline(Duration d) {
        return Deadline.in(d, Clock.systemUTC());
    }
}
