package dev.attributerelay.backfill;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attributerelay.inbound.Headers;
import dev.attributerelay.mapping.Expression;
import dev.attributerelay.mapping.Integration;
import dev.attributerelay.mapping.Rule;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HubSpot CRM: {@code GET /crm/v3/objects/contacts} 100 a page, {@code after} from {@code paging.next.after},
 * asking for the properties the integration's rules read (HubSpot returns only a few by default). Each contact
 * is fed in the shape of a workflow webhook's CRM object ({@code objectType: "CONTACT"},
 * {@code properties.<name>.value}), the shape the preset reads; the preset maps contacts only, so companies
 * and deals are not read. {@code --since} compares each contact's {@code updatedAt}.
 */
final class HubSpotApi implements Provider {
    static final String DEFAULT_URL = "https://api.hubapi.com";
    private static final Pattern PROPERTY = Pattern.compile("properties\\.`?([A-Za-z0-9_]+)`?");

    private final URI base;
    private final ProviderHttp http;
    private final String properties;

    HubSpotApi(URI base, ProviderHttp http, Integration integration) {
        this.base = Backfill.withoutTrailingSlash(base);
        this.http = http;
        this.properties = String.join(",", propertiesRead(integration));
    }

    /** The contact properties the rules name ({@code properties.x.value}), email always among them. */
    static Set<String> propertiesRead(Integration integration) {
        Set<String> names = new TreeSet<>();
        names.add("email");
        List<Expression> expressions = new ArrayList<>();
        for (Rule r : integration.rules()) {
            expressions.add(r.when());
            expressions.add(r.each());
            expressions.add(r.customer().value());
            r.attributes().forEach(a -> expressions.add(a.value()));
        }
        for (Expression e : expressions) {
            if (e != null) {
                Matcher m = PROPERTY.matcher(e.source());
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }

    @Override
    public String name() {
        return "HubSpot";
    }

    @Override
    public int calls() {
        return http.calls();
    }

    @Override
    public Page page(String cursor, Instant since) {
        String q = "/crm/v3/objects/contacts?limit=100&archived=false&properties=" + enc(properties)
                + (cursor == null ? "" : "&after=" + enc(cursor));
        JsonNode root = http.get(URI.create(base + q));
        List<Customer> out = new ArrayList<>();
        for (JsonNode c : root.path("results")) {
            if (c.path("id").isTextual() && (since == null || !before(c.path("updatedAt").asText(null), since))) {
                out.add(new Customer(c.path("id").asText(), c, List.of()));
            }
        }
        JsonNode after = root.path("paging").path("next").path("after");
        return new Page(out, after.isTextual() && !after.asText().isEmpty() ? after.asText() : null);
    }

    @Override
    public List<Event> events(Customer customer, Instant readAt) {
        Map<String, Object> props = new LinkedHashMap<>();
        customer.customer().path("properties").fields().forEachRemaining(p -> {
            if (!p.getValue().isNull()) {
                props.put(p.getKey(), Map.of("value", p.getValue().asText()));
            }
        });
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("objectType", "CONTACT");
        String id = customer.id();
        e.put("objectId", id.chars().allMatch(Character::isDigit) && id.length() < 19 ? (Object) Long.parseLong(id) : id);
        e.put("properties", props);
        // the preset takes the event time from this header, as HubSpot stamps it on each delivery
        Headers headers = Headers.builder().add("X-HubSpot-Request-Timestamp", Long.toString(readAt.toEpochMilli())).build();
        return List.of(new Event(e, headers));
    }

    private static boolean before(String iso, Instant since) {
        if (iso == null) {
            return false;
        }
        try {
            return Instant.parse(iso).isBefore(since);
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
