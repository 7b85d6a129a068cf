package dev.attributerelay.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.attributerelay.EventLog;
import dev.attributerelay.Json;
import dev.attributerelay.Relay;
import dev.attributerelay.Wiring;
import dev.attributerelay.chartmogul.ChartMogulException;
import dev.attributerelay.chartmogul.Deadline;
import dev.attributerelay.chartmogul.RateLimiter;
import dev.attributerelay.chartmogul.RetryPolicy;
import dev.attributerelay.mapping.ConfigException;
import dev.attributerelay.mapping.ConfigLoader;
import dev.attributerelay.mapping.CustomerRef;
import dev.attributerelay.mapping.Integration;
import dev.attributerelay.mapping.RelayConfig;
import dev.attributerelay.mapping.Rule;
import dev.attributerelay.resolve.CustomerResolver;
import dev.attributerelay.resolve.Resolution;
import dev.attributerelay.secrets.LocalSecretSource;
import dev.attributerelay.secrets.SecretSource;
import dev.attributerelay.secrets.SecretsUnavailableException;
import dev.attributerelay.state.AppliedValue;
import dev.attributerelay.state.StateStore;
import dev.attributerelay.state.StateUnavailableException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * {@code history <customer uuid | external_id | email> [--integration NAME] [--json]}: per attribute, what the relay
 * last wrote to the customer, from which event and integration, and when, read from the applied-state table.
 * Exit codes: 0 shown, 1 nothing recorded, 64 usage, 69 a service unreachable, 78 configuration.
 */
final class HistoryCommand {
    static final String USAGE = String.join("\n",
            "  history <customer uuid | external_id | email> [--integration NAME] [--json] [--secrets <file>] [--config <relay.yaml>]",
            "      per attribute, what the relay last wrote to the customer: value, event, integration, event time and",
            "      write time, from the applied-state table (RELAY_STATE_TABLE). The argument is read as the",
            "      integration's rules would: a ChartMogul uuid (cus_ + a UUID), else an external id in its data source,",
            "      else an email; a reference not resolved recently is looked up in ChartMogul (API key from the secrets).",
            "      --json prints one JSON object for scripts.");
    private static final Pattern UUID = Pattern.compile("cus_[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Duration BUDGET = Duration.ofSeconds(20);

    private HistoryCommand() {
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) throws IOException {
        String reference = null;
        String integrationName = null;
        String secretsFile = null;
        String configFile = null;
        boolean json = false;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--json":
                    json = true;
                    break;
                case "--integration":
                case "--secrets":
                case "--config":
                    if (i + 1 >= args.length) {
                        return usage(err, a + " needs a value");
                    }
                    String v = args[++i];
                    if (a.equals("--integration")) {
                        integrationName = v;
                    } else if (a.equals("--secrets")) {
                        secretsFile = v;
                    } else {
                        configFile = v;
                    }
                    break;
                default:
                    if (a.startsWith("-") || reference != null) {
                        return usage(err, a.startsWith("-") ? "unknown option " + a : "history takes one customer");
                    }
                    reference = a;
            }
        }
        if (reference == null || reference.isBlank()) {
            return usage(err, "history needs a customer uuid, external id or email");
        }
        String table = env.get("RELAY_STATE_TABLE");
        if (table == null || table.isBlank()) {
            err.println("configuration error: history reads the applied-state table; set RELAY_STATE_TABLE to the "
                    + "table the stack created (output StateTableName). Without it each process keeps its own state.");
            return 78;
        }
        RelayConfig config = configFile != null ? ConfigLoader.load(Path.of(configFile)) : ConfigLoader.fromEnvironment(env);
        Integration integration = null;
        if (integrationName != null) {
            integration = config.integration(integrationName);
            if (integration == null) {
                throw new ConfigException("no integration named '" + integrationName + "' in " + config.file());
            }
        }
        StateStore store = Wiring.stateStore(env);
        SecretSource secrets = secretsFile != null
                ? new LocalSecretSource(Files.readString(Path.of(secretsFile), StandardCharsets.UTF_8), "'" + secretsFile + "'")
                : env.get("CHARTMOGUL_SECRET_ID") != null || env.get("RELAY_SECRETS") != null
                ? Wiring.secretSource(env) : new LocalSecretSource("{}", "(no secrets)");
        Clock clock = Clock.systemUTC();
        Deadline deadline = Deadline.in(BUDGET, clock);
        CustomerRef ref = read(reference.trim(), integration);
        String uuid;
        Map<String, AppliedValue> applied;
        try {
            uuid = resolve(ref, config, secrets, store, clock, env, deadline, err);
            if (uuid == null) {
                return 1;
            }
            applied = new TreeMap<>(store.applied(uuid, deadline));
        } catch (StateUnavailableException e) {
            err.println("cannot read the applied state: " + e.getMessage());
            return 69;
        }
        if (json) {
            out.println(Json.write(asJson(uuid, applied)));
        } else {
            printTable(uuid, applied, out);
        }
        return applied.isEmpty() ? 1 : 0;
    }

    /** As the integration's rules read a customer: uuid, else external id in its data source, else email. */
    static CustomerRef read(String reference, Integration integration) {
        if (UUID.matcher(reference).matches()) {
            return new CustomerRef.Uuid(reference);
        }
        boolean byEmail = false;
        String dataSource = null;
        boolean byExternalId = false;
        if (integration != null) {
            for (Rule r : integration.rules()) {
                if (r.customer().kind() == Rule.CustomerSpec.Kind.EXTERNAL_ID && !byExternalId) {
                    byExternalId = true;
                    dataSource = r.customer().dataSourceUuid();
                } else if (r.customer().kind() == Rule.CustomerSpec.Kind.EMAIL) {
                    byEmail = true;
                }
            }
        }
        if (reference.indexOf('@') > 0 && (byEmail || !byExternalId)) {
            return new CustomerRef.Email(reference);
        }
        return new CustomerRef.ExternalId(reference, dataSource);
    }

    private static String resolve(CustomerRef ref, RelayConfig config, SecretSource secrets, StateStore store,
                                  Clock clock, Map<String, String> env, Deadline deadline, PrintStream err) {
        if (ref instanceof CustomerRef.Uuid u) {
            return u.uuid();
        }
        String shared = store.resolution(CustomerResolver.referenceId(ref), clock.instant(), deadline);
        if (shared != null) {
            return shared;
        }
        Relay relay = new Wiring.Parts(config, secrets, Wiring.transportFor(Wiring.apiUrl(env)), Wiring.apiUrl(env),
                clock, new EventLog(new PrintStream(OutputStream.nullOutputStream())), RetryPolicy.standard(),
                RateLimiter.unlimited(), null, store).relay();
        CustomerResolver resolver = new CustomerResolver(relay.client(), clock, Duration.ofMinutes(1));
        Resolution r;
        try {
            r = resolver.resolve(ref, deadline);
        } catch (SecretsUnavailableException e) {
            err.println("the customer was not resolved recently; looking it up in ChartMogul needs the API key: "
                    + e.getMessage());
            return null;
        } catch (ChartMogulException e) {
            err.println("cannot look the customer up in ChartMogul: " + e.getMessage());
            return null;
        }
        if (r instanceof Resolution.Found f) {
            return f.uuid();
        }
        err.println(r instanceof Resolution.NotFound ? "no ChartMogul customer matches that reference"
                : "several ChartMogul customers match that reference; name the integration (--integration) or the uuid");
        return null;
    }

    private static ObjectNode asJson(String uuid, Map<String, AppliedValue> applied) {
        ObjectNode root = Json.object();
        root.put("customer", uuid);
        ObjectNode attributes = root.putObject("attributes");
        applied.forEach((key, v) -> {
            ObjectNode a = attributes.putObject(key);
            a.put("value", v.value());
            a.put("type", v.type());
            a.put("integration", v.integration());
            a.put("event_id", v.eventId());
            a.put("event_time", v.eventTime().toString());
            a.put("written_at", v.writtenAt().toString());
            a.put("newest_event_time", v.newest().toString());
            a.put("in_doubt", v.inDoubt());
        });
        return root;
    }

    private static void printTable(String uuid, Map<String, AppliedValue> applied, PrintStream out) {
        out.println("customer " + uuid);
        if (applied.isEmpty()) {
            out.println("the relay has written nothing to this customer (or its record expired)");
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ATTRIBUTE", "VALUE", "INTEGRATION", "EVENT", "EVENT TIME", "WRITTEN AT", "NOTE"});
        applied.forEach((key, v) -> rows.add(new String[] {key, v.value(), String.valueOf(v.integration()),
                String.valueOf(v.eventId()), v.eventTime().toString(), v.writtenAt().toString(), note(v)}));
        int[] width = new int[7];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + width[i] + "s  ", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static String note(AppliedValue v) {
        if (v.inDoubt()) {
            return "in doubt: ChartMogul did not answer the write; the next event sends it again";
        }
        return v.newest().isAfter(v.eventTime()) ? "unchanged by an event of " + v.newest() : "";
    }

    private static int usage(PrintStream err, String problem) {
        err.println(problem + "\n\nusage:\n" + USAGE);
        return 64;
    }
}
