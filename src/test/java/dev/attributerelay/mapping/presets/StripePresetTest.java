package dev.attributerelay.mapping.presets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attributerelay.testing.Events;
import dev.attributerelay.testing.Fixtures;
import dev.attributerelay.testing.RelayHarness.Reply;
import dev.attributerelay.testing.TestContext;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * presets/stripe.yaml over real Stripe deliveries: hookdeck captures (API 2022-11-15) and stripe-java's
 * older event fixtures. Customers are looked up by their cus_ id within the configured Stripe data source.
 */
class StripePresetTest {
    static final String CAPTURES = "providers/stripe/2022-11-15/";

    PresetRun run;

    @BeforeEach
    void start() {
        run = new PresetRun("stripe", "data_source_uuid: ds_stripe");
        run.chartmogul()
                .customer("cus_uuid_martin", "cus_NSPHp4fOlXGw8P", "ds_stripe", "hook@me.com")
                .customer("cus_uuid_same_id_elsewhere", "cus_NSPHp4fOlXGw8P", "ds_other", "hook@me.com")
                .customer("cus_uuid_subscriber", "cus_NSPOMxl5eL01qM", "ds_stripe", null)
                .customer("cus_uuid_2012", "cus_00000000000000", "ds_stripe", null);
    }

    @AfterEach
    void stop() {
        run.close();
    }

    @Test
    void customerCreatedSetsCountryAndDelinquencyOnTheCustomerInTheStripeSource() {
        Reply r = run.postCapture(CAPTURES + "customer.created.json");

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body().path("status").asText()).isEqualTo("applied");
        // currency is null on a new customer: left out, not sent as null
        assertThat(run.exchanges()).containsExactly(
                "GET /v1/customers?external_id=cus_NSPHp4fOlXGw8P&data_source_uuid=ds_stripe",
                "PUT /v1/customers/cus_uuid_martin/attributes/custom {\"custom\":{"
                        + "\"country\":{\"value\":\"CM\",\"source\":\"stripe\"},"
                        + "\"delinquent\":{\"value\":false,\"source\":\"stripe\"}}}");
        assertThat(run.chartmogul().attributesOf("cus_uuid_same_id_elsewhere")).isEmpty();
        assertThat(run.lastLog().path("event_id").asText()).isEqualTo("evt_1MhUT6E0b6fckueSqWR0Bec4");
        assertThat(run.lastLog().path("event_type").asText()).isEqualTo("customer.created");
    }

    @Test
    void customerUpdatedAddsTheCurrencyUpperCased() {
        Reply r = run.postCapture(CAPTURES + "customer.updated.json");

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(run.exchanges()).containsExactly(
                "GET /v1/customers?external_id=cus_NSPHp4fOlXGw8P&data_source_uuid=ds_stripe",
                "PUT /v1/customers/cus_uuid_martin/attributes/custom {\"custom\":{"
                        + "\"country\":{\"value\":\"CM\",\"source\":\"stripe\"},"
                        + "\"currency\":{\"value\":\"USD\",\"source\":\"stripe\"},"
                        + "\"delinquent\":{\"value\":false,\"source\":\"stripe\"}}}");
    }

    @Test
    void subscriptionCreatedSetsStatusPlanSeatsPeriodAndTrialEnd() {
        Reply r = run.postCapture(CAPTURES + "customer.subscription.created.json");

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        // the price has neither nickname nor lookup key, so its id names the plan; no cancellation, no reason
        assertThat(run.exchanges()).containsExactly(
                "GET /v1/customers?external_id=cus_NSPOMxl5eL01qM&data_source_uuid=ds_stripe",
                "PUT /v1/customers/cus_uuid_subscriber/attributes/custom {\"custom\":{"
                        + "\"subscription_status\":{\"value\":\"trialing\",\"source\":\"stripe\"},"
                        + "\"plan\":{\"value\":\"price_1M3wjkE0b6fckueSKPgfRMSG\",\"source\":\"stripe\"},"
                        + "\"seats\":{\"value\":10,\"source\":\"stripe\"},"
                        + "\"billing_period\":{\"value\":\"month\",\"source\":\"stripe\"},"
                        + "\"billing_period_count\":{\"value\":1,\"source\":\"stripe\"},"
                        + "\"trial_end\":{\"value\":\"2023-04-02T09:06:59.000Z\",\"source\":\"stripe\"},"
                        + "\"cancel_scheduled\":{\"value\":false,\"source\":\"stripe\"}}}");
    }

    @Test
    void aPriceNicknameNamesThePlanAndAScheduledCancellationIsReported() {
        PresetRun.Capture c = PresetRun.capture(CAPTURES + "customer.subscription.created.json");
        String body = c.body()
                .replace("\"type\":\"customer.subscription.created\"", "\"type\":\"customer.subscription.updated\"")
                .replace("\"nickname\":null,\"product\"", "\"nickname\":\"Team\",\"product\"")
                .replace("\"cancel_at\":null,\"cancel_at_period_end\":false", "\"cancel_at\":1680426419,\"cancel_at_period_end\":true")
                .replace("\"feedback\":null", "\"feedback\":\"too_expensive\"");
        assertThat(body).as("the capture still has the fields this test edits").contains("\"Team\"", "1680426419,\"cancel_at_period_end\":true", "too_expensive");

        Reply r = run.post(body, c.headers());

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode put = run.chartmogul().requests("PUT").get(0).json().path("custom");
        assertThat(put.path("plan").path("value").asText()).isEqualTo("Team");
        assertThat(put.path("cancel_date").path("value").asText()).isEqualTo("2023-04-02T09:06:59.000Z");
        assertThat(put.path("cancel_scheduled").path("value").asBoolean()).isTrue();
        assertThat(put.path("cancel_reason").path("value").asText()).isEqualTo("too_expensive");
    }

    @Test
    void checkoutSessionCompletedSetsTheCheckoutCountry() {
        Reply r = run.postCapture(CAPTURES + "checkout.session.completed.json");

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        // consent was not collected (null): marketing_consent is left out
        assertThat(run.exchanges()).containsExactly(
                "GET /v1/customers?external_id=cus_NSPHp4fOlXGw8P&data_source_uuid=ds_stripe",
                "PUT /v1/customers/cus_uuid_martin/attributes/custom {\"custom\":{"
                        + "\"country\":{\"value\":\"CM\",\"source\":\"stripe\"}}}");
    }

    @Test
    void checkoutConsentToPromotionsBecomesMarketingConsent() {
        PresetRun.Capture c = PresetRun.capture(CAPTURES + "checkout.session.completed.json");
        String optIn = c.body().replace("\"consent\":null", "\"consent\":{\"promotions\":\"opt_in\",\"terms_of_service\":null}");
        assertThat(optIn).contains("opt_in");

        run.post(optIn, c.headers());

        assertThat(run.chartmogul().requests("PUT").get(0).body()).isEqualTo("{\"custom\":{"
                + "\"country\":{\"value\":\"CM\",\"source\":\"stripe\"},"
                + "\"marketing_consent\":{\"value\":true,\"source\":\"stripe\"}}}");
    }

    @Test
    void aGuestCheckoutWithoutACustomerIsIgnoredNot422() {
        PresetRun.Capture c = PresetRun.capture(CAPTURES + "checkout.session.completed.json");
        String guest = c.body().replace("\"customer\":\"cus_NSPHp4fOlXGw8P\"", "\"customer\":null");
        assertThat(guest).contains("\"customer\":null");

        Reply r = run.post(guest, c.headers());

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("status").asText()).isEqualTo("ignored");
        assertThat(run.exchanges()).isEmpty();
    }

    @Test
    void invoicePaidMatchesNoRuleAndCallsNothing() {
        Reply r = run.postCapture(CAPTURES + "invoice.paid.json");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("status").asText()).isEqualTo("ignored");
        assertThat(run.exchanges()).isEmpty();
    }

    @Test
    void theCustomerMetadataConventionSetsPlanSeatsAndChannel() {
        PresetRun.Capture c = PresetRun.capture(CAPTURES + "customer.updated.json");
        String body = c.body().replace("\"metadata\":{}",
                "\"metadata\":{\"plan\":\"growth\",\"seats\":\"12\",\"acquisition_channel\":\"partner\"}");
        assertThat(body).contains("growth");

        run.post(body, c.headers());

        assertThat(run.chartmogul().requests("PUT").get(0).body()).isEqualTo("{\"custom\":{"
                + "\"country\":{\"value\":\"CM\",\"source\":\"stripe\"},"
                + "\"currency\":{\"value\":\"USD\",\"source\":\"stripe\"},"
                + "\"delinquent\":{\"value\":false,\"source\":\"stripe\"},"
                + "\"plan\":{\"value\":\"growth\",\"source\":\"stripe\"},"
                + "\"seats\":{\"value\":12,\"source\":\"stripe\"},"
                + "\"acquisition_channel\":{\"value\":\"partner\",\"source\":\"stripe\"}}}");
    }

    @Test
    void olderSinglePlanSubscriptionEventsUseThePlanOnTheSubscription() {
        JsonNode events = Fixtures.recordedJson("sdk/stripe/webhook-events.json");
        String updated = null;
        String deleted = null;
        String trialWillEnd = null;
        for (JsonNode e : events) {
            switch (e.path("type").asText()) {
                case "customer.subscription.updated": updated = e.toString(); break;
                case "customer.subscription.deleted": deleted = e.toString(); break;
                case "customer.subscription.trial_will_end": trialWillEnd = e.toString(); break;
                default: break;
            }
        }

        assertThat(run.post(updated).status()).isEqualTo(200);
        assertThat(run.post(deleted).status()).isEqualTo(200);
        assertThat(run.post(trialWillEnd).status()).isEqualTo(200);

        // one lookup (then cached), three updates; the 2012 plan has a name, an interval and no interval_count
        assertThat(run.exchanges()).containsExactly(
                "GET /v1/customers?external_id=cus_00000000000000&data_source_uuid=ds_stripe",
                "PUT /v1/customers/cus_uuid_2012/attributes/custom {\"custom\":{"
                        + "\"subscription_status\":{\"value\":\"active\",\"source\":\"stripe\"},"
                        + "\"plan\":{\"value\":\"Annual\",\"source\":\"stripe\"},"
                        + "\"billing_period\":{\"value\":\"year\",\"source\":\"stripe\"},"
                        + "\"cancel_scheduled\":{\"value\":false,\"source\":\"stripe\"}}}",
                "PUT /v1/customers/cus_uuid_2012/attributes/custom {\"custom\":{"
                        + "\"subscription_status\":{\"value\":\"canceled\",\"source\":\"stripe\"},"
                        + "\"plan\":{\"value\":\"Annual\",\"source\":\"stripe\"},"
                        + "\"billing_period\":{\"value\":\"year\",\"source\":\"stripe\"},"
                        + "\"cancel_date\":{\"value\":\"2012-04-10T12:00:03.000Z\",\"source\":\"stripe\"},"
                        + "\"cancel_scheduled\":{\"value\":false,\"source\":\"stripe\"}}}",
                "PUT /v1/customers/cus_uuid_2012/attributes/custom {\"custom\":{"
                        + "\"subscription_status\":{\"value\":\"trialing\",\"source\":\"stripe\"},"
                        + "\"plan\":{\"value\":\"Annual\",\"source\":\"stripe\"},"
                        + "\"billing_period\":{\"value\":\"year\",\"source\":\"stripe\"},"
                        + "\"trial_end\":{\"value\":\"2012-04-13T12:00:07.000Z\",\"source\":\"stripe\"},"
                        + "\"cancel_scheduled\":{\"value\":false,\"source\":\"stripe\"}}}");
    }

    @Test
    void aCustomerEventWithNothingToSetSendsNothing() {
        // stripe-java's minimal customer.created (API 2017-08-15): an id and a name, none of the mapped fields
        Reply r = run.postFile("sdk/stripe/customer_created.json");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("status").asText()).isEqualTo("ignored");
        assertThat(run.exchanges()).isEmpty();
    }

    @Test
    void theEventArrivingThroughEventBridgeMapsTheSame() {
        try (PresetRun eb = new PresetRun("stripe", "data_source_uuid: ds_stripe", "eventbridge_source: aws.partner/stripe.com")) {
            eb.chartmogul().customer("cus_uuid_martin", "cus_NSPHp4fOlXGw8P", "ds_stripe", null);
            String detail = PresetRun.capture(CAPTURES + "customer.updated.json").body();
            var outcome = eb.h.eventBridge().handle(Events.eventBridge("aws.partner/stripe.com/ed_test", "customer.updated",
                    detail).getBytes(StandardCharsets.UTF_8), new TestContext(10_000));

            assertThat(outcome.status()).isEqualTo(200);
            assertThat(eb.exchanges()).containsExactly(
                    "GET /v1/customers?external_id=cus_NSPHp4fOlXGw8P&data_source_uuid=ds_stripe",
                    "PUT /v1/customers/cus_uuid_martin/attributes/custom {\"custom\":{"
                            + "\"country\":{\"value\":\"CM\",\"source\":\"stripe\"},"
                            + "\"currency\":{\"value\":\"USD\",\"source\":\"stripe\"},"
                            + "\"delinquent\":{\"value\":false,\"source\":\"stripe\"}}}");
        }
    }
}
