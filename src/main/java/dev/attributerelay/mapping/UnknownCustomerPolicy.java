package dev.attributerelay.mapping;

/** What to do when ChartMogul has no customer for a reference yet. */
public enum UnknownCustomerPolicy {
    /** 503: the sender retries; the customer usually appears once ChartMogul imports the billing system. */
    RETRY,
    /** 200, logged: the update is deliberately dropped. */
    SKIP,
    /** 200, held: the update waits on the held queue for {@code replay} (relay.yaml also accepts {@code reject}). */
    HOLD
}
