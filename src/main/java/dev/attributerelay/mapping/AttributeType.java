package dev.attributerelay.mapping;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** ChartMogul's custom attribute types, each coercing an expression's result to what goes on the wire. */
public enum AttributeType {
    String {
        @Override
        Object coerceScalar(Object v) {
            if (v instanceof BigDecimal d && outOfScale(d)) {
                throw new CoercionException("is a number too large to write out in full");
            }
            String s = v instanceof BigDecimal d ? d.toPlainString() : v.toString();
            String invalid = invalidUnicode(s);
            if (invalid != null) {
                throw new CoercionException("is text that is not valid Unicode (" + invalid + ")");
            }
            if (s.codePointCount(0, s.length()) > MAX_STRING) {
                throw new CoercionException("is longer than ChartMogul's " + MAX_STRING + " characters");
            }
            return s;
        }
    },
    Integer {
        @Override
        Object coerceScalar(Object v) {
            BigDecimal d = decimalOf(v, "a whole number");
            try {
                return d.stripTrailingZeros().toBigIntegerExact().longValueExact();
            } catch (ArithmeticException e) {
                throw new CoercionException("is not a whole number in range (a value of " + d.precision() + " digits)");
            }
        }
    },
    Decimal {
        @Override
        Object coerceScalar(Object v) {
            BigDecimal d;
            if (v instanceof Double || v instanceof Float) {
                // a binary fraction is inexact anyway (0.1 + 0.2 = 0.30000000000000004): keep what a double means
                d = decimalOf(v, "a decimal number").round(new MathContext(MAX_DECIMAL_DIGITS)).stripTrailingZeros();
            } else {
                d = decimalOf(v, "a decimal number");
            }
            if (d.scale() < 0) {
                d = d.setScale(0); // 1E+3 goes on the wire as 1000, and must read back as the same value
            }
            if (d.stripTrailingZeros().precision() > MAX_DECIMAL_DIGITS || d.precision() - d.scale() > MAX_DECIMAL_DIGITS) {
                throw new CoercionException("is a decimal number with more than the " + MAX_DECIMAL_DIGITS
                        + " significant digits ChartMogul keeps (written out, it would be rounded there)");
            }
            return d;
        }
    },
    Timestamp {
        @Override
        Object coerceScalar(Object v) {
            return ISO.format(timestampOf(v));
        }
    },
    Boolean {
        @Override
        Object coerceScalar(Object v) {
            if (v instanceof java.lang.Boolean b) {
                return b;
            }
            if (v instanceof Number n) {
                // compared, not written out: 1e-999999999 in plain text is a billion characters
                BigDecimal d = decimalOf(n, "a boolean (accepted: TRUE, true, t, 1, FALSE, false, f, 0)");
                if (d.compareTo(BigDecimal.ONE) == 0) {
                    return java.lang.Boolean.TRUE;
                }
                if (d.signum() == 0) {
                    return java.lang.Boolean.FALSE;
                }
                throw new CoercionException("is not a boolean (accepted: TRUE, true, t, 1, FALSE, false, f, 0)");
            }
            String s = v.toString();
            switch (s) {
                case "TRUE": case "true": case "t": case "1":
                    return java.lang.Boolean.TRUE;
                case "FALSE": case "false": case "f": case "0":
                    return java.lang.Boolean.FALSE;
                default:
                    throw new CoercionException("is not a boolean (accepted: TRUE, true, t, 1, FALSE, false, f, 0)");
            }
        }
    };

    /** ChartMogul stores String attributes of at most this many characters. */
    public static final int MAX_STRING = 255;
    /**
     * Significant digits a Decimal may have, before and after the point together, and digits before it. ChartMogul
     * documents no precision and reads Decimal values as JSON numbers into floating point, which keeps 15 decimal
     * digits exactly; a longer value would be stored rounded, so it is held rather than silently changed.
     */
    public static final int MAX_DECIMAL_DIGITS = 15;
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT);
    /**
     * Numbers whose scale is beyond this either way are refused: JSON allows {@code 1e999999999}, and exact
     * arithmetic on it (to an integer, to plain text, to a whole second) would take minutes and gigabytes.
     */
    private static final int MAX_SCALE = 1_000;
    /** Epoch numbers at or above this are milliseconds (year 5138 in seconds), below it seconds. */
    private static final long MILLIS_THRESHOLD = 100_000_000_000L;

    /**
     * Coerces an expression's result. A one-element sequence is its element; null means "not present".
     *
     * @throws CoercionException with a reason a person can act on
     */
    public Object coerce(Object value) {
        Object v = scalarOf(value);
        return v == null ? null : coerceScalar(v);
    }

    /**
     * The instant a Timestamp attribute of this value stands for, to the millisecond it is written with: what
     * reading back {@code Timestamp.coerce(value)} gives, without formatting and parsing the text in between.
     *
     * @throws CoercionException as {@code Timestamp.coerce} does
     */
    static Instant timestamp(Object value) {
        Object v = Timestamp.scalarOf(value);
        return v == null ? null : timestampOf(v).toInstant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static OffsetDateTime timestampOf(Object v) {
        OffsetDateTime t = instantOf(v).atOffset(ZoneOffset.UTC);
        if (t.getYear() < 0 || t.getYear() > 9999) {
            // ISO 8601 has four-digit years; anything else is a unit mistake (microseconds) or garbage
            throw new CoercionException("is a timestamp in the year " + t.getYear() + ", outside 0000 to 9999");
        }
        return t;
    }

    /** A one-element sequence as its element; null for nothing; refuses objects and lists. */
    private Object scalarOf(Object value) {
        Object v = value;
        if (v instanceof List<?> list) {
            if (list.size() != 1) {
                throw new CoercionException("is a list of " + list.size() + " values, not one " + name());
            }
            v = list.get(0);
        }
        if (v == null) {
            return null;
        }
        if (v instanceof Map) {
            throw new CoercionException("is an object, not a " + name());
        }
        if (v instanceof List) {
            throw new CoercionException("is a list, not a " + name());
        }
        return v;
    }

    abstract Object coerceScalar(Object v);

    /** Parses a type name as relay.yaml spells it; null when unknown. */
    public static AttributeType named(String name) {
        for (AttributeType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    /**
     * Why the text is not valid Unicode, or null when it is: an unpaired surrogate, or a noncharacter (U+FFFE,
     * U+FFFF and their kin, U+FDD0 to U+FDEF). SQS refuses such messages and ChartMogul would store a '?'.
     */
    static String invalidUnicode(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(i + 1));
                    if ((cp & 0xFFFE) == 0xFFFE) {
                        return "a noncharacter at position " + i;
                    }
                    i++;
                    continue;
                }
                return "an unpaired surrogate at position " + i;
            }
            if (Character.isLowSurrogate(c)) {
                return "an unpaired surrogate at position " + i;
            }
            if (c == '\uFFFE' || c == '\uFFFF' || (c >= '\uFDD0' && c <= '\uFDEF')) {
                return "a noncharacter at position " + i;
            }
        }
        return null;
    }

    private static boolean outOfScale(BigDecimal d) {
        return d.scale() > MAX_SCALE || d.scale() < -MAX_SCALE;
    }

    private static BigDecimal decimalOf(Object v, String what) {
        BigDecimal d = anyDecimalOf(v, what);
        if (outOfScale(d)) {
            throw new CoercionException("is not " + what + " in range");
        }
        return d;
    }

    private static BigDecimal anyDecimalOf(Object v, String what) {
        if (v instanceof BigDecimal d) {
            return d;
        }
        if (v instanceof java.lang.Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return BigDecimal.valueOf(((Number) v).longValue());
        }
        if (v instanceof BigInteger b) {
            return new BigDecimal(b);
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new CoercionException("is not " + what);
            }
            return BigDecimal.valueOf(d);
        }
        if (v instanceof CharSequence s) {
            String text = s.toString().trim();
            if (text.length() <= 64) {
                try {
                    return new BigDecimal(text);
                } catch (NumberFormatException e) {
                    // fall through to the message below
                }
            }
            // the value itself is the customer's data: its shape is enough to act on
            throw new CoercionException("is not " + what + " (text of " + text.length() + " characters)");
        }
        throw new CoercionException("is not " + what);
    }

    private static Instant instantOf(Object v) {
        if (v instanceof Number n) {
            BigDecimal d = decimalOf(n, "a timestamp");
            long whole;
            try {
                whole = d.setScale(0, java.math.RoundingMode.FLOOR).longValueExact();
            } catch (ArithmeticException e) {
                throw new CoercionException("is not a timestamp in range");
            }
            try {
                return whole >= MILLIS_THRESHOLD ? Instant.ofEpochMilli(whole) : Instant.ofEpochSecond(whole);
            } catch (java.time.DateTimeException e) {
                throw new CoercionException("is not a timestamp in range"); // e.g. -9e18 seconds
            }
        }
        String text = v.toString().trim();
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            // not an offset date-time; try the other ISO forms below
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            // try a plain date
        }
        try {
            return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new CoercionException("is not an ISO 8601 timestamp (text of " + text.length() + " characters)");
        }
    }

    /** A value that cannot become its declared type; the message completes "attribute X …". */
    public static final class CoercionException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public CoercionException(String message) {
            super(message, null, false, false);
        }
    }
}
