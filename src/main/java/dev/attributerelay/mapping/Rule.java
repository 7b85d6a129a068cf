package dev.attributerelay.mapping;

import java.util.List;

/**
 * One entry under {@code events:}.
 *
 * @param name       where it stands, for messages ({@code events[2]} or {@code preset stripe events[0]})
 * @param when       must be truthy for the rule to apply
 * @param each       null, or gives the items the rule applies to one by one
 * @param customer   whom each update is for
 * @param attributes what each update sets, in order
 */
public record Rule(String name, Expression when, Expression each, CustomerSpec customer, List<AttributeSpec> attributes) {

    public Rule {
        attributes = List.copyOf(attributes);
    }

    /** Exactly one of uuid, external_id (optionally narrowed by a data source) or email. */
    public record CustomerSpec(Kind kind, Expression value, String dataSourceUuid) {
        public enum Kind {
            UUID("uuid"), EXTERNAL_ID("external_id"), EMAIL("email");

            private final String yamlName;

            Kind(String yamlName) {
                this.yamlName = yamlName;
            }

            public String yamlName() {
                return yamlName;
            }
        }
    }

    public record AttributeSpec(String key, AttributeType type, Expression value) {
    }
}
