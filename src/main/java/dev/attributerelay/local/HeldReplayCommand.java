package dev.attributerelay.local;

import dev.attributerelay.EventLog;
import dev.attributerelay.Relay;
import dev.attributerelay.Wiring;
import dev.attributerelay.aws.AwsCallException;
import dev.attributerelay.chartmogul.RetryPolicy;
import dev.attributerelay.mapping.ConfigLoader;
import dev.attributerelay.mapping.RelayConfig;
import dev.attributerelay.queue.HeldReplay;
import dev.attributerelay.queue.Sqs;
import dev.attributerelay.queue.SqsUpdateQueue;
import dev.attributerelay.secrets.SecretSource;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * {@code replay --from <held queue url> [--to <update queue url>] [--max N] [--dry-run]}: sends held updates again
 * once their cause is fixed, through ChartMogul with the API key from the usual secrets, or onto the update queue.
 * Exit 0 when everything was sent, 1 when some went back held or failed (each named with its reason).
 */
final class HeldReplayCommand {
    private HeldReplayCommand() {
    }

    static int run(Cli.Options o, SecretSource secrets, Map<String, String> env, PrintStream out, PrintStream err) {
        RelayConfig config = o.config != null ? ConfigLoader.load(Path.of(o.config)) : ConfigLoader.fromEnvironment(env);
        Clock clock = Clock.systemUTC();
        try {
            Sqs sqs = Wiring.sqs(env);
            HeldReplay.Target target;
            if (o.to != null) {
                target = HeldReplay.onto(new SqsUpdateQueue(sqs, o.to));
            } else {
                Relay relay = Wiring.relay(config, secrets, Wiring.transportFor(Wiring.apiUrl(env)), Wiring.apiUrl(env),
                        clock, new EventLog(err), RetryPolicy.standard());
                target = (integration, update, deadline) -> relay.delivery().deliver(integration, update, deadline);
            }
            HeldReplay.Result r = new HeldReplay(sqs, config, target, clock).replay(o.from, o.max, o.dryRun, out);
            return r.heldAgain() == 0 && r.failed() == 0 ? 0 : 1;
        } catch (AwsCallException e) {
            err.println("cannot reach SQS: " + e.getMessage());
            return 69;
        }
    }

    /** A held queue is a standard queue; the dead-letter queue of the FIFO update queue is FIFO too. */
    static boolean isHeldQueue(String url) {
        return !url.endsWith(".fifo");
    }
}
