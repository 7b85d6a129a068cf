package dev.attributerelay.backfill;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Which of a customer's subscriptions is its current state: the live ones (active, trialing, past due,
 * non-renewing) over the dormant ones (paused, unpaid, incomplete, future) over the ended ones (canceled,
 * expired); among equals, the most recently created. A customer's old canceled subscription never decides
 * while a live one exists.
 */
final class Precedence {
    private static final Set<String> LIVE = Set.of("active", "trialing", "in_trial", "past_due", "non_renewing");
    private static final Set<String> ENDED = Set.of("canceled", "cancelled", "incomplete_expired", "expired");

    private Precedence() {
    }

    /** 3 live, 2 dormant or unknown, 1 ended. */
    static int rank(String status) {
        String s = status == null ? "" : status.toLowerCase(Locale.ROOT);
        if (LIVE.contains(s)) {
            return 3;
        }
        return ENDED.contains(s) ? 1 : 2;
    }

    /** The subscription that decides, if the customer has any. */
    static Optional<JsonNode> current(List<JsonNode> subscriptions, Function<JsonNode, String> status,
                                      ToLongFunction<JsonNode> created) {
        Comparator<JsonNode> order = Comparator.<JsonNode>comparingInt(s -> rank(status.apply(s)))
                .thenComparingLong(created);
        return subscriptions.stream().max(order);
    }
}
