package dev.attributerelay.lambda;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What the SnapStart priming talks to instead of Secrets Manager, the state table and ChartMogul: a loopback HTTP/1.1 endpoint,
 * in this JVM, answering each call with a fixed reply. Plain sockets, one connection at a time, every answer
 * closes its connection, so no connection outlives the priming into the snapshot.
 */
final class PrimingEndpoint implements AutoCloseable {
    static final String CUSTOMER_UUID = "cus_00000000-0000-0000-0000-000000000000";
    private static final int MAX_HEAD = 64 * 1024;

    private final ServerSocket server;
    private final String secretJson;
    private final Thread thread;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicInteger stateCalls = new java.util.concurrent.atomic.AtomicInteger();

    /** @param secretJson what GetSecretValue answers: names only, no secret value */
    PrimingEndpoint(String secretJson) throws IOException {
        this.secretJson = secretJson;
        this.server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        this.thread = new Thread(this::serve, "snapstart-priming-endpoint");
        thread.setDaemon(true);
        thread.start();
    }

    /** State-table calls answered so far. */
    int stateCalls() {
        return stateCalls.get();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
            thread.join(2_000);
        } catch (IOException e) {
            // nothing left to do
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void serve() {
        while (!closed) {
            try (Socket s = server.accept()) {
                s.setSoTimeout(5_000);
                answer(s);
            } catch (IOException e) {
                // closed, or a client gave up: take the next one
            }
        }
    }

    private void answer(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        String head = readHead(in);
        String requestLine = head.substring(0, Math.max(0, head.indexOf("\r\n")));
        String lower = head.toLowerCase(Locale.ROOT);
        int length = contentLength(lower);
        if (length > 0) {
            in.readNBytes(length);
        }
        String method = requestLine.split(" ", 2)[0];
        String body;
        String type = "application/json";
        if (lower.contains("x-amz-target: secretsmanager.getsecretvalue")) {
            type = "application/x-amz-json-1.1";
            body = "{\"ARN\":\"arn:aws:secretsmanager:us-east-1:000000000000:secret:priming-AbCdEf\","
                    + "\"Name\":\"priming\",\"SecretString\":" + jsonString(secretJson)
                    + ",\"VersionId\":\"00000000-0000-0000-0000-000000000000\",\"VersionStages\":[\"AWSCURRENT\"],"
                    + "\"CreatedDate\":0}";
        } else if (lower.contains("x-amz-target: dynamodb_20120810.")) {
            // the state table: no item, and every conditional write taken (what a first sight meets)
            type = "application/x-amz-json-1.0";
            body = "{}";
            stateCalls.incrementAndGet();
        } else if (method.equals("GET")) {
            body = "{\"entries\":[{\"uuid\":\"" + CUSTOMER_UUID + "\"}],\"has_more\":false}";
        } else {
            body = "{\"custom\":{}}";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        OutputStream out = s.getOutputStream();
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: " + type + "\r\nContent-Length: " + bytes.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (head.size() < MAX_HEAD) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                break;
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static int contentLength(String lowerHead) {
        int at = lowerHead.indexOf("\r\ncontent-length:");
        if (at < 0) {
            return 0;
        }
        int end = lowerHead.indexOf("\r\n", at + 2);
        try {
            return Integer.parseInt(lowerHead.substring(at + "\r\ncontent-length:".length(), end).trim());
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static String jsonString(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').toString();
    }
}
