package dev.attributerelay.mapping;

/** How an update names its ChartMogul customer, before resolution to a uuid. */
public sealed interface CustomerRef {

    /** A stable text form for logs, cache keys and queue message groups. */
    String key();

    record Uuid(String uuid) implements CustomerRef {
        public String key() {
            return "uuid:" + uuid;
        }
    }

    /** An id from the source system, narrowed to one data source when the rule names one. */
    record ExternalId(String externalId, String dataSourceUuid) implements CustomerRef {
        public String key() {
            return "external_id:" + (dataSourceUuid == null ? "" : dataSourceUuid + "/") + externalId;
        }
    }

    record Email(String email) implements CustomerRef {
        public String key() {
            return "email:" + email;
        }
    }
}
