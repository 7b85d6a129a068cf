package dev.attributerelay.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class AttributeTypeTest {

    @ParameterizedTest
    @ValueSource(strings = {"TRUE", "true", "t", "1"})
    void booleanAcceptsChartMogulsTrueSpellings(String text) {
        assertThat(AttributeType.Boolean.coerce(text)).isEqualTo(true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"FALSE", "false", "f", "0"})
    void booleanAcceptsChartMogulsFalseSpellings(String text) {
        assertThat(AttributeType.Boolean.coerce(text)).isEqualTo(false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "True", "2", "", "on"})
    void booleanRefusesAnythingElse(String text) {
        assertThatThrownBy(() -> AttributeType.Boolean.coerce(text)).isInstanceOf(AttributeType.CoercionException.class);
    }

    @Test
    void booleanTakesJsonBooleansAndOneOrZero() {
        assertThat(AttributeType.Boolean.coerce(false)).isEqualTo(false);
        assertThat(AttributeType.Boolean.coerce(1)).isEqualTo(true);
        assertThat(AttributeType.Boolean.coerce(new BigDecimal("0.0"))).isEqualTo(false);
    }

    @ParameterizedTest
    @CsvSource({"12,12", "'  7 ',7", "3.0,3", "-4,-4", "1e3,1000"})
    void integerAcceptsWholeNumbersInAnyNotation(String in, long expected) {
        assertThat(AttributeType.Integer.coerce(in)).isEqualTo(expected);
    }

    @Test
    void integerRefusesFractionsAndWords() {
        assertThatThrownBy(() -> AttributeType.Integer.coerce(new BigDecimal("2.5")))
                .hasMessageContaining("not a whole number");
        assertThatThrownBy(() -> AttributeType.Integer.coerce("many")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> AttributeType.Integer.coerce("99999999999999999999")).hasMessageContaining("range");
    }

    @Test
    void decimalKeepsTheDigitsItWasGiven() {
        assertThat(AttributeType.Decimal.coerce("19.90")).isEqualTo(new BigDecimal("19.90"));
        assertThat(AttributeType.Decimal.coerce(0.1d)).isEqualTo(new BigDecimal("0.1"));
        assertThatThrownBy(() -> AttributeType.Decimal.coerce(Double.NaN)).isInstanceOf(AttributeType.CoercionException.class);
    }

    @ParameterizedTest
    @CsvSource({
        "1677833998, 2023-03-03T08:59:58.000Z",
        "1677833998123, 2023-03-03T08:59:58.123Z",
        "2024-02-29T10:15:30+02:00, 2024-02-29T08:15:30.000Z",
        "2024-02-29T10:15:30Z, 2024-02-29T10:15:30.000Z",
        "2024-02-29, 2024-02-29T00:00:00.000Z"
    })
    void timestampNormalisesToIsoUtcWithMillis(String in, String expected) {
        Object value = in.chars().allMatch(Character::isDigit) ? (Object) Long.parseLong(in) : in;
        assertThat(AttributeType.Timestamp.coerce(value)).isEqualTo(expected);
    }

    @Test
    void anEventTimeIsTheInstantItsTimestampTextReadsBackAs() {
        List<Object> values = new java.util.ArrayList<>(List.of(1_700_000_000L, 1_700_000_000_123L, 0,
                new BigDecimal("1700000000.9999"), new BigDecimal("-1.5"), new BigDecimal("-0.0001"),
                "2026-01-15T12:00:00Z", "2026-01-15T12:00:00.123456789Z", "2026-01-15T13:00:00.5+01:00",
                "1969-12-31T23:59:59.9999Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z", "2026-01-15",
                " 2026-01-15T12:00:00Z ", List.of("2026-01-15T12:00:00.0015Z")));
        for (Object v : values) {
            assertThat(AttributeType.timestamp(v)).as(String.valueOf(v))
                    .isEqualTo(java.time.Instant.parse((String) AttributeType.Timestamp.coerce(v)));
        }
        assertThat(AttributeType.timestamp(null)).isNull();
        for (Object bad : List.of("next tuesday", "10000-01-01T00:00:00Z", Map.of("t", 1), List.of(), List.of(1, 2), true)) {
            assertThatThrownBy(() -> AttributeType.timestamp(bad)).as(String.valueOf(bad))
                    .isInstanceOf(AttributeType.CoercionException.class)
                    .hasMessage(catchMessage(() -> AttributeType.Timestamp.coerce(bad)));
        }
    }

    private static String catchMessage(Runnable r) {
        try {
            r.run();
        } catch (AttributeType.CoercionException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a refusal");
    }

    @Test
    void timestampRefusesText() {
        assertThatThrownBy(() -> AttributeType.Timestamp.coerce("next tuesday")).hasMessageContaining("ISO 8601");
    }

    @Test
    void stringIsAtMost255CharactersCountingCodePoints() {
        assertThat(AttributeType.String.coerce("é".repeat(255))).isEqualTo("é".repeat(255));
        assertThat(AttributeType.String.coerce("😀".repeat(255))).isEqualTo("😀".repeat(255));
        assertThatThrownBy(() -> AttributeType.String.coerce("x".repeat(256))).hasMessageContaining("255");
    }

    @Test
    void stringWritesNumbersPlainly() {
        assertThat(AttributeType.String.coerce(new BigDecimal("1E+3"))).isEqualTo("1000");
        assertThat(AttributeType.String.coerce(true)).isEqualTo("true");
    }

    @Test
    void nullAndOneElementSequencesAreUnwrapped() {
        assertThat(AttributeType.String.coerce(null)).isNull();
        assertThat(AttributeType.String.coerce(List.of("pro"))).isEqualTo("pro");
        assertThatThrownBy(() -> AttributeType.String.coerce(List.of("a", "b"))).hasMessageContaining("list of 2");
        assertThatThrownBy(() -> AttributeType.String.coerce(Map.of("a", 1))).hasMessageContaining("object");
    }
}
