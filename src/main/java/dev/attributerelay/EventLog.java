package dev.attributerelay;

import dev.attributerelay.inbound.Outcome;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One JSON line per event outcome, on standard output (CloudWatch reads it as structured). Only names,
 * ids and counts go here: never secrets, signatures, headers or bodies.
 */
public final class EventLog {
    private final PrintStream out;

    public EventLog(PrintStream out) {
        this.out = out;
    }

    public void outcome(Entry e) {
        Map<String, Object> line = new LinkedHashMap<>();
        Outcome o = e.outcome();
        line.put("level", o.status() >= 500 ? "WARN" : "INFO");
        line.put("message", message(o));
        line.put("integration", e.integration());
        line.put("event_id", e.eventId());
        line.put("event_type", e.eventType());
        line.put("customer", e.customers().size() == 1 ? e.customers().get(0) : e.customers());
        line.put("attributes", e.attributeKeys());
        line.put("outcome", o.label());
        line.put("status", o.status());
        line.put("chartmogul_calls", e.chartmogulCalls());
        line.put("duration_ms", e.durationMs());
        if (e.requestId() != null) {
            line.put("request_id", e.requestId());
        }
        if (e.lambdaRequestId() != null) {
            line.put("lambda_request_id", e.lambdaRequestId());
        }
        if (e.via() != null) {
            line.put("via", e.via());
        }
        write(line);
    }

    /** A line about the process itself (configuration, start-up), not about an event. */
    public void note(String level, String message) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("level", level);
        line.put("message", message);
        write(line);
    }

    private synchronized void write(Map<String, Object> line) {
        out.println(Json.write(line));
        out.flush();
    }

    private static String message(Outcome o) {
        if (o instanceof Outcome.Applied a) {
            return a.message();
        }
        if (o instanceof Outcome.Ignored i) {
            return i.message();
        }
        if (o instanceof Outcome.Queued q) {
            return q.updates() + " updates queued";
        }
        if (o instanceof Outcome.Rejected r) {
            return r.message();
        }
        return ((Outcome.Unavailable) o).message();
    }

    /**
     * @param requestId       the delivery's own id (API Gateway's request id), when it has one
     * @param lambdaRequestId the Lambda invocation's request id, which ties the line to Lambda's own log lines
     * @param via             how the event arrived: {@code webhook}, {@code eventbridge}, {@code queue}
     */
    public record Entry(String integration, String eventId, String eventType, List<String> customers,
                        List<String> attributeKeys, Outcome outcome, int chartmogulCalls, long durationMs,
                        String requestId, String lambdaRequestId, String via) {
    }
}
