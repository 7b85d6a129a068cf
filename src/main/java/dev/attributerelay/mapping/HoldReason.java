package dev.attributerelay.mapping;

/**
 * Why an update is held instead of applied: a cause no redelivery can change, only a person (fixing the data,
 * the rule, or ChartMogul's account). The code is what the held queue, the log and {@code replay} show.
 */
public enum HoldReason {
    /** A value that cannot become its declared type (text that is not valid Unicode included). */
    UNCOERCIBLE("uncoercible"),
    /** The rule cannot make an update of the event: no customer reference, an expression that fails. */
    UNMAPPABLE("unmappable"),
    /** ChartMogul lacks the attribute and the integration does not create attributes. */
    UNDEFINED_ATTRIBUTE("undefined_attribute"),
    /** Several ChartMogul customers match the reference. */
    AMBIGUOUS_CUSTOMER("ambiguous_customer"),
    /** No ChartMogul customer matches, under {@code on_unknown_customer: hold}. */
    UNKNOWN_CUSTOMER("unknown_customer"),
    /** ChartMogul refused the update for another reason a retry will not change (a 4xx). */
    REFUSED("refused"),
    /** SQS refused the update's message contents. */
    INVALID_MESSAGE("invalid_message"),
    /** A queue message this version cannot read. */
    UNREADABLE("unreadable");

    private final String code;

    HoldReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** The reason with this code; null when unknown (a message from a newer version). */
    public static HoldReason ofCode(String code) {
        for (HoldReason r : values()) {
            if (r.code.equals(code)) {
                return r;
            }
        }
        return null;
    }
}
