package dev.attributerelay.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SignatureHeadersTest {

    @Test
    void fieldsAreReadAsSplittingAtTheSeparatorAndTheFirstEqualsSignReadsThem() {
        List<String> values = List.of("t=1,v1=a,v1=b", "t=1,v0=z,v1=a", ",,t=1,,v1=,", "t=1,v1=a=b", "=x,t=", "noeq",
                "", ",", "a=1,", " t = 1 , v1 = x ", "ts=1;h1=abc;h1=def", " ts = 1 ; h1 = x ;", ";;", "k==v");
        for (String value : values) {
            for (char separator : new char[] {',', ';'}) {
                for (boolean trim : new boolean[] {false, true}) {
                    assertThat(SignatureHeaders.fields(value, separator, trim).byKey())
                            .as("'" + value + "' at '" + separator + "', trim " + trim)
                            .isEqualTo(bySplitting(value, separator, trim));
                }
            }
        }
        assertThat(SignatureHeaders.fields("t=1,v1=a,v1=b", ',', false).all("v1")).containsExactly("a", "b");
    }

    /** The reading the headers have always had: String.split at the separator, each item at its first '='. */
    private static Map<String, List<String>> bySplitting(String value, char separator, boolean trim) {
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        for (String item : value.split(Pattern.quote(String.valueOf(separator)))) {
            int eq = item.indexOf('=');
            if (eq >= 0) {
                String key = item.substring(0, eq);
                String v = item.substring(eq + 1);
                byKey.computeIfAbsent(trim ? key.trim() : key, k -> new ArrayList<>()).add(trim ? v.trim() : v);
            }
        }
        return byKey;
    }
}
