package dev.attributerelay;

import dev.attributerelay.chartmogul.ApiKeys;
import dev.attributerelay.chartmogul.ChartMogulClient;
import dev.attributerelay.chartmogul.HttpTransport;
import dev.attributerelay.chartmogul.RateLimiter;
import dev.attributerelay.chartmogul.RetryPolicy;
import dev.attributerelay.chartmogul.Transport;
import dev.attributerelay.mapping.ConfigLoader;
import dev.attributerelay.mapping.RelayConfig;
import dev.attributerelay.queue.SqsUpdateQueue;
import dev.attributerelay.queue.UpdateQueue;
import dev.attributerelay.resolve.CustomerResolver;
import dev.attributerelay.secrets.CachedSecrets;
import dev.attributerelay.secrets.LocalSecretSource;
import dev.attributerelay.secrets.RelaySecrets;
import dev.attributerelay.secrets.SecretSource;
import dev.attributerelay.secrets.SecretsManagerSource;
import dev.attributerelay.secrets.SecretsUnavailableException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** Builds a {@link Relay} from the environment (DESIGN §5). Called once per container, at init. */
public final class Wiring {
    public static final String DEFAULT_API_URL = "https://api.chartmogul.com";
    /**
     * Requests a second one container may send. ChartMogul allows 40 per account; template.yaml sets this so
     * that the containers that may run at once stay under it together.
     */
    public static final double DEFAULT_RATE_LIMIT = 10;
    static final Duration SECRET_TTL = Duration.ofMinutes(5);
    static final Duration CUSTOMER_TTL = Duration.ofMinutes(15);

    private Wiring() {
    }

    /** What a deployed function uses: the bundled or RELAY_CONFIG file, Secrets Manager, the real API. */
    public static Relay forLambda(Map<String, String> env) {
        RelayConfig config = ConfigLoader.fromEnvironment(env);
        String queueUrl = env.get("RELAY_QUEUE_URL");
        UpdateQueue queue = queueUrl == null || queueUrl.isBlank()
                ? null : new SqsUpdateQueue(SqsUpdateQueue.defaultClient(), queueUrl);
        return new Parts(config, secretSource(env), transportFor(apiUrl(env)), apiUrl(env), Clock.systemUTC(),
                new EventLog(System.out), RetryPolicy.standard(), rateLimit(env), queue).relay();
    }

    public static Relay relay(RelayConfig config, SecretSource source, Transport transport, URI apiUrl, Clock clock,
                              EventLog log, RetryPolicy retry) {
        return new Parts(config, source, transport, apiUrl, clock, log, retry, RateLimiter.unlimited(), null).relay();
    }

    /**
     * Everything a relay is made of, for entry points and tests that need a non-default piece (a limiter, a
     * queue).
     */
    public record Parts(RelayConfig config, SecretSource source, Transport transport, URI apiUrl, Clock clock,
                        EventLog log, RetryPolicy retry, RateLimiter limiter, UpdateQueue queue) {

        public Relay relay() {
            CachedSecrets secrets = new CachedSecrets(source, clock, SECRET_TTL);
            ChartMogulClient client = new ChartMogulClient(apiUrl, apiKeys(secrets), transport, retry,
                    ChartMogulClient.Sleeper.REAL, limiter);
            CustomerResolver resolver = new CustomerResolver(client, clock, CUSTOMER_TTL);
            return new Relay(config, secrets, new Delivery(resolver, client, new AppliedMemory()), client, queue, clock,
                    log);
        }
    }

    /** CHARTMOGUL_SECRET_ID (Secrets Manager), else RELAY_SECRETS; neither is a configuration error. */
    public static SecretSource secretSource(Map<String, String> env) {
        String id = env.get("CHARTMOGUL_SECRET_ID");
        if (id != null && !id.isBlank()) {
            return new SecretsManagerSource(SecretsManagerSource.defaultClient(), id);
        }
        String local = env.get("RELAY_SECRETS");
        if (local != null) {
            return new LocalSecretSource(local, "RELAY_SECRETS");
        }
        throw new IllegalStateException("set CHARTMOGUL_SECRET_ID to the Secrets Manager secret holding "
                + RelaySecrets.API_KEY + " (or RELAY_SECRETS to the same JSON for local runs)");
    }

    public static URI apiUrl(Map<String, String> env) {
        String url = env.getOrDefault("CHARTMOGUL_API_URL", DEFAULT_API_URL);
        return URI.create(url.isBlank() ? DEFAULT_API_URL : url);
    }

    /** CHARTMOGUL_RATE_LIMIT: this container's share of ChartMogul's 40 requests a second. */
    public static RateLimiter rateLimit(Map<String, String> env) {
        String v = env.get("CHARTMOGUL_RATE_LIMIT");
        double perSecond = DEFAULT_RATE_LIMIT;
        if (v != null && !v.isBlank()) {
            try {
                perSecond = Double.parseDouble(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalStateException("CHARTMOGUL_RATE_LIMIT must be a number of requests a second, not '"
                        + v + "'");
            }
            if (!(perSecond > 0 && perSecond <= 40)) {
                throw new IllegalStateException("CHARTMOGUL_RATE_LIMIT must be above 0 and at most ChartMogul's 40");
            }
        }
        return new RateLimiter(perSecond, System::nanoTime);
    }

    public static Transport transportFor(URI apiUrl) {
        // HTTP/2 multiplexes over one connection, which keeps us far from ChartMogul's 20-connection limit;
        // plain-http test servers speak HTTP/1.1 only
        return new HttpTransport("https".equals(apiUrl.getScheme()));
    }

    static ApiKeys apiKeys(CachedSecrets secrets) {
        return new ApiKeys() {
            @Override
            public String current() {
                return require(secrets.get());
            }

            @Override
            public String refreshed() {
                return require(secrets.refresh());
            }

            private String require(RelaySecrets s) {
                String key = s.apiKey();
                if (key == null) {
                    throw new SecretsUnavailableException("the secret " + secrets.describe() + " has no "
                            + RelaySecrets.API_KEY);
                }
                return key;
            }
        };
    }
}
