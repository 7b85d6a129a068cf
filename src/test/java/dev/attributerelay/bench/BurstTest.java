package dev.attributerelay.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attributerelay.testing.FakeChartMogul;
import dev.attributerelay.testing.LocalSqs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A burst through the queue into a ChartMogul that enforces its account limits: the scaled version of the
 * 10,000-update benchmark ({@link BurstBenchmark}). Two worker containers whose limiters together stay under
 * 40 requests a second: everything applied, and ChartMogul never had to answer 429 (nor 503).
 */
class BurstTest {
    /**
     * template.yaml's share for MaxWorkerConcurrency 2: 36/2. At most 19 in any second each as sent, 38
     * together, which leaves room for requests that leave a container evenly spaced and reach ChartMogul bunched.
     */
    static final double PER_CONTAINER = 18;

    @Test
    void aBurstThroughTheQueueIsAllAppliedWithoutA429() throws Exception {
        Burst.Result r = Burst.run(LocalSqs.shared(), 300, 2, PER_CONTAINER, 4, null);
        System.out.print(r.report());

        assertThat(r.applied()).isEqualTo(r.updates());
        assertThat(r.throttled()).as("429s").isZero();
        assertThat(r.overloaded()).isZero();
        assertThat(r.peakPerSecond()).isLessThanOrEqualTo(Burst.LIMIT_PER_SECOND);
        assertThat(r.deadLettered()).isZero();
        assertThat(r.errors()).isZero();
        assertThat(r.redelivered()).isZero();
    }

    /** The loopback ChartMogul is honest: it does refuse beyond 40 a second and 20 at once. */
    @Test
    void theLoopbackChartMogulEnforcesTheAccountLimits() throws Exception {
        try (FakeChartMogul cm = new FakeChartMogul(32).limit(40, 20).acceptKey("k")) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI uri = URI.create(cm.url() + "/v1/customers?external_id=x");
            HttpRequest get = HttpRequest.newBuilder(uri).header("Authorization", "Basic aw==").build();
            int ok = 0;
            int tooMany = 0;
            for (int i = 0; i < 50; i++) {
                int status = http.send(get, HttpResponse.BodyHandlers.ofString()).statusCode();
                ok += status == 200 ? 1 : 0;
                tooMany += status == 429 ? 1 : 0;
            }
            assertThat(ok).isEqualTo(40);
            assertThat(tooMany).isEqualTo(10);
            assertThat(cm.throttled()).isEqualTo(10);
        }
        try (FakeChartMogul cm = new FakeChartMogul(32).limit(1000, 20).acceptKey("k")) {
            for (int i = 0; i < 30; i++) {
                cm.thenDelay(500);
            }
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest get = HttpRequest.newBuilder(URI.create(cm.url() + "/v1/customers?external_id=x"))
                    .header("Authorization", "Basic aw==").build();
            List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                all.add(http.sendAsync(get, HttpResponse.BodyHandlers.ofString()));
            }
            long refused = all.stream().map(CompletableFuture::join).filter(x -> x.statusCode() == 503).count();
            assertThat(refused).as("beyond 20 at once").isGreaterThan(0);
            assertThat(cm.overloaded()).isEqualTo((int) refused);
        }
    }
}
