package dev.attributerelay.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackfillStateTest {
    @TempDir
    Path tmp;

    @Test
    void writtenStateReadsBackWholeAndLeavesNoTemporaryFile() throws IOException {
        Path file = tmp.resolve("state.json");
        BackfillState s = BackfillState.start("stripe", "2024-01-01T00:00:00Z")
                .withDone("cus_1", new Tally.Counts(1, 2, 1, 0, 0, 0, 0))
                .withDone("cus_2", new Tally.Counts(2, 3, 1, 1, 0, 0, 0));
        s.write(file);

        BackfillState back = BackfillState.read(file);

        assertThat(back).isEqualTo(s);
        assertThat(Files.list(tmp).map(p -> p.getFileName().toString())).containsExactly("state.json");
    }

    @Test
    void theNextPageForgetsThePagesCustomersAndTheLastOneFinishes() {
        BackfillState s = BackfillState.start("paddle", null).withDone("ctm_1", Tally.Counts.ZERO);

        assertThat(s.nextPage("ctm_1", Tally.Counts.ZERO).done()).isEmpty();
        assertThat(s.nextPage("ctm_1", Tally.Counts.ZERO).finished()).isFalse();
        assertThat(s.nextPage(null, Tally.Counts.ZERO).finished()).isTrue();
    }

    @Test
    void aFileThatIsNotAStateFileIsRefused() throws IOException {
        Path file = tmp.resolve("relay.yaml");
        Files.writeString(file, "integrations: {}");

        assertThatThrownBy(() -> BackfillState.read(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("is not a backfill state file");
        assertThat(BackfillState.read(tmp.resolve("absent.json"))).isNull();
    }

    @Test
    void aLiveSubscriptionDecidesOverANewerCanceledOne() throws IOException {
        ObjectMapper json = new ObjectMapper();
        var live = json.readTree("{\"status\":\"active\",\"created\":1}");
        var paused = json.readTree("{\"status\":\"paused\",\"created\":5}");
        var canceled = json.readTree("{\"status\":\"canceled\",\"created\":9}");
        var newerLive = json.readTree("{\"status\":\"trialing\",\"created\":3}");

        assertThat(Precedence.current(List.of(canceled, live, paused), s -> s.path("status").asText(),
                s -> s.path("created").asLong())).contains(live);
        assertThat(Precedence.current(List.of(live, newerLive, canceled), s -> s.path("status").asText(),
                s -> s.path("created").asLong())).contains(newerLive);
        assertThat(Precedence.current(List.of(canceled, paused), s -> s.path("status").asText(),
                s -> s.path("created").asLong())).contains(paused);
    }
}
