package dev.attributerelay.local;

import dev.attributerelay.chartmogul.Transport;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;

/**
 * Prints each request instead of sending it (the Authorization header is named, never shown) and answers
 * as ChartMogul would for one matching customer, whose uuid is a visible placeholder.
 */
public final class DryRunTransport implements Transport {
    /** The uuid a dry-run lookup answers with: the real one is only known to ChartMogul. */
    public static final String PLACEHOLDER_UUID = "cus_00000000-0000-0000-0000-000000000000";
    private final PrintStream out;

    public DryRunTransport(PrintStream out) {
        this.out = out;
    }

    @Override
    public Response send(Request request, Duration timeout) {
        StringBuilder sb = new StringBuilder();
        sb.append(request.method()).append(' ').append(request.uri()).append('\n');
        sb.append("Authorization: Basic <chartmogul_api_key>\n");
        request.headers().forEach((k, v) -> {
            if (!k.equalsIgnoreCase("Authorization")) {
                sb.append(k).append(": ").append(v).append('\n');
            }
        });
        if (request.body() != null) {
            sb.append('\n').append(request.body()).append('\n');
        }
        out.print(sb.append('\n'));
        out.flush();
        if ("GET".equals(request.method())) {
            return new Response(200, Map.of("content-type", "application/json"),
                    "{\"entries\":[{\"uuid\":\"" + PLACEHOLDER_UUID + "\"}],\"has_more\":false}");
        }
        return new Response(200, Map.of("content-type", "application/json"), "{\"custom\":{}}");
    }
}
