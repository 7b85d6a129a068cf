package dev.attributerelay.backfill;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attributerelay.inbound.Headers;
import java.time.Instant;
import java.util.List;

/**
 * A provider's list API, read one page of customers at a time with the provider's own cursor, each customer
 * with the objects the integration's rules read (its subscriptions), and the webhook events that would carry
 * them.
 */
public interface Provider {

    /** The provider's name, for messages. */
    String name();

    /**
     * The page of customers the cursor names, each with its subscriptions.
     *
     * @param cursor null for the first page; else a {@link Page#next()} this provider gave
     * @param since  only customers created or changed at or after it (as the provider records it); null for all
     */
    Page page(String cursor, Instant since);

    /**
     * The events, in the order they are fed: the customer's own first, then its current subscription (the one
     * {@link Precedence} picks), so a later event's values win where both set an attribute.
     */
    List<Event> events(Customer customer, Instant readAt);

    /** Requests made to the provider so far. */
    int calls();

    /** Customers in all, when the provider says (Paddle's estimate), else -1. */
    default long total() {
        return -1;
    }

    /**
     * One customer as read.
     *
     * @param id            the provider's id for it (cus_..., ctm_..., a Chargebee id, a HubSpot contact id)
     * @param customer      the customer object as the API gave it
     * @param subscriptions its subscriptions, all statuses
     */
    record Customer(String id, JsonNode customer, List<JsonNode> subscriptions) {
        public Customer {
            subscriptions = List.copyOf(subscriptions);
        }
    }

    /** @param next the cursor of the page after this one; null when this is the last */
    record Page(List<Customer> customers, String next) {
        public Page {
            customers = List.copyOf(customers);
        }
    }

    /** A payload as the webhook would carry it, with the headers the rules may read. */
    record Event(Object payload, Headers headers) {
    }
}
