package dev.attributerelay.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attributerelay.chartmogul.Deadline;
import dev.attributerelay.mapping.AttributeType;
import dev.attributerelay.mapping.AttributeUpdate;
import dev.attributerelay.mapping.CustomerRef;
import dev.attributerelay.mapping.TypedValue;
import dev.attributerelay.testing.LocalSqs;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every value the API function accepts must arrive in the worker as it was: {@code decode(encode(u)) == u} over
 * what {@code coerce} accepts, for generated values of every shape a payload gives (a seeded generator, so a
 * failure reproduces).
 */
class UpdateCodecTest {
    static final long SEED = 20261207L;
    static final int CASES = 20_000;

    static Object rawValue(Random r) {
        switch (r.nextInt(9)) {
            case 0:
                return text(r);
            case 1:
                return r.nextLong();
            case 2:
                return new BigDecimal(new BigInteger(r.nextInt(80) + 1, r), r.nextInt(40) - 20);
            case 3:
                return r.nextDouble() * Math.pow(10, r.nextInt(30) - 15);
            case 4:
                return r.nextBoolean();
            case 5:
                return Long.toString(r.nextLong() >> r.nextInt(60));
            case 6:
                return Instant.ofEpochSecond(r.nextInt(Integer.MAX_VALUE)).toString();
            case 7:
                return List.of(text(r));
            default:
                return (r.nextBoolean() ? "-" : "") + r.nextInt(1000) + "." + r.nextInt(1_000_000) + (r.nextBoolean() ? "e" + (r.nextInt(10) - 5) : "");
        }
    }

    /** Text over the whole UTF-16 range: pairs, lone surrogates, noncharacters, controls, ASCII. */
    static String text(Random r) {
        StringBuilder s = new StringBuilder();
        int n = r.nextInt(12);
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(6)) {
                case 0:
                    s.append((char) (0xD800 + r.nextInt(0x800))); // a surrogate, paired or not by chance
                    break;
                case 1:
                    s.appendCodePoint(0x10000 + r.nextInt(0x100000));
                    break;
                case 2:
                    s.append(r.nextBoolean() ? '\uFFFE' : '\uFFFF');
                    break;
                case 3:
                    s.append((char) r.nextInt(0x20));
                    break;
                case 4:
                    s.append((char) r.nextInt(0x10000));
                    break;
                default:
                    s.append((char) ('a' + r.nextInt(26)));
            }
        }
        return s.toString();
    }

    @Test
    void everyValueCoerceAcceptsDecodesAsItWasEncoded() {
        Random r = new Random(SEED);
        int accepted = 0;
        for (int i = 0; i < CASES; i++) {
            AttributeType type = AttributeType.values()[r.nextInt(AttributeType.values().length)];
            Object raw = rawValue(r);
            Object value;
            try {
                value = type.coerce(raw);
            } catch (AttributeType.CoercionException e) {
                continue;
            }
            if (value == null) {
                continue;
            }
            accepted++;
            AttributeUpdate u = new AttributeUpdate("billing", new CustomerRef.ExternalId("cus_" + i, null),
                    Map.of("k", new TypedValue(type, value)), "billing", "evt_" + i, "t", Instant.ofEpochSecond(i), 0);
            String body = UpdateCodec.encode(u);
            assertThat(UpdateCodec.decode(body)).as("case %d: %s %s", i, type, raw).isEqualTo(u);
            assertThat(sqsAccepts(body)).as("case %d: SQS's character set", i).isTrue();
        }
        assertThat(accepted).as("the generator reaches every type's accepted values").isGreaterThan(CASES / 4);
    }

    /** SQS takes #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF. */
    static boolean sqsAccepts(String body) {
        return body.codePoints().allMatch(c -> c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
                || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF));
    }

    @Test
    void decimalsAreBoundedToWhatChartMogulKeeps() {
        assertThat(AttributeType.Decimal.coerce("123456789012345")).isEqualTo(new BigDecimal("123456789012345"));
        assertThat(AttributeType.Decimal.coerce("0.123456789012345")).isEqualTo(new BigDecimal("0.123456789012345"));
        assertThat(AttributeType.Decimal.coerce(0.1 + 0.2)).isEqualTo(new BigDecimal("0.3"));
        assertThat(AttributeType.Decimal.coerce("1e3")).isEqualTo(new BigDecimal("1000"));
        assertThatThrownBy(() -> AttributeType.Decimal.coerce("1234567890123456"))
                .isInstanceOf(AttributeType.CoercionException.class).hasMessageContaining("15 significant digits");
        assertThatThrownBy(() -> AttributeType.Decimal.coerce("0.1234567890123456"))
                .isInstanceOf(AttributeType.CoercionException.class);
    }

    @Test
    void contentsSqsRefusesAreNamedAsRefusedNotUnavailable() {
        LocalSqs local = LocalSqs.shared();
        String url = local.fifoWithDeadLetters(LocalSqs.uniqueName("refuse")).url();
        {
            Sqs sqs = local.relayClient();
            // bypasses coerce, which would have held it: what if another version queued such a value
            AttributeUpdate bad = new AttributeUpdate("billing", new CustomerRef.Uuid("cus_1"),
                    Map.of("plan", new TypedValue(AttributeType.String, "x\uFFFEy")), "billing", "evt_bad", "t",
                    Instant.EPOCH, 0);
            AttributeUpdate good = new AttributeUpdate("billing", new CustomerRef.Uuid("cus_2"),
                    Map.of("plan", new TypedValue(AttributeType.String, "fine")), "billing", "evt_ok", "t",
                    Instant.EPOCH, 0);
            assertThatThrownBy(() -> new SqsUpdateQueue(sqs, url).send(List.of(bad, good),
                    Deadline.in(Duration.ofSeconds(10), Clock.systemUTC())))
                    .isInstanceOfSatisfying(UpdateQueue.Refused.class, e -> assertThat(e.updates()).containsExactly(bad));
            assertThat(local.visible(url)).isEqualTo(1); // the good one was queued
        }
    }
}
