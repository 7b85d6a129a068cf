package dev.attributerelay;

import dev.attributerelay.chartmogul.ChartMogulClient;
import dev.attributerelay.inbound.Outcome;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One JSON line per event outcome, on standard output. The same line is a CloudWatch Embedded Metric Format
 * record ({@code _aws}): events by integration and outcome, ChartMogul calls, latency, retries, 429s, stale
 * drops and queue age become metrics with no extra call. Only names, ids and counts go here: never secrets,
 * signatures, headers or bodies.
 */
public final class EventLog {
    static final String NAMESPACE = "AttributeRelay";
    private static final List<Map<String, String>> METRICS = List.of(
            metric("events", "Count"),
            metric("chartmogul_calls", "Count"),
            metric("chartmogul_latency_ms", "Milliseconds"),
            metric("chartmogul_retries", "Count"),
            metric("chartmogul_429", "Count"),
            metric("stale_drops", "Count"),
            metric("held", "Count"),
            metric("duration_ms", "Milliseconds"));
    private static final List<Map<String, String>> METRICS_WITH_QUEUE_AGE;

    static {
        List<Map<String, String>> m = new java.util.ArrayList<>(METRICS);
        m.add(metric("queue_age_ms", "Milliseconds"));
        METRICS_WITH_QUEUE_AGE = List.copyOf(m);
    }

    /**
     * Each list is one metric series per value combination: by integration and outcome for the dashboard, by
     * outcome alone and by failure alone for the alarms (which cannot sum over a dimension they do not name).
     */
    static final List<List<String>> DIMENSIONS = List.of(List.of("integration_name", "outcome"), List.of("via"),
            List.of("outcome"), List.of("failure"));

    private final PrintStream out;
    private final CustomerPseudonyms pseudonyms;

    /** Customers appear under a key of this process only: never in clear, not comparable across containers. */
    public EventLog(PrintStream out) {
        this(out, CustomerPseudonyms.ephemeral());
    }

    public EventLog(PrintStream out, CustomerPseudonyms pseudonyms) {
        this.out = out;
        this.pseudonyms = pseudonyms;
    }

    /** The same output, naming customers by {@code pseudonyms}. */
    public EventLog with(CustomerPseudonyms pseudonyms) {
        return new EventLog(out, pseudonyms);
    }

    public void outcome(Entry e) {
        Map<String, Object> line = new LinkedHashMap<>();
        Outcome o = e.outcome();
        line.put("level", o.status() >= 500 || o instanceof Outcome.Held ? "WARN" : "INFO");
        line.put("message", message(o));
        line.put("integration", e.integration());
        line.put("event_id", e.eventId());
        line.put("event_type", e.eventType());
        // emails and external ids are personal data: only their keyed pseudonyms are logged
        List<String> customers = pseudonyms.of(e.customers());
        line.put("customer", customers.size() == 1 ? customers.get(0) : customers);
        line.put("attributes", e.attributeKeys());
        if (o instanceof Outcome.Unavailable u && u.detail() != null) {
            line.put("detail", u.detail());
        }
        line.put("outcome", o.label());
        line.put("status", o.status());
        line.put("chartmogul_calls", e.usage().calls());
        line.put("duration_ms", e.durationMs());
        if (e.requestId() != null) {
            line.put("request_id", e.requestId());
        }
        if (e.lambdaRequestId() != null) {
            line.put("lambda_request_id", e.lambdaRequestId());
        }
        line.put("via", e.via());
        // metric values and their dimensions; dimension values must be text
        line.put("integration_name", e.integration() == null ? "none" : e.integration());
        // tells the 4xx apart for alarms: unauthorized (a rotated signing secret) is not unknown_integration
        line.put("failure", failure(o));
        line.put("events", 1);
        line.put("chartmogul_latency_ms", e.usage().latencyMillis());
        line.put("chartmogul_retries", e.usage().retries());
        line.put("chartmogul_429", e.usage().throttled());
        line.put("stale_drops", e.staleDrops());
        line.put("held", o instanceof Outcome.Held h ? h.held() : 0);
        if (e.queueAgeMs() != null) {
            line.put("queue_age_ms", e.queueAgeMs());
        }
        line.put("_aws", Map.of(
                "Timestamp", System.currentTimeMillis(),
                "CloudWatchMetrics", List.of(Map.of(
                        "Namespace", NAMESPACE,
                        "Dimensions", DIMENSIONS,
                        "Metrics", e.queueAgeMs() == null ? METRICS : METRICS_WITH_QUEUE_AGE))));
        write(line);
    }

    /** A line about the process itself (configuration, start-up, a bug), not about an event. */
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

    private static Map<String, String> metric(String name, String unit) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("Name", name);
        m.put("Unit", unit);
        return m;
    }

    /** The error code of the answer ({@code unauthorized}, {@code payload_too_large}, ...); none for a success. */
    static String failure(Outcome o) {
        if (o instanceof Outcome.Rejected r) {
            return r.failure().code();
        }
        return o instanceof Outcome.Unavailable ? "unavailable" : "none";
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
        if (o instanceof Outcome.Held h) {
            return h.message();
        }
        return ((Outcome.Unavailable) o).message();
    }

    /**
     * @param usage      the ChartMogul client's work for this event
     * @param staleDrops attribute values dropped as stale
     * @param queueAgeMs how long the oldest message waited in the queue; null outside the worker
     * @param via        how the event arrived: {@code webhook}, {@code eventbridge}, {@code queue}
     */
    public record Entry(String integration, String eventId, String eventType, List<String> customers,
                        List<String> attributeKeys, Outcome outcome, ChartMogulClient.Usage usage, int staleDrops,
                        long durationMs, Long queueAgeMs, String requestId, String lambdaRequestId, String via) {
    }
}
