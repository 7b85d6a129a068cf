package dev.attributerelay.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.attributerelay.Json;
import dev.attributerelay.Relay;
import dev.attributerelay.Wiring;
import dev.attributerelay.inbound.Headers;
import dev.attributerelay.inbound.Outcome;
import dev.attributerelay.mapping.Integration;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * EventBridge events (a SaaS partner bus such as Stripe's, or the account's own services). The integration
 * whose {@code eventbridge_source} prefixes the event's source maps its {@code detail}. An event nobody owns,
 * or one that cannot be applied, is logged and dropped; one that may pass (503) fails the invocation so
 * Lambda's asynchronous retries and the rule's dead-letter queue keep it.
 */
public final class EventBridgeHandler implements RequestStreamHandler {
    private final Relay relay;
    private final Clock clock;
    /** The SnapStart priming hook while a snapshot is being prepared (the runtime holds hooks weakly); else null. */
    @SuppressWarnings({"unused", "FieldCanBeLocal"})
    private final Object priming;

    public EventBridgeHandler() {
        // once per container, at init; no static holder, for the reason given in ApiGatewayHandler()
        this(Wiring.forLambda(System.getenv()), Clock.systemUTC(), System.getenv());
    }

    public EventBridgeHandler(Relay relay, Clock clock) {
        this.relay = relay;
        this.clock = clock;
        this.priming = null;
    }

    private EventBridgeHandler(Relay relay, Clock clock, Map<String, String> env) {
        this.relay = relay;
        this.clock = clock;
        this.priming = Priming.registerIfSnapStart(env, relay, primingEntryPoint(clock));
    }

    /** SnapStart priming through this entry point: each integration with an eventbridge_source gets an event. */
    static Priming.EntryPoint primingEntryPoint(Clock clock) {
        return (primingRelay, integration, payload) -> {
            if (integration.eventbridgeSource() != null) {
                new EventBridgeHandler(primingRelay, clock).handle(
                        Priming.eventBridgeEvent(integration.eventbridgeSource(), payload), null);
            }
        };
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Outcome outcome = handle(input.readAllBytes(), context);
        if (outcome instanceof Outcome.Unavailable u) {
            throw new RetryLater(u.message());
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("status", outcome.status());
        result.put("outcome", outcome.label());
        output.write(Json.write(result).getBytes(StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    public Outcome handle(byte[] bytes, Context context) {
        Map<String, Object> event;
        try {
            Object parsed = Json.readValue(bytes);
            if (!(parsed instanceof Map)) {
                relay.logUnowned("(not an EventBridge event)", null, Invocation.requestId(context));
                return new Outcome.Ignored("not an EventBridge event");
            }
            event = (Map<String, Object>) parsed;
        } catch (IOException e) {
            relay.logUnowned("(not JSON)", null, Invocation.requestId(context));
            return new Outcome.Ignored("not JSON");
        }
        String source = event.get("source") instanceof String s ? s : null;
        String id = event.get("id") instanceof String s ? s : null;
        Integration integration = relay.config().forEventBridgeSource(source);
        if (integration == null || !(event.get("detail") instanceof Map)) {
            relay.logUnowned(source, id, Invocation.requestId(context));
            return new Outcome.Ignored("no integration owns source " + source);
        }
        Delivered d = delivered((Map<String, Object>) event.get("detail"));
        return relay.handleEvent(integration, d.payload(), d.headers(), id, time(event.get("time")),
                Invocation.deadline(context, clock), Invocation.requestId(context));
    }

    /** What the rules see of an event's detail: the payload and, for a wrapped webhook, its headers. */
    public record Delivered(Object payload, Headers headers) {
    }

    @SuppressWarnings("unchecked")
    public static Delivered delivered(Map<String, Object> detail) {
        if (detail.get("payload") instanceof Map && detail.get("metadata") instanceof Map) {
            // Shopify's partner events wrap the webhook: the body under payload, its HTTP headers under metadata
            Headers.Builder b = Headers.builder();
            ((Map<String, Object>) detail.get("metadata")).forEach((k, v) -> {
                if (v instanceof String s) {
                    b.add(k, s);
                }
            });
            return new Delivered(detail.get("payload"), b.build());
        }
        return new Delivered(detail, Headers.empty());
    }

    private Instant time(Object t) {
        if (t instanceof String s) {
            try {
                return Instant.parse(s);
            } catch (DateTimeParseException e) {
                return clock.instant();
            }
        }
        return clock.instant();
    }

    /** Fails the invocation so Lambda retries it; carries only the outcome's own message. */
    static final class RetryLater extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RetryLater(String message) {
            super(message, null, false, false);
        }
    }
}
