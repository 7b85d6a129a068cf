package dev.attributerelay.state;

import java.time.Instant;

/**
 * What the relay last wrote to one attribute of one customer.
 *
 * @param value       the value in its canonical text form ({@link Values#canonical})
 * @param type        its ChartMogul type name
 * @param newest      the newest event time that set or confirmed this value: an older event is stale
 * @param eventId     the event that wrote it
 * @param eventTime   that event's time
 * @param integration the integration that event came through
 * @param writtenAt   when the relay wrote it to ChartMogul
 * @param inDoubt     the write's outcome is unknown (no answer, a 5xx): it may or may not have landed, so it
 *                    never makes a later value "unchanged"
 */
public record AppliedValue(String value, String type, Instant newest, String eventId, Instant eventTime,
                           String integration, Instant writtenAt, boolean inDoubt) {

    /** The same write, confirmed by a newer event with an equal value. */
    public AppliedValue confirmedAt(Instant time) {
        return time.isAfter(newest)
                ? new AppliedValue(value, type, time, eventId, eventTime, integration, writtenAt, inDoubt) : this;
    }

    /** The same write, no longer known to be ChartMogul's value. */
    public AppliedValue doubted() {
        return inDoubt ? this : new AppliedValue(value, type, newest, eventId, eventTime, integration, writtenAt, true);
    }
}
