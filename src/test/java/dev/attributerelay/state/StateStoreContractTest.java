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
    static final AppliedValue PRO = new AppliedValue("pro", "String", NOW, "evt_1", NOW, "billing", NOW, false);

    /** Each call its own: starting dynalite may take longer than one deadline. */
    static Deadline deadline() {
        return Deadline.in(Duration.ofSeconds(10), Clock.systemUTC());
    }

    static Stream<StateStore> stores() {
        LocalDynamo dynamo = LocalDynamo.shared();
        return Stream.of(new MemoryStore(), Wiring.stateStore(dynamo.env(dynamo.createStateTable())));
    }

    @ParameterizedTest
    @MethodSource("stores")
    void aLeaseIsExclusiveUntilReleasedOrRunOut(StateStore store) {
        assertThat(store.tryLease("cus_1", "a", NOW, NOW.plusSeconds(10), deadline())).isNotNull();
        assertThat(store.tryLease("cus_1", "b", NOW.plusSeconds(5), NOW.plusSeconds(20), deadline())).isNull();
        assertThat(store.settle("cus_1", "b", Map.of("plan", PRO), null, deadline())).as("not b's lease").isFalse();
        assertThat(store.settle("cus_1", "a", Map.of("plan", PRO), null, deadline())).isTrue();
        StateStore.Leased next = store.tryLease("cus_1", "b", NOW.plusSeconds(5), NOW.plusSeconds(20), deadline());
        assertThat(next.applied()).containsEntry("plan", PRO);
        assertThat(next.unsettled()).isFalse();
    }

    @ParameterizedTest
    @MethodSource("stores")
    void aLeaseThatRanOutUnsettledSaysSoAndOneKeptForSettlingDoesNot(StateStore store) {
        store.tryLease("cus_2", "a", NOW, NOW.plusSeconds(10), deadline());
        StateStore.Leased taken = store.tryLease("cus_2", "b", NOW.plusSeconds(11), NOW.plusSeconds(30), deadline());
        assertThat(taken.unsettled()).isTrue();
        assertThat(store.settle("cus_2", "a", Map.of("plan", PRO), null, deadline())).as("a lost it").isFalse();

        assertThat(store.settle("cus_2", "b", Map.of("plan", PRO.doubted()), NOW.plusSeconds(40), deadline())).isTrue();
        assertThat(store.tryLease("cus_2", "c", NOW.plusSeconds(35), NOW.plusSeconds(60), deadline()))
                .as("kept for settling").isNull();
        StateStore.Leased after = store.tryLease("cus_2", "c", NOW.plusSeconds(41), NOW.plusSeconds(60), deadline());
        assertThat(after.unsettled()).isFalse();
        assertThat(after.applied().get("plan").inDoubt()).isTrue();
    }

    @ParameterizedTest
    @MethodSource("stores")
    void oneLookupAtATimeAndAResolutionIsSharedUntilItExpiresOrIsForgotten(StateStore store) {
        assertThat(store.resolution("ref1", NOW, deadline())).isNull();
        assertThat(store.startLookup("ref1", "a", NOW, NOW.plusSeconds(5), deadline()))
                .isEqualTo(new StateStore.LookupStart.Taken());
        assertThat(store.startLookup("ref1", "b", NOW, NOW.plusSeconds(5), deadline()))
                .isEqualTo(new StateStore.LookupStart.Busy());
        assertThat(store.startLookup("ref1", "b", NOW.plusSeconds(6), NOW.plusSeconds(9), deadline()))
                .as("a lookup lease that ran out").isEqualTo(new StateStore.LookupStart.Taken());
        store.resolved("ref1", "cus_9", NOW.plusSeconds(900), deadline());
        assertThat(store.resolution("ref1", NOW.plusSeconds(1), deadline())).isEqualTo("cus_9");
        assertThat(store.startLookup("ref1", "c", NOW.plusSeconds(1), NOW.plusSeconds(5), deadline()))
                .as("resolved: nothing to look up").isEqualTo(new StateStore.LookupStart.Resolved("cus_9"));
        assertThat(store.resolution("ref1", NOW.plusSeconds(901), deadline())).as("expired").isNull();
        assertThat(store.startLookup("ref1", "c", NOW.plusSeconds(901), NOW.plusSeconds(905), deadline()))
                .as("expired: looked up again").isEqualTo(new StateStore.LookupStart.Taken());
        store.resolved("ref1", "cus_9", NOW.plusSeconds(1800), deadline());
        store.forget("ref1", deadline());
        assertThat(store.resolution("ref1", NOW.plusSeconds(1), deadline())).isNull();

        assertThat(store.startLookup("ref2", "a", NOW, NOW.plusSeconds(5), deadline()))
                .isEqualTo(new StateStore.LookupStart.Taken());
        store.lookupEnded("ref2", "a", deadline());
        assertThat(store.startLookup("ref2", "b", NOW, NOW.plusSeconds(5), deadline())).as("a miss is not kept")
                .isEqualTo(new StateStore.LookupStart.Taken());
    }
}
