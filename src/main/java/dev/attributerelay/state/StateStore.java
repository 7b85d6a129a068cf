package dev.attributerelay.state;

import dev.attributerelay.chartmogul.Deadline;
import java.time.Instant;
import java.util.Map;

/**
 * Storage of applied state: per customer one record (its attributes' {@link AppliedValue}s and a lease), and per
 * customer reference one resolution. Storage only: the rules (what is stale, unchanged, in doubt) are
 * {@link Guard}'s, the protocol {@link AppliedState}'s. Every method is atomic on its record, as a DynamoDB
 * conditional write is; every failure to reach the storage is a {@link StateUnavailableException}.
 */
public interface StateStore {

    /**
     * Leases the customer's record to {@code owner} until {@code until}, if no one else holds a lease that is still
     * running at {@code now}.
     *
     * @return the record as it was before this lease; null when another owner holds it
     */
    Leased tryLease(String customerUuid, String owner, Instant now, Instant until, Deadline deadline);

    /**
     * Writes values to the customer's record while {@code owner} still holds its lease, then releases the lease, or,
     * when {@code holdUntil} is set, keeps it until then (a write whose outcome is unknown may still land).
     *
     * @return false when the lease is no longer the owner's (nothing written)
     */
    boolean settle(String customerUuid, String owner, Map<String, AppliedValue> values, Instant holdUntil,
                   Deadline deadline);

    /** The customer's applied values, for {@code history}. */
    Map<String, AppliedValue> applied(String customerUuid, Deadline deadline);

    /** The uuid a reference resolved to, if that resolution is still good at {@code now}; else null. */
    String resolution(String referenceId, Instant now, Deadline deadline);

    /**
     * Takes the reference's lookup lease, so one container asks ChartMogul and the others wait for its answer;
     * or finds that the reference is resolved (its uuid) or that another lookup is running. One call either way
     * on DynamoDB: a first sight is not first read and then leased.
     */
    LookupStart startLookup(String referenceId, String owner, Instant now, Instant until, Deadline deadline);

    /** Records a lookup's answer (good until {@code until}) and ends the lookup lease. */
    void resolved(String referenceId, String uuid, Instant until, Deadline deadline);

    /** Ends a lookup lease without an answer (no match, several, or a failure): misses are not shared. */
    void lookupEnded(String referenceId, String owner, Deadline deadline);

    /** Drops a resolution whose uuid ChartMogul no longer knows (merged customers). */
    void forget(String referenceId, Deadline deadline);

    /** What {@link #startLookup} found. */
    sealed interface LookupStart permits LookupStart.Taken, LookupStart.Resolved, LookupStart.Busy {
        /** The lease is the caller's: it asks ChartMogul. */
        record Taken() implements LookupStart {
        }

        /** Resolved, and still good: nothing to look up. */
        record Resolved(String uuid) implements LookupStart {
        }

        /** Another lookup is running: wait for its answer. */
        record Busy() implements LookupStart {
        }
    }

    /**
     * A leased record as it was.
     *
     * @param applied    each attribute's applied value
     * @param unsettled  the previous lease ran out without being settled (its holder stopped mid-write): any of the
     *                   customer's values may differ from ChartMogul's
     */
    record Leased(Map<String, AppliedValue> applied, boolean unsettled) {
        public Leased {
            applied = Map.copyOf(applied);
        }
    }
}
