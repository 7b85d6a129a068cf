package dev.attributerelay.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
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

    LocalServer(int port, boolean anyInterface, ApiGatewayHandler handler, Clock clock) throws IOException {
        this.handler = handler;
        this.clock = clock;
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
            handler.handleRequest(new ByteArrayInputStream(event(ex, body).getBytes(StandardCharsets.UTF_8)), out,
                    new LocalContext(29_000));
            JsonNode reply = Json.MAPPER.readTree(out.toByteArray());
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
        String path = ex.getRequestURI().getRawPath();
        String query = ex.getRequestURI().getRawQuery();
        ObjectNode e = Json.MAPPER.createObjectNode();
        e.put("version", "2.0");
        e.put("routeKey", "$default");
        e.put("rawPath", path);
        e.put("rawQueryString", query == null ? "" : query);
        ObjectNode headers = e.putObject("headers");
        for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
            headers.put(h.getKey().toLowerCase(Locale.ROOT), String.join(",", h.getValue()));
        }
        ObjectNode rc = e.putObject("requestContext");
        ObjectNode http = rc.putObject("http");
        http.put("method", ex.getRequestMethod());
        http.put("path", path);
        http.put("protocol", ex.getProtocol());
        http.put("sourceIp", ex.getRemoteAddress().getAddress().getHostAddress());
        rc.put("requestId", UUID.randomUUID().toString());
        rc.put("stage", "$default");
        rc.put("timeEpoch", Instant.now(clock).toEpochMilli());
        if (body.length > 0) {
            e.put("body", Base64.getEncoder().encodeToString(body));
            e.put("isBase64Encoded", true);
        } else {
            e.put("isBase64Encoded", false);
        }
        return e.toString();
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
