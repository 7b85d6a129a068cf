package dev.attributerelay.bench;

import dev.attributerelay.testing.LocalSqs;

/**
 * The 10,000-update burst, as a benchmark rather than a test: it reports, it does not pass or fail. Run it with
 * {@code mvn -q -B test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.attributerelay.bench.BurstBenchmark} (arguments: updates, worker containers, requests a
 * second per container; defaults 10000 10 3.6, template.yaml's default MaxWorkerConcurrency and its share of 36/s).
 */
public final class BurstBenchmark {
    private BurstBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        // must precede the first JDK HttpServer: the loopback fakes answer in one segment, not two
        System.setProperty("sun.net.httpserver.nodelay", "true");
        int updates = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int pollers = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        double perContainer = args.length > 2 ? Double.parseDouble(args[2]) : 3.6;
        System.out.printf("burst benchmark: %d updates, %d worker containers, %.1f requests/s each%n", updates,
                pollers, perContainer);
        LocalSqs sqs = new LocalSqs();
        try {
            Burst.Result r = Burst.run(sqs, updates, pollers, perContainer, 4, System.out);
            System.out.print(r.report());
        } finally {
            sqs.close();
        }
    }
}
