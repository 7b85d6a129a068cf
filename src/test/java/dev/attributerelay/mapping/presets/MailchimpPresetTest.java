package dev.attributerelay.mapping.presets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attributerelay.testing.RelayHarness.Reply;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * presets/mailchimp.yaml. No Mailchimp capture exists in the shared fixtures: the bodies here are BUILT FROM
 * DOCUMENTATION, the subscribe and unsubscribe examples of
 * https://mailchimp.com/developer/marketing/guides/sync-audience-data-webhooks/ (type, fired_at, data[...]),
 * form-encoded as Mailchimp posts them.
 */
class MailchimpPresetTest {
    static final Map<String, String> FORM = Map.of("Content-Type", "application/x-www-form-urlencoded");

    static final String SUBSCRIBE = "type=subscribe&fired_at=2009-03-26+21%3A35%3A57&data[id]=8a25ff1d98"
            + "&data[list_id]=a6b5da1054&data[email]=api%40mailchimp.com&data[email_type]=html"
            + "&data[merges][EMAIL]=api%40mailchimp.com&data[merges][FNAME]=Mailchimp&data[merges][LNAME]=API"
            + "&data[merges][INTERESTS]=Group1%2CGroup2&data[ip_opt]=10.20.10.30&data[ip_signup]=10.20.10.30";

    /** The documented unsubscribe, whose address has a '+': form-encoded as %2B, it must reach ChartMogul intact. */
    static final String UNSUBSCRIBE = "type=unsubscribe&fired_at=2009-03-26+21%3A40%3A57&data[action]=unsub"
            + "&data[reason]=manual&data[id]=8a25ff1d98&data[list_id]=a6b5da1054&data[email]=api%2Bunsub%40mailchimp.com"
            + "&data[email_type]=html&data[merges][EMAIL]=api%2Bunsub%40mailchimp.com&data[merges][FNAME]=Mailchimp"
            + "&data[merges][LNAME]=API&data[merges][INTERESTS]=Group1%2CGroup2&data[ip_opt]=10.20.10.30"
            + "&data[campaign_id]=cb398d21d2";

    PresetRun run;

    @BeforeEach
    void start() {
        run = new PresetRun("mailchimp");
        run.chartmogul()
                .customer("cus_uuid_api", "api-ext", "ds_billing", "api@mailchimp.com")
                .customer("cus_uuid_unsub", "unsub-ext", "ds_billing", "api+unsub@mailchimp.com");
    }

    @AfterEach
    void stop() {
        run.close();
    }

    @Test
    void subscribeGrantsMarketingConsent() {
        Reply r = run.post(SUBSCRIBE, FORM);

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(run.exchanges()).containsExactly(
                "GET /v1/customers/search?email=api@mailchimp.com",
                "PUT /v1/customers/cus_uuid_api/attributes/custom {\"custom\":{"
                        + "\"marketing_consent\":{\"value\":true,\"source\":\"mailchimp\"}}}");
        assertThat(run.lastLog().path("event_type").asText()).isEqualTo("subscribe");
    }

    @Test
    void unsubscribeWithdrawsConsentWithTheReason() {
        Reply r = run.post(UNSUBSCRIBE, FORM);

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(run.exchanges()).containsExactly(
                "GET /v1/customers/search?email=api+unsub@mailchimp.com",
                "PUT /v1/customers/cus_uuid_unsub/attributes/custom {\"custom\":{"
                        + "\"marketing_consent\":{\"value\":false,\"source\":\"mailchimp\"},"
                        + "\"unsubscribe_reason\":{\"value\":\"manual\",\"source\":\"mailchimp\"}}}");
    }

    @Test
    void profileAndCampaignEventsAreIgnored() {
        Reply profile = run.post(SUBSCRIBE.replace("type=subscribe", "type=profile"), FORM);
        Reply campaign = run.post("type=campaign&fired_at=2009-03-26+22%3A15%3A09&data[id]=5aa2102003"
                + "&data[subject]=Test+Campaign+Subject&data[status]=sent&data[reason]=&data[list_id]=a6b5da1054", FORM);

        assertThat(profile.body().path("status").asText()).isEqualTo("ignored");
        assertThat(campaign.body().path("status").asText()).isEqualTo("ignored");
        assertThat(run.exchanges()).isEmpty();
    }
}
