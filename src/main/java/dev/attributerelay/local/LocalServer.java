package dev.attributerelay.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.attributerelay.Json;
import dev.attributerelay.lambda.ApiGatewayHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;

/**
 * {@code serve}: a local HTTP server that turns each request into the HTTP API (2.0) event API Gateway would
 * deliver and feeds it to the same handler, so {@code stripe listen --forward-to localhost:N/webhooks/stripe}
 * works. Bodies travel base64-encoded, as API Gateway sends bodies it does not treat as text. One request at a
 * time, as one Lambda container would take them.
 */
final class LocalServer {
    /** API Gateway's own payload limit; the integration's smaller limit answers 413 inside the handler. */
    private static final int MAX_BODY = 10 * 1024 * 1024;

    private final HttpServer server;
    private final ApiGatewayHandler handler;
    private final Clock clock;
    /** Sees each request's API event before the handler does ({@code --explain}); null: nothing extra per request. */
    private final java.util.function.Consumer<JsonNode> beforeEach;

    LocalServer(int port, boolean anyInterface, ApiGatewayHandler handler, Clock clock) throws IOException {
        this(port, anyInterface, handler, clock, null);
    }

    LocalServer(int port, boolean anyInterface, ApiGatewayHandler handler, Clock clock,
                java.util.function.Consumer<JsonNode> beforeEach) throws IOException {
        this.handler = handler;
        this.clock = clock;
        this.beforeEach = beforeEach;
        InetAddress address = anyInterface ? null : InetAddress.getLoopbackAddress();
        this.server = HttpServer.create(address == null ? new InetSocketAddress(port) : new InetSocketAddress(address, port), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "serve");
            t.setDaemon(false);
            return t;
        }));
    }

    int port() {
        return server.getAddress().getPort();
    }

    void start() {
        server.start();
    }

    void stop() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                send(ex, 413, Map.of("Content-Type", "application/json"),
                        "{\"error\":\"payload_too_large\",\"message\":\"the body is over API Gateway's 10 MB limit\"}");
                return;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            String event = event(ex, body);
            if (beforeEach != null) {
                beforeEach.accept(Json.readEvent(event));
            }
            handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out,
                    new LocalContext(29_000));
            JsonNode reply = Json.readEvent(out.toByteArray());
            Map<String, String> headers = new java.util.LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = reply.path("headers").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> h = it.next();
                headers.put(h.getKey(), h.getValue().asText());
            }
            send(ex, reply.path("statusCode").asInt(500), headers, reply.path("body").asText(""));
        }
    }

    private String event(HttpExchange ex, byte[] body) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
            headers.put(h.getKey(), String.join(",", h.getValue())); // as HTTP API joins repeated headers
        }
        return HttpApiEvent.of(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), ex.getRequestURI().getRawQuery(),
                headers, body, UUID.randomUUID().toString(), Instant.now(clock));
    }

    private static void send(HttpExchange ex, int status, Map<String, String> headers, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
