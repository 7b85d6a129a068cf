package dev.attributerelay;

import dev.attributerelay.chartmogul.ChartMogulClient;
import dev.attributerelay.chartmogul.Deadline;
import dev.attributerelay.inbound.Failure;
import dev.attributerelay.inbound.Headers;
import dev.attributerelay.inbound.Inbound;
import dev.attributerelay.inbound.Outcome;
import dev.attributerelay.inbound.Payloads;
import dev.attributerelay.mapping.AttributeUpdate;
import dev.attributerelay.mapping.Hold;
import dev.attributerelay.mapping.HoldReason;
import dev.attributerelay.mapping.Integration;
import dev.attributerelay.mapping.Mapper;
import dev.attributerelay.mapping.MappingResult;
import dev.attributerelay.mapping.RelayConfig;
import dev.attributerelay.queue.HeldQueue;
import dev.attributerelay.queue.UpdateQueue;
import dev.attributerelay.secrets.CachedSecrets;
import dev.attributerelay.secrets.SecretsUnavailableException;
import dev.attributerelay.verify.Verdict;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The pipeline: integration → method → size → signature → body → mapping → delivery, the first check that
 * fails answering. Entry points adapt their AWS event to an {@link Inbound} (or a payload, for EventBridge)
 * and call this; it logs one line per event.
 */
public final class Relay {
    private final RelayConfig config;
    private final CachedSecrets secrets;
    private final Delivery delivery;
    private final ChartMogulClient client;
    /** Kept back from the response budget to write the answer and for the network back to the sender. */
    static final Duration ANSWER_RESERVE = Duration.ofMillis(500);
    /**
     * API Gateway holds a request at most 30 s; a receive time older than that (or in the future) is a stored
     * event replayed by hand (sam local invoke), whose sender is not waiting: its budget runs from now.
     */
    static final Duration LONGEST_WAIT = Duration.ofSeconds(30);

    private final UpdateQueue queue;
    private final HeldQueue held;
    private final Clock clock;
    private final EventLog log;

    /**
     * @param queue null for direct mode; in queued mode updates go there and the answer is 202
     * @param held  where held updates go (an SQS queue, or the log alone)
     */
    public Relay(RelayConfig config, CachedSecrets secrets, Delivery delivery, ChartMogulClient client, UpdateQueue queue,
                 HeldQueue held, Clock clock, EventLog log) {
        this.config = config;
        this.secrets = secrets;
        this.delivery = delivery;
        this.client = client;
        this.queue = queue;
        this.held = held;
        this.clock = clock;
        this.log = log;
    }

    public HeldQueue held() {
        return held;
    }

    public CachedSecrets secrets() {
        return secrets;
    }

    public Delivery delivery() {
        return delivery;
    }

    public ChartMogulClient client() {
        return client;
    }

    public EventLog log() {
        return log;
    }

    public RelayConfig config() {
        return config;
    }

    /**
     * A webhook from API Gateway or a Function URL.
     *
     * @param lambdaRequestId the Lambda invocation's request id, for the log line; null outside Lambda
     */
    public Outcome handle(Inbound in, Deadline deadline, String lambdaRequestId) {
        Meter meter = new Meter();
        Integration integration = config.integration(in.integration());
        Handled h = handleWebhook(integration, in, integration == null ? deadline : budgeted(integration, in, deadline));
        log.outcome(meter.entry(integration == null ? null : integration.name(), h, in.requestId(), lambdaRequestId,
                "webhook"));
        return h.outcome;
    }

    /** An EventBridge event: no signature check (it comes from inside the account). */
    public Outcome handleEvent(Integration integration, Object detail, Headers headers, String eventId,
                               Instant eventTime, Deadline deadline, String lambdaRequestId) {
        Meter meter = new Meter();
        Handled h = mapAndDeliver(integration, detail, headers, eventId, eventTime, deadline);
        log.outcome(meter.entry(integration.name(), h, null, lambdaRequestId, "eventbridge"));
        return h.outcome;
    }

    /** Logs an event that no integration owns (EventBridge), so it is seen, not retried forever. */
    public void logUnowned(String source, String eventId, String lambdaRequestId) {
        Handled h = Handled.of(new Outcome.Ignored("no integration's eventbridge_source matches source '"
                + printable(source) + "'; dropped"));
        log.outcome(new Meter().entry(null, new Handled(eventId, null, h.outcome), null, lambdaRequestId, "eventbridge"));
    }

    /** Logs a webhook event too malformed to reach the pipeline. */
    public void logUnreadable(Outcome outcome, String lambdaRequestId) {
        log.outcome(new Meter().entry(null, Handled.of(outcome), null, lambdaRequestId, "webhook"));
    }

    /**
     * The sooner of the Lambda's deadline and the sender's patience: the integration's response budget from when
     * API Gateway received the request (a cold start's init counts), less the time to answer.
     */
    Deadline budgeted(Integration integration, Inbound in, Deadline lambda) {
        Instant now = clock.instant();
        Instant received = in.receivedAt();
        if (received == null || received.isAfter(now) || received.isBefore(now.minus(LONGEST_WAIT))) {
            received = now;
        }
        return lambda.atMost(received.plus(integration.respondWithin()).minus(ANSWER_RESERVE));
    }

    private Handled handleWebhook(Integration integration, Inbound in, Deadline deadline) {
        if (integration == null) {
            return Handled.of(new Outcome.Rejected(Failure.UNKNOWN_INTEGRATION,
                    "no integration named '" + printable(in.integration()) + "' is configured in relay.yaml"));
        }
        if (integration.verifier() == null) {
            return Handled.of(new Outcome.Rejected(Failure.UNKNOWN_INTEGRATION, "integration '" + integration.name()
                    + "' receives EventBridge events only (it has no verify: block for webhooks)"));
        }
        boolean handshake = "GET".equals(in.method()) && integration.verifier().isHandshake(in);
        if (!"POST".equals(in.method()) && !handshake) {
            return Handled.of(new Outcome.Rejected(Failure.METHOD_NOT_ALLOWED,
                    "webhooks must be POSTed; " + printable(in.method()) + " is not allowed here"));
        }
        if (in.body().length > integration.maxBodyBytes()) {
            return Handled.of(new Outcome.Rejected(Failure.PAYLOAD_TOO_LARGE, "the body is " + in.body().length
                    + " bytes; the limit for this integration is " + integration.maxBodyBytes() + " bytes"));
        }
        Outcome refused = verify(integration, in, deadline);
        if (refused != null) {
            return Handled.of(refused);
        }
        if (handshake) {
            return Handled.of(new Outcome.Ignored("verification handshake answered"));
        }
        Object payload;
        try {
            payload = Payloads.parse(in.body(), in.headers().first("Content-Type"));
        } catch (Payloads.BadPayload e) {
            return Handled.of(new Outcome.Rejected(Failure.BAD_REQUEST, e.getMessage()));
        }
        return mapAndDeliver(integration, payload, in.headers(), in.requestId(), in.receivedAt(), deadline);
    }

    /** Null when verified; otherwise the 401 or 503 to answer. */
    private Outcome verify(Integration integration, Inbound in, Deadline deadline) {
        // no credential at all: refused before any secret is read, so a stranger learns nothing about them
        Verdict.Refused missing = integration.verifier().missingCredential(in);
        if (missing != null) {
            return new Outcome.Rejected(Failure.UNAUTHORIZED, missing.reason());
        }
        List<String> keys = List.of();
        if (integration.verifier().needsSecret()) {
            String name = integration.verify().secretName();
            try {
                keys = secrets.get(deadline).all(name);
            } catch (SecretsUnavailableException e) {
                return secretsUnavailable(e);
            }
            if (keys.isEmpty()) {
                // the answer names nothing of the secret (no ARN, account, region or key); the log line does
                return new Outcome.Unavailable("the signing secret of this integration is not configured yet; "
                        + "the relay's log says what is missing", 60, "the secret " + secrets.describe()
                        + " has no key '" + name + "' that relay.yaml names for integration '" + integration.name() + "'");
            }
        }
        Verdict v = integration.verifier().verify(in, keys, clock.instant());
        if (v instanceof Verdict.Refused r) {
            return new Outcome.Rejected(Failure.UNAUTHORIZED, r.reason());
        }
        return null;
    }

    private Handled mapAndDeliver(Integration integration, Object payload, Headers headers,
                                  String fallbackEventId, Instant receivedAt, Deadline deadline) {
        MappingResult mapped = Mapper.map(integration, payload, headers, fallbackEventId, receivedAt);
        Handled h = new Handled(mapped.eventId(), mapped.eventType());
        for (AttributeUpdate u : mapped.updates()) {
            h.customers.add(u.customer().key());
            h.keySet.addAll(u.attributes().keySet());
        }
        for (Hold hold : mapped.holds()) {
            h.keySet.addAll(hold.keys());
            if (hold.customer() != null && !h.customers.contains(hold.customer().key())) {
                h.customers.add(hold.customer().key());
            }
        }
        h.keys = List.copyOf(h.keySet);
        if (!mapped.matched()) {
            h.outcome = new Outcome.Ignored("the event matched no rule of integration '" + integration.name() + "'");
            if (!mapped.holds().isEmpty()) {
                h.outcome = keep(mapped.holds(), Outcome.worst(heldOutcomes(mapped.holds())), deadline);
            }
            return h;
        }
        List<Outcome> items = new ArrayList<>(heldOutcomes(mapped.holds()));
        List<Hold> holds = new ArrayList<>(mapped.holds());
        if (queue != null && !mapped.updates().isEmpty()) {
            try {
                queue.send(mapped.updates(), deadline);
                items.add(new Outcome.Queued(mapped.updates().size()));
            } catch (UpdateQueue.QueueUnavailableException e) {
                items.add(new Outcome.Unavailable(e.getMessage(), 5));
            } catch (UpdateQueue.Refused e) {
                // SQS refuses these contents whenever they are sent: hold them rather than answer 503 forever
                for (AttributeUpdate u : e.updates()) {
                    Hold hold = Hold.of(u, HoldReason.INVALID_MESSAGE, e.getMessage());
                    holds.add(hold);
                    items.add(Outcome.held(hold.message()));
                }
                if (e.updates().size() < mapped.updates().size()) {
                    items.add(new Outcome.Queued(mapped.updates().size() - e.updates().size()));
                }
            }
        } else {
            for (AttributeUpdate u : mapped.updates()) {
                DeliveryResult r = delivery.deliver(integration, u, deadline);
                if (r instanceof DeliveryResult.Held held) {
                    holds.add(held.hold());
                }
                items.add(Outcome.of(r));
            }
        }
        h.outcome = items.isEmpty()
                ? new Outcome.Ignored("the matching rules found no attribute values in the event")
                : keep(holds, Outcome.worst(items), deadline);
        return h;
    }

    /** Secrets Manager failed: the answer says so in general, the log line says which secret and how. */
    static Outcome.Unavailable secretsUnavailable(SecretsUnavailableException e) {
        return new Outcome.Unavailable(Delivery.SECRETS_UNREADABLE, 30, e.getMessage());
    }

    private static List<Outcome> heldOutcomes(List<Hold> holds) {
        List<Outcome> out = new ArrayList<>();
        holds.forEach(hold -> out.add(Outcome.held(hold.message())));
        return out;
    }

    /** Writes the holds before answering: a 200 for a held update promises it is kept; if not, 503, nothing lost. */
    private Outcome keep(List<Hold> holds, Outcome answer, Deadline deadline) {
        if (holds.isEmpty() || answer instanceof Outcome.Unavailable) {
            return answer; // a 503 makes the sender redeliver the whole event: it will be held then, once
        }
        try {
            held.hold(holds, deadline);
            return answer;
        } catch (HeldQueue.Unavailable e) {
            return new Outcome.Unavailable("some updates cannot be applied and cannot be kept on the held queue now ("
                    + e.getMessage() + "); redeliver later", 5);
        }
    }

    /** Caller-supplied names are echoed only in a safe, bounded form. */
    static String printable(String s) {
        if (s == null) {
            return "";
        }
        String clean = s.replaceAll("[^A-Za-z0-9_./:-]", "?");
        return clean.length() <= 64 ? clean : clean.substring(0, 64) + "…";
    }

    /** Measures one event: the client's and the delivery's counters before and after, and the time taken. */
    private final class Meter {
        private final long started = System.nanoTime();
        private final ChartMogulClient.Usage before = client.usage();
        private final int staleBefore = delivery.staleDrops();

        EventLog.Entry entry(String integration, Handled h, String requestId, String lambdaRequestId, String via) {
            return new EventLog.Entry(integration, h.eventId, h.eventType, h.customers, h.keys, h.outcome,
                    client.usage().minus(before), delivery.staleDrops() - staleBefore,
                    (System.nanoTime() - started) / 1_000_000, null, requestId, lambdaRequestId, via);
        }
    }

    /** The outcome and what the log line needs about it. */
    private static final class Handled {
        final String eventId;
        final String eventType;
        final List<String> customers = new ArrayList<>();
        final Set<String> keySet = new LinkedHashSet<>();
        List<String> keys = List.of();
        Outcome outcome;

        Handled(String eventId, String eventType) {
            this.eventId = eventId;
            this.eventType = eventType;
        }

        Handled(String eventId, String eventType, Outcome outcome) {
            this(eventId, eventType);
            this.outcome = outcome;
        }

        static Handled of(Outcome outcome) {
            Handled h = new Handled(null, null);
            h.outcome = outcome;
            return h;
        }
    }
}
