package dev.attributerelay.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PayloadsTest {

    static Object parse(String body, String type) {
        return Payloads.parse(body.getBytes(StandardCharsets.UTF_8), type);
    }

    @Test
    void jsonObjectsAndArraysParseWithExactDecimals() {
        assertThat(parse("{\"a\":1.10,\"b\":[true,null]}", "application/json"))
                .isEqualTo(Map.of("a", new BigDecimal("1.10"), "b", java.util.Arrays.asList(true, null)));
        assertThat(parse("[{\"x\":1}]", null)).isEqualTo(List.of(Map.of("x", 1)));
    }

    @Test
    void badJsonSaysWhereWithoutQuotingTheBody() {
        assertThatThrownBy(() -> parse("{\"secret\": \"s3cr3t\", ", "application/json"))
                .isInstanceOf(Payloads.BadPayload.class)
                .hasMessageStartingWith("the body is not valid JSON")
                .hasMessageNotContaining("s3cr3t");
        assertThatThrownBy(() -> parse("\"just a string\"", "application/json")).hasMessageContaining("not an object");
        assertThatThrownBy(() -> parse("{} trailing", "application/json")).isInstanceOf(Payloads.BadPayload.class);
        assertThatThrownBy(() -> parse("", "application/json")).hasMessage("the body is empty");
    }

    @Test
    void deeplyNestedJsonIsRefusedNotAStackOverflow() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThatThrownBy(() -> parse(deep, "application/json")).isInstanceOf(Payloads.BadPayload.class);
    }

    @Test
    void mailchimpFormsBecomeNestedObjects() {
        Object p = parse("type=subscribe&fired_at=2009-03-26+21%3A35%3A57&data%5Bemail%5D=api%40mailchimp.com"
                + "&data%5Bmerges%5D%5BFNAME%5D=Zo%C3%AB&data%5Bmerges%5D%5BINTERESTS%5D=Group1%2CGroup2"
                + "&data[tags][]=a&data[tags][]=b", "application/x-www-form-urlencoded; charset=utf-8");
        assertThat(p).isEqualTo(Map.of(
                "type", "subscribe",
                "fired_at", "2009-03-26 21:35:57",
                "data", Map.of("email", "api@mailchimp.com",
                        "merges", Map.of("FNAME", "Zoë", "INTERESTS", "Group1,Group2"),
                        "tags", List.of("a", "b"))));
    }

    @Test
    void malformedFormsAreBadPayloads() {
        assertThatThrownBy(() -> parse("a=%zz", "application/x-www-form-urlencoded")).hasMessageContaining("%-escape");
        assertThatThrownBy(() -> Payloads.parse(new byte[] {'a', '=', (byte) 0xff}, "application/x-www-form-urlencoded"))
                .hasMessageContaining("UTF-8");
        assertThat(parse("a[b=1&c]=2", "application/x-www-form-urlencoded")).isEqualTo(Map.of("a[b", "1", "c]", "2"));
    }
}
