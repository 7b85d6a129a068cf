package dev.attributerelay.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attributerelay.verify.StripeSignature;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
    static final String VALID = """
            integrations:
              stripe:
                verify: { scheme: stripe, secret: s, tolerance_seconds: 120 }
                data_source_uuid: ds_1
                on_unknown_customer: skip
                events:
                  - when: type = "x"
                    customer: { external_id: data.object.id }
                    attributes:
                      plan: { type: String, value: data.object.plan }
            """;

    @Test
    void theBundledConfigurationLoads() {
        RelayConfig c = ConfigLoader.loadBundled();
        assertThat(c.integrations()).containsKey("stripe");
        assertThat(c.integration("stripe").verifier()).isInstanceOf(StripeSignature.class);
        assertThat(c.forEventBridgeSource("aws.partner/stripe.com/ed_123").name()).isEqualTo("stripe");
    }

    @Test
    void emailKeyedPresetsSkipUnknownCustomersUnlessTheIntegrationSaysOtherwise() {
        String yaml = """
                integrations:
                  shop: { verify: { scheme: shopify, secret: s }, preset: shopify }
                  crm:  { verify: { scheme: intercom, secret: s }, preset: intercom }
                  mc:   { verify: { scheme: url-token, secret: s }, preset: mailchimp }
                  cio:  { verify: { scheme: customerio, secret: s }, preset: customerio }
                  hs:   { verify: { scheme: hubspot-v3, secret: s, public_url: "https://h.example/webhooks/hs" }, preset: hubspot }
                  strict: { verify: { scheme: shopify, secret: s }, preset: shopify, on_unknown_customer: retry }
                  billing: { verify: { scheme: stripe, secret: s }, preset: stripe }
                """;
        RelayConfig c = ConfigLoader.parse("relay.yaml", yaml);
        for (String email : java.util.List.of("shop", "crm", "mc", "cio", "hs")) {
            assertThat(c.integration(email).onUnknownCustomer()).as(email).isEqualTo(UnknownCustomerPolicy.SKIP);
        }
        assertThat(c.integration("strict").onUnknownCustomer()).isEqualTo(UnknownCustomerPolicy.RETRY);
        // keyed by the billing system's id: the customer usually appears once ChartMogul imports it
        assertThat(c.integration("billing").onUnknownCustomer()).isEqualTo(UnknownCustomerPolicy.RETRY);
        assertThat(ConfigLoader.loadBundled().integration("shopify").onUnknownCustomer())
                .isEqualTo(UnknownCustomerPolicy.SKIP);
    }

    @Test
    void defaultsAndSettingsAreRead() {
        Integration i = ConfigLoader.parse("relay.yaml", VALID).integration("stripe");
        assertThat(i.source()).isEqualTo("stripe");
        assertThat(i.verify().tolerance()).isEqualTo(Duration.ofSeconds(120));
        assertThat(i.onUnknownCustomer()).isEqualTo(UnknownCustomerPolicy.SKIP);
        assertThat(i.createMissingAttributes()).isFalse();
        assertThat(i.maxBodyBytes()).isEqualTo(1024 * 1024);
        assertThat(i.rules().get(0).customer().dataSourceUuid()).isEqualTo("ds_1");
    }

    @Test
    void anUnknownTypeNamesFileIntegrationRuleAndField() {
        String bad = VALID.replace("type: String", "type: Strin");
        assertThatThrownBy(() -> ConfigLoader.parse("relay.yaml", bad))
                .isInstanceOf(ConfigException.class)
                .hasMessage("relay.yaml: integration 'stripe', rule events[0], field attributes.plan.type: 'Strin' is not"
                        + " a type (expected one of String, Integer, Decimal, Timestamp, Boolean)");
    }

    @Test
    void anExpressionThatDoesNotCompileIsNamed() {
        String bad = VALID.replace("value: data.object.plan", "value: 'data.object.plan(('");
        assertThatThrownBy(() -> ConfigLoader.parse("relay.yaml", bad))
                .hasMessageStartingWith("relay.yaml: integration 'stripe', rule events[0], field attributes.plan.value:")
                .hasMessageContaining("JSONata");
    }

    @Test
    void misspelledSettingsAreRefused() {
        assertThatThrownBy(() -> ConfigLoader.parse("relay.yaml", VALID.replace("attributes:", "atributes:")))
                .hasMessageContaining("field atributes: is not a known setting");
        assertThatThrownBy(() -> ConfigLoader.parse("relay.yaml", VALID.replace("tolerance_seconds", "tolerance")))
                .hasMessageContaining("field verify.tolerance: is not a known setting");
    }

    @Test
    void customerNeedsExactlyOneReference() {
        assertThatThrownBy(() -> ConfigLoader.parse("relay.yaml",
                VALID.replace("{ external_id: data.object.id }", "{ external_id: a, email: b }")))
                .hasMessageContaining("field customer: names both external_id and email");
        assertThatThrownBy(() -> ConfigLoader.parse("relay.yaml",
                VALID.replace("{ external_id: data.object.id }", "{ email: b, data_source_uuid: ds_x }")))
                .hasMessageContaining("data_source_uuid: only narrows an external_id lookup");
    }

    @Test
    void unsignedNeedsAnExplicitOptIn() {
        String none = VALID.replace("{ scheme: stripe, secret: s, tolerance_seconds: 120 }", "{ scheme: none }");
        assertThatThrownBy(() -> ConfigLoader.parse("relay.yaml", none))
                .hasMessageContaining("field verify.allow_unsigned: must be true");
        String allowed = VALID.replace("{ scheme: stripe, secret: s, tolerance_seconds: 120 }",
                "{ scheme: none, allow_unsigned: true }");
        assertThat(ConfigLoader.parse("relay.yaml", allowed).integration("stripe").verifier().needsSecret()).isFalse();
    }

    @Test
    void aSchemeNeedsItsSecretAndAKnownName() {
        assertThatThrownBy(() -> ConfigLoader.parse("relay.yaml", VALID.replace(", secret: s", "")))
                .hasMessageContaining("field verify.secret: is required");
        assertThatThrownBy(() -> ConfigLoader.parse("relay.yaml", VALID.replace("scheme: stripe", "scheme: strype")))
                .hasMessageContaining("unknown scheme 'strype'");
    }

    @Test
    void badAttributeKeysAndPoliciesAreRefused() {
        assertThatThrownBy(() -> ConfigLoader.parse("relay.yaml", VALID.replace("plan:", "plan-name:")))
                .hasMessageContaining("letters, digits and underscores");
        assertThatThrownBy(() -> ConfigLoader.parse("relay.yaml", VALID.replace("on_unknown_customer: skip", "on_unknown_customer: later")))
                .hasMessageContaining("must be retry, skip or hold");
    }

    @Test
    void anUnknownPresetAndBrokenYamlAreNamed() {
        assertThatThrownBy(() -> ConfigLoader.parse("relay.yaml", VALID.replace("data_source_uuid: ds_1", "preset: nosuch")))
                .hasMessageContaining("field preset: no bundled preset named 'nosuch'");
        assertThatThrownBy(() -> ConfigLoader.parse("my.yaml", "integrations: [unclosed"))
                .hasMessageStartingWith("my.yaml: is not valid YAML");
        assertThatThrownBy(() -> ConfigLoader.parse("my.yaml", "integrations: {}"))
                .hasMessageContaining("must map at least one integration");
    }

    @Test
    void presetRulesComeFirstAndTheIntegrationsOwnAreAdded() {
        String cfg = """
                integrations:
                  s:
                    preset: stripe
                    verify: { scheme: stripe, secret: k }
                    events:
                      - customer: { uuid: u }
                        attributes: { x: { type: String, value: v } }
                """;
        Integration i = ConfigLoader.parse("relay.yaml", cfg).integration("s");
        assertThat(i.rules().get(0).name()).startsWith("preset stripe events[0]");
        assertThat(i.rules().get(i.rules().size() - 1).name()).isEqualTo("events[0]");
    }
}
