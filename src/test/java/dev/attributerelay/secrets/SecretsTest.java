package dev.attributerelay.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attributerelay.testing.FakeSecretsManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** The real SDK client against a loopback Secrets Manager. */
class SecretsTest {
    FakeSecretsManager fake;
    SecretsManagerClient sdk;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeSecretsManager();
        sdk = SecretsManagerClient.builder().endpointOverride(fake.url()).region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    @AfterEach
    void stop() {
        sdk.close();
        fake.close();
    }

    @Test
    void jsonSecretsHoldTheKeyAndSigningSecretsSomeAsLists() {
        fake.put("relay", "{\"chartmogul_api_key\":\"k1\",\"stripe\":[\"whsec_new\",\"whsec_old\"],\"empty\":\"\"}");
        RelaySecrets s = RelaySecrets.parse(new SecretsManagerSource(sdk, "relay").read(), "x");
        assertThat(s.apiKey()).isEqualTo("k1");
        assertThat(s.all("stripe")).containsExactly("whsec_new", "whsec_old");
        assertThat(s.all("empty")).isEmpty();
        assertThat(s.all("absent")).isEmpty();
        assertThat(s.toString()).doesNotContain("k1").doesNotContain("whsec");
    }

    @Test
    void aPlainStringIsTheApiKeyAlone() {
        assertThat(RelaySecrets.parse("  cm_key  ", "x").apiKey()).isEqualTo("cm_key");
    }

    @Test
    void brokenJsonIsReportedWithoutQuotingIt() {
        assertThatThrownBy(() -> RelaySecrets.parse("{\"chartmogul_api_key\": \"k1\", oops", "'relay'"))
                .isInstanceOf(SecretsUnavailableException.class)
                .hasMessage("'relay' is not valid JSON");
    }

    @Test
    void aMissingSecretOrAFailingServiceIsUnavailableNamingOnlyTheSecret() {
        assertThatThrownBy(() -> new SecretsManagerSource(sdk, "nope").read())
                .isInstanceOf(SecretsUnavailableException.class).hasMessage("secret 'nope' does not exist");
        fake.put("relay", "{}").failWith(500);
        assertThatThrownBy(() -> new SecretsManagerSource(sdk, "relay").read())
                .isInstanceOf(SecretsUnavailableException.class).hasMessageContaining("could not be read");
    }

    @Test
    void theCacheReadsOncePerTtlRefreshesOnDemandAndServesTheLastGoodValueWhileTheServiceFails() {
        fake.put("relay", "{\"chartmogul_api_key\":\"k1\"}");
        Instant[] now = {Instant.parse("2026-01-01T00:00:00Z")};
        Clock clock = new Clock() {
            public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
            public Clock withZone(java.time.ZoneId z) { return this; }
            public Instant instant() { return now[0]; }
        };
        List<String> warnings = new ArrayList<>();
        CachedSecrets cached = new CachedSecrets(new SecretsManagerSource(sdk, "relay"), clock, Duration.ofMinutes(5),
                warnings::add);
        cached.get();
        cached.get();
        assertThat(fake.reads()).isEqualTo(1);

        fake.put("relay", "{\"chartmogul_api_key\":\"k2\"}");
        assertThat(cached.get().apiKey()).isEqualTo("k1");
        assertThat(cached.refresh().apiKey()).isEqualTo("k2");
        assertThat(fake.reads()).isEqualTo(2);

        now[0] = now[0].plus(Duration.ofMinutes(6));
        fake.failWith(500);
        assertThat(cached.get().apiKey()).isEqualTo("k2"); // expired, the service fails: the last good value serves
        int afterFailure = fake.reads();
        assertThat(afterFailure).isGreaterThan(2); // the expired cache did go to the service
        assertThat(warnings).singleElement().asString().contains("serving the secret").doesNotContain("k2");
        for (int i = 0; i < 20; i++) {
            assertThat(cached.get().apiKey()).isEqualTo("k2");
        }
        assertThat(fake.reads()).isEqualTo(afterFailure); // not re-tried on every request while it fails

        now[0] = now[0].plus(CachedSecrets.FAILURE_BACKOFF);
        fake.failWith(0);
        assertThat(cached.get().apiKey()).isEqualTo("k2");
        assertThat(fake.reads()).isEqualTo(afterFailure + 1); // past the backoff it reads again, and recovers

        // an hour past the TTL a stale value no longer serves: the failure is the answer
        now[0] = now[0].plus(Duration.ofMinutes(5)).plus(CachedSecrets.STALE_LIMIT).plusSeconds(1);
        fake.failWith(500);
        assertThatThrownBy(cached::get).isInstanceOf(SecretsUnavailableException.class);
        fake.failWith(0);
    }

    @Test
    void aFailureWithNothingCachedIsTriedAgainByTheNextRequest() {
        fake.put("relay", "{\"chartmogul_api_key\":\"k1\"}").failWith(500);
        CachedSecrets cached = new CachedSecrets(new SecretsManagerSource(sdk, "relay"), Clock.systemUTC(),
                Duration.ofMinutes(5));
        assertThatThrownBy(cached::get).isInstanceOf(SecretsUnavailableException.class);
        fake.failWith(0);
        assertThat(cached.get().apiKey()).isEqualTo("k1"); // nothing to serve meanwhile: trying is how it recovers
    }
}
