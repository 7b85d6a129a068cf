package dev.attributerelay.backfill;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attributerelay.chartmogul.ChartMogulClient;
import dev.attributerelay.chartmogul.CustomerPage;
import dev.attributerelay.chartmogul.Deadline;
import dev.attributerelay.mapping.CustomerRef;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * ChartMogul's customers, listed once, 200 a page, so that resolving thousands of references costs a call per
 * 200 customers instead of one each. Scoped as the references are: an external id within its data source (the
 * whole account when the rule names none), an email account-wide. A reference that matches exactly one listed
 * customer resolves to it; anything else (none, several) is left for the relay's own resolution to decide.
 */
final class CustomerIndex {
    static final int PER_PAGE = 200;
    private static final String ACCOUNT = "";

    private final ChartMogulClient client;
    private final Clock clock;
    private final Map<String, Scope> scopes = new HashMap<>();
    private int pages;

    CustomerIndex(ChartMogulClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /** ChartMogul list pages read so far. */
    int pages() {
        return pages;
    }

    /** The one listed customer the reference names, or null. */
    Listed find(CustomerRef ref) {
        if (ref instanceof CustomerRef.Uuid u) {
            // already resolved: the account's list is read for it only when it is read anyway
            Scope s = scopes.get(ACCOUNT);
            return new Listed(u.uuid(), s == null ? null : s.custom.get(u.uuid()));
        }
        if (ref instanceof CustomerRef.ExternalId e) {
            Scope s = scope(e.dataSourceUuid() == null ? ACCOUNT : e.dataSourceUuid());
            return only(s, s.byExternalId.get(e.externalId()));
        }
        Scope s = scope(ACCOUNT);
        return only(s, s.byEmail.get(((CustomerRef.Email) ref).email().toLowerCase(Locale.ROOT)));
    }

    private static Listed only(Scope s, List<String> uuids) {
        return uuids == null || uuids.size() != 1 ? null : new Listed(uuids.get(0), s.custom.get(uuids.get(0)));
    }

    private Scope scope(String dataSource) {
        Scope s = scopes.get(dataSource);
        if (s == null) {
            s = load(dataSource);
            scopes.put(dataSource, s);
        }
        return s;
    }

    private Scope load(String dataSource) {
        Scope s = new Scope();
        String cursor = null;
        do {
            CustomerPage page = client.listCustomers(dataSource.isEmpty() ? null : dataSource, cursor, PER_PAGE,
                    Deadline.in(Duration.ofMinutes(2), clock));
            pages++;
            for (JsonNode c : page.entries()) {
                String uuid = c.path("uuid").asText(null);
                if (uuid == null) {
                    continue;
                }
                String ext = c.path("external_id").asText("");
                if (!ext.isEmpty()) {
                    s.byExternalId.computeIfAbsent(ext, k -> new ArrayList<>(1)).add(uuid);
                }
                String email = c.path("email").asText("");
                if (!email.isEmpty()) {
                    s.byEmail.computeIfAbsent(email.toLowerCase(Locale.ROOT), k -> new ArrayList<>(1)).add(uuid);
                }
                JsonNode custom = c.path("attributes").path("custom");
                if (custom.isObject()) {
                    s.custom.put(uuid, custom);
                }
            }
            cursor = page.hasMore() ? page.cursor() : null;
        } while (cursor != null);
        return s;
    }

    /**
     * A customer as listed.
     *
     * @param custom its custom attributes as ChartMogul holds them now; null when the list did not show them
     */
    record Listed(String uuid, JsonNode custom) {
    }

    private static final class Scope {
        final Map<String, List<String>> byExternalId = new HashMap<>();
        final Map<String, List<String>> byEmail = new HashMap<>();
        final Map<String, JsonNode> custom = new HashMap<>();
    }
}
