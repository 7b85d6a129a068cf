package dev.attributerelay.state;

import dev.attributerelay.mapping.TypedValue;
import java.math.BigDecimal;

/** The text form in which applied values are stored and compared. */
public final class Values {
    private Values() {
    }

    /** Equal values give equal text: 12.50 and 12.5 are one Decimal. */
    public static String canonical(TypedValue v) {
        Object value = v.value();
        if (value instanceof BigDecimal d) {
            return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
        }
        return String.valueOf(value);
    }
}
