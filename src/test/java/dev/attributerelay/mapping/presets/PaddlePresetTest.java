package dev.attributerelay.mapping.presets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attributerelay.testing.RelayHarness.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * presets/paddle.yaml over Paddle Billing deliveries: hookdeck captures, the SDK's real signed body, and the
 * SDK's notification entity files (data objects only), wrapped here in the notification envelope Paddle sends.
 */
class PaddlePresetTest {
    static final String CAPTURES = "providers/paddlebilling/current/";
    static final String ENTITIES = "sdk/paddle/entity/";

    PresetRun run;

    @BeforeEach
    void start() {
        run = new PresetRun("paddle", "data_source_uuid: ds_paddle");
        run.chartmogul()
                .customer("cus_uuid_sam", "ctm_01j7br89shp7xpaenx22h8qetw", "ds_paddle", "sam@example.com")
                .customer("cus_uuid_jo", "ctm_01hv6y1jedq4p1n0yqn5ba3ky4", "ds_paddle", "jo@example.com")
                .customer("cus_uuid_john", "ctm_01hs0tqf76sxmp7ba5e4mw1sc8", "ds_paddle", null);
    }

    @AfterEach
    void stop() {
        run.close();
    }

    /** An entity file as the data of the notification Paddle would send for it. */
    static String notification(String eventType, String entityFile) {
        return "{\"event_id\":\"evt_test_" + eventType.replace('.', '_') + "\",\"event_type\":\"" + eventType
                + "\",\"occurred_at\":\"2024-04-12T11:24:55.000000Z\",\"notification_id\":\"ntf_test\",\"data\":"
                + PresetRun.file(ENTITIES + entityFile) + "}";
    }

    @Test
    void customerCreatedSetsMarketingConsentOnTheCustomerKnownByItsPaddleId() {
        Reply r = run.postCapture(CAPTURES + "customer.created.json");

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(run.exchanges()).containsExactly(
                "GET /v1/customers?external_id=ctm_01j7br89shp7xpaenx22h8qetw&data_source_uuid=ds_paddle",
                "PUT /v1/customers/cus_uuid_sam/attributes/custom {\"custom\":{"
                        + "\"marketing_consent\":{\"value\":false,\"source\":\"paddle\"}}}");
        assertThat(run.lastLog().path("event_id").asText()).isEqualTo("evt_01j7br8aax25dzcc8xe1xq32d0");
        assertThat(run.lastLog().path("event_type").asText()).isEqualTo("customer.created");
    }

    @Test
    void subscriptionCreatedAndUpdatedSetThePlanFromTheFirstItem() {
        Reply created = run.postCapture(CAPTURES + "subscription.created.json");
        Reply updated = run.postCapture(CAPTURES + "subscription.updated.json");

        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        // two items (10 seats of AeroEdit Pro, 1 analytics add-on): the first is the plan, its quantity the seats
        String rest = "\"plan\":{\"value\":\"AeroEdit Pro\",\"source\":\"paddle\"},"
                + "\"seats\":{\"value\":10,\"source\":\"paddle\"},"
                + "\"billing_period\":{\"value\":\"month\",\"source\":\"paddle\"},"
                + "\"billing_period_count\":{\"value\":1,\"source\":\"paddle\"},"
                + "\"cancel_scheduled\":{\"value\":false,\"source\":\"paddle\"},"
                + "\"currency\":{\"value\":\"USD\",\"source\":\"paddle\"}}}";
        assertThat(run.exchanges()).containsExactly(
                "GET /v1/customers?external_id=ctm_01j7br89shp7xpaenx22h8qetw&data_source_uuid=ds_paddle",
                "PUT /v1/customers/cus_uuid_sam/attributes/custom {\"custom\":{"
                        + "\"subscription_status\":{\"value\":\"active\",\"source\":\"paddle\"}," + rest,
                "PUT /v1/customers/cus_uuid_sam/attributes/custom {\"custom\":{"
                        + "\"subscription_status\":{\"value\":\"past_due\",\"source\":\"paddle\"}," + rest);
    }

    @Test
    void transactionCompletedMatchesNoRule() {
        Reply r = run.postCapture(CAPTURES + "transaction.completed.json");

        assertThat(r.body().path("status").asText()).isEqualTo("ignored");
        assertThat(run.exchanges()).isEmpty();
    }

    @Test
    void theSdksRealSignedCustomerCreatedBodyMaps() {
        Reply r = run.postFile("sdk/paddle/standard_payload.json");

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(run.exchanges()).containsExactly(
                "GET /v1/customers?external_id=ctm_01hs0tqf76sxmp7ba5e4mw1sc8&data_source_uuid=ds_paddle",
                "PUT /v1/customers/cus_uuid_john/attributes/custom {\"custom\":{"
                        + "\"marketing_consent\":{\"value\":false,\"source\":\"paddle\"}}}");
    }

    @Test
    void entityFilesCarryTheCustomerSubscriptionAndAddressLifecycle() {
        String[][] deliveries = {
            {"customer.created", "customer.created.json"},
            {"customer.updated", "customer.updated.json"},
            {"address.created", "address.created.json"},
            {"subscription.created", "subscription.created.json"},
            {"subscription.updated", "subscription.updated.json"},
            {"subscription.canceled", "subscription.canceled.json"},
            {"transaction.completed", "transaction.completed.json"},
        };
        for (String[] d : deliveries) {
            Reply r = run.post(notification(d[0], d[1]));
            assertThat(r.status()).as(d[0] + ": " + r).isEqualTo(200);
        }

        String put = "PUT /v1/customers/cus_uuid_jo/attributes/custom {\"custom\":{";
        String plan = "\"plan\":{\"value\":\"AeroEdit Pro\",\"source\":\"paddle\"},";
        String period = "\"billing_period\":{\"value\":\"month\",\"source\":\"paddle\"},"
                + "\"billing_period_count\":{\"value\":1,\"source\":\"paddle\"},";
        String usd = "\"currency\":{\"value\":\"USD\",\"source\":\"paddle\"}}}";
        assertThat(run.exchanges()).containsExactly(
                "GET /v1/customers?external_id=ctm_01hv6y1jedq4p1n0yqn5ba3ky4&data_source_uuid=ds_paddle",
                put + "\"marketing_consent\":{\"value\":false,\"source\":\"paddle\"}}}",
                put + "\"marketing_consent\":{\"value\":false,\"source\":\"paddle\"}}}",
                put + "\"country\":{\"value\":\"US\",\"source\":\"paddle\"}}}",
                put + "\"subscription_status\":{\"value\":\"active\",\"source\":\"paddle\"}," + plan
                        + "\"seats\":{\"value\":10,\"source\":\"paddle\"}," + period
                        + "\"cancel_scheduled\":{\"value\":false,\"source\":\"paddle\"}," + usd,
                put + "\"subscription_status\":{\"value\":\"active\",\"source\":\"paddle\"}," + plan
                        + "\"seats\":{\"value\":20,\"source\":\"paddle\"}," + period
                        + "\"cancel_scheduled\":{\"value\":false,\"source\":\"paddle\"}," + usd,
                put + "\"subscription_status\":{\"value\":\"canceled\",\"source\":\"paddle\"}," + plan
                        + "\"seats\":{\"value\":20,\"source\":\"paddle\"}," + period
                        + "\"cancel_date\":{\"value\":\"2024-04-12T11:24:54.868Z\",\"source\":\"paddle\"},"
                        + "\"cancel_scheduled\":{\"value\":false,\"source\":\"paddle\"}," + usd);
    }

    @Test
    void aScheduledCancellationAndATrialAreReported() {
        String body = notification("subscription.updated", "subscription.updated.json")
                .replace("\"scheduled_change\": null",
                        "\"scheduled_change\": {\"action\": \"cancel\", \"effective_at\": \"2024-05-12T10:37:59.556997Z\", \"resume_at\": null}")
                .replaceFirst("\"trial_dates\": null",
                        "\"trial_dates\": {\"starts_at\": \"2024-04-12T10:37:59.556997Z\", \"ends_at\": \"2024-04-26T10:37:59.556997Z\"}");
        assertThat(body).as("the entity file still has the fields this test edits").contains("\"action\": \"cancel\"", "\"ends_at\": \"2024-04-26");

        Reply r = run.post(body);

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        var custom = run.chartmogul().requests("PUT").get(0).json().path("custom");
        assertThat(custom.path("trial_end").path("value").asText()).isEqualTo("2024-04-26T10:37:59.556Z");
        assertThat(custom.path("cancel_date").path("value").asText()).isEqualTo("2024-05-12T10:37:59.556Z");
        assertThat(custom.path("cancel_scheduled").path("value").asBoolean()).isTrue();
    }
}
