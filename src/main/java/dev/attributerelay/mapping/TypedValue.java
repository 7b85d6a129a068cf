package dev.attributerelay.mapping;

/** A coerced attribute value with its declared ChartMogul type; value is a String, Long, BigDecimal or Boolean. */
public record TypedValue(AttributeType type, Object value) {
}
