package dev.attributerelay.mapping.presets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attributerelay.testing.RelayHarness.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** presets/intercom.yaml over intercom-java's user.created notification and documented contact notifications. */
class IntercomPresetTest {
    /**
     * BUILT FROM DOCUMENTATION, not captured: the ping Intercom sends when a webhook is saved, per
     * https://developers.intercom.com/docs/webhooks/setting-up-webhooks (topic "ping", item type "ping").
     */
    static final String PING = "{\"type\":\"notification_event\",\"app_id\":\"a86dr8yl\",\"data\":{\"type\":"
            + "\"notification_event_data\",\"item\":{\"type\":\"ping\",\"message\":\"something something interzen\"}},"
            + "\"links\":{},\"id\":null,\"topic\":\"ping\",\"delivery_status\":null,\"delivery_attempts\":1,"
            + "\"delivered_at\":0,\"first_sent_at\":1511781146,\"created_at\":1511781145,\"self\":null}";

    /**
     * BUILT FROM DOCUMENTATION, not captured: an API 2.x `contact` (fields and values of the example contact at
     * https://developers.intercom.com/docs/references/2.6/rest-api/contacts/contacts-model) in a
     * contact.user.created notification: unix timestamps, location as a country name.
     */
    static String contactNotification(String email, boolean unsubscribed) {
        return "{\"type\":\"notification_event\",\"app_id\":\"ecahpwf5\",\"data\":{\"type\":\"notification_event_data\","
                + "\"item\":{\"type\":\"contact\",\"id\":\"5ba682d23d7cf92bef87bfd4\",\"workspace_id\":\"ecahpwf5\","
                + "\"external_id\":\"25\",\"role\":\"user\",\"email\":" + (email == null ? "null" : "\"" + email + "\"")
                + ",\"name\":\"Hoban Washburn\",\"has_hard_bounced\":false,\"marked_email_as_spam\":false,"
                + "\"unsubscribed_from_emails\":" + unsubscribed + ",\"created_at\":1571672154,\"updated_at\":1571672158,"
                + "\"signed_up_at\":1571069751,\"last_seen_at\":1571069751,\"location\":{\"type\":\"location\","
                + "\"country\":\"Ireland\",\"region\":\"Dublin\",\"city\":\"Dublin\"},\"custom_attributes\":{}}},"
                + "\"links\":{},\"id\":\"notif_contact_1\",\"topic\":\"contact.user.created\",\"delivery_status\":\"pending\","
                + "\"delivery_attempts\":1,\"delivered_at\":0,\"first_sent_at\":1571672160,\"created_at\":1571672159,\"self\":null}";
    }

    PresetRun run;

    @BeforeEach
    void start() {
        run = new PresetRun("intercom");
        run.chartmogul().customer("cus_uuid_wash", "wash-ext", "ds_billing", "wash@serenity.io");
    }

    @AfterEach
    void stop() {
        run.close();
    }

    @Test
    void aLegacyUserCreatedNotificationSetsOptOutSignUpAndLastSeenByEmail() {
        Reply r = run.postFile("sdk/intercom/notification.json");

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        // a legacy user has no last_seen_at: its last_request_at stands in
        assertThat(run.exchanges()).containsExactly(
                "GET /v1/customers/search?email=wash@serenity.io",
                "PUT /v1/customers/cus_uuid_wash/attributes/custom {\"custom\":{"
                        + "\"email_unsubscribed\":{\"value\":false,\"source\":\"intercom\"},"
                        + "\"signed_up_at\":{\"value\":\"2017-10-17T12:38:47.000Z\",\"source\":\"intercom\"},"
                        + "\"last_seen_at\":{\"value\":\"2017-10-17T12:38:46.000Z\",\"source\":\"intercom\"}}}");
        assertThat(run.lastLog().path("event_id").asText()).isEqualTo("notif_d9697680-d363-11e7-9ccb-d3a7f70c358c");
        assertThat(run.lastLog().path("event_type").asText()).isEqualTo("user.created");
    }

    @Test
    void thePingTopicIsAnswered200IgnoredWithoutCallingChartMogul() {
        Reply r = run.post(PING);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("status").asText()).isEqualTo("ignored");
        assertThat(run.exchanges()).isEmpty();
    }

    @Test
    void anApiTwoContactNotificationWithUnixTimestamps() {
        Reply r = run.post(contactNotification("wash@serenity.io", true));

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(run.exchanges()).containsExactly(
                "GET /v1/customers/search?email=wash@serenity.io",
                "PUT /v1/customers/cus_uuid_wash/attributes/custom {\"custom\":{"
                        + "\"email_unsubscribed\":{\"value\":true,\"source\":\"intercom\"},"
                        + "\"signed_up_at\":{\"value\":\"2019-10-14T16:15:51.000Z\",\"source\":\"intercom\"},"
                        + "\"last_seen_at\":{\"value\":\"2019-10-14T16:15:51.000Z\",\"source\":\"intercom\"}}}");
    }

    @Test
    void aContactWithoutAnEmailIsIgnoredNot422() {
        Reply r = run.post(contactNotification(null, false));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("status").asText()).isEqualTo("ignored");
        assertThat(run.exchanges()).isEmpty();
    }
}
