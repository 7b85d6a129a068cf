package dev.attributerelay.chartmogul;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One page of ChartMogul's customer list.
 *
 * @param entries the customers as ChartMogul lists them (uuid, external_id, email, attributes, ...)
 * @param cursor  what fetches the next page; null when ChartMogul gave none
 * @param hasMore whether another page follows
 */
public record CustomerPage(List<JsonNode> entries, String cursor, boolean hasMore) {

    public CustomerPage {
        entries = List.copyOf(entries);
    }
}
