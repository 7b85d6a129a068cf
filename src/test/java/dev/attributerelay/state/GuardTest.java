package dev.attributerelay.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attributerelay.mapping.AttributeType;
import dev.attributerelay.mapping.TypedValue;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GuardTest {
    static final Instant T1 = Instant.parse("2026-03-01T00:01:00Z");
    static final Instant T2 = Instant.parse("2026-03-01T00:02:00Z");

    static AppliedValue applied(String value, String type, Instant at, boolean inDoubt) {
        return new AppliedValue(value, type, at, "evt", at, "billing", at, inDoubt);
    }

    static Map<String, Instant> at(Instant t, String... keys) {
        Map<String, Instant> m = new LinkedHashMap<>();
        for (String k : keys) {
            m.put(k, t);
        }
        return m;
    }

    static final Map<String, TypedValue> PRO = Map.of("plan", new TypedValue(AttributeType.String, "pro"));

    @Test
    void anOlderEventIsStaleAndAnEqualTimeReapplies() {
        StateStore.Leased state = new StateStore.Leased(Map.of("plan", applied("free", "String", T2, false)), false);
        assertThat(Guard.plan(state, PRO, at(T1, "plan"), true).stale()).containsExactly("plan");
        assertThat(Guard.plan(state, PRO, at(T2, "plan"), true).send()).containsOnlyKeys("plan");
    }

    @Test
    void anEqualValueIsUnchangedUnlessTheWriteIsInDoubtOrTheLastLeaseWasNeverSettled() {
        AppliedValue pro = applied("pro", "String", T1, false);
        assertThat(Guard.plan(new StateStore.Leased(Map.of("plan", pro), false), PRO, at(T2, "plan"), true)
                .unchanged()).containsExactly("plan");
        assertThat(Guard.plan(new StateStore.Leased(Map.of("plan", pro), false), PRO, at(T2, "plan"), false)
                .send()).as("skip_unchanged: false").containsOnlyKeys("plan");
        assertThat(Guard.plan(new StateStore.Leased(Map.of("plan", pro.doubted()), false), PRO, at(T2, "plan"), true)
                .send()).containsOnlyKeys("plan");
        assertThat(Guard.plan(new StateStore.Leased(Map.of("plan", pro), true), PRO, at(T2, "plan"), true)
                .send()).containsOnlyKeys("plan");
    }

    @Test
    void decimalsCompareByValueNotByScale() {
        StateStore.Leased state = new StateStore.Leased(Map.of("mrr", applied("12.5", "Decimal", T1, false)), false);
        Map<String, TypedValue> same = Map.of("mrr", new TypedValue(AttributeType.Decimal, new BigDecimal("12.50")));
        assertThat(Guard.plan(state, same, at(T2, "mrr"), true).unchanged()).containsExactly("mrr");
    }

    @Test
    void recordingConfirmsUnchangedAtTheNewerTimeAndDoubtsEverythingAfterAnUnsettledLease() {
        StateStore.Leased state = new StateStore.Leased(Map.of("plan", applied("pro", "String", T1, false),
                "seats", applied("3", "Integer", T1, false)), false);
        Map<String, TypedValue> update = new LinkedHashMap<>(PRO);
        update.put("seats", new TypedValue(AttributeType.Integer, 4L));
        Guard.Plan plan = Guard.plan(state, update, at(T2, "plan", "seats"), true);
        Map<String, AppliedValue> rec = Guard.record(state, plan, at(T2, "plan", "seats"), "evt_2", "billing", T2, false);
        assertThat(rec.get("plan").newest()).isEqualTo(T2);
        assertThat(rec.get("plan").eventId()).as("still the event that wrote it").isEqualTo("evt");
        assertThat(rec.get("seats").value()).isEqualTo("4");
        assertThat(rec.get("seats").eventId()).isEqualTo("evt_2");

        StateStore.Leased unsettled = new StateStore.Leased(Map.of("seats", applied("3", "Integer", T1, false)), true);
        Guard.Plan planOnly = Guard.plan(unsettled, PRO, at(T2, "plan"), true);
        Map<String, AppliedValue> after = Guard.record(unsettled, planOnly, at(T2, "plan"), "evt_2", "billing", T2,
                false);
        assertThat(after.get("seats").inDoubt()).as("the stopped write may have set it").isTrue();
        assertThat(after.get("plan").inDoubt()).isFalse();
    }
}
