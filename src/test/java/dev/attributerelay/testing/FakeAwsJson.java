package dev.attributerelay.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback endpoint for any AWS JSON-protocol service, MockWebServer style: {@link #enqueue} scripted answers
 * (a status and body, an error type header, or a hang), and read back every request as it arrived
 * ({@link #requests}): method, path, headers and body bytes. Once the script is used up it answers {@code 200 {}}.
 * For what dynalite and ElasticMQ cannot be made to do: throttle, fail with 5xx, hang.
 */
public final class FakeAwsJson implements AutoCloseable {
    private final HttpServer server;
    private final Deque<Answer> script = new ConcurrentLinkedDeque<>();
    private final List<Recorded> requests = java.util.Collections.synchronizedList(new ArrayList<>());
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-aws-json");
        t.setDaemon(true);
        return t;
    });

    /** What to answer: {@code hangMillis} before answering (a service that hangs). */
    public record Answer(int status, String body, String errorTypeHeader, long hangMillis) {
        public static Answer ok(String body) {
            return new Answer(200, body, null, 0);
        }

        /** An AWS JSON error body: {@code {"__type": type, "message": message}}. */
        public static Answer error(int status, String type, String message) {
            return new Answer(status, "{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}", null, 0);
        }

        public static Answer hang(long millis) {
            return new Answer(200, "{}", null, millis);
        }
    }

    /** One request as it arrived; header names lower-cased. */
    public record Recorded(String method, String path, Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    public FakeAwsJson() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(threads); // a hanging answer must not hold up the others
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public FakeAwsJson enqueue(Answer... answers) {
        script.addAll(List.of(answers));
        return this;
    }

    public List<Recorded> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) ->
                    headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
            byte[] body = exchange.getRequestBody().readAllBytes();
            requests.add(new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), headers, body));
            Answer a = script.poll();
            if (a == null) {
                a = Answer.ok("{}");
            }
            if (a.hangMillis() > 0) {
                try {
                    Thread.sleep(a.hangMillis());
                } catch (InterruptedException e) {
                    return; // closed: drop the exchange
                }
            }
            byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
            if (a.errorTypeHeader() != null) {
                exchange.getResponseHeaders().set("x-amzn-ErrorType", a.errorTypeHeader());
            }
            exchange.sendResponseHeaders(a.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
