package dev.attributerelay.local;

import dev.attributerelay.EventLog;
import dev.attributerelay.Relay;
import dev.attributerelay.Wiring;
import dev.attributerelay.backfill.Backfill;
import dev.attributerelay.backfill.Progress;
import dev.attributerelay.backfill.Provider;
import dev.attributerelay.backfill.Providers;
import dev.attributerelay.chartmogul.ChartMogulClient;
import dev.attributerelay.chartmogul.RateLimiter;
import dev.attributerelay.chartmogul.RetryPolicy;
import dev.attributerelay.mapping.ConfigException;
import dev.attributerelay.mapping.ConfigLoader;
import dev.attributerelay.mapping.Integration;
import dev.attributerelay.mapping.RelayConfig;
import dev.attributerelay.aws.AwsCallException;
import dev.attributerelay.queue.Sqs;
import dev.attributerelay.queue.SqsUpdateQueue;
import dev.attributerelay.secrets.LocalSecretSource;
import dev.attributerelay.secrets.RelaySecrets;
import dev.attributerelay.secrets.SecretSource;
import dev.attributerelay.secrets.SecretsUnavailableException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code backfill <integration>}: the customers that existed before the first webhook, read from the provider's
 * API and fed through the integration's rules (DESIGN §9). Exit 0 when nothing failed, 1 when some updates
 * failed or the run stopped before the end, 64 for a usage error, 78 for configuration.
 */
final class BackfillCommand {
    /** ChartMogul requests a second by default: half of the account's 40, the rest left for the deployed relay. */
    static final double DEFAULT_RATE = 20;

    static final String USAGE = String.join("\n",
            "usage: backfill <integration> [--since DATE] [--limit N] [--dry-run] [--state-file FILE] [--rate R]",
            "                [--queue URL] [--report FILE] [--secrets FILE] [--config relay.yaml]",
            "",
            "  Reads the provider's existing customers (Stripe, Paddle Billing, Chargebee, HubSpot) and sets their",
            "  attributes through the integration's own rules, one update per customer.",
            "  --since DATE       only customers created or changed since (ISO 8601 date or date-time)",
            "  --limit N          stop after N customers (the state file resumes after them)",
            "  --dry-run          send nothing; print per attribute: would set, unchanged or held",
            "  --state-file FILE  record progress after each customer; run again with it to resume",
            "  --rate R           ChartMogul requests a second (default 20, at most 40)",
            "  --queue URL        put the updates on the update queue for the worker instead",
            "  --report FILE      where failed and held updates are named (default: next to the state file)",
            "  The provider's API key is the secrets key that relay.yaml's backfill: { api_key: ... } names;",
            "  base URLs from STRIPE_API_URL, PADDLE_API_URL, CHARGEBEE_API_URL, HUBSPOT_API_URL.");

    private BackfillCommand() {
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage() + "\n\n" + USAGE);
            return 64;
        }
        if (o.help) {
            out.println(USAGE);
            return 0;
        }
        try {
            return backfill(o, env, out, err);
        } catch (ConfigException e) {
            err.println("configuration error: " + e.getMessage());
            return 78;
        } catch (IOException e) {
            err.println("backfill: " + e.getMessage());
            return 66;
        }
    }

    private static int backfill(Options o, Map<String, String> env, PrintStream out, PrintStream err) throws IOException {
        RelayConfig config = o.config != null ? ConfigLoader.load(Path.of(o.config)) : ConfigLoader.fromEnvironment(env);
        Integration integration = config.integration(o.integration);
        if (integration == null) {
            err.println("no integration '" + o.integration + "' in " + config.file());
            return 78;
        }
        if (integration.backfill() == null) {
            err.println("integration '" + integration.name() + "' has no backfill: { api_key: <secrets key> } in "
                    + config.file() + "; add one naming the secrets key that holds the provider's read-only API key");
            return 78;
        }
        SecretSource source = secrets(o, env);
        RelaySecrets secrets;
        try {
            secrets = RelaySecrets.parse(source.read(), source.describe());
        } catch (SecretsUnavailableException e) {
            err.println("cannot read the secrets: " + e.getMessage());
            return 69;
        }
        List<String> providerKey = secrets.all(integration.backfill().apiKeySecret());
        if (providerKey.isEmpty()) {
            err.println("the secrets " + source.describe() + " have no key '" + integration.backfill().apiKeySecret()
                    + "' that backfill.api_key of integration '" + integration.name() + "' names");
            return 78;
        }
        if (secrets.apiKey() == null) {
            err.println("the secrets " + source.describe() + " have no " + RelaySecrets.API_KEY
                    + " (backfill reads ChartMogul's customer list to resolve customers, with --queue and --dry-run too)");
            return 78;
        }
        Provider provider;
        try {
            provider = Providers.open(integration, env, providerKey.get(0), ChartMogulClient.Sleeper.REAL);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 78;
        }
        URI apiUrl = Wiring.apiUrl(env);
        Clock clock = Clock.systemUTC();
        // the relay's own applied state (RELAY_STATE_TABLE) and held queue (RELAY_HELD_QUEUE_URL), as a webhook's
        EventLog log = new EventLog(err);
        Relay relay = new Wiring.Parts(config, source, Wiring.transportFor(apiUrl), apiUrl, clock, log,
                RetryPolicy.standard(), new RateLimiter(o.rate, System::nanoTime), null, Wiring.stateStore(env),
                Wiring.heldQueue(env, log)).relay();
        Path report = o.report != null ? Path.of(o.report) : o.stateFile != null ? Path.of(o.stateFile + ".report")
                : Path.of("backfill-" + integration.name() + ".report");
        Backfill.Settings settings = new Backfill.Settings(o.since, o.limit,
                o.stateFile == null ? null : Path.of(o.stateFile), o.dryRun ? null : report);
        Sqs sqs = o.queue == null ? null : Wiring.sqs(env);
        Progress progress = new Progress(err, System.console() != null, System::nanoTime);
        if (o.dryRun) {
            out.println("# dry run: nothing is sent; per customer and attribute: would set, unchanged, held");
        }
        Thread announce = new Thread(() -> err.println("\nbackfill interrupted"
                + (o.stateFile == null ? "" : "; run it again with --state-file " + o.stateFile + " to resume")));
        Runtime.getRuntime().addShutdownHook(announce);
        Backfill.Result r;
        try {
            r = new Backfill(integration, provider, relay.client(), o.dryRun || sqs != null ? null : relay.delivery(),
                    sqs == null || o.dryRun ? null : new SqsUpdateQueue(sqs, o.queue), relay.held(), clock,
                    ChartMogulClient.Sleeper.REAL, out).run(settings, progress);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 64;
        } catch (AwsCallException e) {
            err.println("cannot reach SQS: " + e.getMessage());
            return 69;
        } catch (java.io.UncheckedIOException e) {
            err.println("cannot write the report file " + report + ": " + e.getCause().getMessage());
            return 74;
        } finally {
            Runtime.getRuntime().removeShutdownHook(announce);
        }
        long customers = r.counts().customers();
        out.println("backfill " + integration.name() + (o.dryRun ? " (dry run)" : "") + ": "
                + (r.finished() ? "finished" : "stopped") + " " + r.counts().line()
                + " chartmogul_calls=" + r.chartMogulCalls() + " provider_calls=" + r.providerCalls()
                + String.format(Locale.ROOT, " chartmogul_calls_per_customer=%.2f",
                        customers == 0 ? 0.0 : r.chartMogulCalls() / (double) customers));
        if (r.stopped() != null) {
            err.println("stopped: " + r.stopped() + (o.stateFile == null ? ""
                    : "; run again with --state-file " + o.stateFile + " to resume where it stopped"));
        }
        if (r.reportWritten()) {
            err.println("failed and held updates are named, with their reasons, in " + report);
        }
        return r.finished() && r.counts().failed() == 0 ? 0 : 1;
    }

    private static SecretSource secrets(Options o, Map<String, String> env) throws IOException {
        if (o.secrets != null) {
            return new LocalSecretSource(Files.readString(Path.of(o.secrets), StandardCharsets.UTF_8), "'" + o.secrets + "'");
        }
        if (env.get("CHARTMOGUL_SECRET_ID") != null || env.get("RELAY_SECRETS") != null) {
            return Wiring.secretSource(env);
        }
        throw new ConfigException("backfill needs the secrets: --secrets <file>, RELAY_SECRETS or CHARTMOGUL_SECRET_ID");
    }

    /** The command's options; anything unknown is a usage error. */
    static final class Options {
        String integration;
        Instant since;
        long limit = Long.MAX_VALUE;
        boolean dryRun;
        String stateFile;
        double rate = DEFAULT_RATE;
        String queue;
        String report;
        String secrets;
        String config;
        boolean help;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--help":
                    case "-h":
                        o.help = true;
                        break;
                    case "--since":
                        o.since = since(value(args, ++i, a));
                        break;
                    case "--limit":
                        try {
                            o.limit = Long.parseLong(value(args, ++i, a));
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("--limit takes a number of customers");
                        }
                        if (o.limit < 1) {
                            throw new IllegalArgumentException("--limit takes a number above 0");
                        }
                        break;
                    case "--dry-run":
                        o.dryRun = true;
                        break;
                    case "--state-file":
                        o.stateFile = value(args, ++i, a);
                        break;
                    case "--rate":
                        try {
                            o.rate = Double.parseDouble(value(args, ++i, a));
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("--rate takes ChartMogul requests a second");
                        }
                        if (!(o.rate > 0 && o.rate <= 40)) {
                            throw new IllegalArgumentException("--rate must be above 0 and at most ChartMogul's 40");
                        }
                        break;
                    case "--queue":
                        o.queue = value(args, ++i, a);
                        break;
                    case "--report":
                        o.report = value(args, ++i, a);
                        break;
                    case "--secrets":
                        o.secrets = value(args, ++i, a);
                        break;
                    case "--config":
                        o.config = value(args, ++i, a);
                        break;
                    default:
                        if (a.startsWith("-")) {
                            throw new IllegalArgumentException("unknown option " + a);
                        }
                        if (o.integration != null) {
                            throw new IllegalArgumentException("backfill takes one integration");
                        }
                        o.integration = a;
                }
            }
            if (o.integration == null && !o.help) {
                throw new IllegalArgumentException("backfill takes the integration to fill, as named in relay.yaml");
            }
            return o;
        }

        /** An ISO 8601 date (midnight UTC) or date-time with an offset. */
        static Instant since(String v) {
            try {
                return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e) {
                try {
                    return OffsetDateTime.parse(v).toInstant();
                } catch (DateTimeParseException e2) {
                    throw new IllegalArgumentException("--since takes an ISO 8601 date (2024-01-31) or date-time"
                            + " (2024-01-31T12:00:00Z)");
                }
            }
        }

        private static String value(String[] args, int i, String flag) {
            if (i >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            return args[i];
        }
    }
}
