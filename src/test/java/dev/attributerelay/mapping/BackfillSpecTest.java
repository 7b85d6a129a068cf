package dev.attributerelay.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** relay.yaml's {@code backfill: { api_key: … }} block. */
class BackfillSpecTest {
    static final String HEAD = "integrations:\n  stripe:\n    verify: { scheme: stripe, secret: s }\n    preset: stripe\n";

    @Test
    void theBlockNamesTheSecretsKeyAndThePresetNamesTheApi() {
        Integration i = ConfigLoader.parse("relay.yaml", HEAD + "    backfill: { api_key: stripe_api_key }\n")
                .integration("stripe");

        assertThat(i.backfill()).isEqualTo(new BackfillSpec("stripe_api_key", "stripe"));
        assertThat(ConfigLoader.parse("relay.yaml", HEAD).integration("stripe").backfill()).isNull();
    }

    @Test
    void aBlockWithoutAKeyOrWithUnknownSettingsIsNamed() {
        assertThatThrownBy(() -> ConfigLoader.parse("relay.yaml", HEAD + "    backfill: { api_key: '' }\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("backfill.api_key")
                .hasMessageContaining("must name the key of the secrets JSON");
        assertThatThrownBy(() -> ConfigLoader.parse("relay.yaml", HEAD + "    backfill: { api_key: k, key: x }\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("backfill.key");
        assertThatThrownBy(() -> ConfigLoader.parse("relay.yaml", HEAD + "    backfill: stripe_api_key\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("backfill");
    }
}
