package dev.attributerelay.chartmogul;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** One HTTP exchange with ChartMogul. The seam between the client's logic and the wire (or a dry run). */
public interface Transport {

    Response send(Request request, Duration timeout) throws IOException;

    /** Loads now, at init, what the first {@link #send} would otherwise load (classes, the TLS trust store). */
    default void prepare() {
    }

    /** Headers hold the Authorization value: never log a Request whole. */
    record Request(String method, URI uri, Map<String, String> headers, String body) {
        @Override
        public String toString() {
            return method + " " + uri; // deliberately without headers or body
        }
    }

    /** @param headers lower-case names, first value */
    record Response(int status, Map<String, String> headers, String body) {
    }
}
