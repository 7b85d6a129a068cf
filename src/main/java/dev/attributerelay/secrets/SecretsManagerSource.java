package dev.attributerelay.secrets;

import java.net.URI;
import java.time.Duration;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * AWS Secrets Manager through SDK v2 with the URL-connection HTTP client (the lightest to start). The endpoint
 * ({@code AWS_ENDPOINT_URL_SECRETS_MANAGER}) and anything not given to {@link #client} come from the environment,
 * as the SDK reads it.
 *
 * <p>The SDK client is the most expensive object of a cold start (about a thousand classes), so it is built on
 * first use, or ahead of it by {@link #prepare()} on a side thread while the configuration loads.
 */
public final class SecretsManagerSource implements SecretSource {
    /** The longest one read may take, retries included, when the caller's deadline is further away. */
    static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(4);
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(2);
    private final Supplier<SecretsManagerClient> factory;
    private final String secretId;
    private volatile SecretsManagerClient client;

    public SecretsManagerSource(SecretsManagerClient client, String secretId) {
        this(() -> client, secretId);
    }

    /** @param factory builds the client once, on first use */
    public SecretsManagerSource(Supplier<SecretsManagerClient> factory, String secretId) {
        this.factory = factory;
        this.secretId = secretId;
    }

    /**
     * The client this relay uses. Every argument left null is the SDK's own default chain; Wiring passes the
     * region and credentials the Lambda environment names, which spares the chains' probes (profile files,
     * web identity, container and instance metadata).
     */
    public static SecretsManagerClient client(Region region, AwsCredentialsProvider credentials) {
        return client(region, credentials, null);
    }

    /** @param endpoint another endpoint than the environment's (the SnapStart priming's loopback one), or null */
    public static SecretsManagerClient client(Region region, AwsCredentialsProvider credentials, URI endpoint) {
        // no call may hang: an overall and a per-attempt ceiling, shortened further per request by its deadline
        SecretsManagerClientBuilder b = SecretsManagerClient.builder()
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(1))
                        .socketTimeout(ATTEMPT_TIMEOUT).build())
                .overrideConfiguration(c -> c.apiCallTimeout(API_CALL_TIMEOUT).apiCallAttemptTimeout(ATTEMPT_TIMEOUT));
        if (endpoint != null) {
            b.endpointOverride(endpoint);
        }
        if (region != null) {
            b.region(region);
        }
        if (credentials != null) {
            b.credentialsProvider(credentials);
        }
        return b.build();
    }

    /** The SDK's defaults for everything (local runs). */
    public static SecretsManagerClient defaultClient() {
        return client(null, null);
    }

    /** Builds the SDK client now, reading nothing. */
    @Override
    public void prepare() {
        sdk();
    }

    @Override
    public String read() {
        return read(API_CALL_TIMEOUT);
    }

    @Override
    public String read(Duration timeout) {
        Duration within = timeout.compareTo(API_CALL_TIMEOUT) < 0 ? timeout : API_CALL_TIMEOUT;
        try {
            GetSecretValueResponse r = sdk().getSecretValue(b -> b.secretId(secretId)
                    .overrideConfiguration(o -> o.apiCallTimeout(within)));
            if (r.secretString() != null) {
                return r.secretString();
            }
            throw new SecretsUnavailableException("secret " + describe() + " has no string value");
        } catch (ResourceNotFoundException e) {
            throw new SecretsUnavailableException("secret " + describe() + " does not exist");
        } catch (SdkException e) {
            throw new SecretsUnavailableException("secret " + describe() + " could not be read: "
                    + e.getClass().getSimpleName());
        }
    }

    @Override
    public String describe() {
        return "'" + secretId + "'";
    }

    private SecretsManagerClient sdk() {
        SecretsManagerClient c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    c = factory.get();
                    client = c;
                }
            }
        }
        return c;
    }
}
