package dev.attributerelay.state;

import dev.attributerelay.chartmogul.Deadline;
import dev.attributerelay.mapping.TypedValue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The protocol that keeps ChartMogul at each attribute's newest value across containers (docs/state.md): a delivery
 * takes the customer's lease, plans against the applied state it read with it, writes only what is newer and
 * changed, records what it wrote, and releases. One write per customer is in flight at a time, so an older PUT
 * cannot land after a newer one; a write whose outcome is unknown keeps the lease for {@link #settle} more, so that
 * it lands (or never does) before anyone writes again.
 */
public final class AppliedState {
    /** What a delivery keeps for its own write after the lease wait. */
    private static final Duration WRITE_RESERVE = Duration.ofMillis(300);

    private final StateStore store;
    private final Clock clock;
    private final Duration settle;
    private final Sleeper sleeper;

    /**
     * @param settle how long after its last try a write that got no answer may still land at ChartMogul: at least the
     *               ChartMogul client's per-call timeout
     */
    public AppliedState(StateStore store, Clock clock, Duration settle, Sleeper sleeper) {
        this.store = store;
        this.clock = clock;
        this.settle = settle;
        this.sleeper = sleeper;
    }

    public StateStore store() {
        return store;
    }

    /**
     * Takes the customer's lease, waiting out another delivery that holds it as long as the deadline allows, and
     * plans the update against the applied state.
     *
     * @throws StateUnavailableException storage failing, or the lease still held when time runs out
     */
    public Lease lease(String customerUuid, Map<String, TypedValue> attributes, Map<String, Instant> times,
                       boolean skipUnchanged, Deadline deadline) {
        String owner = UUID.randomUUID().toString();
        long waitMillis = 10;
        while (true) {
            Instant now = clock.instant();
            // covers the whole delivery and then some: a holder that stops mid-write keeps others out until its
            // last PUT has landed or never will
            Instant until = deadline.at().plus(settle);
            StateStore.Leased state = store.tryLease(customerUuid, owner, now, until, deadline);
            if (state != null) {
                return new Lease(customerUuid, owner, state, Guard.plan(state, attributes, times, skipUnchanged), times);
            }
            Duration left = deadline.remaining().minus(WRITE_RESERVE);
            if (left.toMillis() <= 0) {
                throw new StateUnavailableException("another delivery for this customer is still being applied; "
                        + "redeliver shortly", 2);
            }
            long jittered = waitMillis / 2 + ThreadLocalRandom.current().nextLong(waitMillis / 2 + 1);
            sleeper.sleep(Duration.ofMillis(Math.min(jittered, left.toMillis())));
            waitMillis = Math.min(waitMillis * 2, 200);
        }
    }

    /** One delivery's hold on a customer's state, from the plan to the record. Settle it exactly once. */
    public final class Lease {
        private final String customerUuid;
        private final String owner;
        private final StateStore.Leased state;
        private final Guard.Plan plan;
        private final Map<String, Instant> times;
        private boolean settled;

        private Lease(String customerUuid, String owner, StateStore.Leased state, Guard.Plan plan,
                      Map<String, Instant> times) {
            this.customerUuid = customerUuid;
            this.owner = owner;
            this.state = state;
            this.plan = plan;
            this.times = times;
        }

        public Guard.Plan plan() {
            return plan;
        }

        /**
         * The planned values reached ChartMogul (or nothing was to be sent): records them and releases.
         *
         * @return false when the lease had run out before this: what was written is not recorded, and the next holder
         *         treats the customer's values as unknown, so the caller must answer so that the event is redelivered
         */
        public boolean written(String eventId, String integration, Deadline deadline) {
            return settle(Guard.record(state, plan, times, eventId, integration, clock.instant(), false), null, deadline);
        }

        /**
         * The write got no answer (or one that does not say whether it was applied): the values are recorded in doubt
         * and the lease is kept until such a write can no longer land.
         */
        public void inDoubt(String eventId, String integration, Deadline deadline) {
            Instant now = clock.instant();
            settle(Guard.record(state, plan, times, eventId, integration, now, true), now.plus(settle), deadline);
        }

        /** Nothing reached ChartMogul (a refusal): releases, recording only what the plan confirmed. */
        public void notWritten(Deadline deadline) {
            Guard.Plan none = new Guard.Plan(Map.of(), plan.unchanged(), plan.stale());
            settle(Guard.record(state, none, times, null, null, clock.instant(), false), null, deadline);
        }

        private boolean settle(Map<String, AppliedValue> values, Instant holdUntil, Deadline deadline) {
            if (settled) {
                throw new IllegalStateException("lease on a customer settled twice");
            }
            settled = true;
            return store.settle(customerUuid, owner, values, holdUntil, deadline);
        }

        /** Releases a lease not yet settled, as {@link #notWritten}: for a failure before anything was sent. */
        public void abandon(Deadline deadline) {
            if (!settled) {
                notWritten(deadline);
            }
        }
    }

    /** Waits between lease attempts. */
    public interface Sleeper {
        void sleep(Duration d);

        Sleeper REAL = d -> {
            try {
                Thread.sleep(Math.max(0, d.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }
}
