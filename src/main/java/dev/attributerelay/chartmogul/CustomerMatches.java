package dev.attributerelay.chartmogul;

import java.util.List;

/**
 * The customers a lookup found.
 *
 * @param uuids the uuids on the first page
 * @param more  ChartMogul said more pages follow: certainly more than one customer
 */
public record CustomerMatches(List<String> uuids, boolean more) {

    public CustomerMatches {
        uuids = List.copyOf(uuids);
    }

    public boolean isUnique() {
        return uuids.size() == 1 && !more;
    }
}
