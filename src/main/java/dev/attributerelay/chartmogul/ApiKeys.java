package dev.attributerelay.chartmogul;

/** Where the client gets its API key: cached, and re-read past the cache once ChartMogul says 401. */
public interface ApiKeys {

    /** The key to use now (may come from a cache). */
    String current();

    /** Re-reads the key past any cache, after ChartMogul rejected the current one. */
    String refreshed();

    /** {@link #current()}, waiting no longer than the deadline. */
    default String current(Deadline deadline) {
        return current();
    }

    /** {@link #refreshed()}, waiting no longer than the deadline. */
    default String refreshed(Deadline deadline) {
        return refreshed();
    }
}
