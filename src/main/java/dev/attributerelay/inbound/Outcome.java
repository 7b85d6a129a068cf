package dev.attributerelay.inbound;

import dev.attributerelay.DeliveryResult;
import java.util.ArrayList;
import java.util.List;

/** What handling one inbound event came to. Each variant earns exactly one HTTP answer. */
public sealed interface Outcome {

    int status();

    /** Short word for logs and metrics. */
    String label();

    /** Every update was applied in ChartMogul (or, in a dry run, would have been). */
    record Applied(int updates, String message) implements Outcome {
        public int status() { return 200; }
        public String label() { return "applied"; }
    }

    /** Matched no rule, or the rule chose to skip: the sender must not retry. */
    record Ignored(String message) implements Outcome {
        public int status() { return 200; }
        public String label() { return "ignored"; }
    }

    /** Accepted into the queue for the worker (queued mode). */
    record Queued(int updates) implements Outcome {
        public int status() { return 202; }
        public String label() { return "queued"; }
    }

    /**
     * Some updates held (with their reasons, on the held queue), the rest applied: 200, so the sender does not
     * retry what a retry cannot change.
     *
     * @param held    held updates (one with some attributes held counts once)
     * @param applied updates applied beside them
     */
    record Held(int held, int applied, String message) implements Outcome {
        public int status() { return 200; }
        public String label() { return "held"; }
    }

    /** Refused before any update was made of it: 400, 401, 404, 405 or 413. */
    record Rejected(Failure failure, String message) implements Outcome {
        public Rejected {
            if (failure == Failure.UNAVAILABLE) {
                throw new IllegalArgumentException("use Unavailable for 503");
            }
        }
        public int status() { return failure.status(); }
        public String label() { return "rejected"; }
    }

    /**
     * Could not finish for a reason that may pass; the sender should retry after the delay.
     *
     * @param detail for the operator's log only, never the answer (which resource, which key); null when the
     *               message says it all
     */
    record Unavailable(String message, int retryAfterSeconds, String detail) implements Outcome {
        public Unavailable {
            retryAfterSeconds = Math.max(1, retryAfterSeconds);
        }
        public Unavailable(String message, int retryAfterSeconds) {
            this(message, retryAfterSeconds, null);
        }
        public int status() { return 503; }
        public String label() { return "unavailable"; }
    }

    /** The HTTP answer one delivery earns; the only place a {@link DeliveryResult} becomes one. */
    static Outcome of(DeliveryResult r) {
        if (r instanceof DeliveryResult.Applied a) {
            return new Applied(a.updates(), a.updates() == 1 ? "1 update applied" : a.updates() + " updates applied");
        }
        if (r instanceof DeliveryResult.Unchanged u) {
            return new Ignored(u.message());
        }
        if (r instanceof DeliveryResult.Stale s) {
            return new Ignored(s.message());
        }
        if (r instanceof DeliveryResult.Skipped s) {
            return new Ignored(s.message());
        }
        if (r instanceof DeliveryResult.Held h) {
            return held(h.hold().message());
        }
        if (r instanceof DeliveryResult.RetryLater l) {
            return new Unavailable(l.reason(), l.afterSeconds(), l.detail());
        }
        throw new AssertionError(r);
    }

    /** One held update. */
    static Held held(String reason) {
        return new Held(1, 0, "1 update held: " + reason);
    }

    /** Severity for batches: a batch answers with its worst item (503 over held over applied). */
    static int severity(Outcome o) {
        if (o instanceof Unavailable || o instanceof Rejected) {
            return 3;
        }
        if (o instanceof Held) {
            return 2;
        }
        if (o instanceof Applied || o instanceof Queued) {
            return 1;
        }
        return 0;
    }

    /** The worst of several item outcomes; applied counts are summed when all succeeded. */
    static Outcome worst(List<Outcome> items) {
        if (items.isEmpty()) {
            return new Ignored("the event matched no rule");
        }
        Outcome worst = items.get(0);
        int applied = 0;
        int queued = 0;
        int held = 0;
        List<String> reasons = new ArrayList<>();
        for (Outcome o : items) {
            if (severity(o) > severity(worst)) {
                worst = o;
            }
            if (o instanceof Applied a) {
                applied += a.updates();
            } else if (o instanceof Queued q) {
                queued += q.updates();
            } else if (o instanceof Held h) {
                held += h.held();
                applied += h.applied();
                reasons.add(h.message().replaceFirst("^\\d+ updates? held: ", ""));
            }
        }
        if (worst instanceof Held) {
            String done = applied > 0 ? (applied == 1 ? "1 update applied; " : applied + " updates applied; ")
                    : queued > 0 ? (queued == 1 ? "1 update queued; " : queued + " updates queued; ") : "";
            return new Held(held, applied, done + (held == 1 ? "1 update held: " : held + " updates held: ")
                    + String.join("; ", reasons.subList(0, Math.min(reasons.size(), 5)))
                    + (reasons.size() > 5 ? "; and " + (reasons.size() - 5) + " more" : ""));
        }
        if (worst instanceof Applied) {
            return new Applied(applied, applied == 1 ? "1 update applied" : applied + " updates applied");
        }
        if (worst instanceof Queued) {
            return new Queued(queued);
        }
        return worst;
    }
}
