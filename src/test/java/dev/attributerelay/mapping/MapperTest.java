package dev.attributerelay.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attributerelay.inbound.Headers;
import dev.attributerelay.inbound.Payloads;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MapperTest {
    static final Instant RECEIVED = Instant.parse("2026-01-01T00:00:00Z");

    static MappingResult map(String yamlEvents, String body) {
        return map(yamlEvents, body, Headers.empty());
    }

    static MappingResult map(String yamlEvents, String body, Headers headers) {
        String cfg = "integrations:\n  p:\n    source: billing\n    verify: { scheme: none, allow_unsigned: true }\n"
                + yamlEvents;
        Integration i = ConfigLoader.parse("relay.yaml", cfg).integration("p");
        return Mapper.map(i, Payloads.parse(body.getBytes(StandardCharsets.UTF_8), "application/json"), headers,
                "delivery-1", RECEIVED);
    }

    @Test
    void aMatchingRuleMakesOneTypedUpdateWithTheSourceAndEventFields() {
        MappingResult r = map("""
                    event: { id: id, type: type, time: at }
                    events:
                      - when: type = "a"
                        customer: { email: who }
                        attributes:
                          seats: { type: Integer, value: n }
                          gone:  { type: String, value: missing }
                """, "{\"id\":\"e1\",\"type\":\"a\",\"at\":1700000000,\"who\":\"x@example.com\",\"n\":\"4\"}");
        assertThat(r.matched()).isTrue();
        assertThat(r.problems()).isEmpty();
        AttributeUpdate u = r.updates().get(0);
        assertThat(u.customer()).isEqualTo(new CustomerRef.Email("x@example.com"));
        assertThat(u.attributes()).containsOnlyKeys("seats");
        assertThat(u.attributes().get("seats")).isEqualTo(new TypedValue(AttributeType.Integer, 4L));
        assertThat(u.source()).isEqualTo("billing");
        assertThat(u.eventId()).isEqualTo("e1");
        assertThat(u.eventTime()).isEqualTo(Instant.ofEpochSecond(1700000000));
    }

    @Test
    void anEventTimeFromTheFutureIsClampedToArrivalPlusTheTolerance() {
        MappingResult r = map("""
                    event: { time: at }
                    events:
                      - customer: { uuid: u }
                        attributes: { a: { type: String, value: v } }
                """, "{\"u\":\"cus_1\",\"v\":\"x\",\"at\":\"2030-01-01T00:00:00Z\"}");
        assertThat(r.updates().get(0).eventTime()).isEqualTo(RECEIVED.plusSeconds(300));
        MappingResult near = map("""
                    event: { time: at }
                    events:
                      - customer: { uuid: u }
                        attributes: { a: { type: String, value: v } }
                """, "{\"u\":\"cus_1\",\"v\":\"x\",\"at\":\"2026-01-01T00:04:00Z\"}");
        assertThat(near.updates().get(0).eventTime()).as("within the tolerance: kept")
                .isEqualTo(Instant.parse("2026-01-01T00:04:00Z"));
    }

    @Test
    void shopifyOrdersByTheSignedUpdatedAtNotTheUnsignedTriggeredAtHeader() {
        Integration i = ConfigLoader.parse("relay.yaml", "integrations:\n  shop:\n    preset: shopify\n"
                + "    verify: { scheme: shopify, secret: s }\n").integration("shop");
        String body = "{\"email\":\"bob@example.com\",\"orders_count\":2,\"updated_at\":\"2025-12-31T18:00:00-05:00\"}";
        Headers headers = Headers.builder().add("X-Shopify-Topic", "customers/update")
                .add("X-Shopify-Triggered-At", "2027-06-01T00:00:00Z").add("X-Shopify-Event-Id", "ev-1").build();
        MappingResult r = Mapper.map(i, Payloads.parse(body.getBytes(StandardCharsets.UTF_8), "application/json"),
                headers, "delivery-1", RECEIVED);
        assertThat(r.updates().get(0).eventTime()).isEqualTo(Instant.parse("2025-12-31T23:00:00Z"));
    }

    @Test
    void hubSpotOrdersByTheContactsChangeTimeNotTheRequestTimestampARetryRestamps() {
        Integration i = ConfigLoader.parse("relay.yaml", "integrations:\n  crm:\n    preset: hubspot\n"
                + "    verify: { scheme: hubspot-v3, secret: s, public_url: \"https://h.example.com/webhooks/crm\" }\n")
                .integration("crm");
        String body = "{\"vid\":7,\"is-contact\":true,\"properties\":{\"email\":{\"value\":\"a@example.com\"},"
                + "\"lifecyclestage\":{\"value\":\"lead\",\"versions\":[{\"value\":\"lead\",\"timestamp\":1767200000000}]},"
                + "\"lastmodifieddate\":{\"value\":\"1767211200000\"}}}";
        Headers headers = Headers.builder().add("X-HubSpot-Request-Timestamp", Long.toString(RECEIVED.toEpochMilli()))
                .build();
        MappingResult r = Mapper.map(i, Payloads.parse(body.getBytes(StandardCharsets.UTF_8), "application/json"),
                headers, "delivery-1", RECEIVED);
        assertThat(r.updates().get(0).eventTime()).isEqualTo(Instant.ofEpochMilli(1767211200000L));
        String versionsOnly = body.replace(",\"lastmodifieddate\":{\"value\":\"1767211200000\"}", "");
        MappingResult v = Mapper.map(i, Payloads.parse(versionsOnly.getBytes(StandardCharsets.UTF_8),
                "application/json"), headers, "delivery-1", RECEIVED);
        assertThat(v.updates().get(0).eventTime()).isEqualTo(Instant.ofEpochMilli(1767200000000L));
    }

    @Test
    void withoutAnEventIdTheDeliveryIdIsUsedAndWithoutATimeTheReceiptTime() {
        MappingResult r = map("""
                    event: { id: nothing }
                    events:
                      - customer: { uuid: u }
                        attributes: { a: { type: String, value: v } }
                """, "{\"u\":\"cus_1\",\"v\":\"x\"}");
        assertThat(r.eventId()).isEqualTo("delivery-1");
        assertThat(r.updates().get(0).eventTime()).isEqualTo(RECEIVED);
    }

    @Test
    void noMatchingRuleIsNotAProblem() {
        MappingResult r = map("""
                    events:
                      - when: type = "b"
                        customer: { uuid: u }
                        attributes: { a: { type: String, value: v } }
                """, "{\"type\":\"a\"}");
        assertThat(r.matched()).isFalse();
        assertThat(r.updates()).isEmpty();
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void eachMakesOneUpdatePerItemWithTheEnvelopeAsEvent() {
        MappingResult r = map("""
                    events:
                      - each: items
                        customer: { uuid: id }
                        attributes:
                          plan: { type: String, value: $event.plan & "-" & size }
                """, "{\"plan\":\"pro\",\"items\":[{\"id\":\"c1\",\"size\":\"s\"},{\"id\":\"c2\",\"size\":\"m\"}]}");
        assertThat(r.updates()).extracting(u -> u.customer().key()).containsExactly("uuid:c1", "uuid:c2");
        assertThat(r.updates()).extracting(u -> u.attributes().get("plan").value()).containsExactly("pro-s", "pro-m");
        assertThat(r.updates()).extracting(AttributeUpdate::item).containsExactly(0, 1);
    }

    @Test
    void aTopLevelArrayIsMappedWithEach() {
        MappingResult r = map("""
                    events:
                      - each: $
                        customer: { uuid: objectId }
                        attributes: { stage: { type: String, value: propertyValue } }
                """, "[{\"objectId\":123,\"propertyValue\":\"lead\"},{\"objectId\":456,\"propertyValue\":\"customer\"}]");
        assertThat(r.updates()).extracting(u -> u.customer().key()).containsExactly("uuid:123", "uuid:456");
    }

    @Test
    void problemsNameTheRuleItemAndAttribute() {
        MappingResult r = map("""
                    events:
                      - each: items
                        customer: { uuid: id }
                        attributes: { seats: { type: Integer, value: n } }
                """, "{\"items\":[{\"id\":\"c1\",\"n\":1},{\"id\":\"c2\",\"n\":\"lots\"},{\"n\":3}]}");
        assertThat(r.updates()).hasSize(1);
        assertThat(r.problems()).containsExactly(
                "rule events[0], item 1: attribute seats (Integer) is not a whole number (text of 4 characters)",
                "rule events[0], item 2: the payload has no customer uuid at `id`");
    }

    @Test
    void anUpdateWithNoValuePresentIsNotSent() {
        MappingResult r = map("""
                    events:
                      - customer: { uuid: id }
                        attributes: { plan: { type: String, value: nothing } }
                """, "{\"id\":\"c1\"}");
        assertThat(r.matched()).isTrue();
        assertThat(r.updates()).isEmpty();
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void headersAreVisibleButCredentialsAreNot() {
        MappingResult r = map("""
                    events:
                      - when: $headers.'x-topic' = "customers/update"
                        customer: { uuid: id }
                        attributes:
                          topic: { type: String, value: $headers.'x-topic' }
                          auth:  { type: String, value: $headers.authorization }
                """, "{\"id\":\"c1\"}", Headers.builder().add("X-Topic", "customers/update")
                .add("Authorization", "Basic c2VjcmV0").build());
        assertThat(r.updates().get(0).attributes()).containsOnlyKeys("topic");
    }

    @Test
    void anEmailMustLookLikeOne() {
        MappingResult r = map("""
                    events:
                      - customer: { email: e }
                        attributes: { a: { type: String, value: v } }
                """, "{\"e\":\"not-an-email\",\"v\":\"x\"}");
        assertThat(r.problems()).singleElement().asString().contains("not an email address");
    }
}
