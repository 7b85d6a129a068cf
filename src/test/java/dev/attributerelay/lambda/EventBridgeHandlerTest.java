package dev.attributerelay.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attributerelay.testing.Events;
import dev.attributerelay.testing.RelayHarness;
import dev.attributerelay.testing.TestContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventBridgeHandlerTest {
    static final String CONFIG = """
            integrations:
              shop:
                eventbridge_source: aws.partner/shopify.com
                events:
                  - when: $headers.'x-shopify-topic' = "customers/update"
                    customer: { email: email }
                    attributes:
                      orders: { type: Integer, value: orders_count }
            """;

    @Test
    void shopifyPartnerEventsAreUnwrappedPayloadAsBodyMetadataAsHeaders() throws Exception {
        try (RelayHarness h = new RelayHarness(CONFIG, "{\"chartmogul_api_key\":\"k\"}")) {
            h.chartmogul.acceptKey("k").customer("cus_1", "x", "ds", "bob@biller.com").defined("orders", "Integer");
            String detail = "{\"payload\":{\"email\":\"bob@biller.com\",\"orders_count\":3},"
                    + "\"metadata\":{\"X-Shopify-Topic\":\"customers/update\",\"X-Shopify-Shop-Domain\":\"s.myshopify.com\"}}";
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            h.eventBridge().handleRequest(new ByteArrayInputStream(Events.eventBridge("aws.partner/shopify.com/123/orders",
                    "shopifyWebhook", detail).getBytes(StandardCharsets.UTF_8)), out, new TestContext(10_000));
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"status\":200,\"outcome\":\"applied\"}");
            assertThat(h.chartmogul.attributesOf("cus_1").get("orders").asInt()).isEqualTo(3);
        }
    }

    @Test
    void anUpdateThatMayPassLaterFailsTheInvocationSoLambdaRetriesIt() {
        try (RelayHarness h = new RelayHarness(CONFIG, "{\"chartmogul_api_key\":\"k\"}")) {
            h.chartmogul.acceptKey("k"); // no such customer yet: on_unknown_customer defaults to retry
            String detail = "{\"payload\":{\"email\":\"new@example.com\",\"orders_count\":1},"
                    + "\"metadata\":{\"X-Shopify-Topic\":\"customers/update\"}}";
            assertThatThrownBy(() -> h.eventBridge().handleRequest(new ByteArrayInputStream(
                    Events.eventBridge("aws.partner/shopify.com/1", "x", detail).getBytes(StandardCharsets.UTF_8)),
                    new ByteArrayOutputStream(), new TestContext(10_000)))
                    .isInstanceOf(EventBridgeHandler.RetryLater.class)
                    .hasMessageContaining("no ChartMogul customer matches");
        }
    }

    @Test
    void notAnEventIsDroppedAndLogged() {
        try (RelayHarness h = new RelayHarness(CONFIG, "{}")) {
            assertThat(h.eventBridge().handle("[1,2]".getBytes(StandardCharsets.UTF_8), new TestContext(1000)).label())
                    .isEqualTo("ignored");
            assertThat(h.eventBridge().handle("nope".getBytes(StandardCharsets.UTF_8), new TestContext(1000)).label())
                    .isEqualTo("ignored");
            assertThat(h.logLines()).hasSize(2);
        }
    }
}
