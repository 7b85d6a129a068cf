package dev.attributerelay.secrets;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * AWS Secrets Manager through SDK v2 with the URL-connection HTTP client (the lightest to start). Region,
 * credentials and endpoint ({@code AWS_ENDPOINT_URL_SECRETS_MANAGER}) come from the environment, untouched.
 */
public final class SecretsManagerSource implements SecretSource {
    private final SecretsManagerClient client;
    private final String secretId;

    public SecretsManagerSource(SecretsManagerClient client, String secretId) {
        this.client = client;
        this.secretId = secretId;
    }

    /** The client this relay uses: built once per container. */
    public static SecretsManagerClient defaultClient() {
        return SecretsManagerClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    @Override
    public String read() {
        try {
            GetSecretValueResponse r = client.getSecretValue(b -> b.secretId(secretId));
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
}
