package dev.attributerelay.mapping;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A loaded, validated and compiled relay.yaml. */
public record RelayConfig(String file, Map<String, Integration> integrations) {

    public RelayConfig {
        integrations = Collections.unmodifiableMap(new LinkedHashMap<>(integrations));
    }

    public Integration integration(String name) {
        return name == null ? null : integrations.get(name);
    }

    /** The integration that owns an EventBridge source (longest matching prefix), or null. */
    public Integration forEventBridgeSource(String source) {
        Integration best = null;
        if (source == null) {
            return null;
        }
        for (Integration i : integrations.values()) {
            String prefix = i.eventbridgeSource();
            if (prefix != null && source.startsWith(prefix)
                    && (best == null || prefix.length() > best.eventbridgeSource().length())) {
                best = i;
            }
        }
        return best;
    }
}
