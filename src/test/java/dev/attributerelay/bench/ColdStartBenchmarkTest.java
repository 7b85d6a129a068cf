package dev.attributerelay.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cold-start harness, once through, on the build's class path instead of the shaded jar: a smoke test that
 * keeps {@code bench/run cold-start} working, and the SnapStart test under the real runtime interface client
 * (snap-start init, Lambda's CRaC layer, container credentials; the hooks prime without reading the secret,
 * which the harness checks before it restores).
 */
class ColdStartBenchmarkTest {

    @TempDir
    Path out;

    @Test
    void oneRoundOfEveryMeasurementRunsAndTheAnswersAreRight() throws Exception {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        assumeTrue(os.contains("linux") && List.of("amd64", "x86_64", "aarch64").contains(System.getProperty("os.arch")),
                "the Lambda runtime interface client runs on Linux x86_64/aarch64 only");
        ColdStartBenchmark.Options options = ColdStartBenchmark.Options.defaults().with(b -> {
            b.runs = 1;
            b.events = 12;
            b.customers = 4;
            b.snapStartRuns = 1;
            b.relayClasspath = ColdStartBenchmark.ownClasspath();
            b.jar = null;
            b.out = out;
            b.quiet = true;
            b.warmup = false;
        });

        ColdStartBenchmark.Report r = new ColdStartBenchmark(options).run();

        // every relay answer was checked to be 200 "applied" (the noop's {}), or run() would have thrown
        assertThat(r.relay).hasSize(1);
        assertThat(r.relayMedianMs()).isPositive();
        assertThat(r.noopMedianMs()).isPositive();
        assertThat(r.relayClasses.total).isGreaterThan(r.noopClasses.total);
        assertThat(r.steady.firstSightUpdates).isEqualTo(4);
        assertThat(r.steady.firstSightCalls).as("lookup and PUT").isEqualTo(8);
        assertThat(r.steady.steadyUpdates).isEqualTo(8);
        assertThat(r.steady.steadyCalls).as("PUT only: the uuid is cached").isEqualTo(8);
        assertThat(r.steady.peakRssKb).isPositive();
        assertThat(r.snapStart).hasSize(1);
        assertThat(r.snapStart.get(0).primingNote()).containsPattern("SnapStart priming: \\d+ steps in")
                .doesNotContain("failed");
        assertThat(r.snapStartUnprimed.get(0).primingNote()).isEqualTo("(no priming line)");
        // the relay's containers shared template.yaml's applied-state table: records of what they applied are in it
        assertThat(r.stateTable).isTrue();
        assertThat(r.stateItems).isPositive();
        assertThat(out.resolve("cold-start.json")).exists();
    }
}
