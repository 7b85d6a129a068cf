package dev.attributerelay.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attributerelay.inbound.Inbound;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemesTest {
    private static final Instant NOW = Instant.parse("2024-03-15T10:32:38Z");
    private static final String URL_ = "https://hooks.example.com/webhooks/test";
    private static final String SECRET = "whsec_" + java.util.Base64.getEncoder()
            .encodeToString("a shared secret for every scheme".getBytes(StandardCharsets.US_ASCII));
    private static final byte[] BODY = "{\"type\":\"customer.updated\"}".getBytes(StandardCharsets.UTF_8);

    private static SignatureScheme create(String name) {
        return Schemes.create(new VerifySpec(name, "key", Duration.ofSeconds(300), URL_, name.equals("none")));
    }

    @Test
    void everyNamedSchemeSignsAndVerifiesItsOwnSignature() {
        for (String name : Schemes.NAMES) {
            SignatureScheme scheme = create(name);
            Signed signed = scheme.sign(SignRequest.post(URL_, BODY, SECRET, NOW));
            Inbound in = SignedRequest.of(signed, BODY).inbound();
            assertThat(scheme.verify(in, List.of(SECRET), NOW)).as(name).isEqualTo(Verdict.verified());
            if (!name.equals("none")) {
                assertThat(scheme.verify(in, List.of("whsec_" + "b3RoZXIgc2VjcmV0"), NOW)).as(name + " with another secret")
                        .isInstanceOf(Verdict.Refused.class);
                assertThat(scheme.verify(SignedRequest.post(BODY).inbound(), List.of(SECRET), NOW))
                        .as(name + " unsigned").isInstanceOf(Verdict.Refused.class);
            }
        }
    }

    @Test
    void everySchemeTellsAMissingCredentialApartBeforeAnySecretIsRead() {
        for (String name : Schemes.NAMES) {
            SignatureScheme scheme = create(name);
            Inbound signed = SignedRequest.of(scheme.sign(SignRequest.post(URL_, BODY, SECRET, NOW)), BODY).inbound();
            assertThat(scheme.missingCredential(signed)).as(name + " signed").isNull();
            if (name.equals("none")) {
                assertThat(scheme.missingCredential(SignedRequest.post(BODY).inbound())).isNull();
                continue;
            }
            Verdict.Refused missing = scheme.missingCredential(SignedRequest.post(BODY).inbound());
            assertThat(missing).as(name + " bare").isNotNull();
            assertThat(missing.reason()).as(name).contains("missing");
            // a present but wrong credential is for verify to judge, with the secret
            Inbound wrong = SignedRequest.of(scheme.sign(SignRequest.post(URL_, BODY, "whsec_b3RoZXI=", NOW)), BODY).inbound();
            assertThat(scheme.missingCredential(wrong)).as(name + " wrong").isNull();
            assertThat(scheme.verify(wrong, List.of(SECRET), NOW)).as(name + " wrong").isInstanceOf(Verdict.Refused.class);
        }
    }

    @Test
    void everyBodySigningSchemeRefusesAChangedBody() {
        for (String name : Schemes.NAMES) {
            if (List.of("none", "basic-auth", "url-token").contains(name)) {
                continue;
            }
            SignatureScheme scheme = create(name);
            Signed signed = scheme.sign(SignRequest.post(URL_, BODY, SECRET, NOW));
            byte[] changed = BODY.clone();
            changed[changed.length - 2] ^= 1;
            assertThat(scheme.verify(SignedRequest.of(signed, changed).inbound(), List.of(SECRET), NOW)).as(name)
                    .isInstanceOf(Verdict.Refused.class);
        }
    }

    @Test
    void onlyTheNoneSchemeNeedsNoSecretAndOnlyUrlTokenHasAHandshake() {
        Inbound get = SignedRequest.post("").method("GET").inbound();
        for (String name : Schemes.NAMES) {
            SignatureScheme scheme = create(name);
            assertThat(scheme.needsSecret()).as(name).isEqualTo(!name.equals("none"));
            assertThat(scheme.isHandshake(get)).as(name).isEqualTo(name.equals("url-token"));
        }
    }

    @Test
    void unknownSchemesAndMissingSettingsAreConfigurationErrors() {
        assertThatThrownBy(() -> create("hmac")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown scheme 'hmac'").hasMessageContaining("paddle, hubspot-v3");
        assertThatThrownBy(() -> Schemes.create(new VerifySpec("hubspot-v3", "key", Duration.ofSeconds(300), null, false)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("public_url");
    }

    @Test
    void createLoadsOnlyTheChosenScheme() throws Exception {
        URL classes = Schemes.class.getProtectionDomain().getCodeSource().getLocation();
        try (Isolated loader = new Isolated(classes, getClass().getClassLoader())) {
            Class<?> spec = loader.loadClass(VerifySpec.class.getName());
            Object stripe = spec.getConstructor(String.class, String.class, Duration.class, String.class, boolean.class)
                    .newInstance("stripe", "key", Duration.ofSeconds(300), null, false);
            Object scheme = loader.loadClass(Schemes.class.getName()).getMethod("create", spec).invoke(null, stripe);
            assertThat(scheme.getClass().getName()).isEqualTo(StripeSignature.class.getName());
            assertThat(loader.loaded(StripeSignature.class.getName())).isTrue();
            for (Class<?> other : List.of(PaddleSignature.class, HubSpotV3Signature.class, ShopifySignature.class,
                    GitHubSignature.class, IntercomSignature.class, StandardWebhooksSignature.class,
                    CustomerIoSignature.class, RecurlySignature.class, BasicAuth.class, UrlToken.class, Unsigned.class)) {
                assertThat(loader.loaded(other.getName())).as(other.getSimpleName()).isFalse();
            }
        }
    }

    /** Loads this project's classes itself (child first), so it can say which of them were loaded. */
    private static final class Isolated extends URLClassLoader {
        Isolated(URL classes, ClassLoader parent) {
            super(new URL[] {classes}, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("dev.attributerelay.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = findClass(name);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }

        boolean loaded(String name) {
            return findLoadedClass(name) != null;
        }
    }
}
