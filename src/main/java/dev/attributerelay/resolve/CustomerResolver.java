package dev.attributerelay.resolve;

import dev.attributerelay.chartmogul.ChartMogulClient;
import dev.attributerelay.chartmogul.CustomerMatches;
import dev.attributerelay.chartmogul.Deadline;
import dev.attributerelay.mapping.CustomerRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a customer reference into a ChartMogul uuid. Found uuids are cached per container for a TTL, so
 * steady traffic costs one call per update; a cached uuid that starts answering 404 (customers merge) is
 * {@link #forget forgotten} and resolved again. Misses are not cached: the customer may appear any moment.
 */
public final class CustomerResolver {
    private static final int MAX_ENTRIES = 10_000;

    private final ChartMogulClient client;
    private final Clock clock;
    private final Duration ttl;
    private final Map<String, Cached> cache = new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    public CustomerResolver(ChartMogulClient client, Clock clock, Duration ttl) {
        this.client = client;
        this.clock = clock;
        this.ttl = ttl;
    }

    public Resolution resolve(CustomerRef ref, Deadline deadline) {
        if (ref instanceof CustomerRef.Uuid u) {
            return new Resolution.Found(u.uuid(), false);
        }
        Instant now = clock.instant();
        synchronized (cache) {
            Cached hit = cache.get(ref.key());
            if (hit != null && hit.expires.isAfter(now)) {
                return new Resolution.Found(hit.uuid, true);
            }
        }
        CustomerMatches matches;
        if (ref instanceof CustomerRef.ExternalId e) {
            matches = client.findByExternalId(e.externalId(), e.dataSourceUuid(), deadline);
        } else {
            matches = client.findByEmail(((CustomerRef.Email) ref).email(), deadline);
        }
        if (matches.uuids().isEmpty()) {
            return new Resolution.NotFound();
        }
        if (!matches.isUnique()) {
            return new Resolution.Ambiguous(matches.uuids(), matches.more());
        }
        String uuid = matches.uuids().get(0);
        synchronized (cache) {
            cache.put(ref.key(), new Cached(uuid, now.plus(ttl)));
        }
        return new Resolution.Found(uuid, false);
    }

    /** Drops a cached uuid that ChartMogul no longer knows. */
    public void forget(CustomerRef ref) {
        synchronized (cache) {
            cache.remove(ref.key());
        }
    }

    private record Cached(String uuid, Instant expires) {
    }
}
