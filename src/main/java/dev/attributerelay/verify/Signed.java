package dev.attributerelay.verify;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a provider would send: the URL it calls and the headers that prove the delivery is theirs.
 *
 * @param url     the URL to call; the request's own unless the credential travels in the query (url-token)
 * @param headers header name to value, in the order the scheme documents them
 */
public record Signed(String url, Map<String, String> headers) {

    public Signed {
        Objects.requireNonNull(url, "url");
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** Never shows header values: they are signatures or credentials. */
    @Override
    public String toString() {
        return "Signed[" + url.replaceAll("([?&]token=)[^&]*", "$1…") + ", headers " + headers.keySet() + "]";
    }
}
