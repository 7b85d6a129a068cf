package dev.attributerelay.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.attributerelay.testing.FakeBilling;
import dev.attributerelay.testing.FakeChartMogul;
import dev.attributerelay.testing.TestSupport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code backfill} as an operator runs it: the command line against loopback fakes of each provider's list API
 * and of ChartMogul, including a run killed midway and started again with the same state file.
 */
class BackfillCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String CM_KEY = "cm_test_key";
    static final String PROVIDER_KEY = "sk_test_backfill_key";
    static final List<String> ATTRIBUTES = List.of("country", "currency", "delinquent", "plan", "seats",
            "acquisition_channel", "subscription_status", "billing_period", "billing_period_count", "trial_end",
            "cancel_date", "cancel_scheduled", "cancel_reason", "marketing_consent", "card_status", "lifecycle_stage",
            "lead_status", "acquisition_source", "email_unsubscribed", "hubspot_contact_id");

    @TempDir
    Path tmp;
    FakeChartMogul cm;
    FakeBilling provider;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Path config;
    Path secrets;

    @BeforeEach
    void start() throws IOException {
        cm = new FakeChartMogul().acceptKey(CM_KEY);
        for (String a : ATTRIBUTES) {
            cm.defined(a, "String");
        }
        config = tmp.resolve("relay.yaml");
        Files.writeString(config, String.join("\n",
                "integrations:",
                "  stripe:",
                "    verify: { scheme: stripe, secret: stripe_signing_secret }",
                "    preset: stripe",
                "    data_source_uuid: ds_stripe",
                "    backfill: { api_key: provider_api_key }",
                "  paddle:",
                "    verify: { scheme: paddle, secret: paddle_secret }",
                "    preset: paddle",
                "    data_source_uuid: ds_paddle",
                "    backfill: { api_key: provider_api_key }",
                "  chargebee:",
                "    verify: { scheme: basic-auth, secret: chargebee_basic_auth }",
                "    preset: chargebee",
                "    data_source_uuid: ds_chargebee",
                "    backfill: { api_key: provider_api_key }",
                "  hubspot:",
                "    verify: { scheme: hubspot-v3, secret: hubspot_secret, public_url: 'https://example.com/webhooks/hubspot' }",
                "    preset: hubspot",
                "    on_unknown_customer: skip",
                "    backfill: { api_key: provider_api_key }",
                "  shopify:",
                "    verify: { scheme: shopify, secret: shopify_secret }",
                "    preset: shopify",
                ""));
        secrets = tmp.resolve("secrets.json");
        Files.writeString(secrets, "{\"chartmogul_api_key\":\"" + CM_KEY + "\",\"provider_api_key\":\"" + PROVIDER_KEY + "\"}");
    }

    @AfterEach
    void stop() {
        cm.close();
        if (provider != null) {
            provider.close();
        }
    }

    @Test
    void stripeCustomersGetTheirCurrentStateInOnePutEach() throws IOException {
        provider = new FakeBilling(FakeBilling.Kind.STRIPE, PROVIDER_KEY).pageSize(7);
        for (int i = 0; i < 50; i++) {
            stripeCustomer(i);
        }
        // customer 1: an old canceled subscription created after its live one; customer 2: canceled only
        provider.subscription(json("{\"id\":\"sub_1a\",\"customer\":\"cus_1\",\"status\":\"active\",\"created\":100,"
                + "\"items\":{\"data\":[{\"quantity\":3,\"price\":{\"id\":\"price_pro\",\"nickname\":\"Pro\","
                + "\"recurring\":{\"interval\":\"month\",\"interval_count\":1}}}]}}"));
        provider.subscription(json("{\"id\":\"sub_1b\",\"customer\":\"cus_1\",\"status\":\"canceled\",\"created\":200,"
                + "\"ended_at\":1700000000,\"items\":{\"data\":[{\"quantity\":1,\"price\":{\"id\":\"price_old\"}}]}}"));
        provider.subscription(json("{\"id\":\"sub_2\",\"customer\":\"cus_2\",\"status\":\"canceled\",\"created\":300,"
                + "\"ended_at\":1700000000,\"items\":{\"data\":[{\"quantity\":1,\"price\":{\"id\":\"price_basic\"}}]}}"));

        int exit = run(Map.of("STRIPE_API_URL", provider.url().toString()), "backfill", "stripe",
                "--state-file", tmp.resolve("state.json").toString());

        assertThat(exit).as(text(err)).isZero();
        assertThat(cm.attributesOf("cm_1").get("subscription_status").asText()).isEqualTo("active");
        assertThat(cm.attributesOf("cm_1").get("plan").asText()).isEqualTo("Pro");
        assertThat(cm.attributesOf("cm_1")).doesNotContainKey("cancel_date");
        assertThat(cm.attributesOf("cm_2").get("subscription_status").asText()).isEqualTo("canceled");
        assertThat(cm.attributesOf("cm_2").get("cancel_date").asText()).isEqualTo("2023-11-14T22:13:20.000Z");
        assertThat(cm.attributesOf("cm_7").get("country").asText()).isEqualTo("DE");
        int puts = cm.requests("PUT").size();
        assertThat(puts).isEqualTo(50);
        assertThat(cm.requests().size() / 50.0).isLessThanOrEqualTo(1.1);
        assertThat(provider.requests()).anyMatch(r -> r.startsWith("/v1/subscriptions?customer=cus_1&status=all"));
        assertThat(text(out)).contains("backfill stripe: finished customers=50 objects=53 sent=50 unchanged=0 held=0 failed=0");
    }

    @Test
    void paddleCustomersAndSubscriptionsArePagedWithTheAfterCursor() throws IOException {
        provider = new FakeBilling(FakeBilling.Kind.PADDLE, PROVIDER_KEY).pageSize(2);
        for (int i = 0; i < 5; i++) {
            provider.customer(json("{\"id\":\"ctm_" + i + "\",\"marketing_consent\":" + (i % 2 == 0)
                    + ",\"updated_at\":\"2024-04-11T15:57:24.813Z\",\"created_at\":\"2024-04-11T15:57:24.813Z\"}"));
            cm.customer("cm_" + i, "ctm_" + i, "ds_paddle", null);
        }
        provider.subscription(json("{\"id\":\"sub_a\",\"customer_id\":\"ctm_3\",\"status\":\"past_due\","
                + "\"created_at\":\"2024-01-01T00:00:00Z\",\"currency_code\":\"EUR\",\"billing_cycle\":{\"interval\":\"year\",\"frequency\":1},"
                + "\"items\":[{\"quantity\":5,\"price\":{\"id\":\"pri_1\",\"name\":\"Team\"}}]}"));
        provider.subscription(json("{\"id\":\"sub_b\",\"customer_id\":\"ctm_3\",\"status\":\"canceled\","
                + "\"created_at\":\"2024-03-01T00:00:00Z\",\"canceled_at\":\"2024-03-02T00:00:00Z\",\"items\":[]}"));

        int exit = run(Map.of("PADDLE_API_URL", provider.url().toString()), "backfill", "paddle");

        assertThat(exit).as(text(err)).isZero();
        assertThat(cm.attributesOf("cm_3").get("subscription_status").asText()).isEqualTo("past_due");
        assertThat(cm.attributesOf("cm_3").get("plan").asText()).isEqualTo("Team");
        assertThat(cm.attributesOf("cm_3").get("marketing_consent").asBoolean()).isFalse();
        assertThat(cm.attributesOf("cm_4").get("marketing_consent").asBoolean()).isTrue();
        assertThat(provider.requests()).contains("/customers?per_page=200&after=ctm_1", "/customers?per_page=200&after=ctm_3");
        assertThat(cm.requests("PUT")).hasSize(5);
    }

    @Test
    void chargebeeIsPagedWithNextOffsetAndBasicAuth() throws IOException {
        provider = new FakeBilling(FakeBilling.Kind.CHARGEBEE, PROVIDER_KEY).pageSize(2);
        for (int i = 0; i < 3; i++) {
            provider.customer(json("{\"id\":\"cb_" + i + "\",\"updated_at\":1700000000,\"card_status\":\"valid\","
                    + "\"billing_address\":{\"country\":\"FR\"}}"));
            cm.customer("cm_" + i, "cb_" + i, "ds_chargebee", null);
        }
        provider.subscription(json("{\"id\":\"s1\",\"customer_id\":\"cb_2\",\"status\":\"in_trial\",\"created_at\":5,"
                + "\"plan_id\":\"growth\",\"plan_quantity\":4,\"billing_period\":1,\"billing_period_unit\":\"month\"}"));
        provider.subscription(json("{\"id\":\"s0\",\"customer_id\":\"cb_2\",\"status\":\"cancelled\",\"created_at\":9,"
                + "\"plan_id\":\"starter\"}"));

        int exit = run(Map.of("CHARGEBEE_API_URL", provider.url().toString()), "backfill", "chargebee");

        assertThat(exit).as(text(err)).isZero();
        assertThat(cm.attributesOf("cm_2").get("subscription_status").asText()).isEqualTo("in_trial");
        assertThat(cm.attributesOf("cm_2").get("plan").asText()).isEqualTo("growth");
        assertThat(cm.attributesOf("cm_0").get("country").asText()).isEqualTo("FR");
        assertThat(provider.requests()).anyMatch(r -> r.startsWith("/api/v2/customers?limit=100&offset="));
        assertThat(cm.requests("PUT")).hasSize(3);
    }

    @Test
    void hubspotContactsResolveByEmailAndUnknownOnesAreSkipped() throws IOException {
        provider = new FakeBilling(FakeBilling.Kind.HUBSPOT, PROVIDER_KEY).pageSize(2);
        for (int i = 0; i < 3; i++) {
            provider.customer(json("{\"id\":\"10" + i + "\",\"createdAt\":\"2024-01-01T00:00:00Z\","
                    + "\"updatedAt\":\"2024-02-01T00:00:00Z\",\"archived\":false,\"properties\":{\"email\":\"p" + i
                    + "@example.com\",\"lifecyclestage\":\"customer\",\"hs_object_id\":\"10" + i + "\",\"firstname\":\"P\"}}"));
        }
        cm.customer("cm_0", "x0", "ds_any", "p0@example.com");
        cm.customer("cm_1", "x1", "ds_any", "P1@Example.com");

        int exit = run(Map.of("HUBSPOT_API_URL", provider.url().toString()), "backfill", "hubspot");

        assertThat(exit).as(text(err)).isZero();
        assertThat(cm.attributesOf("cm_0").get("lifecycle_stage").asText()).isEqualTo("customer");
        assertThat(cm.attributesOf("cm_1").get("hubspot_contact_id").asText()).isEqualTo("101");
        assertThat(provider.requests().get(0)).contains("properties=").contains("lifecyclestage").doesNotContain("firstname");
        assertThat(text(out)).contains("customers=3").contains("sent=2").contains("skipped=1");
        assertThat(text(out) + text(err)).doesNotContain("@example.com");
        assertThat(cm.requests("PUT")).hasSize(2);
    }

    @Test
    void aRefusedProviderKeyStopsTheRunAndSendsNothing() throws IOException {
        provider = new FakeBilling(FakeBilling.Kind.STRIPE, "sk_test_other").pageSize(7);
        stripeCustomer(0);

        int exit = run(Map.of("STRIPE_API_URL", provider.url().toString()), "backfill", "stripe");

        assertThat(exit).isEqualTo(1);
        assertThat(text(err)).contains("Stripe refused the API key (HTTP 401: Invalid API Key provided: sk_test_****)");
        assertThat(text(err) + text(out)).doesNotContain(PROVIDER_KEY).doesNotContain(CM_KEY);
        assertThat(cm.requests("PUT")).isEmpty();
    }

    @Test
    void dryRunPrintsPerAttributeAndSendsNothing() throws IOException {
        provider = new FakeBilling(FakeBilling.Kind.STRIPE, PROVIDER_KEY);
        stripeCustomer(0);
        stripeCustomer(1);
        provider.customer(json("{\"id\":\"cus_bad\",\"created\":1,\"metadata\":{\"seats\":\"twelve\"}}"));
        cm.customer("cm_bad", "cus_bad", "ds_stripe", null);
        // a first, real run: customer 0 holds DE in ChartMogul afterwards
        run(Map.of("STRIPE_API_URL", provider.url().toString()), "backfill", "stripe");
        int puts = cm.requests("PUT").size();
        assertThat(Files.readString(tmp.resolve("backfill.report"))).startsWith("cus_bad\theld\t")
                .contains("attribute seats (Integer)");
        assertThat(text(err)).contains("failed and held updates are named, with their reasons, in ");
        out.reset();
        provider.customer(json("{\"id\":\"cus_9\",\"created\":1,\"address\":{\"country\":\"US\"}}"));
        cm.customer("cm_9", "cus_9", "ds_stripe", null);

        Path state = tmp.resolve("dry.state");
        int exit = run(Map.of("STRIPE_API_URL", provider.url().toString()), "backfill", "stripe", "--dry-run",
                "--state-file", state.toString());

        assertThat(exit).as(text(err)).isZero();
        assertThat(cm.requests("PUT")).hasSize(puts);
        assertThat(text(out)).contains("cus_0\tcountry\tunchanged")
                .contains("cus_9\tcountry\twould set\tUS")
                .contains("cus_bad\tseats\theld\t").contains("is not a whole number");
        assertThat(state).doesNotExist();
    }

    @Test
    void aRunStoppedByItsLimitResumesWithoutSendingAnyoneTwice() throws IOException {
        provider = new FakeBilling(FakeBilling.Kind.STRIPE, PROVIDER_KEY).pageSize(4);
        for (int i = 0; i < 10; i++) {
            stripeCustomer(i);
        }
        String state = tmp.resolve("state.json").toString();
        Map<String, String> env = Map.of("STRIPE_API_URL", provider.url().toString());

        assertThat(run(env, "backfill", "stripe", "--state-file", state, "--limit", "6")).isEqualTo(1);
        assertThat(text(err)).contains("--limit 6 reached");
        assertThat(cm.requests("PUT")).hasSize(6);
        assertThat(run(env, "backfill", "stripe", "--state-file", state)).as(text(err)).isZero();

        assertThat(putsPerCustomer()).hasSize(10).allSatisfy((uuid, n) -> assertThat(n).as(uuid).isEqualTo(1));
        assertThat(text(out)).contains("finished customers=10");
        assertThat(run(env, "backfill", "stripe", "--state-file", state)).isZero();
        assertThat(cm.requests("PUT")).hasSize(10);
    }

    /** SIGTERM (destroy) and SIGKILL (destroyForcibly) alike: nobody missed, nobody but the one in flight twice. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aKilledRunResumesWithoutMissingOrRepeatingCustomers(boolean sigkill) throws Exception {
        provider = new FakeBilling(FakeBilling.Kind.STRIPE, PROVIDER_KEY).pageSize(5);
        int n = 24;
        for (int i = 0; i < n; i++) {
            stripeCustomer(i);
        }
        cm.faults(r -> r.method().equals("PUT") ? FakeChartMogul.Fault.delay(60) : null);
        Path state = tmp.resolve("state.json");
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("STRIPE_API_URL", provider.url().toString());
        env.put("CHARTMOGUL_API_URL", cm.url().toString());
        Process child = child(env, "backfill", "stripe", "--config", config.toString(), "--secrets", secrets.toString(),
                "--state-file", state.toString());
        try {
            killMidRun(child, sigkill);
        } finally {
            TestSupport.stop(child, 5);
        }
        int before = cm.requests("PUT").size();
        assertThat(before).isLessThan(n);

        int exit = run(Map.of("STRIPE_API_URL", provider.url().toString()), "backfill", "stripe",
                "--state-file", state.toString());

        assertThat(exit).as(text(err)).isZero();
        Map<String, Integer> puts = putsPerCustomer();
        assertThat(puts).hasSize(n);
        long twice = puts.values().stream().filter(c -> c > 1).count();
        assertThat(twice).as("customers sent twice: at most the one in flight").isLessThanOrEqualTo(1);
        assertThat(puts.values()).allSatisfy(c -> assertThat(c).isLessThanOrEqualTo(2));
    }

    private void killMidRun(Process child, boolean sigkill) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (cm.requests("PUT").size() < 7 && child.isAlive() && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(child.isAlive()).as("the child is still running when it is killed").isTrue();
        if (sigkill) {
            child.destroyForcibly();
        } else {
            child.destroy();
        }
        assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void withAQueueTheUpdatesGoToTheWorkerAsResolvedCustomers() throws IOException {
        provider = new FakeBilling(FakeBilling.Kind.STRIPE, PROVIDER_KEY).pageSize(2);
        for (int i = 0; i < 3; i++) {
            stripeCustomer(i);
        }
        dev.attributerelay.testing.LocalSqs sqs = dev.attributerelay.testing.LocalSqs.shared();
        dev.attributerelay.testing.LocalSqs.Queues q = sqs.fifoWithDeadLetters(
                dev.attributerelay.testing.LocalSqs.uniqueName("backfill"));

        Map<String, String> env = new HashMap<>(sqs.env());
        env.put("STRIPE_API_URL", provider.url().toString());
        int exit = run(env, "backfill", "stripe", "--queue", q.url());

        assertThat(exit).as(text(err)).isZero();
        assertThat(sqs.visible(q.url())).isEqualTo(3);
        assertThat(cm.requests("PUT")).isEmpty();
        var received = sqs.client().receiveMessage(b -> b.queueUrl(q.url()).maxNumberOfMessages(10)).messages();
        assertThat(received).allSatisfy(m -> assertThat(dev.attributerelay.queue.UpdateCodec.decode(m.body()).customer())
                .isInstanceOf(dev.attributerelay.mapping.CustomerRef.Uuid.class));
    }

    @Test
    void sinceSelectsCustomersByTheProvidersOwnFilter() throws IOException {
        provider = new FakeBilling(FakeBilling.Kind.STRIPE, PROVIDER_KEY);
        for (int i = 0; i < 4; i++) {
            stripeCustomer(i); // created 1700000000 + i
        }

        int exit = run(Map.of("STRIPE_API_URL", provider.url().toString()), "backfill", "stripe",
                "--since", "2023-11-14T22:13:22Z");

        assertThat(exit).as(text(err)).isZero();
        assertThat(provider.requests().get(0)).contains("created%5Bgte%5D=1700000002");
        assertThat(putsPerCustomer()).containsOnlyKeys("/v1/customers/cm_2/attributes/custom",
                "/v1/customers/cm_3/attributes/custom");
    }

    @Test
    void usageAndConfigurationMistakesAreNamed() throws IOException {
        assertThat(run(Map.of(), "backfill")).isEqualTo(64);
        assertThat(run(Map.of(), "backfill", "stripe", "--since", "last week")).isEqualTo(64);
        assertThat(text(err)).contains("--since takes an ISO 8601 date");
        assertThat(run(Map.of(), "backfill", "stripe", "--rate", "80")).isEqualTo(64);
        assertThat(run(Map.of(), "backfill", "stripe", "--frobnicate")).isEqualTo(64);
        err.reset();
        assertThat(run(Map.of(), "backfill", "shopify")).isEqualTo(78);
        assertThat(text(err)).contains("integration 'shopify' has no backfill: { api_key:");
        err.reset();
        assertThat(run(Map.of(), "backfill", "chargebee")).isEqualTo(78);
        assertThat(text(err)).contains("set CHARGEBEE_API_URL");
    }

    private void stripeCustomer(int i) {
        provider.customer(json("{\"id\":\"cus_" + i + "\",\"object\":\"customer\",\"created\":" + (1700000000 + i)
                + ",\"address\":{\"country\":\"DE\"},\"currency\":\"eur\",\"delinquent\":false,\"metadata\":{}}"));
        cm.customer("cm_" + i, "cus_" + i, "ds_stripe", null);
    }

    private Map<String, Integer> putsPerCustomer() {
        Map<String, Integer> out = new LinkedHashMap<>();
        cm.requests("PUT").forEach(r -> out.merge(r.path(), 1, Integer::sum));
        return out;
    }

    private int run(Map<String, String> extraEnv, String... args) {
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("CHARTMOGUL_API_URL", cm.url().toString());
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--config", config.toString(), "--secrets", secrets.toString()));
        if (!all.contains("--state-file")) {
            all.addAll(List.of("--report", tmp.resolve("backfill.report").toString())); // not the working directory
        }
        return Cli.run(all.toArray(new String[0]), env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static Process child(Map<String, String> env, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp",
                classpath, Cli.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().clear();
        pb.environment().putAll(env);
        return pb.start();
    }

    private static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(ByteArrayOutputStream b) {
        return b.toString(StandardCharsets.UTF_8);
    }
}
