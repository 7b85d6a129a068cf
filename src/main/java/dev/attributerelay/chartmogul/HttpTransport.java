package dev.attributerelay.chartmogul;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * {@link Transport} over the JDK's {@code HttpURLConnection}: TLS with the JDK's default trust store and hostname
 * verification (HttpsURLConnection's defaults, untouched), redirects never followed, connections kept alive.
 * Chosen over {@code java.net.http} for the cold start: its first request loads a fraction of the classes
 * (docs/performance.md).
 *
 * <p>Connections: HttpURLConnection uses one connection per request in flight and keeps idle ones for the next
 * request (the JDK's keep-alive cache). Lambda runs one invocation at a time per container, so a container holds
 * one connection to ChartMogul, as it did with HTTP/2's one multiplexed connection, and ChartMogul's limit of 20
 * connections is met as before: one per container, within the concurrency template.yaml allows.
 *
 * <p>Every call is bounded as a whole by the timeout {@link #send} is given: the exchange runs on a worker thread
 * the caller waits for no longer than that, and the worker stops reading at the same moment (a server trickling
 * its answer a byte at a time holds nothing past its time). Writes are sent with a fixed length, which also keeps
 * HttpURLConnection from silently sending a PUT or POST a second time when a connection breaks: every try is one
 * the client counts and budgets.
 */
public final class HttpTransport implements Transport {
    /**
     * The largest answer read. ChartMogul's are small: the largest the relay asks for, a page of 200 customers,
     * is a few hundred kB. A larger one is refused, unread when its length is declared.
     */
    public static final int MAX_RESPONSE_BYTES = 4 << 20;

    private static final Set<String> METHODS = Set.of("GET", "PUT", "POST");

    /** Worker threads for exchanges, made as needed and ended after a minute idle; daemons, so none holds a JVM. */
    private static final ExecutorService EXCHANGES = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "chartmogul-http");
        t.setDaemon(true);
        return t;
    });

    /**
     * Loads the TLS trust store and the HTTP classes now, so the first request does not. Done whatever the API
     * URL's scheme: a deployment speaks HTTPS, and a plain-HTTP run on loopback (tests, the benchmarks) then
     * pays for the same init as production does.
     */
    @Override
    public void prepare() {
        SSLSocketFactory tls = HttpsURLConnection.getDefaultSSLSocketFactory(); // SSLContext.getDefault(): the trust store
        try {
            tls.createSocket().close(); // an unconnected socket: the TLS engine's classes and defaults, no I/O
            URI.create("https://api.chartmogul.com/").toURL().openConnection(Proxy.NO_PROXY); // classes only: nothing is sent
        } catch (IOException | UnsupportedOperationException e) {
            // a warm-up only: the first request builds whatever is missing, and reports what fails
        }
        try {
            EXCHANGES.submit(() -> { }).get(); // the first worker thread, kept for the first request
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // cannot happen for an empty task
        }
    }

    @Override
    public Response send(Request request, Duration timeout) throws IOException {
        if (!METHODS.contains(request.method())) {
            throw new IllegalStateException("the ChartMogul transport sends GET, PUT and POST, not " + request.method());
        }
        long budget = Math.max(TimeUnit.MILLISECONDS.toNanos(1), timeout.toNanos());
        Exchange exchange = new Exchange(request, System.nanoTime() + budget);
        Future<Response> answer = EXCHANGES.submit(exchange);
        try {
            return answer.get(budget, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            exchange.abandon();
            throw new SocketTimeoutException("no complete answer within " + millis(budget) + " ms");
        } catch (InterruptedException e) {
            exchange.abandon();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for ChartMogul");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException) {
                throw (IOException) cause;
            }
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IOException("the exchange with ChartMogul failed", cause);
        }
    }

    private static int millis(long nanos) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(nanos)));
    }

    /** One request and its answer, on a worker thread; stops at {@code deadline} (System.nanoTime). */
    private static final class Exchange implements Callable<Response> {
        private final Request request;
        private final long deadline;
        private volatile boolean abandoned;

        Exchange(Request request, long deadline) {
            this.request = request;
            this.deadline = deadline;
        }

        void abandon() {
            abandoned = true;
        }

        @Override
        public Response call() throws IOException {
            URI uri = request.uri();
            HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
            boolean complete = false;
            try {
                c.setInstanceFollowRedirects(false);
                c.setUseCaches(false);
                // each applies to one step (connecting, one read); the worker's deadline bounds them together
                c.setConnectTimeout(left());
                c.setReadTimeout(left());
                c.setRequestMethod(request.method());
                request.headers().forEach(c::setRequestProperty);
                byte[] body = request.body() == null ? null : request.body().getBytes(StandardCharsets.UTF_8);
                if (body != null) {
                    c.setDoOutput(true);
                    c.setFixedLengthStreamingMode(body.length);
                }
                c.connect();
                // nothing is sent once the caller has given up: a write it counts as unanswered must not go out
                // later, behind a newer one (a worker thread may start late on a busy machine)
                left();
                if (body != null) {
                    try (OutputStream out = c.getOutputStream()) {
                        out.write(body);
                    }
                }
                int status = c.getResponseCode();
                if (status < 0) {
                    throw new IOException("ChartMogul's answer has no valid status line");
                }
                Map<String, String> headers = headers(c);
                String text = body(c, status);
                complete = true;
                return new Response(status, headers, text);
            } finally {
                if (!complete) {
                    c.disconnect(); // a broken or unfinished exchange leaves no connection for the next request
                }
            }
        }

        /** Milliseconds left, at least 1: HttpURLConnection reads a timeout of 0 as none at all. */
        private int left() throws SocketTimeoutException {
            long nanos = deadline - System.nanoTime();
            if (nanos <= 0 || abandoned) {
                throw new SocketTimeoutException("the call's time ran out");
            }
            return millis(nanos);
        }

        /** Header names lower-cased, each name's first value, in the order they arrived. */
        private static Map<String, String> headers(HttpURLConnection c) {
            Map<String, String> out = new HashMap<>();
            for (int i = 0; ; i++) {
                String value = c.getHeaderField(i);
                if (value == null) {
                    return out;
                }
                String name = c.getHeaderFieldKey(i);
                if (name != null) { // index 0 is the status line
                    out.putIfAbsent(name.toLowerCase(Locale.ROOT), value);
                }
            }
        }

        /** The body as UTF-8; an error's (4xx, 5xx) from the error stream; none is empty. */
        private String body(HttpURLConnection c, int status) throws IOException {
            long declared = c.getContentLengthLong();
            if (declared > MAX_RESPONSE_BYTES) {
                throw tooLarge();
            }
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            if (in == null) {
                return "";
            }
            try (in) {
                ByteArrayOutputStream buffer = new ByteArrayOutputStream(declared > 0 ? (int) declared : 512);
                byte[] chunk = new byte[8192];
                while (true) {
                    left(); // the answer must be complete by the deadline, however it trickles
                    int n = in.read(chunk);
                    if (n < 0) {
                        return buffer.toString(StandardCharsets.UTF_8);
                    }
                    if (buffer.size() + n > MAX_RESPONSE_BYTES) {
                        throw tooLarge();
                    }
                    buffer.write(chunk, 0, n);
                }
            }
        }

        private static IOException tooLarge() {
            return new IOException("ChartMogul's answer is larger than the " + MAX_RESPONSE_BYTES
                    + " bytes this client reads");
        }
    }
}
