package dev.attributerelay.resolve;

import java.util.List;

/** What a customer reference came to in ChartMogul. */
public sealed interface Resolution {

    record Found(String uuid, boolean fromCache) implements Resolution {
    }

    record NotFound() implements Resolution {
    }

    /** Several customers match; never "take the first". */
    record Ambiguous(List<String> uuids, boolean more) implements Resolution {
        public Ambiguous {
            uuids = List.copyOf(uuids);
        }
    }
}
