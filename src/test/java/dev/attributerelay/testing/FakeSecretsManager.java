package dev.attributerelay.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback server speaking Secrets Manager's JSON 1.1 protocol ({@code X-Amz-Target:
 * secretsmanager.GetSecretValue}), for the real AWS SDK client pointed at it with
 * {@code AWS_ENDPOINT_URL_SECRETS_MANAGER} or an endpoint override.
 */
public final class FakeSecretsManager implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private final AtomicInteger reads = new AtomicInteger();
    private volatile int failWith;
    private volatile long hangMillis;
    private final java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-secrets-manager");
        t.setDaemon(true);
        return t;
    });

    public FakeSecretsManager() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(threads); // a hanging answer must not hold up the others
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public FakeSecretsManager put(String id, String value) {
        secrets.put(id, value);
        return this;
    }

    /** Every read fails with this HTTP status (500: InternalServiceError) until set back to 0. */
    public FakeSecretsManager failWith(int status) {
        this.failWith = status;
        return this;
    }

    /** Every read waits this long before it is answered (a Secrets Manager that hangs), until set back to 0. */
    public FakeSecretsManager hangFor(long millis) {
        this.hangMillis = millis;
        return this;
    }

    public int reads() {
        return reads.get();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
            if (!"secretsmanager.GetSecretValue".equals(target)) {
                respond(ex, 400, error("UnknownOperationException", "unsupported " + target));
                return;
            }
            reads.incrementAndGet();
            if (hangMillis > 0) {
                try {
                    Thread.sleep(hangMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (failWith != 0) {
                respond(ex, failWith, error("InternalServiceError", "injected failure"));
                return;
            }
            JsonNode req = JSON.readTree(body);
            String id = req.path("SecretId").asText();
            String value = secrets.get(id);
            if (value == null) {
                respond(ex, 400, error("ResourceNotFoundException", "Secrets Manager can't find the specified secret."));
                return;
            }
            ObjectNode r = JSON.createObjectNode();
            r.put("ARN", id.startsWith("arn:") ? id : "arn:aws:secretsmanager:eu-west-1:123456789012:secret:" + id + "-AbCdEf");
            r.put("Name", id);
            r.put("SecretString", value);
            r.put("VersionId", "01234567-89ab-cdef-0123-456789abcdef");
            r.putArray("VersionStages").add("AWSCURRENT");
            r.put("CreatedDate", 1.7e9);
            respond(ex, 200, r.toString());
        }
    }

    private static String error(String type, String message) {
        return "{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}";
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
        ex.getResponseHeaders().add("x-amzn-RequestId", "fake-" + System.nanoTime());
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
