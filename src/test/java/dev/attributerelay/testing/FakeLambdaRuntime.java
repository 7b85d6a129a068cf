package dev.attributerelay.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * A loopback server speaking the Lambda Runtime API (version 2018-06-01) that a runtime interface client
 * polls inside the execution environment: point {@code AWS_LAMBDA_RUNTIME_API} at {@link #address()}.
 *
 * <ul>
 *   <li>{@code GET /2018-06-01/runtime/invocation/next} blocks until an event is {@linkplain #enqueue enqueued},
 *       then answers 200 with the event as body and the headers {@code Lambda-Runtime-Aws-Request-Id},
 *       {@code Lambda-Runtime-Deadline-Ms} (epoch millis), {@code Lambda-Runtime-Invoked-Function-Arn} and
 *       {@code Lambda-Runtime-Trace-Id}.</li>
 *   <li>{@code POST /2018-06-01/runtime/invocation/{id}/response}: the handler's result; 202.</li>
 *   <li>{@code POST /2018-06-01/runtime/invocation/{id}/error}: the invocation failed; 202. The error type is in
 *       {@code Lambda-Runtime-Function-Error-Type}, the body is {@code {errorMessage, errorType, stackTrace}}.</li>
 *   <li>{@code POST /2018-06-01/runtime/init/error}: initialization failed; 202. The runtime should exit.</li>
 * </ul>
 * A response or error for an id that is not in flight, or a second one for the same id, is a 400, as Lambda
 * answers it. Every wait is bounded.
 */
public final class FakeLambdaRuntime implements AutoCloseable {
    private static final String PREFIX = "/2018-06-01/runtime/";
    public static final String FUNCTION_ARN = "arn:aws:lambda:eu-west-1:123456789012:function:attribute-relay";

    private final HttpServer server;
    private final ExecutorService executor;
    private final BlockingQueue<Invocation> pending = new LinkedBlockingQueue<>();
    private final Map<String, CompletableFuture<Result>> results = new ConcurrentHashMap<>();
    private final CompletableFuture<Result> initError = new CompletableFuture<>();
    private final List<String> unexpected = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    public FakeLambdaRuntime() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        // a cached pool: the long-polling GET must not hold up the POST that answers the previous event
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-lambda-runtime");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
    }

    /** The value for {@code AWS_LAMBDA_RUNTIME_API}: host and port, no scheme. */
    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Queues one invocation; the runtime receives it on its next poll. Returns its request id. */
    public String enqueue(String event, Duration timeout) {
        Invocation inv = new Invocation(UUID.randomUUID().toString(), event,
                System.currentTimeMillis() + timeout.toMillis(), traceId());
        results.put(inv.requestId, new CompletableFuture<>());
        pending.add(inv);
        return inv.requestId;
    }

    /**
     * Waits for the runtime's response or error to an enqueued invocation, giving up early when
     * {@code stillRunning} turns false (the runtime process died) or after {@code timeout}.
     */
    public Result await(String requestId, Duration timeout, BooleanSupplier stillRunning) throws TimeoutException {
        CompletableFuture<Result> f = results.get(requestId);
        if (f == null) {
            throw new IllegalArgumentException("no invocation " + requestId + " was enqueued");
        }
        return waitFor(f, timeout, stillRunning, "invocation " + requestId);
    }

    /** Waits for {@code POST /runtime/init/error}, giving up early when the runtime process is gone. */
    public Result awaitInitError(Duration timeout, BooleanSupplier stillRunning) throws TimeoutException {
        return waitFor(initError, timeout, stillRunning, "an init error");
    }

    /** The init error, if one was posted by now. */
    public Result initErrorNow() {
        return initError.getNow(null);
    }

    /** Requests this server answered 400/404 to (a runtime client speaking the API wrongly). */
    public List<String> unexpectedRequests() {
        return List.copyOf(unexpected);
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
        executor.shutdownNow();
    }

    private static Result waitFor(CompletableFuture<Result> f, Duration timeout, BooleanSupplier stillRunning,
                                  String what) throws TimeoutException {
        long end = System.nanoTime() + timeout.toNanos();
        boolean deadSeen = false;
        while (true) {
            try {
                return f.get(100, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (System.nanoTime() - end > 0) {
                    throw new TimeoutException("no answer to " + what + " within " + timeout);
                }
                if (!stillRunning.getAsBoolean()) {
                    // one more short wait: the process may have exited right after posting
                    if (deadSeen) {
                        throw new TimeoutException("the runtime process exited before answering " + what);
                    }
                    deadSeen = true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + what, e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath();
            byte[] body = ex.getRequestBody().readAllBytes();
            if (!path.startsWith(PREFIX)) {
                notFound(ex, method, path);
                return;
            }
            String rest = path.substring(PREFIX.length());
            if (method.equals("GET") && rest.equals("invocation/next")) {
                next(ex);
            } else if (method.equals("POST") && rest.equals("init/error")) {
                initError.complete(new Result(null, Kind.ERROR, new String(body, StandardCharsets.UTF_8),
                        ex.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type")));
                accepted(ex);
            } else if (method.equals("POST") && rest.startsWith("invocation/")
                    && (rest.endsWith("/response") || rest.endsWith("/error"))) {
                boolean error = rest.endsWith("/error");
                String id = rest.substring("invocation/".length(), rest.lastIndexOf('/'));
                CompletableFuture<Result> f = results.get(id);
                Result r = new Result(id, error ? Kind.ERROR : Kind.RESPONSE, new String(body, StandardCharsets.UTF_8),
                        error ? ex.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type") : null);
                if (f == null || !f.complete(r)) {
                    unexpected.add(method + " " + path);
                    send(ex, 400, "{\"errorMessage\":\"Invalid request ID\",\"errorType\":\"InvalidRequestID\"}");
                    return;
                }
                accepted(ex);
            } else {
                notFound(ex, method, path);
            }
        }
    }

    /** Long poll: Lambda holds this request until there is an event (the runtime sets no timeout on it). */
    private void next(HttpExchange ex) throws IOException {
        Invocation inv = null;
        while (inv == null && !closed) {
            try {
                inv = pending.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (inv == null) {
            return;
        }
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", inv.requestId);
        ex.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms", Long.toString(inv.deadlineMs));
        ex.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn", FUNCTION_ARN);
        ex.getResponseHeaders().add("Lambda-Runtime-Trace-Id", inv.traceId);
        send(ex, 200, inv.event);
    }

    private void accepted(HttpExchange ex) throws IOException {
        send(ex, 202, "{\"status\":\"OK\"}");
    }

    private void notFound(HttpExchange ex, String method, String path) throws IOException {
        unexpected.add(method + " " + path);
        send(ex, 404, "{\"errorMessage\":\"no such resource\",\"errorType\":\"NotFound\"}");
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (!ex.getResponseHeaders().containsKey("Content-Type")) {
            ex.getResponseHeaders().add("Content-Type", "application/json");
        }
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** An X-Ray trace header as Lambda passes it: Root=1-{epoch seconds, hex}-{96 random bits, hex}. */
    private static String traceId() {
        byte[] random = new byte[12];
        ThreadLocalRandom.current().nextBytes(random);
        byte[] parent = new byte[8];
        ThreadLocalRandom.current().nextBytes(parent);
        return "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-" + HexFormat.of().formatHex(random)
                + ";Parent=" + HexFormat.of().formatHex(parent) + ";Sampled=0";
    }

    private record Invocation(String requestId, String event, long deadlineMs, String traceId) {
    }

    public enum Kind { RESPONSE, ERROR }

    /**
     * What the runtime posted for an invocation (or, without a request id, for init): a response body, or an
     * error body with its {@code Lambda-Runtime-Function-Error-Type}.
     */
    public record Result(String requestId, Kind kind, String body, String errorType) {
    }
}
