package dev.attributerelay.mapping.presets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attributerelay.testing.RelayHarness.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** presets/chargebee.yaml over Chargebee v2 events taken from a Chargebee test site (mock_chargebee fixtures). */
class ChargebeePresetTest {
    static final String EVENTS = "sdk/chargebee/";

    PresetRun run;

    @BeforeEach
    void start() {
        run = new PresetRun("chargebee", "data_source_uuid: ds_chargebee");
        run.chartmogul()
                .customer("cus_uuid_company", "16CHTnSAxXWqMAg8", "ds_chargebee", null)
                .customer("cus_uuid_hydro", "AzZlzTSI7x16Ufzr", "ds_chargebee", "hydroflask@test.com");
    }

    @AfterEach
    void stop() {
        run.close();
    }

    @Test
    void customerCreatedAndChangedSetCurrencyAndCardStatusByChargebeeId() {
        assertThat(run.postFile(EVENTS + "customer_created.json").status()).isEqualTo(200);
        assertThat(run.postFile(EVENTS + "customer_changed.json").status()).isEqualTo(200);

        // no billing address in these events: no country
        String put = "PUT /v1/customers/cus_uuid_company/attributes/custom {\"custom\":{"
                + "\"currency\":{\"value\":\"USD\",\"source\":\"chargebee\"},"
                + "\"card_status\":{\"value\":\"no_card\",\"source\":\"chargebee\"}}}";
        assertThat(run.exchanges()).containsExactly(
                "GET /v1/customers?external_id=16CHTnSAxXWqMAg8&data_source_uuid=ds_chargebee", put, put);
        assertThat(run.lastLog().path("event_id").asText()).isEqualTo("ev_AzqgumSAxXrFLAxn");
        assertThat(run.lastLog().path("event_type").asText()).isEqualTo("customer_changed");
    }

    @Test
    void subscriptionCreatedThenCancelledTracksStatusAndTheCancellation() {
        Reply created = run.postFile(EVENTS + "subscription_created.json");
        Reply cancelled = run.postFile(EVENTS + "subscription_cancelled.json");

        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
        String put = "PUT /v1/customers/cus_uuid_company/attributes/custom {\"custom\":{";
        String plan = "\"plan\":{\"value\":\"test-company-custom-pro-plan\",\"source\":\"chargebee\"},"
                + "\"seats\":{\"value\":1,\"source\":\"chargebee\"},"
                + "\"billing_period\":{\"value\":\"year\",\"source\":\"chargebee\"},"
                + "\"billing_period_count\":{\"value\":1,\"source\":\"chargebee\"},";
        assertThat(run.exchanges()).containsExactly(
                "GET /v1/customers?external_id=16CHTnSAxXWqMAg8&data_source_uuid=ds_chargebee",
                put + "\"subscription_status\":{\"value\":\"future\",\"source\":\"chargebee\"}," + plan
                        + "\"cancel_scheduled\":{\"value\":false,\"source\":\"chargebee\"},"
                        + "\"currency\":{\"value\":\"USD\",\"source\":\"chargebee\"}}}",
                put + "\"subscription_status\":{\"value\":\"cancelled\",\"source\":\"chargebee\"}," + plan
                        + "\"cancel_date\":{\"value\":\"2020-10-01T04:00:35.000Z\",\"source\":\"chargebee\"},"
                        + "\"cancel_scheduled\":{\"value\":false,\"source\":\"chargebee\"},"
                        + "\"cancel_reason\":{\"value\":\"No Card\",\"source\":\"chargebee\"},"
                        + "\"currency\":{\"value\":\"USD\",\"source\":\"chargebee\"}}}");
    }

    @Test
    void subscriptionChangedSetsThreeHundredSeatsOnItsOwnCustomer() {
        Reply r = run.postFile(EVENTS + "subscription_changed.json");

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(run.exchanges()).containsExactly(
                "GET /v1/customers?external_id=AzZlzTSI7x16Ufzr&data_source_uuid=ds_chargebee",
                "PUT /v1/customers/cus_uuid_hydro/attributes/custom {\"custom\":{"
                        + "\"subscription_status\":{\"value\":\"future\",\"source\":\"chargebee\"},"
                        + "\"plan\":{\"value\":\"__TEST__plan_1\",\"source\":\"chargebee\"},"
                        + "\"seats\":{\"value\":300,\"source\":\"chargebee\"},"
                        + "\"billing_period\":{\"value\":\"year\",\"source\":\"chargebee\"},"
                        + "\"billing_period_count\":{\"value\":1,\"source\":\"chargebee\"},"
                        + "\"cancel_scheduled\":{\"value\":false,\"source\":\"chargebee\"},"
                        + "\"currency\":{\"value\":\"USD\",\"source\":\"chargebee\"}}}");
    }

    /**
     * BUILT FROM DOCUMENTATION, not captured: Product Catalog 2.0 moves the plan into subscription_items
     * (item_price_id, item_type "plan", quantity), per https://apidocs.chargebee.com/docs/api/subscriptions?prod_cat_ver=2
     * (subscription_items attributes). The captured PC 1.0 event is rewritten to that shape, and marked
     * non_renewing (a cancellation scheduled at term end, same page, status values).
     */
    @Test
    void productCatalogTwoItemsAndANonRenewingSubscription() {
        String body = PresetRun.file(EVENTS + "subscription_changed.json")
                .replace("\"plan_id\":\"__TEST__plan_1\",\"plan_quantity\":300,",
                        "\"subscription_items\":[{\"item_price_id\":\"addon-USD\",\"item_type\":\"addon\",\"quantity\":4,\"object\":\"subscription_item\"},"
                                + "{\"item_price_id\":\"team-USD-Yearly\",\"item_type\":\"plan\",\"quantity\":25,\"object\":\"subscription_item\"}],")
                .replace("\"status\":\"future\"", "\"status\":\"non_renewing\"");
        assertThat(body).contains("team-USD-Yearly", "non_renewing").doesNotContain("plan_quantity");

        Reply r = run.post(body);

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        var custom = run.chartmogul().requests("PUT").get(0).json().path("custom");
        assertThat(custom.path("plan").path("value").asText()).isEqualTo("team-USD-Yearly");
        assertThat(custom.path("seats").path("value").asLong()).isEqualTo(25);
        assertThat(custom.path("subscription_status").path("value").asText()).isEqualTo("non_renewing");
        assertThat(custom.path("cancel_scheduled").path("value").asBoolean()).isTrue();
    }
}
