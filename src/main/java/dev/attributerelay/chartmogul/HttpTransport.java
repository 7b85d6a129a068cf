package dev.attributerelay.chartmogul;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@link Transport} over {@code java.net.http}: one client per container, connections kept alive. */
public final class HttpTransport implements Transport {
    private final HttpClient client;

    public HttpTransport(boolean http2) {
        this.client = HttpClient.newBuilder()
                .version(http2 ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(3))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public Response send(Request request, Duration timeout) throws IOException {
        HttpRequest.BodyPublisher body = request.body() == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(request.body(), StandardCharsets.UTF_8);
        HttpRequest.Builder b = HttpRequest.newBuilder(request.uri())
                .timeout(timeout.isZero() ? Duration.ofMillis(1) : timeout)
                .method(request.method(), body);
        request.headers().forEach(b::header);
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            Map<String, String> headers = new HashMap<>();
            for (Map.Entry<String, List<String>> e : r.headers().map().entrySet()) {
                if (!e.getValue().isEmpty()) {
                    headers.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().get(0));
                }
            }
            return new Response(r.statusCode(), headers, r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for ChartMogul", e);
        }
    }
}
