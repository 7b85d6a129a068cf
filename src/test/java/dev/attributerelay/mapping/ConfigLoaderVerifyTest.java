package dev.attributerelay.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attributerelay.verify.HubSpotV3Signature;
import dev.attributerelay.verify.Schemes;
import org.junit.jupiter.api.Test;

/** The verify: block as relay.yaml spells it, for the schemes that need more than scheme and secret. */
class ConfigLoaderVerifyTest {

    private static String yaml(String verify) {
        return "integrations:\n"
                + "  crm:\n"
                + "    verify: " + verify + "\n"
                + "    events:\n"
                + "      - customer: { email: email }\n"
                + "        attributes:\n"
                + "          plan: { type: String, value: plan }\n";
    }

    @Test
    void everySchemeNameLoads() {
        for (String name : Schemes.NAMES) {
            String verify = name.equals("none") ? "{ scheme: none, allow_unsigned: true }"
                    : "{ scheme: " + name + ", secret: s, public_url: \"https://hooks.example.com/webhooks/crm\" }";
            RelayConfig config = ConfigLoader.parse("relay.yaml", yaml(verify));
            assertThat(config.integrations().get("crm").verify().scheme()).isEqualTo(name);
        }
    }

    @Test
    void hubspotLegacyVersionsAreOffUnlessSaid() {
        RelayConfig off = ConfigLoader.parse("relay.yaml",
                yaml("{ scheme: hubspot-v3, secret: s, public_url: \"https://hooks.example.com/webhooks/crm\" }"));
        assertThat(off.integrations().get("crm").verify().legacyVersions()).isFalse();
        RelayConfig on = ConfigLoader.parse("relay.yaml",
                yaml("{ scheme: hubspot-v3, secret: s, public_url: \"https://hooks.example.com/webhooks/crm\", legacy_versions: true }"));
        assertThat(on.integrations().get("crm").verify().legacyVersions()).isTrue();
        assertThat(on.integrations().get("crm").verifier()).isInstanceOf(HubSpotV3Signature.class);
    }

    @Test
    void legacyVersionsBelongToHubSpotOnly() {
        assertThatThrownBy(() -> ConfigLoader.parse("relay.yaml", yaml("{ scheme: github, secret: s, legacy_versions: true }")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("integration 'crm'").hasMessageContaining("verify.legacy_versions")
                .hasMessageContaining("hubspot-v3 only");
        assertThatThrownBy(() -> ConfigLoader.parse("relay.yaml", yaml(
                "{ scheme: hubspot-v3, secret: s, public_url: \"https://h.example.com/\", legacy_versions: yes please }")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("verify.legacy_versions");
    }

    @Test
    void hubspotWithoutPublicUrlIsRefused() {
        assertThatThrownBy(() -> ConfigLoader.parse("relay.yaml", yaml("{ scheme: hubspot-v3, secret: s }")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("verify.public_url");
    }
}
