package dev.attributerelay.backfill;

/** What a backfill has done so far. */
public final class Tally {
    private Counts counts;

    Tally(Counts start) {
        this.counts = start;
    }

    synchronized Counts counts() {
        return counts;
    }

    synchronized void add(Counts more) {
        counts = counts.plus(more);
    }

    /**
     * @param customers customers handled
     * @param objects   provider objects read for them (customers and subscriptions)
     * @param sent      updates applied in ChartMogul (or put on the update queue)
     * @param unchanged updates the relay found already applied
     * @param held      updates (or attributes) that cannot be applied for a reason a retry won't fix
     * @param failed    updates that did not go through
     * @param skipped   customers with nothing to send (no rule matched, no value present, or the integration skips
     *                  customers ChartMogul does not have)
     */
    public record Counts(long customers, long objects, long sent, long unchanged, long held, long failed, long skipped) {
        public static final Counts ZERO = new Counts(0, 0, 0, 0, 0, 0, 0);

        public Counts plus(Counts o) {
            return new Counts(customers + o.customers, objects + o.objects, sent + o.sent, unchanged + o.unchanged,
                    held + o.held, failed + o.failed, skipped + o.skipped);
        }

        Counts minus(Counts o) {
            return new Counts(customers - o.customers, objects - o.objects, sent - o.sent, unchanged - o.unchanged,
                    held - o.held, failed - o.failed, skipped - o.skipped);
        }

        /** One line a script can split on spaces and '='. */
        public String line() {
            return "customers=" + customers + " objects=" + objects + " sent=" + sent + " unchanged=" + unchanged
                    + " held=" + held + " failed=" + failed + " skipped=" + skipped;
        }
    }
}
