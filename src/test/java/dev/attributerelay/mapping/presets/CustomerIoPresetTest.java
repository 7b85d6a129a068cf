package dev.attributerelay.mapping.presets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attributerelay.testing.RelayHarness.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * presets/customerio.yaml. No capture of Customer.io reporting webhooks exists in the shared fixtures: every
 * body here is BUILT FROM DOCUMENTATION, https://docs.customer.io/api/webhooks/ (events customer_subscribed,
 * customer_unsubscribed, email_unsubscribed, email_opened): {event_id, object_type, metric, timestamp,
 * data: {customer_id, email_address, identifiers: {id, email, cio_id}}}.
 */
class CustomerIoPresetTest {
    static String event(String objectType, String metric, String email) {
        String e = email == null ? "null" : "\"" + email + "\"";
        return "{\"data\":{\"customer_id\":\"42\",\"email_address\":" + e + ",\"identifiers\":{\"id\":\"42\",\"email\":"
                + e + ",\"cio_id\":\"d9c106000001\"}" + (objectType.equals("email")
                ? ",\"delivery_id\":\"RPILAgABcRhIBqSp7kiPekGBIeVh\",\"action_id\":36,\"campaign_id\":23" : "")
                + "},\"event_id\":\"01E4C4CT6YDC7Y5M7FE1GWWPQJ\",\"object_type\":\"" + objectType + "\",\"metric\":\""
                + metric + "\",\"timestamp\":1613063089}";
    }

    PresetRun run;

    @BeforeEach
    void start() {
        run = new PresetRun("customerio");
        run.chartmogul().customer("cus_uuid_42", "42", "ds_billing", "test@example.com");
    }

    @AfterEach
    void stop() {
        run.close();
    }

    @Test
    void customerSubscribedClearsTheOptOut() {
        Reply r = run.post(event("customer", "subscribed", "test@example.com"));

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(run.exchanges()).containsExactly(
                "GET /v1/customers/search?email=test@example.com",
                "PUT /v1/customers/cus_uuid_42/attributes/custom {\"custom\":{"
                        + "\"email_unsubscribed\":{\"value\":false,\"source\":\"customerio\"}}}");
        assertThat(run.lastLog().path("event_id").asText()).isEqualTo("01E4C4CT6YDC7Y5M7FE1GWWPQJ");
        assertThat(run.lastLog().path("event_type").asText()).isEqualTo("customer:subscribed");
    }

    @Test
    void customerUnsubscribedAndAnUnsubscribeFromAnEmailSetTheOptOut() {
        assertThat(run.post(event("customer", "unsubscribed", "test@example.com")).status()).isEqualTo(200);
        assertThat(run.post(event("email", "unsubscribed", "test@example.com")).status()).isEqualTo(200);

        String put = "PUT /v1/customers/cus_uuid_42/attributes/custom {\"custom\":{"
                + "\"email_unsubscribed\":{\"value\":true,\"source\":\"customerio\"}}}";
        assertThat(run.exchanges()).containsExactly("GET /v1/customers/search?email=test@example.com", put, put);
    }

    @Test
    void messageActivityLikeOpensIsIgnored() {
        Reply r = run.post(event("email", "opened", "test@example.com"));

        assertThat(r.body().path("status").asText()).isEqualTo("ignored");
        assertThat(run.exchanges()).isEmpty();
    }

    @Test
    void aPersonWithoutAnEmailIsIgnoredNot422() {
        Reply r = run.post(event("customer", "unsubscribed", null));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("status").asText()).isEqualTo("ignored");
        assertThat(run.exchanges()).isEmpty();
    }
}
