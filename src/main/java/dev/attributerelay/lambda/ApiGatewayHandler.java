package dev.attributerelay.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.attributerelay.Json;
import dev.attributerelay.Relay;
import dev.attributerelay.Wiring;
import dev.attributerelay.inbound.Failure;
import dev.attributerelay.inbound.HttpReply;
import dev.attributerelay.inbound.Inbound;
import dev.attributerelay.inbound.Outcome;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

/**
 * {@code POST /webhooks/{integration}} from an HTTP API (2.0), a REST API (1.0) or a Function URL. Thin:
 * adapts the event, calls the pipeline, writes the answer. A stream handler, so one class takes all three
 * formats and nothing is deserialized by reflection.
 */
public final class ApiGatewayHandler implements RequestStreamHandler {
    private final Relay relay;
    private final Clock clock;
    /** The SnapStart priming hook while a snapshot is being prepared (the runtime holds hooks weakly); else null. */
    @SuppressWarnings({"unused", "FieldCanBeLocal"})
    private final Object priming;

    /** The runtime's constructor: the relay is built once per container, at init. */
    public ApiGatewayHandler() {
        // the runtime constructs the handler once per container, so this is init; no static holder, because a
        // broken relay.yaml must reach the runtime as the ConfigException itself: the runtime reports a
        // constructor's exception message as the init error, and an ExceptionInInitializerError has none
        this(Wiring.forLambda(System.getenv()), Clock.systemUTC(), System.getenv());
    }

    public ApiGatewayHandler(Relay relay, Clock clock) {
        this.relay = relay;
        this.clock = clock;
        this.priming = null;
    }

    private ApiGatewayHandler(Relay relay, Clock clock, Map<String, String> env) {
        this.relay = relay;
        this.clock = clock;
        this.priming = Priming.registerIfSnapStart(env, relay, primingEntryPoint(clock));
    }

    /** SnapStart priming through this entry point: each webhook integration gets a synthetic POST. */
    static Priming.EntryPoint primingEntryPoint(Clock clock) {
        return (primingRelay, integration, payload) -> {
            if (integration.verifier() != null) {
                new ApiGatewayHandler(primingRelay, clock).reply(Priming.httpApiEvent(integration.name(), payload), null);
            }
        };
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        HttpReply reply = reply(input.readAllBytes(), context);
        output.write(ApiEvents.responseJson(reply).getBytes(StandardCharsets.UTF_8));
    }

    HttpReply reply(byte[] event, Context context) {
        JsonNode root;
        try {
            root = Json.readEvent(event);
        } catch (IOException e) {
            return unusable("the Lambda event is not JSON", context);
        }
        if (!ApiEvents.isApiEvent(root)) {
            return unusable("the Lambda event is not an API Gateway or Function URL request", context);
        }
        Inbound inbound;
        try {
            inbound = ApiEvents.toInbound(root, clock.instant());
        } catch (ApiEvents.BadEvent e) {
            return unusable(e.getMessage(), context);
        }
        try {
            return HttpReply.of(relay.handle(inbound, Invocation.deadline(context, clock),
                    Invocation.requestId(context)));
        } catch (RuntimeException e) {
            // a bug: answer 500 without detail, log the type and where, never the payload
            relay.log().note("ERROR", "unexpected " + e.getClass().getName() + " at "
                    + (e.getStackTrace().length > 0 ? e.getStackTrace()[0] : "?"));
            return new HttpReply(500, Map.of("Content-Type", "application/json"),
                    "{\"error\":\"internal\",\"message\":\"an internal error occurred and was logged\"}");
        }
    }

    /** An event the pipeline cannot even read: 400, and still one log line. */
    private HttpReply unusable(String why, Context context) {
        Outcome outcome = new Outcome.Rejected(Failure.BAD_REQUEST, why);
        relay.logUnreadable(outcome, Invocation.requestId(context));
        return HttpReply.of(outcome);
    }
}
