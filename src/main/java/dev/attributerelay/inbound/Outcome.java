package dev.attributerelay.inbound;

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

    /** Refused for a reason a retry will not fix: 400, 401, 404, 405, 413 or 422. */
    record Rejected(Failure failure, String message) implements Outcome {
        public Rejected {
            if (failure == Failure.UNAVAILABLE) {
                throw new IllegalArgumentException("use Unavailable for 503");
            }
        }
        public int status() { return failure.status(); }
        public String label() { return failure == Failure.UNPROCESSABLE ? "unprocessable" : "rejected"; }
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

    /** Severity for batches: a batch answers with its worst item (503 over 422 over 200). */
    static int severity(Outcome o) {
        if (o instanceof Unavailable) {
            return 3;
        }
        if (o instanceof Rejected) {
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
        for (Outcome o : items) {
            if (severity(o) > severity(worst)) {
                worst = o;
            }
            if (o instanceof Applied a) {
                applied += a.updates();
            } else if (o instanceof Queued q) {
                queued += q.updates();
            }
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
