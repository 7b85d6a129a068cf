package dev.attributerelay.chartmogul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attributerelay.mapping.AttributeType;
import dev.attributerelay.mapping.TypedValue;
import dev.attributerelay.testing.FakeChartMogul;
import dev.attributerelay.testing.Fixtures;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client over loopback HTTP against ChartMogul's recorded answers and behaviour. */
class ChartMogulClientTest {
    FakeChartMogul cm;
    List<Duration> waits = new ArrayList<>();
    AtomicInteger refreshes = new AtomicInteger();
    String key = "key-1";
    ChartMogulClient client;

    @BeforeEach
    void start() throws Exception {
        cm = new FakeChartMogul().acceptKey("key-1").customer("cus_1", "ext_1", "ds_a", "a@example.com")
                .defined("plan", "String");
        client = client(new RetryPolicy(4, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(2), () -> 0.5));
    }

    ChartMogulClient client(RetryPolicy policy) {
        ApiKeys keys = new ApiKeys() {
            @Override
            public String current() {
                return key;
            }

            @Override
            public String refreshed() {
                refreshes.incrementAndGet();
                return key;
            }
        };
        return new ChartMogulClient(cm.url(), keys, new HttpTransport(), policy, waits::add);
    }

    @AfterEach
    void stop() {
        cm.close();
    }

    static Deadline seconds(int s) {
        return Deadline.in(Duration.ofSeconds(s), Clock.systemUTC());
    }

    @Test
    void lookupsSendTheQueryAndBasicAuthWithTheKeyAsUserName() {
        assertThat(client.findByExternalId("ext 1&x", "ds_a", seconds(5)).uuids()).isEmpty();
        FakeChartMogul.Recorded r = cm.requests().get(0);
        assertThat(r.path()).isEqualTo("/v1/customers");
        assertThat(r.query()).containsEntry("external_id", "ext 1&x").containsEntry("data_source_uuid", "ds_a");
        assertThat(r.apiKey()).isEqualTo("key-1");
        assertThat(client.findByEmail("a@example.com", seconds(5)).uuids()).containsExactly("cus_1");
    }

    @Test
    void lookupAnswersInEveryDocumentedShapeAreRead() {
        cm.thenReplay("list_customers_by_external_id_1_match").thenReplay("list_customers_by_external_id_2_matches")
                .thenReplay("list_customers_by_external_id_0_matches").thenReplay("search_by_email_404")
                .thenReplay("search_by_email_200_has_more");
        assertThat(client.findByExternalId("x", null, seconds(5)).isUnique()).isTrue();
        CustomerMatches two = client.findByExternalId("x", null, seconds(5));
        assertThat(two.uuids()).hasSize(2);
        assertThat(two.isUnique()).isFalse();
        assertThat(client.findByExternalId("x", null, seconds(5)).uuids()).isEmpty();
        assertThat(client.findByEmail("none@example.com", seconds(5)).uuids()).isEmpty();
        CustomerMatches more = client.findByEmail("abc@example.com", seconds(5));
        assertThat(more.more()).isTrue();
        assertThat(more.isUnique()).isFalse();
    }

    @Test
    void putSendsValueAndSourceForEachAttribute() {
        Map<String, TypedValue> attrs = new LinkedHashMap<>();
        attrs.put("plan", new TypedValue(AttributeType.String, "pro"));
        client.updateAttributes("cus_1", attrs, "stripe", seconds(5));
        FakeChartMogul.Recorded put = cm.requests("PUT").get(0);
        assertThat(put.path()).isEqualTo("/v1/customers/cus_1/attributes/custom");
        assertThat(put.contentType()).isEqualTo("application/json");
        assertThat(put.body()).isEqualTo("{\"custom\":{\"plan\":{\"value\":\"pro\",\"source\":\"stripe\"}}}");
    }

    @Test
    void postDefinesEachAttributeWithItsType() {
        Map<String, TypedValue> attrs = new LinkedHashMap<>();
        attrs.put("mrr", new TypedValue(AttributeType.Decimal, new BigDecimal("10.50")));
        attrs.put("vip", new TypedValue(AttributeType.Boolean, true));
        client.addAttributes("cus_1", attrs, "crm", seconds(5));
        assertThat(cm.requests("POST").get(0).body()).isEqualTo("{\"custom\":["
                + "{\"type\":\"Decimal\",\"key\":\"mrr\",\"value\":10.50,\"source\":\"crm\"},"
                + "{\"type\":\"Boolean\",\"key\":\"vip\",\"value\":true,\"source\":\"crm\"}]}");
    }

    @Test
    void eachErrorShapeBecomesOneExceptionWithStatusMessageAndRequestId() {
        List<JsonNode> exchanges = new ArrayList<>();
        for (String name : ERROR_SHAPES) {
            exchanges.add(Fixtures.chartmogul(name));
        }
        eachBecomesOneException(exchanges);
    }

    /** The same, over ChartMogul's recorded answers in the shared corpus (skipped without it). */
    @Test
    void eachRecordedErrorShapeBecomesOneExceptionWithStatusMessageAndRequestId() {
        List<JsonNode> exchanges = new ArrayList<>();
        for (String name : ERROR_SHAPES) {
            exchanges.add(Fixtures.recordedJson("chartmogul/" + name + ".json"));
        }
        eachBecomesOneException(exchanges);
    }

    /** ChartMogul's error bodies: {code,message,param}, {error}, {errors:{field:msg}}, {field:[msgs],error_details}. */
    private static final List<String> ERROR_SHAPES = List.of("error_404_data_source_not_found", "error_422_data_source",
            "error_422_plan_group", "error_400_parameter_missing", "ping_401");

    private void eachBecomesOneException(List<JsonNode> exchanges) {
        for (JsonNode exchange : exchanges) {
            var recorded = exchange.get("response");
            int status = recorded.get("status").asInt();
            cm.thenReplay(exchange);
            if (status == 401) {
                cm.thenReplay(exchange); // a 401 re-reads the key once, then reports
            }
            assertThatThrownBy(() -> client.findByExternalId("x", null, seconds(5)))
                    .as(recorded.toString())
                    .isInstanceOfSatisfying(ChartMogulException.class, e -> {
                        assertThat(e.status()).isEqualTo(status);
                        // a refused key may be rotated in the secret meanwhile: only that one may pass later
                        assertThat(e.mayPass()).isEqualTo(status == 401);
                        assertThat(e.getMessage()).isNotBlank().doesNotStartWith("HTTP");
                        assertThat(e.requestId()).isEqualTo(recorded.path("headers").path("x-request-id").asText(null));
                    });
        }
        assertThat(waits).isEmpty(); // a 4xx is never retried
    }

    @Test
    void a429BodyIsRetriedAfterTheSecondsItAsksFor() {
        cm.thenReplay("error_429_rate_limited");
        assertThat(client.findByExternalId("ext_1", null, seconds(10)).uuids()).containsExactly("cus_1");
        assertThat(waits).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void plainText500And504AreRetriedThenReportedOverTheRecordedAnswersToo() {
        for (JsonNode text : List.of(Fixtures.chartmogul("ping_500_text"), Fixtures.chartmogul("ping_504_text"))) {
            assertThat(ErrorBody.message(text.at("/response/status").asInt(), text.at("/response/body").asText()))
                    .startsWith("HTTP " + text.at("/response/status").asInt() + ": ");
        }
        Fixtures.recordedCorpus().ifPresent(corpus -> {
            JsonNode recorded = Fixtures.read(corpus.resolve("chartmogul/ping_504_text.json"));
            assertThat(ErrorBody.message(504, recorded.at("/response/body").asText())).startsWith("HTTP 504: ");
        });
    }

    @Test
    void errorMessagesAreReadFromEveryShape() {
        assertThat(ErrorBody.message(400, "{\"code\":400,\"message\":\"Parameter \\\"name\\\" is missing\",\"param\":\"name\"}"))
                .isEqualTo("Parameter \"name\" is missing (name)");
        assertThat(ErrorBody.message(422, "{\"errors\":{\"name\":\"has already been taken\"}}"))
                .isEqualTo("name: has already been taken");
        assertThat(ErrorBody.message(404, "{\"error\":\"Data source not found\"}")).isEqualTo("Data source not found");
        assertThat(ErrorBody.message(422, "{\"name\":[\"has already been taken\"],\"error_details\":[{\"param\":\"name\"}]}"))
                .isEqualTo("name: has already been taken");
        assertThat(ErrorBody.message(504, "Gateway Timeout")).isEqualTo("HTTP 504: Gateway Timeout");
        assertThat(ErrorBody.message(500, "")).isEqualTo("HTTP 500");
    }

    @Test
    void plainText504IsRetriedThenReported() {
        cm.thenReplay("ping_504_text").thenReplay("ping_504_text").thenReplay("ping_504_text").thenReplay("ping_504_text");
        assertThatThrownBy(() -> client.findByExternalId("ext_1", null, seconds(10)))
                .isInstanceOfSatisfying(ChartMogulException.class, e -> {
                    assertThat(e.status()).isEqualTo(504);
                    assertThat(e.mayPass()).isTrue();
                });
        assertThat(cm.requests()).hasSize(4);
        assertThat(waits).hasSize(3);
    }

    @Test
    void backoffGrowsExponentiallyWithJitterAndHonoursRetryAfter() {
        cm.thenAnswer(429, "{}", Map.of()).thenAnswer(429, "{}", Map.of()).thenAnswer(503, "{}", Map.of("Retry-After", "2"));
        assertThat(client.findByExternalId("ext_1", null, seconds(10)).uuids()).containsExactly("cus_1");
        // random fixed at 0.5: 0.5 × 100 ms, 0.5 × 200 ms; then the server asked for 2 s
        assertThat(waits).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofSeconds(2));
    }

    @Test
    void noRetryIsStartedThatWouldEndPastTheDeadline() {
        cm.thenAnswer(503, "{}", Map.of("Retry-After", "30"));
        assertThatThrownBy(() -> client.findByExternalId("ext_1", null, seconds(5)))
                .isInstanceOfSatisfying(ChartMogulException.class, e -> assertThat(e.retryAfterSeconds()).isEqualTo(30));
        assertThat(cm.requests()).hasSize(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void aSlowAnswerTimesOutWithinThePerCallLimitAndIsRetried() {
        ChartMogulClient impatient = client(new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(10),
                Duration.ofMillis(300), () -> 0.0));
        cm.thenDelay(1_500);
        assertThat(impatient.findByExternalId("ext_1", null, seconds(10)).uuids()).containsExactly("cus_1");
        assertThat(impatient.retries()).isEqualTo(1);
    }

    @Test
    void aDroppedConnectionIsRetried() {
        cm.thenDrop();
        assertThat(client.findByExternalId("ext_1", null, seconds(10)).uuids()).containsExactly("cus_1");
        assertThat(cm.requests()).hasSize(2);
    }

    @Test
    void a500IsRetriedOnceAnd401RereadsTheKeyOnce() {
        cm.thenAnswer(500, "oops", Map.of()).thenAnswer(500, "oops", Map.of()).thenAnswer(500, "oops", Map.of());
        assertThatThrownBy(() -> client.findByExternalId("ext_1", null, seconds(10)))
                .isInstanceOfSatisfying(ChartMogulException.class, e -> assertThat(e.status()).isEqualTo(500));
        assertThat(cm.requests()).hasSize(2);

        cm.thenReplay("ping_401").thenReplay("ping_401");
        assertThatThrownBy(() -> client.findByExternalId("ext_1", null, seconds(10)))
                .isInstanceOfSatisfying(ChartMogulException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.getMessage()).isEqualTo("No valid API key provided");
                });
        assertThat(refreshes).hasValue(1);
    }

    @Test
    void anUnreachableServerIsAFailureThatMayPass() {
        ChartMogulClient nowhere = new ChartMogulClient(java.net.URI.create("http://127.0.0.1:1"),
                new ApiKeys() {
                    public String current() { return "k"; }
                    public String refreshed() { return "k"; }
                }, new HttpTransport(),
                new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofSeconds(1), () -> 0.0), d -> { });
        assertThatThrownBy(() -> nowhere.findByEmail("a@example.com", seconds(5)))
                .isInstanceOfSatisfying(ChartMogulException.class, e -> {
                    assertThat(e.status()).isEqualTo(ChartMogulException.NO_RESPONSE);
                    assertThat(e.mayPass()).isTrue();
                });
    }
}
