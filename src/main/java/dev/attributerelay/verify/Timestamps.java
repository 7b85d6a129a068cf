package dev.attributerelay.verify;

import java.time.Duration;
import java.time.Instant;

/** Freshness checks for schemes that sign a timestamp: too old and too far ahead are both refused. */
final class Timestamps {
    private Timestamps() {
    }

    /**
     * Parses whole seconds since the epoch; null when the text is not a plain non-negative integer of ASCII
     * digits, or is too large for an {@link Instant}.
     */
    static Long epochSeconds(String text) {
        if (text == null || text.isEmpty() || text.length() > 18) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        long seconds = Long.parseLong(text);
        // beyond what an Instant holds (year 1,000,000,000) the text is malformed, not merely far ahead:
        // Instant.ofEpochSecond would throw, and a verifier must refuse, never fail
        return seconds > Instant.MAX.getEpochSecond() ? null : seconds;
    }

    /** Null when fresh, otherwise the reason to refuse. */
    static String outsideTolerance(Instant signedAt, Instant now, Duration tolerance) {
        Duration drift = Duration.between(signedAt, now);
        if (drift.compareTo(tolerance) > 0) {
            return "the signature timestamp is older than the " + tolerance.toSeconds() + " s tolerance";
        }
        if (drift.negated().compareTo(tolerance) > 0) {
            return "the signature timestamp is more than " + tolerance.toSeconds() + " s in the future";
        }
        return null;
    }
}
