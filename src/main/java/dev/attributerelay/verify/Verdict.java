package dev.attributerelay.verify;

/** Whether a request proved it came from the integration's sender. */
public sealed interface Verdict {

    static Verdict verified() {
        return Verified.INSTANCE;
    }

    static Verdict refused(String reason) {
        return new Refused(reason);
    }

    /** The signature (or credential) matched one of the configured secrets. */
    final class Verified implements Verdict {
        static final Verified INSTANCE = new Verified();

        private Verified() {
        }

        @Override
        public String toString() {
            return "Verified";
        }
    }

    /** Missing, malformed, wrong or stale; the reason is safe to show the caller (no secret, no signature). */
    record Refused(String reason) implements Verdict {
    }
}
