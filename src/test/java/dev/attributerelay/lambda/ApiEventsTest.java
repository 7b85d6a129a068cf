package dev.attributerelay.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import dev.attributerelay.Json;
import dev.attributerelay.inbound.Inbound;
import dev.attributerelay.testing.Events;
import dev.attributerelay.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** API Gateway events as AWS documents them (loaded with aws-lambda-java-tests' EventLoader) adapted to an Inbound. */
class ApiEventsTest {
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void httpApiSampleFromAwsBecomesAnInbound() {
        APIGatewayV2HTTPEvent e = EventLoader.loadApiGatewayHttpEvent(Fixtures.own("apigw/http-api-v2.json").toString());
        e.setPathParameters(java.util.Map.of("integration", "stripe"));
        Inbound in = ApiEvents.toInbound(e, NOW);
        assertThat(in.integration()).isEqualTo("stripe");
        assertThat(in.method()).isEqualTo("POST");
        assertThat(in.headers().first("header1")).isEqualTo("value1");
        assertThat(in.headers().first("HEADER2")).isEqualTo("value1,value2");
        assertThat(in.query().get("parameter1")).containsExactly("value1", "value2");
        assertThat(new String(in.body(), StandardCharsets.UTF_8)).isEqualTo("Hello from Lambda");
        assertThat(in.receivedAt()).isEqualTo(Instant.ofEpochMilli(1583348638390L));
        assertThat(in.requestId()).isEqualTo("id");
    }

    @Test
    void restApiSampleFromAwsKeepsEveryHeaderValue() {
        APIGatewayProxyRequestEvent e = EventLoader.loadApiGatewayRestEvent(Fixtures.own("apigw/rest-api-v1.json").toString());
        Inbound in = ApiEvents.toInbound(e, NOW);
        assertThat(in.method()).isEqualTo("GET");
        assertThat(in.headers().all("header2")).containsExactly("value1", "value2");
        assertThat(in.query().get("parameter1")).containsExactly("value1", "value2");
        assertThat(in.receivedAt()).isEqualTo(Instant.ofEpochMilli(1583349317135L));
    }

    @Test
    void theHandReaderAgreesWithTheSdkDeserializerOnTheDocumentedShapesAndEveryBundledSample() throws Exception {
        List<Path> files = new ArrayList<>(List.of(Fixtures.own("apigw/http-api-v2.json"), Fixtures.own("apigw/rest-api-v1.json")));
        try (Stream<Path> samples = Files.list(Path.of("events"))) {
            samples.filter(p -> p.toString().endsWith("-api.json")).sorted().forEach(files::add);
        }
        assertThat(agreeing(files)).isEqualTo(files.size());
    }

    @Test
    void theHandReaderAgreesWithTheSdkDeserializerOnAwsRecordedSamples() throws Exception {
        Path apigw = Fixtures.recorded("sdk/apigw");
        List<Path> files = new ArrayList<>();
        for (String name : List.of("apigw_http_event.json", "apigw_rest_event.json", "apigw_event.json", "apigw_event_nobody.json")) {
            files.add(apigw.resolve(name));
        }
        assertThat(agreeing(files)).isEqualTo(files.size());
    }

    /** How many of the files are API events; for each, both readers must give the same Inbound. */
    private static int agreeing(List<Path> files) throws Exception {
        int compared = 0;
        for (Path file : files) {
            String name = file.getFileName().toString();
            JsonNode root = Json.mapper().readTree(Files.readAllBytes(file));
            if (!ApiEvents.isApiEvent(root)) {
                continue;
            }
            Inbound byHand = ApiEvents.toInbound(root, NOW);
            Inbound bySdk = root.has("rawPath")
                    ? ApiEvents.toInbound(EventLoader.loadApiGatewayHttpEvent(file.toString()), NOW)
                    : ApiEvents.toInbound(EventLoader.loadApiGatewayRestEvent(file.toString()), NOW);
            assertThat(byHand.method()).as(name).isEqualTo(bySdk.method());
            assertThat(byHand.path()).as(name).isEqualTo(bySdk.path());
            assertThat(byHand.body()).as(name).isEqualTo(bySdk.body());
            assertThat(byHand.headers().names()).as(name).isEqualTo(bySdk.headers().names());
            assertThat(byHand.receivedAt()).as(name).isEqualTo(bySdk.receivedAt());
            compared++;
        }
        return compared;
    }

    @Test
    void base64BodiesAreDecodedToTheOriginalBytes() throws Exception {
        String body = "type=subscribe&data%5Bemail%5D=a%40example.com&data[merges][FNAME]=Zo%C3%AB";
        Inbound in = ApiEvents.toInbound(Json.mapper().readTree(Events.post("/webhooks/mc", body).base64().httpApi()), NOW);
        assertThat(new String(in.body(), StandardCharsets.UTF_8)).isEqualTo(body);
    }

    @Test
    void invalidBase64IsABadEvent() throws Exception {
        String event = Events.post("/webhooks/x", "{}").httpApi().replace("\"isBase64Encoded\":false", "\"isBase64Encoded\":true")
                .replace("\"body\":\"{}\"", "\"body\":\"%%%not base64%%%\"");
        assertThatThrownBy(() -> ApiEvents.toInbound(Json.mapper().readTree(event), NOW))
                .isInstanceOf(ApiEvents.BadEvent.class);
    }

    @Test
    void theIntegrationComesFromThePathWhenThereIsNoRoute() {
        assertThat(ApiEvents.integration(null, "/webhooks/stripe")).isEqualTo("stripe");
        assertThat(ApiEvents.integration(null, "/prod/webhooks/hub%20spot/extra")).isEqualTo("hub spot");
        assertThat(ApiEvents.integration(null, "/other")).isNull();
        assertThat(ApiEvents.integration(null, "/webhooks/")).isNull();
    }

    @Test
    void aRestEventMayRepeatAHeaderInAnotherCase() throws Exception {
        String event = Events.post("/webhooks/x", "{}").header("X-Sig", "abc").restApi()
                .replace("\"multiValueHeaders\":{\"X-Sig\"", "\"multiValueHeaders\":{\"x-sig\"");
        Inbound in = ApiEvents.toInbound(Json.mapper().readTree(event), NOW);
        assertThat(in.headers().all("X-SIG")).containsExactly("abc");
    }
}
