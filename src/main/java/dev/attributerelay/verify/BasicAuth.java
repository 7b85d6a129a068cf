package dev.attributerelay.verify;

import dev.attributerelay.inbound.Inbound;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP Basic authentication, as Chargebee protects its webhooks: {@code Authorization: Basic
 * base64(user:password)}. The configured secret's value is {@code user:password}. Credentials are
 * compared as SHA-256 digests in constant time, so neither their content nor their length shows in the
 * time taken. Nothing time-bound is sent, so there is no tolerance.
 */
public final class BasicAuth implements SignatureScheme {
    public static final String HEADER = "Authorization";

    @Override
    public Verdict verify(Inbound request, List<String> secrets, Instant now) {
        List<String> values = request.headers().all(HEADER);
        if (values.isEmpty()) {
            return Verdict.refused("the Authorization header is missing");
        }
        if (values.size() > 1) {
            return Verdict.refused("the Authorization header appears more than once");
        }
        List<byte[]> given = new ArrayList<>(1);
        for (String value : values) {
            String v = value.trim();
            int space = v.indexOf(' ');
            if (space < 0 || !v.substring(0, space).toLowerCase(Locale.ROOT).equals("basic")) {
                continue;
            }
            byte[] credentials = Crypto.fromBase64(v.substring(space + 1).trim());
            if (credentials != null) {
                given.add(Crypto.sha256(credentials));
            }
        }
        if (given.isEmpty()) {
            return Verdict.refused("the Authorization header is not Basic credentials (Basic base64(user:password))");
        }
        List<byte[]> expected = new ArrayList<>(secrets.size());
        for (String secret : secrets) {
            expected.add(Crypto.sha256(Crypto.utf8(secret)));
        }
        return Crypto.anySame(expected, given) ? Verdict.verified()
                : Verdict.refused("the Basic credentials do not match the configured user and password");
    }

    @Override
    public Signed sign(SignRequest r) {
        return new Signed(r.url(), Map.of(HEADER,
                "Basic " + Crypto.base64(r.secret().getBytes(StandardCharsets.UTF_8))));
    }
}
