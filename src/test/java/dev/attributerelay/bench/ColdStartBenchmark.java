package dev.attributerelay.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.attributerelay.mapping.ConfigLoader;
import dev.attributerelay.mapping.Integration;
import dev.attributerelay.mapping.Rule;
import dev.attributerelay.testing.Events;
import dev.attributerelay.testing.FakeChartMogul;
import dev.attributerelay.testing.FakeLambdaRuntime;
import dev.attributerelay.testing.TestSupport;
import dev.attributerelay.testing.FakeSecretsManager;
import dev.attributerelay.testing.Fixtures;
import dev.attributerelay.testing.LocalDynamo;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;

/**
 * Cold start, memory and ChartMogul calls of the packaged function, measured as Lambda runs it: the shaded jar
 * under the real runtime interface client (on the class path next to it, as in the managed runtime), polling a
 * loopback Runtime API, reading its secret from a loopback Secrets Manager through the real AWS SDK and calling
 * a loopback ChartMogul. Every figure that is a target is a ratio or a count measured in the same run, so it
 * holds on a shared, noisy machine.
 *
 * <ul>
 *   <li>cold start: from just before the JVM is started to the first webhook's answer (secret fetched,
 *       customer resolved, PUT done), relay and a do-nothing handler ({@link NoopHandler}) alternating;</li>
 *   <li>classes loaded by the first answer ({@code -Xlog:class+load}), by package;</li>
 *   <li>peak RSS ({@code VmHWM}) after a number of events, with the managed runtime's heap, metaspace and
 *       code-cache limits for a given memory size; ChartMogul calls per applied update on first sight of a
 *       customer and in steady state;</li>
 *   <li>SnapStart: {@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}, checkpoint hooks (priming) until the
 *       runtime asks to be restored, then the time from restore to the first answer.</li>
 * </ul>
 *
 * Run it with {@code bench/run cold-start} (README, "Performance"); {@code --help} lists the options.
 */
public final class ColdStartBenchmark {
    static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    static final String RELAY_HANDLER = "dev.attributerelay.lambda.ApiGatewayHandler::handleRequest";
    static final String NOOP_HANDLER = "dev.attributerelay.bench.NoopHandler::handleRequest";
    /** The runtime interface client and what it needs; the managed runtime has these outside the function. */
    private static final List<String> RUNTIME_JARS = List.of("aws-lambda-java-runtime-interface-client",
            "aws-lambda-java-serialization", "aws-lambda-java-core", "utils-lite");

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String SECRET_ID = "attribute-relay/bench";
    private static final String API_KEY = "cm_bench_0d9a7c1e5f3b4a26";
    private static final String SIGNING_SECRET = "whsec_bench_3c1f9e0a7b5d4c2e8f6a1b0c9d8e7f6a";
    private static final String DATA_SOURCE = "ds_0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e";
    private static final Duration ANSWER = Duration.ofSeconds(60);

    static {
        // the loopback servers answer in two writes (headers, body); without TCP_NODELAY the client's delayed ACK
        // holds the second back about 40 ms, an artifact no real endpoint shows (read once, by the JDK's server)
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final Options options;
    private final Path work;
    private final String bodyTemplate;
    /** Events made so far: each gets its own seats value. */
    private final java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
    /** Customers after the steady run's: each relay cold start gets one it is the first to see. */
    private final java.util.concurrent.atomic.AtomicInteger firstSights = new java.util.concurrent.atomic.AtomicInteger();
    private FakeChartMogul chartMogul;
    private FakeSecretsManager secrets;
    private ContainerCredentials credentials;
    /** The applied-state table's environment for every relay container (empty with --no-state-table). */
    private Map<String, String> stateEnv = Map.of();

    public ColdStartBenchmark(Options options) throws IOException {
        this.options = options;
        // the containers run in this directory: every path handed to them is absolute
        this.work = Files.createDirectories(options.out()).toAbsolutePath();
        this.bodyTemplate = stripeBodyTemplate();
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        Report report = new ColdStartBenchmark(options).run();
        System.out.println(report.table());
        System.out.println("(raw figures: " + options.out().resolve("cold-start.json") + ")");
    }

    /** Runs every measurement the options ask for and writes {@code cold-start.json} beside the logs. */
    public Report run() throws Exception {
        Files.createDirectories(work.resolve("logs"));
        Path noopJar = noopJar();
        List<String> runtime = runtimeJars();
        List<String> relayCp = new ArrayList<>(runtime);
        relayCp.add(absolute(options.relayClasspath()));
        List<String> noopCp = new ArrayList<>(runtime);
        noopCp.add(noopJar.toString());

        Report report = new Report();
        report.jarBytes = options.jar() == null ? -1 : Files.size(options.jar());
        report.java = javaVersion();
        report.memoryMb = options.memoryMb();
        try (FakeChartMogul cm = new FakeChartMogul(); FakeSecretsManager sm = new FakeSecretsManager();
             ContainerCredentials creds = new ContainerCredentials();
             LocalDynamo dynamo = options.stateTable() ? LocalDynamo.own() : null) {
            chartMogul = cm;
            secrets = sm;
            credentials = creds;
            firstSights.set(options.customers());
            if (dynamo != null) {
                // as deployed: template.yaml's table, shared by every container of the run. The credentials are
                // Lambda's (environment variables, or the container endpoint under SnapStart), set in start()
                stateEnv = Map.of("RELAY_STATE_TABLE", dynamo.createStateTable(),
                        "AWS_ENDPOINT_URL_DYNAMODB", dynamo.endpoint().toString());
                report.stateTable = true;
            }
            cm.acceptKey(API_KEY);
            for (int k = 0; k < options.customers(); k++) {
                cm.customer(uuid(k), externalId(k), DATA_SOURCE, null);
            }
            // every attribute the bundled relay.yaml can set is defined in the account, as an operator would have it
            for (Integration integration : ConfigLoader.loadBundled().integrations().values()) {
                for (Rule rule : integration.rules()) {
                    rule.attributes().forEach(a -> cm.defined(a.key(), a.type().name()));
                }
            }
            if (options.baselineJar() != null) {
                definedIn(options.baselineJar()).forEach(cm::defined);
            }
            if (options.secretsExtension()) {
                sm.extensionToken("bench"); // the AWS_SESSION_TOKEN every container is given
            }
            sm.put(SECRET_ID, JSON.writeValueAsString(Map.of("chartmogul_api_key", API_KEY,
                    "stripe_signing_secret", SIGNING_SECRET)));

            if (options.warmup()) {
                log("warm-up (page cache, not counted)");
                coldStart("warmup-relay", RELAY_HANDLER, relayCp, Map.of(), List.of());
                coldStart("warmup-noop", NOOP_HANDLER, noopCp, Map.of(), List.of());
            }
            List<String> baselineCp = null;
            if (options.baselineJar() != null) {
                baselineCp = new ArrayList<>(runtime);
                baselineCp.add(options.baselineJar().toAbsolutePath().toString());
            }
            // the extension's port for the relay's cold starts; a baseline build runs as before, through the SDK
            Map<String, String> relayEnv = options.secretsExtension()
                    ? Map.of("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", Integer.toString(sm.url().getPort())) : Map.of();
            for (int i = 0; i < options.runs(); i++) {
                Run relay = coldStart("relay-" + i, RELAY_HANDLER, relayCp, relayEnv, List.of());
                Run noop = coldStart("noop-" + i, NOOP_HANDLER, noopCp, Map.of(), List.of());
                report.relay.add(relay);
                report.noop.add(noop);
                if (baselineCp != null) {
                    Run base = coldStart("baseline-" + i, RELAY_HANDLER, baselineCp, Map.of(), List.of());
                    report.baseline.add(base);
                    log(String.format(Locale.ROOT, "run %d: baseline jar %d ms (init %d, cpu %d)", i + 1,
                            base.firstAnswerMs(), base.initMs(), base.cpuMs()));
                }
                log(String.format(Locale.ROOT, "run %d: relay %d ms (init %d, cpu %d), do-nothing %d ms (init %d, cpu %d)",
                        i + 1, relay.firstAnswerMs(), relay.initMs(), relay.cpuMs(), noop.firstAnswerMs(), noop.initMs(),
                        noop.cpuMs()));
            }
            if (options.classes()) {
                report.relayClasses = classes("classes-relay", RELAY_HANDLER, relayCp, relayEnv);
                report.noopClasses = classes("classes-noop", NOOP_HANDLER, noopCp, Map.of());
                log("classes loaded by the first answer: relay " + report.relayClasses.total + ", do-nothing "
                        + report.noopClasses.total);
            }
            if (options.events() > 0) {
                report.steady = steady("steady-relay", RELAY_HANDLER, relayCp, relayEnv, options.events());
                report.noopRss = steady("steady-noop", NOOP_HANDLER, noopCp, Map.of(), options.events());
                log("peak RSS after " + options.events() + " events: relay " + report.steady.peakRssKb / 1024
                        + " MiB, do-nothing " + report.noopRss.peakRssKb / 1024 + " MiB");
            }
            for (int i = 0; i < options.snapStartRuns(); i++) {
                SnapStartRun s = snapStart("snapstart-" + i, relayCp, relayEnv, true);
                report.snapStart.add(s);
                SnapStartRun u = snapStart("snapstart-unprimed-" + i, relayCp, relayEnv, false);
                report.snapStartUnprimed.add(u);
                log(String.format(Locale.ROOT, "snap-start %d without the CRaC layer (no hooks run): restore to answer %d ms",
                        i + 1, u.restoreToAnswerMs()));
                log(String.format(Locale.ROOT, "snap-start %d: init + checkpoint hooks %d ms, restore to answer %d ms; %s",
                        i + 1, s.checkpointMs(), s.restoreToAnswerMs(), s.primingNote()));
            }
            if (dynamo != null) {
                // proof the relay's containers used the table: what they wrote is there
                report.stateItems = dynamo.client().scan(b -> b.tableName(stateEnv.get("RELAY_STATE_TABLE"))).count();
            }
        }
        Files.writeString(work.resolve("cold-start.json"), JSON.writeValueAsString(report.json()));
        return report;
    }

    // --- one container ----------------------------------------------------------------------------------------

    /** Starts a JVM, answers one signed event, stops it. */
    private Run coldStart(String name, String handler, List<String> cp, Map<String, String> env, List<String> jvm)
            throws Exception {
        try (Container c = start(name, handler, cp, env, jvm, options.memoryMb())) {
            long answered = c.answer(event(handler.equals(RELAY_HANDLER) ? firstSight() : 0), handler);
            return new Run(name, c.started, c.runtime.firstPollNanos(), answered, cpuMillis(c.process.pid()));
        }
    }

    /** @param env the timed runs' environment, so the classes counted are those of the runs timed */
    private ClassCount classes(String name, String handler, List<String> cp, Map<String, String> env)
            throws Exception {
        Path file = work.resolve("logs").resolve(name + ".classes");
        Files.deleteIfExists(file);
        try (Container c = start(name, handler, cp, env, List.of("-Xlog:class+load=info:file=" + file + ":none"),
                options.memoryMb())) {
            c.answer(event(handler.equals(RELAY_HANDLER) ? firstSight() : 0), handler);
            return ClassCount.of(Files.readAllLines(file, StandardCharsets.UTF_8));
        }
    }

    /** The first event, then more over {@link Options#customers()} customers; peak RSS and ChartMogul calls. */
    private Steady steady(String name, String handler, List<String> cp, Map<String, String> env, int events)
            throws Exception {
        Steady s = new Steady();
        s.events = events;
        s.memoryMb = options.rssMemoryMb();
        boolean relay = handler.equals(RELAY_HANDLER);
        boolean[] seen = new boolean[options.customers()];
        try (Container c = start(name, handler, cp, env, List.of(), options.rssMemoryMb())) {
            long started = System.nanoTime();
            for (int i = 0; i < events; i++) {
                int customer = i % options.customers();
                int before = chartMogul.requests().size();
                c.answer(event(customer), handler);
                int calls = chartMogul.requests().size() - before;
                if (relay) {
                    if (seen[customer]) {
                        s.steadyUpdates++;
                        s.steadyCalls += calls;
                    } else {
                        s.firstSightUpdates++;
                        s.firstSightCalls += calls;
                    }
                }
                seen[customer] = true;
            }
            s.millis = (System.nanoTime() - started) / 1_000_000;
            Map<String, Long> status = procStatus(c.process.pid());
            s.peakRssKb = status.getOrDefault("VmHWM", -1L);
            s.rssKb = status.getOrDefault("VmRSS", -1L);
            s.heapInfo = heapInfo(c.process.pid());
        }
        return s;
    }

    /**
     * A SnapStart init as Lambda runs it: {@code snap-start}, the runtime's CRaC compatibility layer, and the
     * role's credentials from a container credentials endpoint instead of environment variables (their values
     * would be stale after a restore).
     */
    private SnapStartRun snapStart(String name, List<String> cp, Map<String, String> relayEnv, boolean hooks)
            throws Exception {
        Map<String, String> env = new LinkedHashMap<>(relayEnv);
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start");
        env.put("AWS_ACCESS_KEY_ID", "");
        env.put("AWS_SECRET_ACCESS_KEY", "");
        env.put("AWS_SESSION_TOKEN", "");
        env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", credentials.url() + "/2021-04-23/credentials");
        env.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", ContainerCredentials.TOKEN);
        // without the property org.crac finds no CRaC implementation and registers nothing: the same init, unprimed
        List<String> jvm = hooks ? List.of("-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac") : List.of();
        int readsBefore = secrets.reads();
        try (Container c = start(name, RELAY_HANDLER, cp, env, jvm, options.memoryMb())) {
            long checkpoint;
            try {
                checkpoint = c.runtime.awaitCheckpoint(ANSWER, c.process::isAlive);
            } catch (TimeoutException e) {
                throw new IllegalStateException(name + ": the runtime never asked to be restored: " + e.getMessage()
                        + "\n" + c.output());
            }
            if (secrets.reads() != readsBefore || c.output().contains(SIGNING_SECRET)) {
                throw new IllegalStateException(name + ": the secret was read before the snapshot");
            }
            // Lambda snapshots here and restores later in another microVM; let this JVM settle as a frozen one would
            Thread.sleep(300);
            long restored = System.nanoTime();
            c.runtime.restore();
            long answered = c.answer(event(firstSight()), RELAY_HANDLER);
            if (c.runtime.restoreErrorNow() != null) {
                throw new IllegalStateException(name + ": restore error " + c.runtime.restoreErrorNow().body());
            }
            return new SnapStartRun(name, c.started, checkpoint, restored, answered, primingNote(c.output()));
        }
    }

    private Container start(String name, String handler, List<String> cp, Map<String, String> extraEnv,
                            List<String> extraJvm, int memoryMb) throws IOException {
        FakeLambdaRuntime runtime = new FakeLambdaRuntime();
        Path log = work.resolve("logs").resolve(name + ".log");
        List<String> cmd = new ArrayList<>();
        cmd.add(options.java());
        cmd.addAll(managedRuntimeFlags(memoryMb));
        cmd.addAll(options.extraJvm());
        cmd.addAll(extraJvm);
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, cp));
        cmd.add(RIC_MAIN);
        cmd.add(handler);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", "/usr/bin:/bin");
        env.put("AWS_LAMBDA_RUNTIME_API", runtime.address());
        env.put("AWS_LAMBDA_FUNCTION_NAME", "attribute-relay");
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(memoryMb));
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/attribute-relay");
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "2024/01/01/[$LATEST]bench");
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.put("AWS_LAMBDA_LOG_FORMAT", "JSON");
        env.put("_HANDLER", handler);
        env.put("TZ", ":UTC");
        env.put("LAMBDA_TASK_ROOT", work.toString());
        env.put("AWS_REGION", "eu-west-1");
        env.put("AWS_DEFAULT_REGION", "eu-west-1");
        env.put("AWS_ACCESS_KEY_ID", "bench");
        env.put("AWS_SECRET_ACCESS_KEY", "bench");
        env.put("AWS_SESSION_TOKEN", "bench");
        env.put("AWS_CONFIG_FILE", work.resolve("no-aws-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", work.resolve("no-aws-credentials").toString());
        env.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", secrets.url().toString());
        env.put("CHARTMOGUL_SECRET_ID", SECRET_ID);
        env.put("CHARTMOGUL_API_URL", chartMogul.url().toString());
        if (handler.equals(RELAY_HANDLER)) {
            env.putAll(stateEnv);
        }
        env.putAll(options.extraEnv());
        env.putAll(extraEnv);
        env.values().removeIf(String::isEmpty); // an empty value unsets
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        pb.directory(work.toFile());
        long started = System.nanoTime();
        try {
            return new Container(name, runtime, pb.start(), log, started);
        } catch (IOException | RuntimeException e) {
            runtime.close();
            throw e;
        }
    }

    /**
     * The JVM flags the managed Java runtime starts with for a memory size (the microVM's memory, which sizes the
     * initial heap; 85 % heap, 10 % metaspace, 5 % code
     * cache, serial GC, CDS, and C1 only (the java17+ runtimes' default).
     */
    static List<String> managedRuntimeFlags(int memoryMb) {
        long kb = memoryMb * 1024L;
        return List.of("-XX:MaxRAM=" + memoryMb + "m", "-XX:MaxHeapSize=" + kb * 85 / 100 + "k", "-XX:MaxMetaspaceSize=" + kb / 10 + "k",
                "-XX:ReservedCodeCacheSize=" + kb / 20 + "k", "-XX:+UseSerialGC", "-Xshare:auto",
                "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-Djava.net.preferIPv4Stack=true");
    }

    private final class Container implements AutoCloseable {
        final String name;
        final FakeLambdaRuntime runtime;
        final Process process;
        final Path log;
        final long started;

        Container(String name, FakeLambdaRuntime runtime, Process process, Path log, long started) {
            this.name = name;
            this.runtime = runtime;
            this.process = process;
            this.log = log;
            this.started = started;
        }

        /** Invokes, checks the answer is the expected one, and returns {@link System#nanoTime()} at the answer. */
        long answer(String event, String handler) throws IOException {
            String id = runtime.enqueue(event, Duration.ofSeconds(30));
            FakeLambdaRuntime.Result r;
            try {
                r = runtime.await(id, ANSWER, process::isAlive);
            } catch (TimeoutException e) {
                throw new IllegalStateException(name + ": " + e.getMessage() + "\n" + output());
            }
            long at = System.nanoTime();
            if (r.kind() != FakeLambdaRuntime.Kind.RESPONSE) {
                throw new IllegalStateException(name + ": the invocation failed: " + r.body() + "\n" + output());
            }
            if (handler.equals(RELAY_HANDLER)) {
                JsonNode reply = JSON.readTree(r.body());
                String status = reply.path("body").isTextual()
                        ? JSON.readTree(reply.get("body").asText()).path("status").asText() : "";
                if (reply.path("statusCode").asInt() != 200 || !status.equals("applied")) {
                    throw new IllegalStateException(name + ": expected 200 applied, got " + r.body() + "\n" + output());
                }
            } else if (!r.body().equals("{}")) {
                throw new IllegalStateException(name + ": expected {}, got " + r.body());
            }
            return at;
        }

        String output() {
            try {
                String all = Files.readString(log, StandardCharsets.UTF_8);
                return all.length() > 8000 ? all.substring(all.length() - 8000) : all;
            } catch (IOException e) {
                return "(unreadable: " + e + ")";
            }
        }

        @Override
        public void close() {
            try {
                TestSupport.stop(process, 10);
            } finally {
                runtime.close();
            }
        }
    }

    // --- inputs -----------------------------------------------------------------------------------------------

    /** A signed Stripe customer.updated for customer {@code k}, as an HTTP API (2.0) event, signed now. */
    /**
     * A signed customer.updated for the customer; its seats change with every event the benchmark sends, so each one
     * is a PUT (an unchanged value would be skipped, with no ChartMogul call to measure).
     */
    private String event(int customer) {
        String body = bodyTemplate.replace("__CUSTOMER__", externalId(customer))
                .replace("__SEATS__", Integer.toString(12 + sent.getAndIncrement()));
        return Events.post("/webhooks/stripe", body).header("Content-Type", "application/json; charset=utf-8")
                .header("Stripe-Signature", Events.stripeSignature(SIGNING_SECRET, Instant.now().getEpochSecond(), body))
                .httpApi();
    }

    /** The project's own Stripe customer.updated fixture with plan and seats in its metadata, compact, customer id a placeholder. */
    private static String stripeBodyTemplate() {
        JsonNode fixture = Fixtures.ownJson("stripe/customer.updated.json").deepCopy();
        ObjectNode customer = (ObjectNode) fixture.at("/data/object");
        customer.put("id", "__CUSTOMER__");
        customer.putObject("metadata").put("plan", "pro").put("seats", "__SEATS__").put("acquisition_channel", "partner");
        try {
            return new ObjectMapper().writeValueAsString(fixture);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A customer no container has seen yet, known to ChartMogul: with the state table, resolution is shared, so a
     * customer an earlier run resolved would spare this one ChartMogul's lookup.
     */
    private int firstSight() {
        int k = firstSights.getAndIncrement();
        chartMogul.customer(uuid(k), externalId(k), DATA_SOURCE, null);
        return k;
    }

    private static String externalId(int k) {
        return String.format(Locale.ROOT, "cus_Bench%04d", k);
    }

    private static String uuid(int k) {
        return String.format(Locale.ROOT, "cus_00000000-0000-4000-8000-%012d", k);
    }

    /** A jar holding only {@link NoopHandler}, built from its compiled class. */
    private Path noopJar() throws IOException {
        Path jar = work.resolve("noop-handler.jar");
        String entry = NoopHandler.class.getName().replace('.', '/') + ".class";
        try (InputStream in = NoopHandler.class.getClassLoader().getResourceAsStream(entry);
             JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            if (in == null) {
                throw new IllegalStateException("cannot read " + entry);
            }
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        }
        return jar;
    }

    /** This JVM's class path: surefire may hand a test JVM a manifest-only jar, and the real one in a property. */
    static String ownClasspath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    /**
     * The attributes another build's bundled relay.yaml declares (its presets may name them differently), read by
     * that build's own ConfigLoader in a class loader of its own.
     */
    private static Map<String, String> definedIn(Path jar) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        try (java.net.URLClassLoader loader = new java.net.URLClassLoader(new java.net.URL[] {jar.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            Object config = loader.loadClass(ConfigLoader.class.getName()).getMethod("loadBundled").invoke(null);
            Map<?, ?> integrations = (Map<?, ?>) config.getClass().getMethod("integrations").invoke(config);
            for (Object integration : integrations.values()) {
                for (Object rule : (List<?>) integration.getClass().getMethod("rules").invoke(integration)) {
                    for (Object a : (List<?>) rule.getClass().getMethod("attributes").invoke(rule)) {
                        Object type = a.getClass().getMethod("type").invoke(a);
                        out.put((String) a.getClass().getMethod("key").invoke(a), ((Enum<?>) type).name());
                    }
                }
            }
        }
        return out;
    }

    private static String absolute(String classpath) {
        return Arrays.stream(classpath.split(File.pathSeparator)).map(p -> Path.of(p).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** The runtime interface client's jars, taken from this JVM's class path (test scope of the build). */
    private static List<String> runtimeJars() {
        String cp = ownClasspath();
        List<String> out = new ArrayList<>();
        for (String name : RUNTIME_JARS) {
            Arrays.stream(cp.split(File.pathSeparator))
                    .filter(p -> Path.of(p).getFileName().toString().startsWith(name + "-") && p.endsWith(".jar"))
                    .findFirst()
                    .map(ColdStartBenchmark::absolute)
                    .ifPresentOrElse(out::add, () -> {
                        throw new IllegalStateException(name + " is not on the class path; run through bench/run");
                    });
        }
        return out;
    }

    private String javaVersion() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(options.java(), "-version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out.lines().findFirst().orElse("?");
    }

    /** The JVM's own account of heap and metaspace use ({@code jcmd GC.heap_info}), summarized; empty if unavailable. */
    private String heapInfo(long pid) {
        Path jcmd = Path.of(options.java()).resolveSibling("jcmd");
        if (!Files.isExecutable(jcmd)) {
            return "";
        }
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.heap_info").redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(20, TimeUnit.SECONDS);
            return out.lines().map(String::trim).filter(l -> l.startsWith("def new generation") || l.startsWith("tenured")
                    || l.startsWith("Metaspace") || l.startsWith("class space")).collect(Collectors.joining("; "));
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** utime + stime of a process from /proc (clock ticks of 10 ms), or -1 where there is no /proc. */
    static long cpuMillis(long pid) throws IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.exists(stat)) {
            return -1;
        }
        String s = Files.readString(stat);
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        // after the command come state (field 3) ... utime (14) and stime (15)
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
    }

    private static Map<String, Long> procStatus(long pid) throws IOException {
        Map<String, Long> out = new LinkedHashMap<>();
        Path status = Path.of("/proc", Long.toString(pid), "status");
        if (!Files.exists(status)) {
            return out;
        }
        for (String line : Files.readAllLines(status)) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.endsWith(" kB")) {
                out.put(line.substring(0, colon), Long.parseLong(line.substring(colon + 1, line.length() - 3).trim()));
            }
        }
        return out;
    }

    private void log(String line) {
        if (!options.quiet()) {
            System.out.println("[cold-start] " + line);
        }
    }

    // --- results ----------------------------------------------------------------------------------------------

    /** One cold start; nanoTime stamps. */
    /**
     * One cold start; nanoTime stamps, and the CPU time (all threads, user and system) the JVM had used by its
     * first answer. On Lambda a function below 1,769 MB has less than one vCPU, so CPU time is what its cold start
     * costs there; here it is also the figure the other tenants of a shared machine disturb least.
     */
    public record Run(String name, long started, long firstPoll, long answered, long cpuMs) {
        public long firstAnswerMs() {
            return (answered - started) / 1_000_000;
        }

        /** Until the runtime first asked for an event: JVM start plus the handler's constructor. */
        public long initMs() {
            return firstPoll == 0 ? -1 : (firstPoll - started) / 1_000_000;
        }

        /** The first invocation alone. */
        public long firstInvokeMs() {
            return firstPoll == 0 ? -1 : (answered - firstPoll) / 1_000_000;
        }
    }

    /** The relay's own log line about its priming, if it wrote one. */
    private static String primingNote(String output) {
        return output.lines().filter(l -> l.contains("SnapStart priming")).findFirst().orElse("(no priming line)");
    }

    public record SnapStartRun(String name, long started, long checkpoint, long restored, long answered,
                               String primingNote) {
        /** JVM start, init and the beforeCheckpoint hooks (the priming), until the runtime waits to be restored. */
        public long checkpointMs() {
            return (checkpoint - started) / 1_000_000;
        }

        /** From the restore to the first answer: afterRestore hooks and the first invocation. */
        public long restoreToAnswerMs() {
            return (answered - restored) / 1_000_000;
        }
    }

    /** Classes loaded by the first answer, by where they came from and by package. */
    public static final class ClassCount {
        public int total;
        public int fromCds;
        public final Map<String, Integer> byPackage = new TreeMap<>();

        static ClassCount of(List<String> lines) {
            ClassCount c = new ClassCount();
            for (String line : lines) {
                int space = line.indexOf(' ');
                if (space < 0) {
                    continue;
                }
                c.total++;
                if (line.contains("source: shared objects file")) {
                    c.fromCds++;
                }
                c.byPackage.merge(group(line.substring(0, space)), 1, Integer::sum);
            }
            return c;
        }

        /** The first three segments of a class's package ({@code software.amazon.awssdk}), or two for the JDK. */
        private static String group(String className) {
            String[] parts = className.split("\\.");
            int depth = parts[0].equals("java") || parts[0].equals("javax") || parts[0].equals("jdk")
                    || parts[0].equals("sun") ? 2 : 3;
            return String.join(".", Arrays.copyOf(parts, Math.min(depth, parts.length - 1)));
        }

        List<Map.Entry<String, Integer>> top(int n) {
            return byPackage.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                    .limit(n).collect(Collectors.toList());
        }
    }

    public static final class Steady {
        public int events;
        public int memoryMb;
        public long millis;
        public long peakRssKb;
        public long rssKb;
        public String heapInfo = "";
        public int firstSightUpdates;
        public int firstSightCalls;
        public int steadyUpdates;
        public int steadyCalls;

        double firstSightPerUpdate() {
            return firstSightUpdates == 0 ? Double.NaN : (double) firstSightCalls / firstSightUpdates;
        }

        double steadyPerUpdate() {
            return steadyUpdates == 0 ? Double.NaN : (double) steadyCalls / steadyUpdates;
        }
    }

    public static final class Report {
        public String java;
        public int memoryMb;
        public long jarBytes;
        public boolean stateTable;
        /** Items in the state table after the runs (-1 without one). */
        public int stateItems = -1;
        public final List<Run> relay = new ArrayList<>();
        public final List<Run> noop = new ArrayList<>();
        public ClassCount relayClasses;
        public ClassCount noopClasses;
        public Steady steady;
        public Steady noopRss;
        public final List<SnapStartRun> snapStart = new ArrayList<>();
        public final List<SnapStartRun> snapStartUnprimed = new ArrayList<>();
        public final List<Run> baseline = new ArrayList<>();

        public long relayMedianMs() {
            return median(relay.stream().map(Run::firstAnswerMs).collect(Collectors.toList()));
        }

        public long noopMedianMs() {
            return median(noop.stream().map(Run::firstAnswerMs).collect(Collectors.toList()));
        }

        public double ratio() {
            return noopMedianMs() == 0 ? Double.NaN : (double) relayMedianMs() / noopMedianMs();
        }

        public long relayMedianCpuMs() {
            return medianOf(relay, Run::cpuMs);
        }

        public long noopMedianCpuMs() {
            return medianOf(noop, Run::cpuMs);
        }

        public double cpuRatio() {
            return noopMedianCpuMs() <= 0 ? Double.NaN : (double) relayMedianCpuMs() / noopMedianCpuMs();
        }

        static long median(List<Long> values) {
            if (values.isEmpty()) {
                return -1;
            }
            List<Long> sorted = new ArrayList<>(values);
            Collections.sort(sorted);
            int n = sorted.size();
            return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        }

        private static long medianOf(List<Run> runs, java.util.function.ToLongFunction<Run> f) {
            return median(runs.stream().map(f::applyAsLong).collect(Collectors.toList()));
        }

        public String table() {
            StringBuilder sb = new StringBuilder();
            sb.append("\n").append(java).append(", ").append(memoryMb).append(" MB flags, ")
                    .append(stateTable ? "applied-state table in use (dynalite)" : "no state table").append("\n\n");
            sb.append("| measure | relay | do-nothing | ratio |\n|---|---:|---:|---:|\n");
            if (!relay.isEmpty()) {
                sb.append(String.format(Locale.ROOT, "| cold start to first answer, median of %d (ms) | %d | %d | %.2f |%n",
                        relay.size(), relayMedianMs(), noopMedianMs(), ratio()));
                sb.append(String.format(Locale.ROOT, "| CPU time used by the first answer, median (ms) | %d | %d | %.2f |%n",
                        relayMedianCpuMs(), noopMedianCpuMs(), cpuRatio()));
                sb.append(String.format(Locale.ROOT, "| of which init: JVM + handler constructor (ms) | %d | %d | |%n",
                        medianOf(relay, Run::initMs), medianOf(noop, Run::initMs)));
                sb.append(String.format(Locale.ROOT, "| of which first invocation (ms) | %d | %d | |%n",
                        medianOf(relay, Run::firstInvokeMs), medianOf(noop, Run::firstInvokeMs)));
                if (!baseline.isEmpty()) {
                    long b = medianOf(baseline, Run::firstAnswerMs);
                    sb.append(String.format(Locale.ROOT, "| baseline jar, same runs: cold start / CPU, median (ms) | %d / %d | %d / %d | %.2f |%n",
                            b, medianOf(baseline, Run::cpuMs), noopMedianMs(), noopMedianCpuMs(), (double) b / noopMedianMs()));
                }
                sb.append(String.format(Locale.ROOT, "| cold start min / max (ms) | %d / %d | %d / %d | |%n",
                        relay.stream().mapToLong(Run::firstAnswerMs).min().orElse(-1),
                        relay.stream().mapToLong(Run::firstAnswerMs).max().orElse(-1),
                        noop.stream().mapToLong(Run::firstAnswerMs).min().orElse(-1),
                        noop.stream().mapToLong(Run::firstAnswerMs).max().orElse(-1)));
            }
            if (relayClasses != null) {
                sb.append(String.format(Locale.ROOT, "| classes loaded by the first answer (from CDS) | %d (%d) | %d (%d) | %.2f |%n",
                        relayClasses.total, relayClasses.fromCds, noopClasses.total, noopClasses.fromCds,
                        (double) relayClasses.total / noopClasses.total));
            }
            if (steady != null) {
                sb.append(String.format(Locale.ROOT, "| peak RSS over %d events, %d MB flags (MiB) | %d | %d | |%n",
                        steady.events, steady.memoryMb, steady.peakRssKb / 1024, noopRss.peakRssKb / 1024));
                sb.append(String.format(Locale.ROOT, "| ChartMogul calls per applied update, first sight (%d updates) | %.2f | | |%n",
                        steady.firstSightUpdates, steady.firstSightPerUpdate()));
                sb.append(String.format(Locale.ROOT, "| ChartMogul calls per applied update, steady state (%d updates) | %.2f | | |%n",
                        steady.steadyUpdates, steady.steadyPerUpdate()));
            }
            if (jarBytes >= 0) {
                sb.append(String.format(Locale.ROOT, "| shaded jar (MB) | %.2f | | |%n", jarBytes / 1e6));
            }
            if (!snapStart.isEmpty()) {
                sb.append(String.format(Locale.ROOT, "| SnapStart: init + priming until checkpoint, median of %d (ms) | %d | | |%n",
                        snapStart.size(), median(snapStart.stream().map(SnapStartRun::checkpointMs).collect(Collectors.toList()))));
                sb.append(String.format(Locale.ROOT, "| SnapStart: restore to first answer, primed, median (ms) | %d | | |%n",
                        median(snapStart.stream().map(SnapStartRun::restoreToAnswerMs).collect(Collectors.toList()))));
                sb.append(String.format(Locale.ROOT, "| SnapStart: restore to first answer, no hooks, median (ms) | %d | | |%n",
                        median(snapStartUnprimed.stream().map(SnapStartRun::restoreToAnswerMs).collect(Collectors.toList()))));
            }
            if (steady != null && !steady.heapInfo.isEmpty()) {
                sb.append("\nrelay after ").append(steady.events).append(" events (jcmd GC.heap_info): ").append(steady.heapInfo)
                        .append("\n");
            }
            if (relayClasses != null) {
                sb.append("\nclasses by package at the first answer (relay, top 15):\n");
                relayClasses.top(15).forEach(e -> sb.append(String.format(Locale.ROOT, "  %5d  %s%n", e.getValue(), e.getKey())));
            }
            return sb.toString();
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("java", java);
            m.put("memory_mb", memoryMb);
            m.put("state_table", stateTable);
            m.put("state_items", stateItems);
            m.put("jar_bytes", jarBytes);
            m.put("relay_first_answer_ms", relay.stream().map(Run::firstAnswerMs).collect(Collectors.toList()));
            m.put("noop_first_answer_ms", noop.stream().map(Run::firstAnswerMs).collect(Collectors.toList()));
            m.put("relay_init_ms", relay.stream().map(Run::initMs).collect(Collectors.toList()));
            m.put("noop_init_ms", noop.stream().map(Run::initMs).collect(Collectors.toList()));
            m.put("relay_median_ms", relayMedianMs());
            m.put("noop_median_ms", noopMedianMs());
            m.put("ratio", ratio());
            m.put("relay_cpu_ms", relay.stream().map(Run::cpuMs).collect(Collectors.toList()));
            m.put("noop_cpu_ms", noop.stream().map(Run::cpuMs).collect(Collectors.toList()));
            m.put("cpu_ratio", cpuRatio());
            if (relayClasses != null) {
                m.put("relay_classes", relayClasses.total);
                m.put("relay_classes_cds", relayClasses.fromCds);
                m.put("noop_classes", noopClasses.total);
                m.put("relay_classes_by_package", relayClasses.byPackage);
            }
            if (steady != null) {
                m.put("events", steady.events);
                m.put("rss_memory_mb", steady.memoryMb);
                m.put("relay_peak_rss_kb", steady.peakRssKb);
                m.put("relay_heap_info", steady.heapInfo);
                m.put("noop_peak_rss_kb", noopRss.peakRssKb);
                m.put("first_sight_calls_per_update", steady.firstSightPerUpdate());
                m.put("steady_calls_per_update", steady.steadyPerUpdate());
            }
            m.put("snapstart_checkpoint_ms", snapStart.stream().map(SnapStartRun::checkpointMs).collect(Collectors.toList()));
            m.put("snapstart_restore_to_answer_ms", snapStart.stream().map(SnapStartRun::restoreToAnswerMs)
                    .collect(Collectors.toList()));
            m.put("snapstart_unprimed_restore_to_answer_ms", snapStartUnprimed.stream()
                    .map(SnapStartRun::restoreToAnswerMs).collect(Collectors.toList()));
            m.put("baseline_first_answer_ms", baseline.stream().map(Run::firstAnswerMs).collect(Collectors.toList()));
            m.put("baseline_cpu_ms", baseline.stream().map(Run::cpuMs).collect(Collectors.toList()));
            return m;
        }
    }

    /** Lambda's container credentials endpoint as a SnapStart function sees it: fixed keys, a bearer token. */
    static final class ContainerCredentials implements AutoCloseable {
        static final String TOKEN = "bench-container-token";
        private final com.sun.net.httpserver.HttpServer server;

        ContainerCredentials() throws IOException {
            server = com.sun.net.httpserver.HttpServer.create(
                    new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", ex -> {
                try (ex) {
                    boolean ok = TOKEN.equals(ex.getRequestHeaders().getFirst("Authorization"));
                    byte[] body = (ok ? "{\"AccessKeyId\":\"ASIABENCH\",\"SecretAccessKey\":\"bench\",\"Token\":\"bench\","
                            + "\"Expiration\":\"" + Instant.now().plus(Duration.ofHours(6)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "\"}"
                            : "{\"message\":\"bad token\"}").getBytes(StandardCharsets.UTF_8);
                    ex.getResponseHeaders().add("Content-Type", "application/json");
                    ex.sendResponseHeaders(ok ? 200 : 403, body.length);
                    ex.getResponseBody().write(body);
                }
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /**
     * @param relayClasspath the function: the shaded jar, or a class path (the smoke test runs the build's)
     * @param jar            the shaded jar, for its size; null when the function is not a jar
     * @param memoryMb       the memory size whose runtime flags the cold starts use
     * @param rssMemoryMb    the memory size whose flags the RSS run uses
     */
    public record Options(int runs, int events, int customers, int memoryMb, int rssMemoryMb, int snapStartRuns,
                          boolean classes, String relayClasspath, Path jar, Path baselineJar, Path out, String java,
                          List<String> extraJvm, Map<String, String> extraEnv, boolean quiet, boolean warmup,
                          boolean secretsExtension, boolean stateTable) {
        static final String USAGE = """
                usage: ColdStartBenchmark [--runs N] [--events N] [--customers N] [--memory MB] [--rss-memory MB]
                                          [--snapstart-runs N] [--no-classes] [--jar PATH] [--baseline-jar PATH]
                                          [--out DIR] [--java PATH]
                                          [--jvm FLAG]... [--env NAME=VALUE]... [--secrets-extension]
                                          [--no-state-table]
                  --runs            cold starts of each handler, alternating (default 10)
                  --events          events sent to one container for peak RSS and ChartMogul calls (default 1000)
                  --customers       distinct customers those events cycle through (default 20)
                  --memory          Lambda memory size whose JVM flags the cold starts use (default 1024, as template.yaml)
                  --rss-memory      memory size whose flags the RSS run uses (default 256)
                  --snapstart-runs  SnapStart runs (snap-start init, checkpoint hooks, restore), each also once without
                                    the CRaC layer, so no hook runs (default 5)
                  --jar             the function (default target/attribute-relay.jar)
                  --baseline-jar    another build of it, cold-started in the same runs, for a before/after
                  --out             where logs and cold-start.json go (default target/bench)
                  --java            the java launcher for the function (default: this JVM's)
                  --jvm, --env      extra JVM flags or environment for the function, e.g. --env JAVA_TOOL_OPTIONS=...
                  --secrets-extension  the loopback Secrets Manager also answers as the Parameters and Secrets
                                    extension, and the function's cold starts are told its port (not the baseline
                                    jar's, so --baseline-jar of this same jar compares the SDK with the extension)
                  --no-state-table  no applied-state table (RELAY_STATE_TABLE unset): state in each container's
                                    memory. By default every relay container shares a table on dynalite (Node.js),
                                    created from template.yaml's declaration, as deployed
                """;

        public static Options defaults() {
            Path jar = Path.of("target", "attribute-relay.jar");
            return new Options(10, 1000, 20, 1024, 256, 5, true, jar.toString(), jar, null, Path.of("target", "bench"),
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), List.of(), Map.of(), false, true,
                    false, true);
        }

        static Options parse(String[] args) {
            Options o = defaults();
            List<String> jvm = new ArrayList<>();
            Map<String, String> env = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--help")) {
                    throw new IllegalArgumentException("");
                }
                if (a.equals("--secrets-extension")) {
                    o = o.with(b -> b.secretsExtension = true);
                    continue;
                }
                if (a.equals("--no-state-table")) {
                    o = o.with(b -> b.stateTable = false);
                    continue;
                }
                if (a.equals("--no-classes")) {
                    o = o.with(b -> b.classes = false);
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                String v = args[++i];
                switch (a) {
                    case "--runs" -> o = o.with(b -> b.runs = Integer.parseInt(v));
                    case "--events" -> o = o.with(b -> b.events = Integer.parseInt(v));
                    case "--customers" -> o = o.with(b -> b.customers = Integer.parseInt(v));
                    case "--memory" -> o = o.with(b -> b.memoryMb = Integer.parseInt(v));
                    case "--rss-memory" -> o = o.with(b -> b.rssMemoryMb = Integer.parseInt(v));
                    case "--snapstart-runs" -> o = o.with(b -> b.snapStartRuns = Integer.parseInt(v));
                    case "--jar" -> o = o.with(b -> {
                        b.jar = Path.of(v);
                        b.relayClasspath = v;
                    });
                    case "--out" -> o = o.with(b -> b.out = Path.of(v));
                    case "--baseline-jar" -> o = o.with(b -> b.baselineJar = Path.of(v));
                    case "--java" -> o = o.with(b -> b.java = v);
                    case "--jvm" -> jvm.add(v);
                    case "--env" -> {
                        int eq = v.indexOf('=');
                        if (eq < 1) {
                            throw new IllegalArgumentException("--env takes NAME=VALUE");
                        }
                        env.put(v.substring(0, eq), v.substring(eq + 1));
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (o.jar() != null && !Files.isRegularFile(o.jar())) {
                throw new IllegalArgumentException(o.jar() + " does not exist: build it with mvn -B -DskipTests package");
            }
            Options done = o;
            return done.with(b -> {
                b.extraJvm = List.copyOf(jvm);
                b.extraEnv = Map.copyOf(env);
            });
        }

        /** A copy with some fields changed. */
        public Options with(java.util.function.Consumer<Builder> change) {
            Builder b = new Builder(this);
            change.accept(b);
            return b.build();
        }

        public static final class Builder {
            public int runs;
            public int events;
            public int customers;
            public int memoryMb;
            public int rssMemoryMb;
            public int snapStartRuns;
            public boolean classes;
            public String relayClasspath;
            public Path jar;
            public Path baselineJar;
            public Path out;
            public String java;
            public List<String> extraJvm;
            public Map<String, String> extraEnv;
            public boolean quiet;
            public boolean warmup;
            public boolean secretsExtension;
            public boolean stateTable;

            Builder(Options o) {
                runs = o.runs;
                events = o.events;
                customers = o.customers;
                memoryMb = o.memoryMb;
                rssMemoryMb = o.rssMemoryMb;
                snapStartRuns = o.snapStartRuns;
                classes = o.classes;
                relayClasspath = o.relayClasspath;
                jar = o.jar;
                baselineJar = o.baselineJar;
                out = o.out;
                java = o.java;
                extraJvm = o.extraJvm;
                extraEnv = o.extraEnv;
                quiet = o.quiet;
                warmup = o.warmup;
                secretsExtension = o.secretsExtension;
                stateTable = o.stateTable;
            }

            Options build() {
                return new Options(runs, events, customers, memoryMb, rssMemoryMb, snapStartRuns, classes,
                        relayClasspath, jar, baselineJar, out, java, extraJvm, extraEnv, quiet, warmup,
                        secretsExtension, stateTable);
            }
        }
    }
}
