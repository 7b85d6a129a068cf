package dev.attributerelay.chartmogul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attributerelay.testing.FakeChartMogul;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HttpURLConnection transport over loopback HTTP, against ChartMogul's fake and its scripted misbehaviour. */
class HttpTransportTest {
    static final String KEY = "key-secret-4711";
    static final String AUTH = "Basic " + Base64.getEncoder().encodeToString((KEY + ":").getBytes(StandardCharsets.UTF_8));

    FakeChartMogul cm;
    HttpTransport transport = new HttpTransport();

    @BeforeEach
    void start() throws Exception {
        cm = new FakeChartMogul().acceptKey(KEY).customer("cus_1", "ext_1", "ds_a", "a@example.com")
                .defined("plan", "String");
    }

    @AfterEach
    void stop() {
        cm.close();
    }

    Transport.Request get(String pathAndQuery) {
        return new Transport.Request("GET", URI.create(cm.url() + pathAndQuery),
                Map.of("Authorization", AUTH, "Accept", "application/json"), null);
    }

    Transport.Request put(String body) {
        return new Transport.Request("PUT", URI.create(cm.url() + "/v1/customers/cus_1/attributes/custom"),
                Map.of("Authorization", AUTH, "Accept", "application/json", "Content-Type", "application/json"), body);
    }

    @Test
    void aLookupAndAPutTravelOneKeptAliveConnection() throws IOException {
        Transport.Response found = transport.send(get("/v1/customers?external_id=ext_1"), Duration.ofSeconds(5));
        Transport.Response put = transport.send(put("{\"custom\":{\"plan\":{\"value\":\"Prö\",\"source\":\"t\"}}}"),
                Duration.ofSeconds(5));

        assertThat(found.status()).isEqualTo(200);
        assertThat(found.body()).contains("\"uuid\":\"cus_1\"");
        assertThat(put.status()).isEqualTo(200);
        assertThat(cm.attributesOf("cus_1").get("plan").asText()).isEqualTo("Prö"); // UTF-8 both ways
        assertThat(put.body()).contains("Prö");
        assertThat(cm.requests("PUT").get(0).apiKey()).isEqualTo(KEY);
        assertThat(cm.clientPorts()).hasSize(2);
        assertThat(cm.clientPorts().get(1)).isEqualTo(cm.clientPorts().get(0));
    }

    @Test
    void aTricklingAnswerFailsAtTheCallsDeadline() throws IOException {
        cm.thenStream(200, 400, 400, 1, 50); // a byte every 50 ms: 20 s for the whole answer
        assertThatThrownBy(() -> transport.send(get("/v1/customers?external_id=ext_1"), Duration.ofMillis(400)))
                .isInstanceOf(SocketTimeoutException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(KEY).doesNotContain(AUTH));

        // the broken exchange's connection is not the next request's
        Transport.Response next = transport.send(get("/v1/customers?external_id=ext_1"), Duration.ofSeconds(5));
        assertThat(next.body()).contains("cus_1");
        assertThat(cm.clientPorts().get(1)).isNotEqualTo(cm.clientPorts().get(0));
    }

    @Test
    void aChunkedTrickleFailsAtTheDeadlineToo() {
        cm.thenStream(200, -1, 400, 1, 50);
        assertThatThrownBy(() -> transport.send(get("/v1/customers?external_id=ext_1"), Duration.ofMillis(400)))
                .isInstanceOf(SocketTimeoutException.class);
    }

    @Test
    void aRedirectIsAnsweredNotFollowed() throws IOException {
        cm.thenAnswer(302, "", Map.of("Location", cm.url() + "/v1/customers?external_id=ext_1"));
        Transport.Response r = transport.send(get("/v1/customers/search?email=a%40example.com"), Duration.ofSeconds(5));

        assertThat(r.status()).isEqualTo(302);
        assertThat(r.headers()).containsEntry("location", cm.url() + "/v1/customers?external_id=ext_1");
        assertThat(cm.requests()).hasSize(1);
    }

    @Test
    void errorBodiesAreReadFromTheErrorStream() throws IOException {
        cm.thenAnswer(422, "{\"code\":422,\"message\":\"Das Attribut ist ungültig\",\"param\":\"custom\"}", Map.of())
                .thenAnswer(503, "{\"error\":\"Too many concurrent connections\"}", Map.of());

        Transport.Response invalid = transport.send(get("/v1/customers?external_id=ext_1"), Duration.ofSeconds(5));
        Transport.Response busy = transport.send(put("{\"custom\":{}}"), Duration.ofSeconds(5));
        Transport.Response undefined = transport.send(put("{\"custom\":{\"nope\":{\"value\":1}}}"), Duration.ofSeconds(5));

        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.body()).contains("Das Attribut ist ungültig");
        assertThat(busy.status()).isEqualTo(503);
        assertThat(busy.body()).isEqualTo("{\"error\":\"Too many concurrent connections\"}");
        assertThat(undefined.status()).isEqualTo(400);
        assertThat(undefined.body()).contains("Custom attribute nope is not defined");
        // error answers read to their end leave the connection reusable
        assertThat(cm.clientPorts()).containsOnly(cm.clientPorts().get(0));
    }

    @Test
    void aWriteAnswered401KeepsItsStatus() throws IOException {
        // HttpURLConnection drops the body of a 401 to a fixed-length write; the status is what the client acts on
        cm.revokeKey(KEY);
        Transport.Response r = transport.send(put("{\"custom\":{\"plan\":{\"value\":\"x\"}}}"), Duration.ofSeconds(5));
        assertThat(r.status()).isEqualTo(401);
        assertThat(cm.requests("PUT")).hasSize(1);
    }

    @Test
    void aWriteWhoseConnectionDropsIsNotSentAgainBehindTheClientsBack() {
        cm.thenDrop();
        assertThatThrownBy(() -> transport.send(put("{\"custom\":{\"plan\":{\"value\":\"x\"}}}"), Duration.ofSeconds(5)))
                .isInstanceOf(IOException.class);
        assertThat(cm.requests("PUT")).hasSize(1); // each try is one the client counts and spaces
    }

    @Test
    void headerNamesAreLowerCasedAndTheFirstValueKept() throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Retry-After", "7");
        headers.put("RETRY-AFTER", "9");
        headers.put("X-Request-Id", "req_1");
        cm.thenAnswer(429, "{\"code\":429,\"message\":\"Too Many Requests\",\"param\":null}", headers);

        Transport.Response r = transport.send(get("/v1/customers?external_id=ext_1"), Duration.ofSeconds(5));

        assertThat(r.status()).isEqualTo(429);
        assertThat(r.headers()).containsEntry("retry-after", "7").containsEntry("x-request-id", "req_1")
                .containsEntry("content-type", "application/json");
        assertThat(r.headers().keySet()).allSatisfy(k -> assertThat(k).isEqualTo(k.toLowerCase(java.util.Locale.ROOT)));
    }

    @Test
    void anAnswerDeclaredOversizedIsRefusedUnread() {
        // declares 64 MiB, sends 1 kB and then nothing for a minute: only a refusal on the declared length ends it
        cm.thenStream(200, 64L << 20, 1024, 1024, 60_000);
        assertThatThrownBy(() -> transport.send(get("/v1/customers?external_id=ext_1"), Duration.ofSeconds(30)))
                .isInstanceOf(IOException.class).isNotInstanceOf(SocketTimeoutException.class)
                .hasMessage("ChartMogul's answer is larger than the " + HttpTransport.MAX_RESPONSE_BYTES
                        + " bytes this client reads");
    }

    @Test
    void aChunkedAnswerIsReadNoFurtherThanTheBound() {
        cm.thenStream(200, -1, Long.MAX_VALUE, 64 << 10, 0); // endless
        assertThatThrownBy(() -> transport.send(get("/v1/customers?external_id=ext_1"), Duration.ofSeconds(30)))
                .isInstanceOf(IOException.class).isNotInstanceOf(SocketTimeoutException.class)
                .hasMessageContaining("larger than");
    }

    @Test
    void aConnectionRefusedIsAnIOExceptionWithoutTheKey() {
        Transport.Request nowhere = new Transport.Request("GET", URI.create("http://127.0.0.1:1/v1/customers"),
                Map.of("Authorization", AUTH), null);
        assertThatThrownBy(() -> transport.send(nowhere, Duration.ofSeconds(5)))
                .isInstanceOf(IOException.class)
                .satisfies(e -> assertThat(String.valueOf(e.getMessage())).doesNotContain(KEY).doesNotContain(AUTH));
    }

    @Test
    void onlyTheMethodsTheClientUsesAreSent() {
        Transport.Request patch = new Transport.Request("PATCH", URI.create(cm.url() + "/v1/customers/cus_1"),
                Map.of("Authorization", AUTH), "{}");
        assertThatThrownBy(() -> transport.send(patch, Duration.ofSeconds(5)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("GET, PUT and POST");
        assertThat(cm.requests()).isEmpty();
    }

    @Test
    void preparingReadsNothingFromTheNetworkAndTheTransportStillWorks() throws IOException {
        transport.prepare();
        assertThat(cm.requests()).isEmpty();
        assertThat(transport.send(get("/v1/customers?external_id=ext_1"), Duration.ofSeconds(5)).status()).isEqualTo(200);
    }
}
