package dev.attributerelay.verify;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;

/** Freshness checks for schemes that sign a timestamp: too old and too far ahead are both refused. */
final class Timestamps {
    private Timestamps() {
    }

    /** Whole seconds since the epoch; null when the text is not plain digits or out of range. */
    static Instant seconds(String text) {
        Long n = digits(text);
        if (n == null) {
            return null;
        }
        try {
            return Instant.ofEpochSecond(n);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** Whole milliseconds since the epoch; null when the text is not plain digits. */
    static Instant millis(String text) {
        Long n = digits(text);
        return n == null ? null : Instant.ofEpochMilli(n);
    }

    /** A non-negative whole number written as plain ASCII digits (no sign, no space), else null. */
    static Long digits(String text) {
        if (text == null || text.isEmpty() || text.length() > 18) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        return Long.parseLong(text);
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

    /**
     * Verified when fresh, otherwise refused with {@link #outsideTolerance}'s reason: the last step of the
     * schemes that check the signature before the time.
     */
    static Verdict verdict(Instant signedAt, Instant now, Duration tolerance) {
        String stale = outsideTolerance(signedAt, now, tolerance);
        return stale == null ? Verdict.verified() : Verdict.refused(stale);
    }
}
