package dev.attributerelay.state;

import dev.attributerelay.chartmogul.Deadline;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Applied state in this container's memory, for runs without RELAY_STATE_TABLE (local runs, {@code invoke},
 * {@code serve}) and tests: the same records and leases as the table, kept per process. Bounded, least recently
 * used first out.
 */
public final class MemoryStore implements StateStore {
    private static final int MAX_ENTRIES = 50_000;

    private final Map<String, Customer> customers = lru();
    private final Map<String, Reference> references = lru();

    @Override
    public synchronized Leased tryLease(String customerUuid, String owner, Instant now, Instant until,
                                        Deadline deadline) {
        Customer c = customers.computeIfAbsent(customerUuid, k -> new Customer());
        if (c.leaseOwner != null && !c.leaseUntil.isBefore(now)) {
            return null;
        }
        boolean unsettled = c.leaseOwner != null && !c.settling;
        c.leaseOwner = owner;
        c.leaseUntil = until;
        c.settling = false;
        return new Leased(c.applied, unsettled);
    }

    @Override
    public synchronized boolean settle(String customerUuid, String owner, Map<String, AppliedValue> values,
                                       Instant holdUntil, Deadline deadline) {
        Customer c = customers.get(customerUuid);
        if (c == null || !owner.equals(c.leaseOwner)) {
            return false;
        }
        c.applied.putAll(values);
        if (holdUntil == null) {
            c.leaseOwner = null;
            c.leaseUntil = null;
        } else {
            c.leaseUntil = holdUntil;
            c.settling = true;
        }
        return true;
    }

    @Override
    public synchronized Map<String, AppliedValue> applied(String customerUuid, Deadline deadline) {
        Customer c = customers.get(customerUuid);
        return c == null ? Map.of() : Map.copyOf(c.applied);
    }

    @Override
    public synchronized String resolution(String referenceId, Instant now, Deadline deadline) {
        Reference r = references.get(referenceId);
        return r == null || r.uuid == null || !r.resolvedUntil.isAfter(now) ? null : r.uuid;
    }

    @Override
    public synchronized LookupStart startLookup(String referenceId, String owner, Instant now, Instant until,
                                                Deadline deadline) {
        Reference r = references.computeIfAbsent(referenceId, k -> new Reference());
        if (r.uuid != null && r.resolvedUntil.isAfter(now)) {
            return new LookupStart.Resolved(r.uuid);
        }
        if (r.lookupOwner != null && !r.lookupUntil.isBefore(now)) {
            return new LookupStart.Busy();
        }
        r.lookupOwner = owner;
        r.lookupUntil = until;
        return new LookupStart.Taken();
    }

    @Override
    public synchronized void resolved(String referenceId, String uuid, Instant until, Deadline deadline) {
        Reference r = references.computeIfAbsent(referenceId, k -> new Reference());
        r.uuid = uuid;
        r.resolvedUntil = until;
        r.lookupOwner = null;
        r.lookupUntil = null;
    }

    @Override
    public synchronized void lookupEnded(String referenceId, String owner, Deadline deadline) {
        Reference r = references.get(referenceId);
        if (r != null && owner.equals(r.lookupOwner)) {
            r.lookupOwner = null;
            r.lookupUntil = null;
        }
    }

    @Override
    public synchronized void forget(String referenceId, Deadline deadline) {
        Reference r = references.get(referenceId);
        if (r != null) {
            r.uuid = null;
            r.resolvedUntil = null;
        }
    }

    private static <V> Map<String, V> lru() {
        return new LinkedHashMap<>(1024, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > MAX_ENTRIES;
            }
        };
    }

    private static final class Customer {
        final Map<String, AppliedValue> applied = new HashMap<>();
        String leaseOwner;
        Instant leaseUntil;
        boolean settling;
    }

    private static final class Reference {
        String uuid;
        Instant resolvedUntil;
        String lookupOwner;
        Instant lookupUntil;
    }
}
