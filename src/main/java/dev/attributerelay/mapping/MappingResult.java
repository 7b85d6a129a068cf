package dev.attributerelay.mapping;

import java.util.List;

/**
 * What the rules made of one event.
 *
 * @param eventId   the provider's event id, or the delivery id when the payload has none
 * @param eventType the provider's event type, or null
 * @param updates   valid updates, ready to resolve and send
 * @param problems  items that matched a rule but cannot be applied (422), each a sentence
 * @param matched   whether any rule's {@code when} was true
 */
public record MappingResult(String eventId, String eventType, List<AttributeUpdate> updates, List<String> problems,
                            boolean matched) {

    public MappingResult {
        updates = List.copyOf(updates);
        problems = List.copyOf(problems);
    }
}
