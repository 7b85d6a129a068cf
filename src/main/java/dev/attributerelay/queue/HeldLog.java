package dev.attributerelay.queue;

import dev.attributerelay.EventLog;
import dev.attributerelay.chartmogul.Deadline;
import dev.attributerelay.mapping.Hold;
import java.util.List;

/** Without a held queue (local runs): each hold is a WARN line with its reason, and the answer is the same. */
public final class HeldLog implements HeldQueue {
    private final EventLog log;

    public HeldLog(EventLog log) {
        this.log = log;
    }

    @Override
    public void hold(List<Hold> holds, Deadline deadline) {
        for (Hold h : holds) {
            log.note("WARN", "held, not kept (RELAY_HELD_QUEUE_URL is not set): integration " + h.integration()
                    + ", event " + h.eventId() + ", attributes " + String.join(",", h.keys()) + ", reason "
                    + h.reason().code() + ": " + h.message());
        }
    }
}
