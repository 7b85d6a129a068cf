package dev.attributerelay.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attributerelay.testing.LocalSqs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code replay} as an operator runs it: the command line, against a real SQS server on loopback. */
class ReplayCommandTest {
    LocalSqs sqs;
    LocalSqs.Queues q;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path tmp;

    @BeforeEach
    void queues() {
        sqs = LocalSqs.shared();
        q = sqs.fifoWithDeadLetters(LocalSqs.uniqueName("cli-replay"));
    }

    @Test
    void replayMovesDeadLettersAndPrintsTheCount() {
        deadLetters(3);

        int exit = run("replay", "--from", q.deadLetterUrl(), "--to", q.url());

        assertThat(exit).as(text(err)).isZero();
        assertThat(text(out)).contains("moved 3 messages from " + q.deadLetterUrl() + " to " + q.url());
        assertThat(sqs.visible(q.url())).isEqualTo(3);
        assertThat(sqs.visible(q.deadLetterUrl())).isZero();
    }

    @Test
    void dryRunAndMax() {
        deadLetters(3);

        assertThat(run("replay", "--from", q.deadLetterUrl(), "--to", q.url(), "--dry-run")).isZero();
        assertThat(text(out)).contains("dry run: 3 messages would move");
        assertThat(sqs.visible(q.url())).isZero();

        assertThat(run("replay", "--from", q.deadLetterUrl(), "--to", q.url(), "--max", "1")).isZero();
        assertThat(text(out)).contains("moved 1 message from");
        assertThat(sqs.visible(q.url())).isEqualTo(1);
        assertThat(sqs.visible(q.deadLetterUrl())).isEqualTo(2);
    }

    @Test
    void usageMistakesAreUsageErrors() {
        assertThat(run("replay", "--from", q.deadLetterUrl())).isEqualTo(64);
        assertThat(text(err)).contains("replay takes --from <dead-letter-queue-url> and --to <queue-url>");
        assertThat(run("replay", "--from", q.url(), "--to", q.url())).isEqualTo(64);
        assertThat(run("replay", "--from", q.deadLetterUrl(), "--to", q.url(), "--max", "0")).isEqualTo(64);
        assertThat(run("replay", "--from", q.deadLetterUrl(), "--to", q.url(), "--max", "x")).isEqualTo(64);
    }

    /**
     * The command in its own JVM with nothing but the environment an operator sets: the SDK finds SQS through
     * {@code AWS_ENDPOINT_URL_SQS} alone (no endpoint in code, no system property).
     */
    @Test
    void theSdkFindsSqsThroughAwsEndpointUrlSqs() throws Exception {
        deadLetters(2);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", classpath,
                Cli.class.getName(), "replay", "--from", q.deadLetterUrl(), "--to", q.url());
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("AWS_ENDPOINT_URL_SQS", sqs.endpoint().toString());
        env.put("AWS_REGION", "eu-west-1");
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        env.put("AWS_CONFIG_FILE", tmp.resolve("no-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", tmp.resolve("no-credentials").toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("moved 2 messages");
        assertThat(sqs.visible(q.url())).isEqualTo(2);
    }

    private void deadLetters(int n) {
        for (int i = 0; i < n; i++) {
            int k = i;
            sqs.client().sendMessage(b -> b.queueUrl(q.deadLetterUrl()).messageBody("m" + k).messageGroupId("g" + k)
                    .messageDeduplicationId("d" + k));
        }
    }

    private int run(String... args) {
        return Cli.run(args, sqs.env(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static String text(ByteArrayOutputStream s) {
        return s.toString(StandardCharsets.UTF_8);
    }
}
