package dev.attributerelay.mapping.presets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attributerelay.testing.RelayHarness.Reply;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every bundled preset over the project's own fixtures ({@code src/test/resources/fixtures/<provider>/}, written
 * from each provider's documented webhook format), so each preset is exercised on a bare clone. The recorded
 * captures of the shared corpus replay in the per-preset tests when that corpus is present.
 */
class OwnFixturesPresetTest {
    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");

    @Test
    void stripeCustomerSubscriptionCheckoutAndInvoice() {
        try (PresetRun run = new PresetRun("stripe", "data_source_uuid: ds_stripe")) {
            run.chartmogul().customer("cus_uuid_ada", "cus_RelayTest0001", "ds_stripe", "ada@example.org")
                    .customer("cus_uuid_other", "cus_RelayTest0001", "ds_other", "ada@example.org");

            // in event-time order: an older event never overwrites a newer value
            assertApplied(run.postOwn("stripe/customer.created.json", JSON));
            assertThat(run.lastPut()).containsExactly(entry("country", "\"FR\""), entry("delinquent", "false"));

            assertApplied(run.postOwn("stripe/checkout.session.completed.json", JSON));
            assertThat(run.lastPut()).containsExactly(entry("country", "\"AT\""), entry("marketing_consent", "true"));

            assertApplied(run.postOwn("stripe/customer.subscription.created.json", JSON));
            assertThat(run.lastPut()).containsExactly(entry("subscription_status", "\"trialing\""),
                    entry("plan", "\"pro_monthly\""), entry("seats", "12"), entry("billing_period", "\"month\""),
                    entry("billing_period_count", "1"), entry("trial_end", "\"2024-03-15T09:30:00.000Z\""),
                    entry("cancel_scheduled", "false"));

            assertApplied(run.postOwn("stripe/customer.updated.json", JSON));
            assertThat(run.lastPut()).containsExactly(entry("country", "\"DE\""), entry("currency", "\"EUR\""),
                    entry("delinquent", "false"), entry("plan", "\"pro\""), entry("seats", "12"),
                    entry("acquisition_channel", "\"partner\""));

            assertApplied(run.postOwn("stripe/customer.subscription.updated.json", JSON));
            assertThat(run.lastPut()).containsEntry("subscription_status", "\"active\"")
                    .containsEntry("plan", "\"Pro (monthly)\"").containsEntry("cancel_date", "\"2024-04-15T09:30:00.000Z\"")
                    .containsEntry("cancel_scheduled", "true").containsEntry("cancel_reason", "\"too_expensive\"");

            int puts = run.chartmogul().requests("PUT").size();
            Reply invoice = run.postOwn("stripe/invoice.paid.json", JSON);
            assertThat(invoice.body().path("status").asText()).isEqualTo("ignored");
            assertThat(run.chartmogul().requests("PUT")).hasSize(puts);
            // only the customer in the integration's data source was ever written
            assertThat(run.chartmogul().requests("PUT")).allMatch(r -> r.path().contains("cus_uuid_ada"));
        }
    }

    @Test
    void paddleCustomerSubscriptionAddressAndTransaction() {
        try (PresetRun run = new PresetRun("paddle", "data_source_uuid: ds_paddle")) {
            run.chartmogul().customer("cus_uuid_grace", "ctm_01hv8wt8nffez4p2t6typn4a5j", "ds_paddle", "grace@example.org");

            assertApplied(run.postOwn("paddle/customer.created.json", JSON));
            assertThat(run.lastPut()).containsExactly(entry("marketing_consent", "true"),
                    entry("acquisition_channel", "\"webinar\""));

            assertApplied(run.postOwn("paddle/subscription.created.json", JSON));
            assertThat(run.lastPut()).containsExactly(entry("subscription_status", "\"trialing\""),
                    entry("plan", "\"Team\""), entry("seats", "25"), entry("billing_period", "\"year\""),
                    entry("billing_period_count", "1"), entry("trial_end", "\"2024-04-26T10:37:59.556Z\""),
                    entry("cancel_scheduled", "false"), entry("currency", "\"USD\""));

            assertApplied(run.postOwn("paddle/subscription.updated.json", JSON));
            assertThat(run.lastPut()).containsEntry("subscription_status", "\"active\"").containsEntry("seats", "30")
                    .containsEntry("cancel_date", "\"2025-04-26T10:37:59.556Z\"").containsEntry("cancel_scheduled", "true");

            assertApplied(run.postOwn("paddle/address.created.json", JSON));
            assertThat(run.lastPut()).containsExactly(entry("country", "\"CA\""));

            int puts = run.chartmogul().requests("PUT").size();
            assertThat(run.postOwn("paddle/transaction.completed.json", JSON).body().path("status").asText())
                    .isEqualTo("ignored");
            assertThat(run.chartmogul().requests("PUT")).hasSize(puts);
            assertThat(run.lastLog().path("event_type").asText()).isEqualTo("transaction.completed");
        }
    }

    @Test
    void chargebeeCustomerAndSubscriptionLifecycle() {
        try (PresetRun run = new PresetRun("chargebee", "data_source_uuid: ds_chargebee")) {
            run.chartmogul().customer("cus_uuid_kj", "16CQtCTrgrYwi1n", "ds_chargebee", "katherine@example.org");

            assertApplied(run.postOwn("chargebee/customer_created.json", JSON));
            assertThat(run.lastPut()).containsExactly(entry("country", "\"GB\""), entry("currency", "\"GBP\""),
                    entry("card_status", "\"valid\""));

            assertApplied(run.postOwn("chargebee/subscription_changed.json", JSON));
            // product catalog 2.0: the plan is the item of type "plan", not the add-on
            assertThat(run.lastPut()).containsExactly(entry("subscription_status", "\"active\""),
                    entry("plan", "\"enterprise-GBP-monthly\""), entry("seats", "40"),
                    entry("billing_period", "\"month\""), entry("billing_period_count", "1"),
                    entry("cancel_scheduled", "false"), entry("currency", "\"GBP\""));

            assertApplied(run.postOwn("chargebee/subscription_cancelled.json", JSON));
            assertThat(run.lastPut()).containsEntry("subscription_status", "\"cancelled\"")
                    .containsEntry("cancel_date", "\"2024-06-01T10:00:00.000Z\"")
                    .containsEntry("cancel_reason", "\"Too expensive\"");
            assertThat(run.lastLog().path("event_id").asText()).isEqualTo("ev_16CQtCTrgrYwi5d");
        }
    }

    @Test
    void hubspotContactByEmailAndACompanyIgnored() {
        try (PresetRun run = new PresetRun("hubspot")) {
            run.chartmogul().customer("cus_uuid_mary", "x_mary", "ds_crm", "mary@example.org");
            Map<String, String> headers = Map.of("Content-Type", "application/json",
                    "X-HubSpot-Request-Timestamp", "1714910400000");

            assertApplied(run.postOwn("hubspot/contact.json", headers));
            assertThat(run.exchanges().get(0)).isEqualTo("GET /v1/customers/search?email=mary@example.org");
            assertThat(run.lastPut()).containsExactly(entry("lifecycle_stage", "\"opportunity\""),
                    entry("lead_status", "\"IN_PROGRESS\""), entry("acquisition_channel", "\"PAID_SEARCH\""),
                    entry("acquisition_source", "\"google\""), entry("email_unsubscribed", "false"),
                    entry("hubspot_contact_id", "\"5101\""));

            int requests = run.chartmogul().requests().size();
            assertThat(run.postOwn("hubspot/company.json", headers).body().path("status").asText()).isEqualTo("ignored");
            assertThat(run.chartmogul().requests()).hasSize(requests);
        }
    }

    @Test
    void shopifyCustomerCreateAndUpdateByEmail() {
        try (PresetRun run = new PresetRun("shopify")) {
            run.chartmogul().customer("cus_uuid_dv", "x_dv", "ds_shop", "dorothy@example.org");

            assertApplied(run.postOwn("shopify/customers-create.json", shopify("customers/create")));
            // a 64-bit id arrives exactly, as text
            assertThat(run.lastPut()).containsExactly(entry("shopify_customer_id", "\"7400001234567890123\""),
                    entry("orders_count", "0"), entry("total_spent", "0.00"), entry("currency", "\"CAD\""),
                    entry("marketing_consent", "false"));

            assertApplied(run.postOwn("shopify/customers-update.json", shopify("customers/update")));
            assertThat(run.lastPut()).containsEntry("orders_count", "3").containsEntry("total_spent", "1234.50")
                    .containsEntry("country", "\"CA\"").containsEntry("marketing_consent", "true");

            int requests = run.chartmogul().requests().size();
            assertThat(run.postOwn("shopify/customers-update.json", shopify("orders/create")).body().path("status")
                    .asText()).isEqualTo("ignored");
            assertThat(run.chartmogul().requests()).hasSize(requests);
        }
    }

    @Test
    void intercomContactCreated() {
        try (PresetRun run = new PresetRun("intercom")) {
            run.chartmogul().customer("cus_uuid_kj", "x_kj", "ds_crm", "katherine@example.org");

            assertApplied(run.postOwn("intercom/contact.user.created.json", JSON));
            assertThat(run.lastPut()).containsExactly(entry("email_unsubscribed", "true"),
                    entry("signed_up_at", "\"2024-05-06T10:06:40.000Z\""),
                    entry("last_seen_at", "\"2024-05-06T12:36:40.000Z\""));
            assertThat(run.lastLog().path("event_type").asText()).isEqualTo("contact.user.created");
        }
    }

    @Test
    void customerIoUnsubscribedAndAnEmptyEmailIgnored() {
        try (PresetRun run = new PresetRun("customerio")) {
            run.chartmogul().customer("cus_uuid_mary", "x_mary", "ds_crm", "mary@example.org");

            assertApplied(run.postOwn("customerio/customer.unsubscribed.json", JSON));
            assertThat(run.lastPut()).containsExactly(entry("email_unsubscribed", "true"));

            int requests = run.chartmogul().requests().size();
            Reply empty = run.postOwn("customerio/customer.subscribed.empty-email.json", JSON);
            assertThat(empty.status()).as(empty.toString()).isEqualTo(200);
            assertThat(empty.body().path("status").asText()).isEqualTo("ignored");
            assertThat(run.chartmogul().requests()).hasSize(requests);
        }
    }

    @Test
    void mailchimpUnsubscribeFormPost() {
        try (PresetRun run = new PresetRun("mailchimp")) {
            run.chartmogul().customer("cus_uuid_dv", "x_dv", "ds_crm", "dorothy@example.org");

            assertApplied(run.postOwn("mailchimp/unsubscribe.form",
                    Map.of("Content-Type", "application/x-www-form-urlencoded")));
            assertThat(run.exchanges().get(0)).isEqualTo("GET /v1/customers/search?email=dorothy@example.org");
            assertThat(run.lastPut()).containsExactly(entry("marketing_consent", "false"),
                    entry("unsubscribe_reason", "\"manual\""));
        }
    }

    private static Map<String, String> shopify(String topic) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.put("X-Shopify-Topic", topic);
        h.put("X-Shopify-Webhook-Id", "6a3f0c52-9d1e-4b7a-8c2f-1e0d9b8a7c6f");
        h.put("X-Shopify-Shop-Domain", "relay-test.myshopify.com");
        h.put("X-Shopify-API-Version", "2024-07");
        return h;
    }

    private static void assertApplied(Reply r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body().path("status").asText()).as(r.toString()).isEqualTo("applied");
    }

    private static Map.Entry<String, String> entry(String key, String json) {
        return Map.entry(key, json);
    }
}
