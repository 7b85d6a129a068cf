package dev.attributerelay.mapping.presets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attributerelay.testing.RelayHarness.Reply;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * presets/shopify.yaml over hookdeck's Shopify captures (API 2023-01 and 2024-10), headers included: the topic
 * is only in X-Shopify-Topic.
 */
class ShopifyPresetTest {
    PresetRun run;

    @BeforeEach
    void start() {
        run = new PresetRun("shopify");
        run.chartmogul().customer("cus_uuid_bob", "bob-ext", "ds_billing", "bob@biller.com");
    }

    @AfterEach
    void stop() {
        run.close();
    }

    @Test
    void customersCreateOnApi2023SetsTheExactIdTotalsAndAcceptsMarketing() {
        Reply r = run.postCapture("providers/shopify/2023-01/customers.create.json");

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        // body.id was stored rounded (706405506930370000); the id comes from the gid, exact
        assertThat(run.exchanges()).containsExactly(
                "GET /v1/customers/search?email=bob@biller.com",
                "PUT /v1/customers/cus_uuid_bob/attributes/custom {\"custom\":{"
                        + "\"shopify_customer_id\":{\"value\":\"706405506930370084\",\"source\":\"shopify\"},"
                        + "\"orders_count\":{\"value\":0,\"source\":\"shopify\"},"
                        + "\"total_spent\":{\"value\":0.00,\"source\":\"shopify\"},"
                        + "\"currency\":{\"value\":\"CAD\",\"source\":\"shopify\"},"
                        + "\"marketing_consent\":{\"value\":true,\"source\":\"shopify\"}}}");
        // the topic and the delivery's id come from the headers
        assertThat(run.lastLog().path("event_type").asText()).isEqualTo("customers/create");
        assertThat(run.lastLog().path("event_id").asText()).isEqualTo("6636e438-afd0-48e6-9f1e-4daa1f14043c");
    }

    @Test
    void customersUpdateOnApi2023MapsTheSame() {
        Reply r = run.postCapture("providers/shopify/2023-01/customers.update.json");

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(run.chartmogul().requests("PUT").get(0).body()).contains(
                "\"currency\":{\"value\":\"CAD\",\"source\":\"shopify\"}",
                "\"marketing_consent\":{\"value\":true,\"source\":\"shopify\"}");
    }

    @Test
    void customersCreateAndUpdateOnApi2024WithoutConsentLeaveConsentOut() {
        assertThat(run.postCapture("sdk/shopify/2024-10/customers.create.json").status()).isEqualTo(200);
        assertThat(run.postCapture("sdk/shopify/2024-10/customers.update.json").status()).isEqualTo(200);

        // 2024-10 has no accepts_marketing, and email_marketing_consent is null
        String put = "PUT /v1/customers/cus_uuid_bob/attributes/custom {\"custom\":{"
                + "\"shopify_customer_id\":{\"value\":\"706405506930370084\",\"source\":\"shopify\"},"
                + "\"orders_count\":{\"value\":0,\"source\":\"shopify\"},"
                + "\"total_spent\":{\"value\":0.00,\"source\":\"shopify\"},"
                + "\"currency\":{\"value\":\"USD\",\"source\":\"shopify\"}}}";
        assertThat(run.exchanges()).containsExactly("GET /v1/customers/search?email=bob@biller.com", put, put);
    }

    @Test
    void customersMergeHasNoEmailAndIsIgnored() {
        Reply r = run.postCapture("sdk/shopify/2024-10/customers.merge.json");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("status").asText()).isEqualTo("ignored");
        assertThat(run.exchanges()).isEmpty();
    }

    @Test
    void theSameBodyUnderAnotherTopicIsIgnored() {
        PresetRun.Capture c = PresetRun.capture("sdk/shopify/2024-10/customers.create.json");
        Map<String, String> headers = new LinkedHashMap<>(c.headers());
        headers.put("x-shopify-topic", "customers/delete");

        Reply r = run.post(c.body(), headers);

        assertThat(r.body().path("status").asText()).isEqualTo("ignored");
        assertThat(run.exchanges()).isEmpty();
    }

    @Test
    void aDefaultAddressAndSubscribedConsentAreRead() {
        PresetRun.Capture c = PresetRun.capture("sdk/shopify/2024-10/customers.update.json");
        String body = c.body()
                .replace("\"email_marketing_consent\":null", "\"email_marketing_consent\":{\"state\":\"subscribed\","
                        + "\"opt_in_level\":\"single_opt_in\",\"consent_updated_at\":\"2024-08-07T18:51:51-04:00\"}")
                .replace("\"addresses\":[]", "\"addresses\":[],\"default_address\":{\"country\":\"Canada\",\"country_code\":\"CA\"}");
        assertThat(body).contains("\"state\":\"subscribed\"", "\"country_code\":\"CA\"");

        run.post(body, c.headers());

        var custom = run.chartmogul().requests("PUT").get(0).json().path("custom");
        assertThat(custom.path("country").path("value").asText()).isEqualTo("CA");
        assertThat(custom.path("marketing_consent").path("value").asBoolean()).isTrue();
    }

    @Test
    void aPhoneOnlyCustomerIsIgnoredNot422() {
        PresetRun.Capture c = PresetRun.capture("sdk/shopify/2024-10/customers.create.json");
        String body = c.body().replace("\"email\":\"bob@biller.com\"", "\"email\":null");
        assertThat(body).contains("\"email\":null");

        Reply r = run.post(body, c.headers());

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("status").asText()).isEqualTo("ignored");
    }

    /**
     * BUILT FROM DOCUMENTATION, not captured: topic customers_email_marketing_consent/update, whose body is
     * {customer_id, email_address, email_marketing_consent: {state, opt_in_level, consent_updated_at}} per
     * https://shopify.dev/docs/api/webhooks?reference=toml#list-customers_email_marketing_consent-update
     */
    @Test
    void anEmailMarketingConsentUpdateToUnsubscribed() {
        String body = "{\"customer_id\":706405506930370084,\"email_address\":\"bob@biller.com\",\"phone\":null,"
                + "\"email_marketing_consent\":{\"state\":\"unsubscribed\",\"opt_in_level\":\"single_opt_in\","
                + "\"consent_updated_at\":\"2024-08-07T18:52:00-04:00\"}}";

        Reply r = run.post(body, Map.of("X-Shopify-Topic", "customers_email_marketing_consent/update",
                "X-Shopify-Webhook-Id", "b1c4e7e0-0000-4000-8000-000000000001"));

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(run.exchanges()).containsExactly(
                "GET /v1/customers/search?email=bob@biller.com",
                "PUT /v1/customers/cus_uuid_bob/attributes/custom {\"custom\":{"
                        + "\"marketing_consent\":{\"value\":false,\"source\":\"shopify\"}}}");
    }
}
