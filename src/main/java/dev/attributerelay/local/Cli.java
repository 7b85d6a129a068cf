package dev.attributerelay.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attributerelay.EventLog;
import dev.attributerelay.Json;
import dev.attributerelay.Relay;
import dev.attributerelay.Wiring;
import dev.attributerelay.aws.AwsCallException;
import dev.attributerelay.chartmogul.RetryPolicy;
import dev.attributerelay.chartmogul.Transport;
import dev.attributerelay.lambda.ApiEvents;
import dev.attributerelay.lambda.ApiGatewayHandler;
import dev.attributerelay.lambda.EventBridgeHandler;
import dev.attributerelay.inbound.Inbound;
import dev.attributerelay.inbound.Outcome;
import dev.attributerelay.inbound.Payloads;
import dev.attributerelay.mapping.ConfigException;
import dev.attributerelay.mapping.ConfigLoader;
import dev.attributerelay.mapping.Explanation;
import dev.attributerelay.mapping.Integration;
import dev.attributerelay.verify.SignRequest;
import dev.attributerelay.verify.Signed;
import dev.attributerelay.mapping.RelayConfig;
import dev.attributerelay.queue.DeadLetterReplay;
import dev.attributerelay.secrets.LocalSecretSource;
import dev.attributerelay.secrets.RelaySecrets;
import dev.attributerelay.secrets.SecretSource;
import dev.attributerelay.secrets.SecretsUnavailableException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The command-line tool for local runs. {@code invoke} runs the same handlers a deployed function runs on a
 * Lambda event file; without a ChartMogul API key, or with {@code --dry-run}, it prints the requests it
 * would send instead of sending them.
 */
public final class Cli {
    private static final String USAGE = String.join("\n",
            "usage: java -jar attribute-relay.jar <command> [options]",
            "",
            "  invoke <event.json> [--dry-run] [--explain] [--secrets <file>] [--config <relay.yaml>] [--clock event|now]",
            "      run the handler on an API Gateway, Function URL or EventBridge event file and print the answer;",
            "      with --dry-run, or when the secrets hold no chartmogul_api_key, print the ChartMogul requests",
            "      instead of sending them. --clock event (the default) verifies signatures as of the moment the",
            "      event says API Gateway received it, so a recorded sample keeps verifying; --clock now uses the",
            "      real time, as a deployed function does. --explain first shows, per rule, whether `when` matched,",
            "      each attribute's value or why it is null, and the customer reference.",
            "  serve [--port 3000] [--host-any] [--dry-run] [--explain] [--secrets <file>] [--config <relay.yaml>]",
            "      a local HTTP server feeding the same handler: POST http://localhost:3000/webhooks/<integration>",
            "      (for example: stripe listen --forward-to localhost:3000/webhooks/stripe); loopback only unless",
            "      --host-any",
            "  sign <integration> <body-file> [--secrets <file>] [--config <relay.yaml>] [--url <url>] [--header 'N: v'] [--event | --curl]",
            "      print the headers the integration's provider would send with this body, signed with the secret",
            "      relay.yaml names; --curl prints a ready curl command line (against serve by default, --url",
            "      elsewhere); --event prints a whole HTTP API event instead, for invoke and sam local invoke -e",
            "  check-config [relay.yaml] [--secrets <file>]",
            "      validate a configuration (RELAY_CONFIG's, else the bundled one) and list every problem; with",
            "      --secrets, RELAY_SECRETS or CHARTMOGUL_SECRET_ID, also check that every secret key it names exists",
            "      (values are never printed). Exit 0 when it loads (warnings about placeholders left in place",
            "      included), 78 when it does not",
            "  replay --from <held-queue-url> [--to <queue-url>] [--max N] [--dry-run] [--secrets <file>]",
            "      send held updates again once their cause is fixed: through ChartMogul with the API key",
            "      from --secrets, RELAY_SECRETS or CHARTMOGUL_SECRET_ID, or with --to onto the update queue; what is",
            "      still held goes back with its new reason. --dry-run lists them with their reasons. Exit 1 when",
            "      some went back held or failed.",
            "  backfill <integration> [--since DATE] [--limit N] [--dry-run] [--state-file FILE] [--rate R] [--queue URL]",
            "      set the attributes of the customers that existed before the first webhook (backfill --help)",
            "  replay --from <dead-letter-queue-url> --to <queue-url> [--max N] [--dry-run]",
            "      queued mode: move dead-letter messages back to the update queue once the cause is fixed (same",
            "      body and message group, a fresh deduplication id; deleted from the dead-letter queue only after",
            "      the send succeeded). --dry-run lists them and moves nothing. AWS credentials, region and endpoint",
            "      (AWS_ENDPOINT_URL_SQS) come from the SDK's usual environment.",
            HistoryCommand.USAGE,
            HashCommand.USAGE,
            "",
            "environment: RELAY_CONFIG, RELAY_SECRETS, CHARTMOGUL_SECRET_ID, CHARTMOGUL_API_URL (see README)");

    private Cli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            out.println(USAGE);
            return args.length == 0 ? 64 : 0;
        }
        try {
            switch (args[0]) {
                case "invoke":
                    return invoke(Options.parse(args, 1), env, out, err);
                case "serve":
                    return serve(Options.parse(args, 1), env, out, err);
                case "sign":
                    return sign(Options.parse(args, 1), env, out, err);
                case "check-config":
                    return checkConfig(Options.parse(args, 1), env, out, err);
                case "replay":
                    return replay(Options.parse(args, 1), env, out, err);
                case "history":
                    return HistoryCommand.run(args, env, out, err);
                case "backfill":
                    return BackfillCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), env, out, err);
                case "hash":
                    return HashCommand.run(args, env, out, err);
                default:
                    err.println("unknown command '" + args[0] + "'\n\n" + USAGE);
                    return 64;
            }
        } catch (UsageException e) {
            err.println(e.getMessage() + "\n\n" + USAGE);
            return 64;
        } catch (ConfigException e) {
            err.println("configuration error: " + e.getMessage());
            return 78;
        } catch (IOException e) {
            err.println("cannot read: " + e.getMessage());
            return 66;
        }
    }

    static int invoke(Options o, Map<String, String> env, PrintStream out, PrintStream err) throws IOException {
        if (o.positional.size() != 1) {
            throw new UsageException("invoke takes one event file");
        }
        byte[] event = Files.readAllBytes(Path.of(o.positional.get(0)));
        JsonNode root = Json.readEvent(event);
        boolean api = ApiEvents.isApiEvent(root);
        if (!api && !root.has("detail-type")) {
            throw new UsageException(o.positional.get(0) + " is neither an API Gateway / Function URL event nor an EventBridge event");
        }
        RelayConfig config = o.config != null ? ConfigLoader.load(Path.of(o.config)) : ConfigLoader.fromEnvironment(env);
        SecretSource secrets = secrets(o, env);
        boolean dryRun = o.dryRun || !hasApiKey(secrets);
        if (dryRun) {
            secrets = withPlaceholderKey(secrets);
        }
        Clock clock = clock(o, root, api, err);
        Transport transport = dryRun ? new DryRunTransport(out) : Wiring.transportFor(Wiring.apiUrl(env));
        if (dryRun) {
            out.println("# dry run: the requests below are printed, not sent"
                    + (o.dryRun ? "" : " (no chartmogul_api_key in the secrets)"));
            out.println();
        }
        if (o.explain) {
            if (api) {
                explain(config, root, out);
            } else {
                explainEventBridge(config, root, out);
            }
        }
        URI apiUrl = Wiring.apiUrl(env);
        Relay relay = Wiring.relay(config, secrets, transport, apiUrl, clock, new EventLog(err), RetryPolicy.standard());
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        LocalContext context = new LocalContext(30_000);
        int status;
        if (api) {
            new ApiGatewayHandler(relay, clock).handleRequest(new ByteArrayInputStream(event), response, context);
            JsonNode reply = Json.readEvent(response.toByteArray());
            status = reply.path("statusCode").asInt();
            out.println("# response: HTTP " + status);
            reply.path("headers").fields().forEachRemaining(h -> out.println(h.getKey() + ": " + h.getValue().asText()));
            out.println(Json.mapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(Json.readTree(reply.path("body").asText())));
        } else {
            Outcome outcome = new EventBridgeHandler(relay, clock).handle(event, context);
            status = outcome.status();
            out.println("# outcome: " + outcome.label() + " (" + status + ")"
                    + (status == 503 ? ": the deployed function fails the invocation so Lambda retries it" : ""));
        }
        return status >= 200 && status < 300 ? 0 : 1;
    }

    static int serve(Options o, Map<String, String> env, PrintStream out, PrintStream err) throws IOException {
        if (!o.positional.isEmpty()) {
            throw new UsageException("serve takes no file; use --config <relay.yaml>");
        }
        LocalServer server = startServer(o, env, out, err);
        out.println("listening on http://" + (o.hostAny ? "0.0.0.0" : "127.0.0.1") + ":" + server.port()
                + "/webhooks/<integration>  (Ctrl-C stops)");
        out.flush();
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** Starts {@code serve}'s server and returns it (tests stop it). */
    static LocalServer startServer(Options o, Map<String, String> env, PrintStream out, PrintStream err) throws IOException {
        RelayConfig config = o.config != null ? ConfigLoader.load(Path.of(o.config)) : ConfigLoader.fromEnvironment(env);
        SecretSource secrets = secrets(o, env);
        boolean dryRun = o.dryRun || !hasApiKey(secrets);
        if (dryRun) {
            secrets = withPlaceholderKey(secrets);
            out.println("# dry run: ChartMogul requests are printed, not sent");
        }
        Clock clock = Clock.systemUTC();
        Transport transport = dryRun ? new DryRunTransport(out) : Wiring.transportFor(Wiring.apiUrl(env));
        Relay relay = Wiring.relay(config, secrets, transport, Wiring.apiUrl(env), clock, new EventLog(err),
                RetryPolicy.standard());
        LocalServer server = new LocalServer(o.port, o.hostAny, new ApiGatewayHandler(relay, clock), clock,
                o.explain ? event -> explain(config, event, out) : null);
        server.start();
        return server;
    }

    static int sign(Options o, Map<String, String> env, PrintStream out, PrintStream err) throws IOException {
        if (o.positional.size() != 2) {
            throw new UsageException("sign takes an integration and a body file");
        }
        RelayConfig config = o.config != null ? ConfigLoader.load(Path.of(o.config)) : ConfigLoader.fromEnvironment(env);
        Integration integration = config.integration(o.positional.get(0));
        if (integration == null || integration.verify() == null) {
            err.println("no integration '" + o.positional.get(0) + "' with a verify: block in " + config.file());
            return 65;
        }
        byte[] body = Files.readAllBytes(Path.of(o.positional.get(1)));
        String secretName = integration.verify().secretName();
        String secret = "";
        if (secretName != null) {
            List<String> values = RelaySecrets.parse(secrets(o, env).read(), "the secrets").all(secretName);
            if (values.isEmpty()) {
                err.println("the secrets have no '" + secretName + "' for integration '" + integration.name()
                        + "' (give them with --secrets <file> or RELAY_SECRETS)");
                return 66;
            }
            secret = values.get(0);
        }
        String url = o.url != null ? o.url : integration.verify().publicUrl() != null
                ? integration.verify().publicUrl() : "http://localhost:3000/webhooks/" + integration.name();
        Instant at = Instant.now();
        Signed signed = integration.verifier().sign(new SignRequest("POST", url, body, secret, at, null));
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put("Content-Type", looksLikeJson(body) ? "application/json" : "application/x-www-form-urlencoded");
        headers.putAll(o.headers);
        headers.putAll(signed.headers());
        if (o.event && o.curl) {
            throw new UsageException("sign takes --event or --curl, not both");
        }
        if (o.curl) {
            out.println(Curl.command(signed.url(), headers, o.positional.get(1)));
        } else if (o.event) {
            URI u = URI.create(signed.url());
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(Json.readTree(
                    HttpApiEvent.of("POST", u.getRawPath(), u.getRawQuery(), headers, body,
                            java.util.UUID.randomUUID().toString(), at))));
        } else {
            out.println("POST " + signed.url());
            headers.forEach((k, v) -> out.println(k + ": " + v));
        }
        return 0;
    }

    /** Prints why an API event maps as it does; a request it cannot read is said so, never thrown. */
    static void explain(RelayConfig config, JsonNode apiEvent, PrintStream out) {
        try {
            Inbound in = ApiEvents.toInbound(apiEvent, Instant.now());
            Integration integration = in.integration() == null ? null : config.integration(in.integration());
            if (integration == null) {
                out.println("# explain: no integration '" + in.integration() + "' in " + config.file());
                return;
            }
            Object payload = Payloads.parse(in.body(), in.headers().first("Content-Type"));
            Explanation.of(integration, payload, in.headers()).forEach(out::println);
        } catch (ApiEvents.BadEvent | Payloads.BadPayload e) {
            out.println("# explain: the request cannot be read: " + e.getMessage());
        }
        out.println();
    }

    @SuppressWarnings("unchecked")
    private static void explainEventBridge(RelayConfig config, JsonNode event, PrintStream out) {
        String source = event.path("source").asText(null);
        Integration integration = config.forEventBridgeSource(source);
        if (integration == null || !event.path("detail").isObject()) {
            out.println("# explain: no integration's eventbridge_source matches source " + source);
        } else {
            EventBridgeHandler.Delivered d = EventBridgeHandler.delivered(
                    Json.mapper().convertValue(event.get("detail"), Map.class));
            Explanation.of(integration, d.payload(), d.headers()).forEach(out::println);
        }
        out.println();
    }

    private static boolean looksLikeJson(byte[] body) {
        for (byte b : body) {
            if (b == '{' || b == '[') {
                return true;
            }
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return false;
    }

    static int replay(Options o, Map<String, String> env, PrintStream out, PrintStream err) throws IOException {
        if (o.from != null && o.positional.isEmpty() && HeldReplayCommand.isHeldQueue(o.from)) {
            return HeldReplayCommand.run(o, secrets(o, env), env, out, err);
        }
        if (o.from == null || o.to == null || !o.positional.isEmpty()) {
            throw new UsageException("replay takes --from <dead-letter-queue-url> and --to <queue-url>");
        }
        if (o.from.equals(o.to)) {
            throw new UsageException("--from and --to name the same queue");
        }
        try {
            DeadLetterReplay.Result r = new DeadLetterReplay(Wiring.sqs(env)).replay(o.from, o.to, o.max, o.dryRun, out);
            return r.failed() == 0 ? 0 : 1;
        } catch (AwsCallException e) {
            err.println("cannot reach SQS: " + e.getMessage());
            return 69;
        }
    }

    static int checkConfig(Options o, Map<String, String> env, PrintStream out, PrintStream err) throws IOException {
        if (o.positional.size() > 1 || o.dryRun || o.url != null || o.event || o.curl || o.explain || !o.headers.isEmpty()
                || o.from != null || o.to != null) {
            throw new UsageException("check-config takes one relay.yaml and --secrets <file> (or --config <relay.yaml>)");
        }
        String file = !o.positional.isEmpty() ? o.positional.get(0) : o.config;
        RelayConfig config;
        try {
            config = file != null ? ConfigLoader.load(Path.of(file)) : ConfigLoader.fromEnvironment(env);
        } catch (ConfigException e) {
            List<String> problems = e.problems();
            problems.forEach(err::println);
            err.println(problems.size() == 1 ? "1 problem" : problems.size() + " problems");
            return 78;
        }
        config.integrations().values().forEach(i -> out.println(config.file() + ": integration '" + i.name() + "': "
                + (i.verify() == null ? "EventBridge only" : "scheme " + i.verify().scheme()
                + (i.verify().secretName() == null ? "" : ", secret key '" + i.verify().secretName() + "'"))
                + ", " + i.rules().size() + (i.rules().size() == 1 ? " rule" : " rules")));
        for (String warning : ConfigCheck.placeholders(config)) {
            err.println("warning: " + warning);
        }
        boolean haveSecrets = o.secrets != null || env.get("CHARTMOGUL_SECRET_ID") != null || env.get("RELAY_SECRETS") != null;
        if (haveSecrets) {
            SecretSource source = secrets(o, env);
            List<String> missing;
            try {
                missing = ConfigCheck.missingSecrets(config, RelaySecrets.parse(source.read(), source.describe()));
            } catch (SecretsUnavailableException e) {
                err.println("cannot read the secrets " + source.describe() + ": " + e.getMessage());
                return 69;
            }
            if (!missing.isEmpty()) {
                missing.forEach(m -> err.println(config.file() + ": " + m));
                err.println(missing.size() == 1 ? "1 problem" : missing.size() + " problems");
                return 78;
            }
            out.println("secrets " + source.describe() + ": every key relay.yaml names is there");
        }
        out.println("ok");
        return 0;
    }

    private static SecretSource secrets(Options o, Map<String, String> env) throws IOException {
        if (o.secrets != null) {
            return new LocalSecretSource(Files.readString(Path.of(o.secrets), StandardCharsets.UTF_8), "'" + o.secrets + "'");
        }
        if (env.get("CHARTMOGUL_SECRET_ID") != null || env.get("RELAY_SECRETS") != null) {
            return Wiring.secretSource(env);
        }
        return new LocalSecretSource("{}", "(no secrets)");
    }

    /** The caller's secrets plus a stand-in API key, so a dry run needs no credentials. */
    private static SecretSource withPlaceholderKey(SecretSource real) {
        String json;
        try {
            JsonNode n = Json.readTree(real.read());
            com.fasterxml.jackson.databind.node.ObjectNode o = n != null && n.isObject()
                    ? (com.fasterxml.jackson.databind.node.ObjectNode) n : Json.object();
            o.put(RelaySecrets.API_KEY, "dry-run");
            json = o.toString();
        } catch (IOException | SecretsUnavailableException e) {
            json = "{\"" + RelaySecrets.API_KEY + "\":\"dry-run\"}";
        }
        return new LocalSecretSource(json, real.describe());
    }

    private static boolean hasApiKey(SecretSource source) {
        try {
            return RelaySecrets.parse(source.read(), source.describe()).apiKey() != null;
        } catch (SecretsUnavailableException e) {
            return false;
        }
    }

    /** The event's own receipt time, so a recorded, signed sample verifies on any day. Local runs only. */
    private static Clock clock(Options o, JsonNode root, boolean api, PrintStream err) {
        if ("now".equals(o.clock)) {
            return Clock.systemUTC();
        }
        Instant at = null;
        if (api) {
            long ms = root.path("requestContext").path("timeEpoch").asLong(
                    root.path("requestContext").path("requestTimeEpoch").asLong(0));
            at = ms > 0 ? Instant.ofEpochMilli(ms) : null;
        } else if (root.path("time").isTextual()) {
            at = Instant.parse(root.path("time").asText());
        }
        if (at == null) {
            return Clock.systemUTC();
        }
        err.println("clock: as of " + at + ", when the event was received (--clock now for the real time)");
        return Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), at));
    }

    /** Parsed flags and positional arguments. */
    static final class Options {
        final List<String> positional = new ArrayList<>();
        boolean dryRun;
        String secrets;
        String config;
        String clock = "event";
        String url;
        boolean event;
        boolean curl;
        boolean explain;
        final Map<String, String> headers = new java.util.LinkedHashMap<>();
        int port = 3000;
        boolean hostAny;
        String from;
        String to;
        int max = Integer.MAX_VALUE;

        static Options parse(String[] args, int from) {
            Options o = new Options();
            for (int i = from; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--dry-run":
                        o.dryRun = true;
                        break;
                    case "--secrets":
                        o.secrets = value(args, ++i, a);
                        break;
                    case "--config":
                        o.config = value(args, ++i, a);
                        break;
                    case "--port":
                        try {
                            o.port = Integer.parseInt(value(args, ++i, a));
                        } catch (NumberFormatException e) {
                            throw new UsageException("--port takes a number");
                        }
                        break;
                    case "--url":
                        o.url = value(args, ++i, a);
                        break;
                    case "--header":
                        String h = value(args, ++i, a);
                        int colon = h.indexOf(':');
                        if (colon < 1) {
                            throw new UsageException("--header takes 'Name: value'");
                        }
                        o.headers.put(h.substring(0, colon).trim(), h.substring(colon + 1).trim());
                        break;
                    case "--event":
                        o.event = true;
                        break;
                    case "--explain":
                        o.explain = true;
                        break;
                    case "--curl":
                        o.curl = true;
                        break;
                    case "--host-any":
                        o.hostAny = true;
                        break;
                    case "--from":
                        o.from = value(args, ++i, a);
                        break;
                    case "--to":
                        o.to = value(args, ++i, a);
                        break;
                    case "--max":
                        try {
                            o.max = Integer.parseInt(value(args, ++i, a));
                        } catch (NumberFormatException e) {
                            throw new UsageException("--max takes a number");
                        }
                        if (o.max < 1) {
                            throw new UsageException("--max takes a number above 0");
                        }
                        break;
                    case "--clock":
                        o.clock = value(args, ++i, a);
                        if (!o.clock.equals("event") && !o.clock.equals("now")) {
                            throw new UsageException("--clock is 'event' or 'now'");
                        }
                        break;
                    default:
                        if (a.startsWith("--")) {
                            throw new UsageException("unknown option " + a);
                        }
                        o.positional.add(a);
                }
            }
            return o;
        }

        private static String value(String[] args, int i, String flag) {
            if (i >= args.length) {
                throw new UsageException(flag + " needs a value");
            }
            return args[i];
        }
    }

    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
