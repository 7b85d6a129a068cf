package dev.attributerelay.mapping;

import java.util.List;

/**
 * What the rules made of one event.
 *
 * @param eventId   the provider's event id, or the delivery id when the payload has none
 * @param eventType the provider's event type, or null
 * @param updates   valid updates, ready to resolve and send
 * @param holds     what matched a rule but cannot be applied as it is: held, each with its reason
 * @param matched   whether any rule's {@code when} was true
 */
public record MappingResult(String eventId, String eventType, List<AttributeUpdate> updates, List<Hold> holds,
                            boolean matched) {

    public MappingResult {
        updates = List.copyOf(updates);
        holds = List.copyOf(holds);
    }

    /** Each hold's message. */
    public List<String> problems() {
        return holds.stream().map(Hold::message).toList();
    }
}
