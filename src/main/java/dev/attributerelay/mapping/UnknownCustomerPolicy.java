package dev.attributerelay.mapping;

/** What to do when ChartMogul has no customer for a reference yet. */
public enum UnknownCustomerPolicy {
    /** 503: the sender retries; the customer usually appears once ChartMogul imports the billing system. */
    RETRY,
    /** 200, logged: the update is deliberately dropped. */
    SKIP,
    /** 422: a retry will not help. */
    REJECT
}
