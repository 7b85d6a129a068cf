package dev.attributerelay.mapping.presets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attributerelay.testing.Events;
import dev.attributerelay.testing.RelayHarness;
import dev.attributerelay.testing.RelayHarness.Reply;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * presets/hubspot.yaml over HubSpot workflow webhooks captured by hookdeck (contact, company, deal), and the
 * webhooks-API batch format, which the preset leaves to an `each:` rule of the user's own.
 */
class HubSpotPresetTest {
    /**
     * BUILT FROM DOCUMENTATION, not captured: the webhooks API example batch from
     * https://developers.hubspot.com/docs/api/webhooks (section "Webhook payloads"): a JSON array of events that
     * name the contact by objectId only.
     */
    static final String WEBHOOKS_API_BATCH = "[{\"objectId\":1246965,\"propertyName\":\"lifecyclestage\","
            + "\"propertyValue\":\"subscriber\",\"changeSource\":\"ACADEMY\",\"eventId\":3816279340,\"subscriptionId\":25,"
            + "\"portalId\":33,\"appId\":1160452,\"occurredAt\":1462216307945,\"subscriptionType\":\"contact.propertyChange\","
            + "\"attemptNumber\":0},{\"objectId\":1246978,\"changeSource\":\"IMPORT\",\"eventId\":3816279480,"
            + "\"subscriptionId\":22,\"portalId\":33,\"appId\":1160452,\"occurredAt\":1462216307945,"
            + "\"subscriptionType\":\"contact.creation\",\"attemptNumber\":0}]";

    PresetRun run;

    @BeforeEach
    void start() {
        run = new PresetRun("hubspot");
        run.chartmogul().customer("cus_uuid_kovat", "kovat-ext", "ds_billing", "kovatif642@cyclesat.com");
    }

    @AfterEach
    void stop() {
        run.close();
    }

    @Test
    void aContactWorkflowWebhookSetsLifecycleSourceAndContactIdByEmail() {
        Reply r = run.postCapture("sdk/hubspot/current/CONTACT.json");

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        // no hs_lead_status or hs_email_optout property on this contact: both left out
        assertThat(run.exchanges()).containsExactly(
                "GET /v1/customers/search?email=kovatif642@cyclesat.com",
                "PUT /v1/customers/cus_uuid_kovat/attributes/custom {\"custom\":{"
                        + "\"lifecycle_stage\":{\"value\":\"lead\",\"source\":\"hubspot\"},"
                        + "\"acquisition_channel\":{\"value\":\"OFFLINE\",\"source\":\"hubspot\"},"
                        + "\"acquisition_source\":{\"value\":\"CRM_UI\",\"source\":\"hubspot\"},"
                        + "\"hubspot_contact_id\":{\"value\":\"251\",\"source\":\"hubspot\"}}}");
        assertThat(run.lastLog().path("event_type").asText()).isEqualTo("CONTACT");
    }

    @Test
    void companyAndDealWorkflowWebhooksHaveNoContactEmailAndAreIgnored() {
        Reply company = run.postCapture("providers/hubspot/current/COMPANY.json");
        Reply deal = run.postCapture("providers/hubspot/current/DEAL.json");

        assertThat(company.status()).isEqualTo(200);
        assertThat(company.body().path("status").asText()).isEqualTo("ignored");
        assertThat(deal.status()).isEqualTo(200);
        assertThat(deal.body().path("status").asText()).isEqualTo("ignored");
        assertThat(run.exchanges()).isEmpty();
    }

    /**
     * DERIVED from the COMPANY capture: the same CRM-object workflow shape ({objectType, objectId, properties}),
     * made a contact with an email and an email opt-out, as a contact-based workflow of that format sends it.
     */
    @Test
    void aCrmObjectShapedContactIsReadTheSameWay() {
        PresetRun.Capture c = PresetRun.capture("providers/hubspot/current/COMPANY.json");
        String body = c.body()
                .replace("\"objectType\":\"COMPANY\",\"objectTypeId\":\"0-2\"", "\"objectType\":\"CONTACT\",\"objectTypeId\":\"0-1\"")
                .replace("\"properties\":{", "\"properties\":{\"email\":{\"value\":\"kovatif642@cyclesat.com\"},"
                        + "\"hs_email_optout\":{\"value\":\"true\"},\"hs_lead_status\":{\"value\":\"IN_PROGRESS\"},");
        assertThat(body).contains("\"objectType\":\"CONTACT\"", "hs_email_optout");

        Reply r = run.post(body, c.headers());

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(run.chartmogul().requests("PUT").get(0).body()).isEqualTo("{\"custom\":{"
                + "\"lifecycle_stage\":{\"value\":\"lead\",\"source\":\"hubspot\"},"
                + "\"lead_status\":{\"value\":\"IN_PROGRESS\",\"source\":\"hubspot\"},"
                + "\"email_unsubscribed\":{\"value\":true,\"source\":\"hubspot\"},"
                + "\"hubspot_contact_id\":{\"value\":\"7298894071\",\"source\":\"hubspot\"}}}");
    }

    @Test
    void aWebhooksApiBatchMatchesNoPresetRule() {
        Reply r = run.post(WEBHOOKS_API_BATCH);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("status").asText()).isEqualTo("ignored");
        assertThat(run.exchanges()).isEmpty();
    }

    /** The override docs/presets.md gives for batches, for customers that carry the HubSpot id as external_id. */
    @Test
    void theDocumentedEachRuleMapsABatchItemByItem() {
        String yaml = "integrations:\n  crm:\n    verify: { scheme: none, allow_unsigned: true }\n    preset: hubspot\n"
                + "    data_source_uuid: ds_hubspot\n    events:\n"
                + "      - name: webhooks API lifecycle changes\n"
                + "        when: $type($event) = \"array\"\n"
                + "        each: $[subscriptionType = \"contact.propertyChange\" and propertyName = \"lifecyclestage\"]\n"
                + "        customer:\n          external_id: $string(objectId)\n"
                + "        attributes:\n          lifecycle_stage: { type: String, value: propertyValue }\n";
        assertThat(PresetsTest.docs()).as("docs/presets.md shows this rule").contains(
                "each: $[subscriptionType = \"contact.propertyChange\" and propertyName = \"lifecyclestage\"]",
                "external_id: $string(objectId)");
        try (RelayHarness crm = new RelayHarness(yaml, "{\"chartmogul_api_key\":\"" + PresetRun.API_KEY + "\"}")) {
            crm.chartmogul.acceptKey(PresetRun.API_KEY).defined("lifecycle_stage", "String")
                    .customer("cus_uuid_1246965", "1246965", "ds_hubspot", null);

            Reply r = crm.invoke(Events.post("/webhooks/crm", WEBHOOKS_API_BATCH)
                    .header("Content-Type", "application/json").httpApi());

            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(crm.chartmogul.requests()).hasSize(2);
            assertThat(crm.chartmogul.requests("GET").get(0).query())
                    .isEqualTo(Map.of("external_id", "1246965", "data_source_uuid", "ds_hubspot"));
            assertThat(crm.chartmogul.requests("PUT").get(0).body())
                    .isEqualTo("{\"custom\":{\"lifecycle_stage\":{\"value\":\"subscriber\",\"source\":\"crm\"}}}");
        }
    }
}
