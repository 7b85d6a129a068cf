package dev.attributerelay;

import dev.attributerelay.chartmogul.ApiKeys;
import dev.attributerelay.chartmogul.ChartMogulClient;
import dev.attributerelay.chartmogul.HttpTransport;
import dev.attributerelay.chartmogul.RetryPolicy;
import dev.attributerelay.chartmogul.Transport;
import dev.attributerelay.mapping.ConfigLoader;
import dev.attributerelay.mapping.RelayConfig;
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
    static final Duration SECRET_TTL = Duration.ofMinutes(5);
    static final Duration CUSTOMER_TTL = Duration.ofMinutes(15);

    private Wiring() {
    }

    /** What a deployed function uses: the bundled or RELAY_CONFIG file, Secrets Manager, the real API. */
    public static Relay forLambda(Map<String, String> env) {
        RelayConfig config = ConfigLoader.fromEnvironment(env);
        return relay(config, secretSource(env), transportFor(apiUrl(env)), apiUrl(env), Clock.systemUTC(),
                new EventLog(System.out), RetryPolicy.standard());
    }

    public static Relay relay(RelayConfig config, SecretSource source, Transport transport, URI apiUrl, Clock clock,
                              EventLog log, RetryPolicy retry) {
        CachedSecrets secrets = new CachedSecrets(source, clock, SECRET_TTL);
        ChartMogulClient client = new ChartMogulClient(apiUrl, apiKeys(secrets), transport, retry,
                ChartMogulClient.Sleeper.REAL);
        CustomerResolver resolver = new CustomerResolver(client, clock, CUSTOMER_TTL);
        return new Relay(config, secrets, new Delivery(resolver, client, new AppliedMemory()), client, clock, log);
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
