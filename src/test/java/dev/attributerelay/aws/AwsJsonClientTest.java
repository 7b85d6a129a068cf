package dev.attributerelay.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attributerelay.chartmogul.Deadline;
import dev.attributerelay.testing.FakeAwsJson;
import dev.attributerelay.testing.FakeAwsJson.Answer;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;

/** The JSON-protocol client over real HTTP, against a loopback endpoint that records and answers as scripted. */
class AwsJsonClientTest {
    private static final AwsSessionCredentials CREDENTIALS = AwsSessionCredentials.create("AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "session-token-example");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    FakeAwsJson aws;
    AwsJsonClient client;

    @BeforeEach
    void start() throws IOException {
        aws = new FakeAwsJson();
        // no waiting between tries: what is tested is whether and how often, not how long
        client = new AwsJsonClient(AwsService.DYNAMODB, aws.url(), "eu-west-1",
                StaticCredentialsProvider.create(CREDENTIALS), new AwsJsonClient.Limits(Duration.ofSeconds(1),
                Duration.ofSeconds(2), 3, Duration.ofMillis(1), Duration.ofMillis(1), () -> 0));
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    @Test
    void theRequestIsSignedAsTheSdksSignerSignsItAndTheSignatureCoversTheBody() {
        aws.enqueue(Answer.ok("{}"), Answer.ok("{}"));
        client.call("GetItem", Map.of("TableName", "t", "Key", Map.of("pk", Map.of("S", "a"))), deadline(5));
        client.call("GetItem", Map.of("TableName", "t", "Key", Map.of("pk", Map.of("S", "b"))), deadline(5));

        List<FakeAwsJson.Recorded> seen = aws.requests();
        assertThat(seen).hasSize(2);
        for (FakeAwsJson.Recorded r : seen) {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo("/");
            assertThat(r.header("X-Amz-Target")).isEqualTo("DynamoDB_20120810.GetItem");
            assertThat(r.header("Content-Type")).isEqualTo("application/x-amz-json-1.0");
            assertThat(r.header("X-Amz-Security-Token")).isEqualTo("session-token-example");
            assertThat(r.header("Authorization"))
                    .startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
                    .contains("/eu-west-1/dynamodb/aws4_request")
                    .contains("x-amz-security-token").contains("x-amz-target").contains("host");
            assertThat(r.header("Authorization")).isEqualTo(sdkSignature(r, r.body()));
        }
        FakeAwsJson.Recorded first = seen.get(0);
        assertThat(first.text()).contains("\"TableName\":\"t\"");
        byte[] changed = seen.get(1).body();
        assertThat(sdkSignature(first, changed)).isNotEqualTo(first.header("Authorization"));
    }

    @Test
    void throttlingThenSuccessIsRetriedWithinTheDeadline() {
        aws.enqueue(Answer.error(400, "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
                "slow down"), Answer.ok("{\"Item\":{\"pk\":{\"S\":\"a\"},\"n\":{\"N\":\"12345678901234567890.5\"}}}"));

        AwsReply r = client.call("GetItem", Map.of(), deadline(5));

        assertThat(r).isInstanceOf(AwsReply.Answered.class);
        // N stays the exact text DynamoDB sent
        assertThat(((AwsReply.Answered) r).body().path("Item").path("n").path("N").textValue())
                .isEqualTo("12345678901234567890.5");
        assertThat(aws.requests()).hasSize(2);
    }

    @Test
    void serverErrorsAreTriedThreeTimesAtMost() {
        aws.enqueue(Answer.error(500, "InternalServerError", "a"), Answer.error(503, "ServiceUnavailable", "b"),
                Answer.error(500, "InternalServerError", "c"), Answer.ok("{}"));

        AwsReply r = client.call("UpdateItem", Map.of(), deadline(5));

        assertThat(r).isInstanceOfSatisfying(AwsReply.Refused.class, e -> {
            assertThat(e.status()).isEqualTo(500);
            assertThat(e.code()).isEqualTo("InternalServerError");
            assertThat(e.message()).isEqualTo("c");
        });
        assertThat(aws.requests()).hasSize(3);
    }

    @Test
    void aFailedConditionIsAnAnswerAtOnceNotRetried() {
        aws.enqueue(Answer.error(400, "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",
                "The conditional request failed"));

        AwsReply r = client.call("UpdateItem", Map.of(), deadline(5));

        assertThat(r).isInstanceOfSatisfying(AwsReply.Refused.class, e -> {
            assertThat(e.code()).isEqualTo("ConditionalCheckFailedException");
            assertThat(e.retryable()).isFalse();
        });
        assertThat(aws.requests()).hasSize(1);
    }

    @Test
    void theErrorCodeComesFromTheHeaderWhenTheBodyHasNoneAndFromTheStatusWhenNeitherHasIt() {
        aws.enqueue(new Answer(400, "{\"Message\":\"queue gone\"}", "QueueDoesNotExist:http://internal.amazon.com/",
                0), new Answer(502, "<html>bad gateway</html>", null, 0));
        Deadline once = deadline(5);
        AwsJsonClient single = new AwsJsonClient(AwsService.SQS, aws.url(), "eu-west-1",
                StaticCredentialsProvider.create(CREDENTIALS), new AwsJsonClient.Limits(Duration.ofSeconds(1),
                Duration.ofSeconds(2), 1, Duration.ofMillis(1), Duration.ofMillis(1), () -> 0));

        assertThat(single.call("GetQueueUrl", Map.of(), once)).isEqualTo(new AwsReply.Refused(400, "QueueDoesNotExist",
                "queue gone"));
        assertThat(single.call("GetQueueUrl", Map.of(), once)).isEqualTo(new AwsReply.Refused(502, "HTTP 502", ""));
        assertThat(aws.requests().get(0).header("X-Amz-Target")).isEqualTo("AmazonSQS.GetQueueUrl");
    }

    @Test
    @Timeout(20)
    void aHangingServiceIsBoundedByTheDeadline() {
        aws.enqueue(Answer.hang(60_000), Answer.hang(60_000), Answer.hang(60_000));

        AwsReply r = client.call("GetItem", Map.of(), Deadline.in(Duration.ofMillis(500), Clock.systemUTC()));

        assertThat(r).isInstanceOfSatisfying(AwsReply.NoAnswer.class, e -> {
            assertThat(e.timedOut()).isTrue();
            assertThat(e.describe()).isEqualTo("timeout");
        });
    }

    @Test
    void aServiceThatIsNotThereIsNoAnswerAndTheAnswerMethodSaysWhichCall() throws IOException {
        URI gone;
        try (FakeAwsJson closed = new FakeAwsJson()) {
            gone = closed.url();
        }
        AwsJsonClient unreachable = new AwsJsonClient(AwsService.SQS, gone, "eu-west-1",
                StaticCredentialsProvider.create(CREDENTIALS), new AwsJsonClient.Limits(Duration.ofSeconds(1),
                Duration.ofSeconds(2), 3, Duration.ofMillis(1), Duration.ofMillis(1), () -> 0));

        AwsReply r = unreachable.call("SendMessageBatch", Map.of(), deadline(5));

        assertThat(r).isInstanceOfSatisfying(AwsReply.NoAnswer.class, e -> assertThat(e.timedOut()).isFalse());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> unreachable.answer("SendMessageBatch", Map.of(),
                deadline(5))).isInstanceOf(AwsCallException.class)
                .hasMessageStartingWith("sqs SendMessageBatch failed (");
    }

    /** What the SDK's own signer makes of this request, at the instant its X-Amz-Date names. */
    private static String sdkSignature(FakeAwsJson.Recorded r, byte[] body) {
        Instant at = LocalDateTime.parse(r.header("X-Amz-Date"), AMZ_DATE).toInstant(ZoneOffset.UTC);
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST)
                .uri(URI.create("http://" + r.header("Host") + "/"))
                .putHeader("Content-Type", r.header("Content-Type"))
                .putHeader("X-Amz-Target", r.header("X-Amz-Target"))
                .build();
        return AwsV4HttpSigner.create().sign(s -> s.identity(CREDENTIALS).request(request)
                        .payload(ContentStreamProvider.fromByteArray(body))
                        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "dynamodb")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "eu-west-1")
                        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC)))
                .request().firstMatchingHeader("Authorization").orElseThrow();
    }

    private static Deadline deadline(int seconds) {
        return Deadline.in(Duration.ofSeconds(seconds), Clock.systemUTC());
    }
}
