package dev.attributerelay.verify;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A delivery to sign as its provider would.
 *
 * @param method the HTTP method, upper case
 * @param url    the URL the provider calls, with any query string
 * @param body   the exact body bytes
 * @param secret the signing secret (one value, as in the secrets JSON)
 * @param at     the signing time, for schemes that sign a timestamp
 * @param id     the delivery id, for schemes that sign one (Standard Webhooks); null makes one up
 */
public record SignRequest(String method, String url, byte[] body, String secret, Instant at, String id) {

    public SignRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(at, "at");
        body = body == null ? new byte[0] : body.clone();
    }

    /** A POST, the way every provider delivers. */
    public static SignRequest post(String url, byte[] body, String secret, Instant at) {
        return new SignRequest("POST", url, body, secret, at, null);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    public SignRequest withId(String i) {
        return new SignRequest(method, url, body, secret, at, i);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignRequest r && method.equals(r.method) && url.equals(r.url)
                && Arrays.equals(body, r.body) && secret.equals(r.secret) && at.equals(r.at) && Objects.equals(id, r.id);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, url, Arrays.hashCode(body), secret, at, id);
    }

    /** Never shows the secret or the body. */
    @Override
    public String toString() {
        return "SignRequest[" + method + " " + url + ", body " + body.length + " bytes, at " + at
                + (id == null ? "" : ", id " + id) + "]";
    }
}
