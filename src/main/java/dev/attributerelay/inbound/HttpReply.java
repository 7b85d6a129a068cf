package dev.attributerelay.inbound;

import dev.attributerelay.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The HTTP answer an outcome earns: status, headers and a JSON body. The body never carries
 * secrets, signatures or the raw payload: only the outcome's own message.
 */
public record HttpReply(int status, Map<String, String> headers, String body) {

    public static HttpReply of(Outcome outcome) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        Map<String, Object> body = new LinkedHashMap<>();
        if (outcome instanceof Outcome.Applied a) {
            body.put("status", "applied");
            body.put("message", a.message());
            body.put("updates", a.updates());
        } else if (outcome instanceof Outcome.Ignored i) {
            body.put("status", "ignored");
            body.put("message", i.message());
        } else if (outcome instanceof Outcome.Held h) {
            body.put("status", "held");
            body.put("message", h.message());
            body.put("held", h.held());
            body.put("updates", h.applied());
        } else if (outcome instanceof Outcome.Queued q) {
            body.put("status", "queued");
            body.put("message", q.updates() == 1 ? "1 update queued" : q.updates() + " updates queued");
            body.put("updates", q.updates());
        } else if (outcome instanceof Outcome.Rejected r) {
            body.put("error", r.failure().code());
            body.put("message", r.message());
        } else if (outcome instanceof Outcome.Unavailable u) {
            body.put("error", Failure.UNAVAILABLE.code());
            body.put("message", u.message());
            headers.put("Retry-After", Integer.toString(u.retryAfterSeconds()));
        }
        return new HttpReply(outcome.status(), Map.copyOf(headers), Json.write(body));
    }
}
