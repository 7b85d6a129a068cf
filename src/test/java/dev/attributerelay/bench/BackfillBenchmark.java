package dev.attributerelay.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.attributerelay.EventLog;
import dev.attributerelay.Relay;
import dev.attributerelay.Wiring;
import dev.attributerelay.backfill.Backfill;
import dev.attributerelay.backfill.Progress;
import dev.attributerelay.backfill.Provider;
import dev.attributerelay.backfill.Providers;
import dev.attributerelay.chartmogul.ChartMogulClient;
import dev.attributerelay.chartmogul.RateLimiter;
import dev.attributerelay.chartmogul.RetryPolicy;
import dev.attributerelay.mapping.ConfigLoader;
import dev.attributerelay.mapping.RelayConfig;
import dev.attributerelay.secrets.LocalSecretSource;
import dev.attributerelay.testing.FakeBilling;
import dev.attributerelay.testing.FakeChartMogul;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * Stripe customers backfilled into a ChartMogul that enforces its account limit (40 requests/s, 20 at once):
 * wall time, ChartMogul calls per customer, and the share of the limit used. A benchmark, not a test: it reports.
 * {@code bench/run backfill [customers] [rate]} (defaults 10000 and the command's default rate, 20/s).
 */
public final class BackfillBenchmark {
    private BackfillBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        int customers = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        double rate = args.length > 1 ? Double.parseDouble(args[1]) : 20;
        ObjectMapper json = new ObjectMapper();
        String key = "sk_live_benchmark"; // live-mode pacing: Stripe reads at 100/s
        try (FakeChartMogul cm = new FakeChartMogul(8).acceptKey("cm_key").limit(40, 20);
             FakeBilling stripe = new FakeBilling(FakeBilling.Kind.STRIPE, key)) {
            for (String a : new String[] {"country", "currency", "delinquent", "subscription_status", "plan", "seats",
                    "billing_period", "billing_period_count", "cancel_scheduled"}) {
                cm.defined(a, "String");
            }
            for (int i = 0; i < customers; i++) {
                stripe.customer(json.readTree("{\"id\":\"cus_" + i + "\",\"created\":" + (1600000000 + i)
                        + ",\"address\":{\"country\":\"DE\"},\"currency\":\"eur\",\"delinquent\":false,\"metadata\":{}}"));
                stripe.subscription(json.readTree("{\"id\":\"sub_" + i + "\",\"customer\":\"cus_" + i
                        + "\",\"status\":\"active\",\"created\":1,\"items\":{\"data\":[{\"quantity\":2,\"price\":{\"id\":\"p\","
                        + "\"nickname\":\"Pro\",\"recurring\":{\"interval\":\"month\",\"interval_count\":1}}}]}}"));
                cm.customer("cm_" + i, "cus_" + i, "ds_stripe", null);
            }
            Path yaml = Files.createTempFile("relay", ".yaml");
            Files.writeString(yaml, "integrations:\n  stripe:\n    verify: { scheme: stripe, secret: s }\n"
                    + "    preset: stripe\n    data_source_uuid: ds_stripe\n    backfill: { api_key: stripe_api_key }\n");
            RelayConfig config = ConfigLoader.load(yaml);
            LocalSecretSource secrets = new LocalSecretSource("{\"chartmogul_api_key\":\"cm_key\",\"stripe_api_key\":\""
                    + key + "\"}", "benchmark");
            Relay relay = new Wiring.Parts(config, secrets, Wiring.transportFor(cm.url()), cm.url(), Clock.systemUTC(),
                    new EventLog(new PrintStream(OutputStream.nullOutputStream())), RetryPolicy.standard(),
                    new RateLimiter(rate, System::nanoTime), null).relay();
            Provider provider = Providers.open(config.integration("stripe"),
                    Map.of("STRIPE_API_URL", stripe.url().toString()), key, ChartMogulClient.Sleeper.REAL);
            Path state = Files.createTempFile("backfill", ".state");
            Files.delete(state);
            long started = System.nanoTime();
            Backfill.Result r = new Backfill(config.integration("stripe"), provider, relay.client(), relay.delivery(),
                    null, relay.held(), Clock.systemUTC(), ChartMogulClient.Sleeper.REAL, System.out)
                    .run(new Backfill.Settings(null, Long.MAX_VALUE, state, null),
                            new Progress(System.err, false, System::nanoTime));
            double seconds = (System.nanoTime() - started) / 1e9;
            int calls = cm.requests().size();
            System.out.printf(java.util.Locale.ROOT, "backfill benchmark: %d Stripe customers, --rate %.0f, ChartMogul"
                            + " enforcing 40 requests/s%n  time %.1f s (%.1f customers/s)%n  ChartMogul calls %d:"
                            + " %.3f per customer (%d list pages, %d PUTs, %d answered 429)%n  ChartMogul requests/s"
                            + " %.1f average, %d peak in any second: %.0f%% of the 40/s limit%n  Stripe calls %d%n  %s%n",
                    customers, rate, seconds, customers / seconds, calls, calls / (double) customers, r.listPages(),
                    cm.requests("PUT").size(), cm.throttled(), calls / seconds, cm.peakPerSecond(),
                    100 * calls / seconds / 40, r.providerCalls(), r.counts().line());
            Files.deleteIfExists(state);
            Files.deleteIfExists(yaml);
        }
    }
}
