package dev.attributerelay.local;

import dev.attributerelay.mapping.Integration;
import dev.attributerelay.mapping.RelayConfig;
import dev.attributerelay.mapping.Rule;
import dev.attributerelay.secrets.RelaySecrets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** What {@code check-config} adds to loading a relay.yaml: placeholders left in place, secret keys that are missing. */
final class ConfigCheck {
    /** The bundled file's and the docs' stand-ins, which a deployed relay must not keep. */
    private static final String PLACEHOLDER_HOST = "hooks.example.com";
    private static final Pattern PLACEHOLDER_DATA_SOURCE = Pattern.compile("ds_0{8}-.*|ds_\\.\\.\\.");

    private ConfigCheck() {
    }

    static List<String> placeholders(RelayConfig config) {
        List<String> out = new ArrayList<>();
        for (Integration i : config.integrations().values()) {
            String where = config.file() + ": integration '" + i.name() + "'";
            if (i.verify() != null && i.verify().publicUrl() != null && i.verify().publicUrl().contains(PLACEHOLDER_HOST)) {
                out.add(where + ", field verify.public_url: still the placeholder " + i.verify().publicUrl()
                        + "; set it to the URL the provider calls (the stack output WebhookBaseUrl + '" + i.name()
                        + "'), or signatures will not verify");
            }
            List<String> seen = new ArrayList<>();
            for (Rule r : i.rules()) {
                String ds = r.customer().dataSourceUuid();
                if (ds != null && PLACEHOLDER_DATA_SOURCE.matcher(ds).matches() && !seen.contains(ds)) {
                    seen.add(ds);
                    out.add(where + ", rule " + r.name() + ", field data_source_uuid: still the placeholder " + ds
                            + "; set it to your ChartMogul data source's uuid, or no customer will be found");
                }
            }
        }
        return out;
    }

    /** Each secret key relay.yaml names that the secrets lack, with where it is named; never a value. */
    static List<String> missingSecrets(RelayConfig config, RelaySecrets secrets) {
        List<String> out = new ArrayList<>();
        if (secrets.apiKey() == null) {
            out.add("the secrets have no '" + RelaySecrets.API_KEY + "' (the ChartMogul API key every integration uses)");
        }
        for (Integration i : config.integrations().values()) {
            String key = i.verify() == null ? null : i.verify().secretName();
            if (key != null && secrets.all(key).isEmpty()) {
                out.add("integration '" + i.name() + "', field verify.secret: the secrets have no key '" + key + "'");
            }
            String backfillKey = i.backfill() == null ? null : i.backfill().apiKeySecret();
            if (backfillKey != null && secrets.all(backfillKey).isEmpty()) {
                out.add("integration '" + i.name() + "', field backfill.api_key: the secrets have no key '" + backfillKey
                        + "' (the provider API key backfill reads with)");
            }
        }
        return out;
    }
}
