package dev.attributerelay;

import dev.attributerelay.aws.AwsEndpoints;
import dev.attributerelay.aws.AwsJsonClient;
import dev.attributerelay.aws.AwsService;
import dev.attributerelay.chartmogul.ApiKeys;
import dev.attributerelay.chartmogul.ChartMogulClient;
import dev.attributerelay.chartmogul.Deadline;
import dev.attributerelay.chartmogul.HttpTransport;
import dev.attributerelay.chartmogul.RateLimiter;
import dev.attributerelay.chartmogul.RetryPolicy;
import dev.attributerelay.chartmogul.Transport;
import dev.attributerelay.mapping.ConfigLoader;
import dev.attributerelay.mapping.RelayConfig;
import dev.attributerelay.queue.HeldLog;
import dev.attributerelay.queue.HeldQueue;
import dev.attributerelay.queue.Sqs;
import dev.attributerelay.queue.SqsHeldQueue;
import dev.attributerelay.queue.SqsUpdateQueue;
import dev.attributerelay.queue.UpdateQueue;
import dev.attributerelay.resolve.CustomerResolver;
import dev.attributerelay.secrets.CachedSecrets;
import dev.attributerelay.secrets.ExtensionSecretSource;
import dev.attributerelay.secrets.LocalSecretSource;
import dev.attributerelay.secrets.RelaySecrets;
import dev.attributerelay.secrets.SecretSource;
import dev.attributerelay.secrets.SecretsManagerSource;
import dev.attributerelay.secrets.SecretsUnavailableException;
import dev.attributerelay.state.AppliedState;
import dev.attributerelay.state.DynamoDbStore;
import dev.attributerelay.state.MemoryStore;
import dev.attributerelay.state.StateStore;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

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
    /**
     * How long init waits for the side thread; past it, the first request waits on the secret cache instead, within
     * its own budget. Short, because the budget runs from when API Gateway received the request: a long wait here
     * (a Secrets Manager that hangs) would spend the sender's patience before the request is even looked at.
     */
    static final Duration PREFETCH_WAIT = Duration.ofSeconds(1);

    private Wiring() {
    }

    /**
     * What a deployed function uses: the bundled or RELAY_CONFIG file, Secrets Manager, the real API.
     *
     * <p>Init runs on two threads (docs/performance.md): the Secrets Manager client, the costliest piece, is built
     * on a side thread while this one parses relay.yaml; the side thread then loads the TLS trust store for the
     * ChartMogul transport, and once the configuration is known to be valid, an on-demand start also reads the
     * secret there, so the first request finds it cached. A SnapStart init reads nothing: no secret may be in the
     * snapshot.
     */
    public static Relay forLambda(Map<String, String> env) {
        SecretSource source = secretSource(env);
        EventLog log = new EventLog(System.out);
        CachedSecrets secrets = new CachedSecrets(source, Clock.systemUTC(), SECRET_TTL, m -> log.note("WARN", m));
        Transport transport = transportFor(apiUrl(env));
        SecretPrefetch prefetch = SecretPrefetch.start(source, secrets,
                !isSnapStart(env) && source.readableAtInit(), transport::prepare);
        // the state table's and the queues' first call then finds the signer's classes loaded
        Thread awsPrepare = present(env, "RELAY_STATE_TABLE") || present(env, "RELAY_QUEUE_URL")
                ? AwsJsonClient.prepareInBackground(() -> warmAwsClients(env)) : null;
        RelayConfig config;
        try {
            config = ConfigLoader.fromEnvironment(env);
        } catch (RuntimeException e) {
            prefetch.cancel(); // a broken relay.yaml fails init having read nothing
            throw e;
        }
        prefetch.configIsValid();
        String queueUrl = env.get("RELAY_QUEUE_URL");
        UpdateQueue queue = queueUrl == null || queueUrl.isBlank()
                ? null : new SqsUpdateQueue(sqs(env), queueUrl.trim());
        Relay relay = new Parts(config, source, transport, apiUrl(env), Clock.systemUTC(),
                log, RetryPolicy.standard(), rateLimit(env), queue, stateStore(env), heldQueue(env, log)).relay(secrets);
        prefetch.awaitDone(PREFETCH_WAIT);
        if (awsPrepare != null) {
            try {
                awsPrepare.join(PREFETCH_WAIT.toMillis()); // done long before; bounded all the same
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return relay;
    }

    /** Lambda's {@code AWS_LAMBDA_INITIALIZATION_TYPE} for a SnapStart init (before the snapshot is taken). */
    public static boolean isSnapStart(Map<String, String> env) {
        return "snap-start".equals(env.get("AWS_LAMBDA_INITIALIZATION_TYPE"));
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
                        EventLog log, RetryPolicy retry, RateLimiter limiter, UpdateQueue queue, StateStore state,
                        HeldQueue held) {

        /** Applied state in this relay's own memory; held updates only logged (no held queue). */
        public Parts(RelayConfig config, SecretSource source, Transport transport, URI apiUrl, Clock clock,
                     EventLog log, RetryPolicy retry, RateLimiter limiter, UpdateQueue queue) {
            this(config, source, transport, apiUrl, clock, log, retry, limiter, queue, null, new HeldLog(log));
        }

        /** Held updates only logged (no held queue). */
        public Parts(RelayConfig config, SecretSource source, Transport transport, URI apiUrl, Clock clock,
                     EventLog log, RetryPolicy retry, RateLimiter limiter, UpdateQueue queue, StateStore state) {
            this(config, source, transport, apiUrl, clock, log, retry, limiter, queue, state, new HeldLog(log));
        }

        public Parts withHeld(HeldQueue held) {
            return new Parts(config, source, transport, apiUrl, clock, log, retry, limiter, queue, state, held);
        }

        public Relay relay() {
            return relay(new CachedSecrets(source, clock, SECRET_TTL, m -> log.note("WARN", m)));
        }

        /** @param secrets the cache over {@link #source()}, when the caller already holds it */
        public Relay relay(CachedSecrets secrets) {
            ChartMogulClient client = new ChartMogulClient(apiUrl, apiKeys(secrets), transport, retry,
                    ChartMogulClient.Sleeper.REAL, limiter);
            StateStore store = state == null ? new MemoryStore() : state;
            CustomerResolver resolver = new CustomerResolver(client, store, clock, CUSTOMER_TTL,
                    AppliedState.Sleeper.REAL);
            AppliedState applied = new AppliedState(store, clock, settleTime(retry), AppliedState.Sleeper.REAL);
            return new Relay(config, secrets, new Delivery(resolver, client, applied), client, queue, held, clock,
                    log.with(CustomerPseudonyms.of(secrets::lastRead)));
        }
    }

    /** RELAY_HELD_QUEUE_URL's queue; unset, held updates are logged only. */
    public static HeldQueue heldQueue(Map<String, String> env, EventLog log) {
        String url = env.get("RELAY_HELD_QUEUE_URL");
        return url == null || url.isBlank() ? new HeldLog(log)
                : new SqsHeldQueue(sqs(env), url.trim(), Clock.systemUTC());
    }

    /**
     * CHARTMOGUL_SECRET_ID (Secrets Manager: through the Parameters and Secrets extension where it can be, the SDK
     * otherwise), else RELAY_SECRETS; neither is a configuration error.
     */
    public static SecretSource secretSource(Map<String, String> env) {
        String id = env.get("CHARTMOGUL_SECRET_ID");
        if (id != null && !id.isBlank()) {
            SecretSource sdk = new SecretsManagerSource(() -> SecretsManagerSource.client(region(env), credentials(env)),
                    id);
            SecretSource extension = ExtensionSecretSource.fromEnvironment(env, id, sdk);
            return extension != null ? extension : sdk;
        }
        String local = env.get("RELAY_SECRETS");
        if (local != null) {
            return new LocalSecretSource(local, "RELAY_SECRETS");
        }
        throw new IllegalStateException("set CHARTMOGUL_SECRET_ID to the Secrets Manager secret holding "
                + RelaySecrets.API_KEY + " (or RELAY_SECRETS to the same JSON for local runs)");
    }

    /**
     * The relay the SnapStart priming runs (lambda/Priming): its own caches and counters, ChartMogul at a loopback
     * endpoint, no log output, and one try per call (a retry's jitter would draw a random number).
     */
    public static Relay forPriming(RelayConfig config, SecretSource source, URI endpoint) {
        return forPriming(config, source, endpoint, null);
    }

    /** @param state the store priming drives (a state table's client at the same endpoint); null: memory */
    public static Relay forPriming(RelayConfig config, SecretSource source, URI endpoint, StateStore state) {
        RetryPolicy once = new RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofSeconds(5), () -> 0);
        return new Parts(config, source, transportFor(endpoint), endpoint, Clock.systemUTC(),
                new EventLog(new PrintStream(OutputStream.nullOutputStream())), once, RateLimiter.unlimited(), null,
                state).relay();
    }

    /**
     * How long after its last try an unanswered ChartMogul write may still land: the client gives up on a call after
     * {@link RetryPolicy#perCall()}, and ChartMogul is given as long again, at least 2 s, to finish what it received.
     */
    public static Duration settleTime(RetryPolicy retry) {
        Duration perCall = retry.perCall();
        return perCall.plus(perCall.compareTo(Duration.ofSeconds(2)) > 0 ? perCall : Duration.ofSeconds(2));
    }

    /**
     * RELAY_STATE_TABLE: the DynamoDB table of applied state, its client built on first use (once per container);
     * unset, null: state stays in each relay's memory and no DynamoDB client is ever built.
     */
    public static StateStore stateStore(Map<String, String> env) {
        String table = env.get("RELAY_STATE_TABLE");
        if (table == null || table.isBlank()) {
            return null;
        }
        return new DynamoDbStore(() -> dynamoDb(env), table.trim());
    }

    /**
     * The state table's client: DynamoDB's JSON protocol at AWS_ENDPOINT_URL_DYNAMODB (or AWS_ENDPOINT_URL), read from
     * the map, else the region's endpoint. Each call's time is bounded per request by the delivery's deadline
     * (DynamoDbStore); an attempt by these timeouts.
     */
    static AwsJsonClient dynamoDb(Map<String, String> env) {
        return aws(AwsService.DYNAMODB, env, AwsJsonClient.Limits.standard(Duration.ofSeconds(1), Duration.ofSeconds(2)));
    }

    /** The queues' client: SQS's JSON protocol at AWS_ENDPOINT_URL_SQS (or AWS_ENDPOINT_URL), else the region's. */
    public static Sqs sqs(Map<String, String> env) {
        return new Sqs(aws(AwsService.SQS, env, AwsJsonClient.Limits.standard(Sqs.CONNECT_TIMEOUT, Sqs.ATTEMPT_TIMEOUT)));
    }

    /**
     * Region and credentials as {@link #region} and {@link #credentials} choose them; where the environment names
     * neither (local runs), the SDK's default chains.
     */
    static AwsJsonClient aws(AwsService service, Map<String, String> env, AwsJsonClient.Limits limits) {
        Region region = region(env);
        String id;
        try {
            id = region != null ? region.id() : new DefaultAwsRegionProviderChain().getRegion().id();
        } catch (SdkException e) {
            throw new IllegalStateException("set AWS_REGION: no AWS region is configured for " + service.signingName());
        }
        AwsCredentialsProvider chosen = credentials(env);
        return new AwsJsonClient(service, AwsEndpoints.of(service, id, env), id,
                chosen != null ? chosen : DefaultCredentialsProvider.builder().build(), limits);
    }

    /**
     * Builds the state table's and the queues' clients and resolves the credentials once, without a call: the
     * region, endpoint and credentials classes are then loaded before the first request needs them. Never under
     * SnapStart (no credentials may be in the snapshot; its priming drives the clients instead).
     */
    private static void warmAwsClients(Map<String, String> env) {
        if (isSnapStart(env) || region(env) == null) {
            return; // without AWS_REGION the SDK's region chain may ask the network: left to first use
        }
        if (present(env, "RELAY_STATE_TABLE")) {
            dynamoDb(env);
        }
        if (present(env, "RELAY_QUEUE_URL")) {
            sqs(env);
        }
        AwsCredentialsProvider chosen = credentials(env);
        if (chosen instanceof EnvironmentVariableCredentialsProvider) {
            chosen.resolveCredentials(); // environment variables only: no network
        }
    }

    /** AWS_REGION, which Lambda always sets; null leaves the SDK's region chain to find one (local runs). */
    public static Region region(Map<String, String> env) {
        String r = env.get("AWS_REGION");
        return r == null || r.isBlank() ? null : Region.of(r.trim());
    }

    /**
     * The one credentials source the environment names, instead of the SDK's chain of six: Lambda puts the role's
     * keys in environment variables, except under SnapStart, where it serves them from a container credentials
     * endpoint (their values change after a restore). Null (neither) leaves the SDK's default chain (local runs).
     * The endpoint's provider is one per container, shared by every client: it caches what it fetched until shortly
     * before expiry, so Secrets Manager and the state table do not each fetch the same credentials after a restore.
     */
    static AwsCredentialsProvider credentials(Map<String, String> env) {
        if (present(env, "AWS_ACCESS_KEY_ID") && present(env, "AWS_SECRET_ACCESS_KEY")) {
            return EnvironmentVariableCredentialsProvider.create();
        }
        if (present(env, "AWS_CONTAINER_CREDENTIALS_FULL_URI")) {
            return ContainerCredentials.PROVIDER;
        }
        return null;
    }

    /** Built on first use only: an on-demand start never loads it. */
    private static final class ContainerCredentials {
        // reads the endpoint and its token from the process's environment, as Lambda sets them, at each fetch
        static final ContainerCredentialsProvider PROVIDER = ContainerCredentialsProvider.builder().build();
    }

    private static boolean present(Map<String, String> env, String name) {
        String v = env.get(name);
        return v != null && !v.isBlank();
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

    /**
     * HttpURLConnection, one kept-alive connection per container (Lambda sends it one invocation at a time), which
     * keeps the functions within ChartMogul's 20-connection limit as HTTP/2's single connection did.
     */
    public static Transport transportFor(URI apiUrl) {
        return new HttpTransport();
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

            @Override
            public String current(Deadline deadline) {
                return require(secrets.get(deadline));
            }

            @Override
            public String refreshed(Deadline deadline) {
                return require(secrets.refresh(deadline));
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
