package dev.attributerelay.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The progress line, on a clock the test moves. */
class ProgressTest {
    final AtomicLong nanos = new AtomicLong(1_000);
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @Test
    void withoutATerminalAPlainLineEveryFewSeconds() {
        Progress p = new Progress(err, false, nanos::get);
        p.start(Tally.Counts.ZERO);

        nanos.addAndGet(Progress.PLAIN_EVERY_NANOS - 1);
        p.update(counts(10), -1);
        assertThat(text()).isEmpty();
        nanos.addAndGet(1);
        p.update(counts(50), -1);

        assertThat(text()).isEqualTo("50 customers, 100 objects read; sent 40, unchanged 5, held 3, failed 2;"
                + " 10.0 customers/s\n");
    }

    @Test
    void onATerminalTheLineIsRedrawnInPlaceWithTheTimeLeft() {
        Progress p = new Progress(err, true, nanos::get);
        p.start(counts(0));

        nanos.addAndGet(10_000_000_000L);
        p.update(counts(100), 400);
        nanos.addAndGet(Progress.TERMINAL_EVERY_NANOS);
        p.done(counts(100), 400);

        assertThat(text()).startsWith("\r100/400 customers").contains("10.0 customers/s, 30 s left")
                .doesNotContain("\n\r").endsWith("\n");
        assertThat(text().chars().filter(c -> c == '\r').count()).isEqualTo(2);
    }

    @Test
    void aResumedRunsRateCountsOnlyItsOwnCustomers() {
        Progress p = new Progress(err, false, nanos::get);
        p.start(counts(1000));

        nanos.addAndGet(Progress.PLAIN_EVERY_NANOS);
        p.update(counts(1010), -1);

        assertThat(text()).contains("2.0 customers/s");
    }

    private static Tally.Counts counts(long customers) {
        return new Tally.Counts(customers, customers * 2, customers * 4 / 5, customers / 10, customers * 3 / 50,
                customers / 25, 0);
    }

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
