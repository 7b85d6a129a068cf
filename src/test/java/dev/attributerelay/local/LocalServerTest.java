package dev.attributerelay.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attributerelay.testing.Events;
import dev.attributerelay.testing.FakeChartMogul;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve} over real HTTP, forwarding to a loopback ChartMogul with a real key. */
class LocalServerTest {

    @Test
    void aSignedPostIsVerifiedMappedAndSentAndTheAnswerKeepsItsStatusAndHeaders(@TempDir Path dir) throws Exception {
        try (FakeChartMogul cm = new FakeChartMogul()) {
            cm.acceptKey("k").customer("cus_uuid", "cus_1", "ds", null).defined("plan", "String");
            Path secrets = dir.resolve("secrets.json");
            Files.writeString(secrets, "{\"chartmogul_api_key\":\"k\",\"stripe_signing_secret\":\"whsec_s\"}");
            Cli.Options o = Cli.Options.parse(new String[] {"--port", "0", "--secrets", secrets.toString()}, 0);
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            PrintStream quiet = new PrintStream(sink, true, StandardCharsets.UTF_8);
            LocalServer server = Cli.startServer(o, Map.of("CHARTMOGUL_API_URL", cm.url().toString()), quiet, quiet);
            try {
                String body = "{\"id\":\"evt_1\",\"type\":\"customer.updated\",\"data\":{\"object\":{\"id\":\"cus_1\","
                        + "\"metadata\":{\"plan\":\"pro\"}}}}";
                HttpClient http = HttpClient.newHttpClient();
                URI url = URI.create("http://127.0.0.1:" + server.port() + "/webhooks/stripe");
                HttpResponse<String> ok = http.send(HttpRequest.newBuilder(url)
                        .header("Stripe-Signature", Events.stripeSignature("whsec_s", Instant.now().getEpochSecond(), body))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(url)
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());

                assertThat(ok.statusCode()).isEqualTo(200);
                assertThat(ok.headers().firstValue("Content-Type")).hasValue("application/json");
                assertThat(ok.body()).contains("\"status\":\"applied\"");
                assertThat(cm.attributesOf("cus_uuid").get("plan").asText()).isEqualTo("pro");
                assertThat(unsigned.statusCode()).isEqualTo(401);
            } finally {
                server.stop();
            }
        }
    }
}
