package dev.attributerelay.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attributerelay.Wiring;
import dev.attributerelay.chartmogul.Deadline;
import dev.attributerelay.testing.LocalDynamo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The storage both stores provide, the same on each: leases, settling, resolutions. */
class StateStoreContractTest {
    static final Instant NOW = Instant.parse("2026-03-01T00:00:00Z");
    static final Deadline DEADLINE = Deadline.in(Duration.ofSeconds(10), Clock.systemUTC());
    static final AppliedValue PRO = new AppliedValue("pro", "String", NOW, "evt_1", NOW, "billing", NOW, false);

    static Stream<StateStore> stores() {
        LocalDynamo dynamo = LocalDynamo.shared();
        return Stream.of(new MemoryStore(), Wiring.stateStore(dynamo.env(dynamo.createStateTable())));
    }

    @ParameterizedTest
    @MethodSource("stores")
    void aLeaseIsExclusiveUntilReleasedOrRunOut(StateStore store) {
        assertThat(store.tryLease("cus_1", "a", NOW, NOW.plusSeconds(10), DEADLINE)).isNotNull();
        assertThat(store.tryLease("cus_1", "b", NOW.plusSeconds(5), NOW.plusSeconds(20), DEADLINE)).isNull();
        assertThat(store.settle("cus_1", "b", Map.of("plan", PRO), null, DEADLINE)).as("not b's lease").isFalse();
        assertThat(store.settle("cus_1", "a", Map.of("plan", PRO), null, DEADLINE)).isTrue();
        StateStore.Leased next = store.tryLease("cus_1", "b", NOW.plusSeconds(5), NOW.plusSeconds(20), DEADLINE);
        assertThat(next.applied()).containsEntry("plan", PRO);
        assertThat(next.unsettled()).isFalse();
    }

    @ParameterizedTest
    @MethodSource("stores")
    void aLeaseThatRanOutUnsettledSaysSoAndOneKeptForSettlingDoesNot(StateStore store) {
        store.tryLease("cus_2", "a", NOW, NOW.plusSeconds(10), DEADLINE);
        StateStore.Leased taken = store.tryLease("cus_2", "b", NOW.plusSeconds(11), NOW.plusSeconds(30), DEADLINE);
        assertThat(taken.unsettled()).isTrue();
        assertThat(store.settle("cus_2", "a", Map.of("plan", PRO), null, DEADLINE)).as("a lost it").isFalse();

        assertThat(store.settle("cus_2", "b", Map.of("plan", PRO.doubted()), NOW.plusSeconds(40), DEADLINE)).isTrue();
        assertThat(store.tryLease("cus_2", "c", NOW.plusSeconds(35), NOW.plusSeconds(60), DEADLINE))
                .as("kept for settling").isNull();
        StateStore.Leased after = store.tryLease("cus_2", "c", NOW.plusSeconds(41), NOW.plusSeconds(60), DEADLINE);
        assertThat(after.unsettled()).isFalse();
        assertThat(after.applied().get("plan").inDoubt()).isTrue();
    }

    @ParameterizedTest
    @MethodSource("stores")
    void oneLookupAtATimeAndAResolutionIsSharedUntilItExpiresOrIsForgotten(StateStore store) {
        assertThat(store.resolution("ref1", NOW, DEADLINE)).isNull();
        assertThat(store.tryLookup("ref1", "a", NOW, NOW.plusSeconds(5), DEADLINE)).isTrue();
        assertThat(store.tryLookup("ref1", "b", NOW, NOW.plusSeconds(5), DEADLINE)).isFalse();
        store.resolved("ref1", "cus_9", NOW.plusSeconds(900), DEADLINE);
        assertThat(store.resolution("ref1", NOW.plusSeconds(1), DEADLINE)).isEqualTo("cus_9");
        assertThat(store.tryLookup("ref1", "b", NOW.plusSeconds(1), NOW.plusSeconds(5), DEADLINE))
                .as("resolved: nothing to look up").isFalse();
        assertThat(store.resolution("ref1", NOW.plusSeconds(901), DEADLINE)).as("expired").isNull();
        store.forget("ref1", DEADLINE);
        assertThat(store.resolution("ref1", NOW.plusSeconds(1), DEADLINE)).isNull();

        assertThat(store.tryLookup("ref2", "a", NOW, NOW.plusSeconds(5), DEADLINE)).isTrue();
        store.lookupEnded("ref2", "a", DEADLINE);
        assertThat(store.tryLookup("ref2", "b", NOW, NOW.plusSeconds(5), DEADLINE)).as("a miss is not kept").isTrue();
    }
}
