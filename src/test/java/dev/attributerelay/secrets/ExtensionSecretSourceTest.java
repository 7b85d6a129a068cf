package dev.attributerelay.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attributerelay.testing.FakeSecretsManager;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** The extension's HTTP route on loopback, with the real SDK client against the same fake as the fallback. */
class ExtensionSecretSourceTest {
    static final String TOKEN = "session-token-1";
    static final String SECRET = "{\"chartmogul_api_key\":\"cm_k1\"}";
    FakeSecretsManager fake;
    AtomicInteger sdkBuilds = new AtomicInteger();
    SecretsManagerClient sdk;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeSecretsManager().put("relay/prod", SECRET).extensionToken(TOKEN);
    }

    @AfterEach
    void stop() {
        if (sdk != null) {
            sdk.close();
        }
        fake.close();
    }

    SecretsManagerSource sdkSource(String id) {
        return new SecretsManagerSource(() -> {
            sdkBuilds.incrementAndGet();
            sdk = SecretsManagerClient.builder().endpointOverride(fake.url()).region(Region.EU_WEST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                    .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
            return sdk;
        }, id);
    }

    ExtensionSecretSource extension(URI endpoint, String id, String token) {
        return new ExtensionSecretSource(endpoint, id, token, sdkSource(id));
    }

    @Test
    void readsTheSecretFromTheExtensionWithTheSessionTokenAndNeverBuildsTheSdkClient() {
        ExtensionSecretSource source = extension(fake.url(), "relay/prod", TOKEN);
        source.prepare();
        assertThat(source.read()).isEqualTo(SECRET);
        assertThat(fake.extensionReads()).isEqualTo(1);
        assertThat(fake.reads()).isZero();
        assertThat(sdkBuilds).hasValue(0);
    }

    @Test
    void aWrongTokenFallsBackToTheSdk() {
        ExtensionSecretSource source = extension(fake.url(), "relay/prod", "someone-else");
        assertThat(source.read()).isEqualTo(SECRET);
        assertThat(fake.extensionReads()).isZero();
        assertThat(fake.reads()).isEqualTo(1);
        assertThat(sdkBuilds).hasValue(1);
    }

    @Test
    void noExtensionListeningFallsBackToTheSdk() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        ExtensionSecretSource source = extension(URI.create("http://127.0.0.1:" + closedPort), "relay/prod", TOKEN);
        assertThat(source.read()).isEqualTo(SECRET);
        assertThat(fake.reads()).isEqualTo(1);
    }

    @Test
    void aMissingSecretIsReportedByTheFallbackByNameNeverByValue() {
        ExtensionSecretSource source = extension(fake.url(), "relay/none", TOKEN);
        assertThatThrownBy(source::read).isInstanceOf(SecretsUnavailableException.class)
                .hasMessageContaining("'relay/none'").hasMessageContaining("does not exist");
        assertThat(fake.extensionReads()).isEqualTo(1);
    }

    @Test
    void secretIdsAreSentEncoded() {
        fake.put("arn:aws:secretsmanager:eu-west-1:1:secret:a b&c=d", SECRET);
        ExtensionSecretSource source = extension(fake.url(), "arn:aws:secretsmanager:eu-west-1:1:secret:a b&c=d",
                TOKEN);
        assertThat(source.read()).isEqualTo(SECRET);
        assertThat(fake.reads()).isZero();
    }

    @Test
    void aFailingExtensionAndSecretsManagerLeaveTheCacheServingItsStaleValue() {
        Clock[] now = {Clock.fixed(java.time.Instant.parse("2026-01-01T00:00:00Z"), java.time.ZoneOffset.UTC)};
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public java.time.Instant instant() {
                return now[0].instant();
            }
        };
        CachedSecrets cached = new CachedSecrets(extension(fake.url(), "relay/prod", TOKEN), clock,
                Duration.ofMinutes(5));
        assertThat(cached.get().apiKey()).isEqualTo("cm_k1");
        fake.failWith(500);
        now[0] = Clock.offset(now[0], Duration.ofMinutes(6));
        assertThat(cached.get().apiKey()).isEqualTo("cm_k1");
        assertThat(fake.extensionReads()).isEqualTo(2);
        assertThat(fake.reads()).isGreaterThanOrEqualTo(1); // the fallback was tried too
    }

    @Test
    void chosenOnlyWhenThePortIsSetAndTheSessionTokenIsThereOutsideSnapStart() {
        SecretSource sdkOnly = sdkSource("x");
        Map<String, String> env = new HashMap<>(Map.of("AWS_SESSION_TOKEN", TOKEN,
                "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", "2773"));
        assertThat(ExtensionSecretSource.fromEnvironment(env, "x", sdkOnly)).isInstanceOf(ExtensionSecretSource.class);
        assertThat(ExtensionSecretSource.fromEnvironment(env, "x", sdkOnly).readableAtInit()).isFalse();
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start");
        assertThat(ExtensionSecretSource.fromEnvironment(env, "x", sdkOnly)).isNull();
        env.remove("AWS_LAMBDA_INITIALIZATION_TYPE");
        env.remove("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT");
        assertThat(ExtensionSecretSource.fromEnvironment(env, "x", sdkOnly)).isNull();
        env.put("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", "2773");
        env.put("AWS_SESSION_TOKEN", " ");
        assertThat(ExtensionSecretSource.fromEnvironment(env, "x", sdkOnly)).isNull();
        env.put("AWS_SESSION_TOKEN", TOKEN);
        env.put("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", "http");
        assertThatThrownBy(() -> ExtensionSecretSource.fromEnvironment(env, "x", sdkOnly))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT");
    }
}
