package dev.attributerelay.verify;

import dev.attributerelay.inbound.Inbound;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
    public Verdict.Refused missingCredential(Inbound request) {
        return SignatureHeaders.absent(request.headers(), HEADER);
    }

    @Override
    public Verdict verify(Inbound request, List<String> secrets, Instant now) {
        List<String> values = request.headers().all(HEADER);
        if (values.isEmpty()) {
            return Verdict.refused("the Authorization header is missing");
        }
        if (values.size() > 1) {
            return Verdict.refused("the Authorization header appears more than once");
        }
        byte[] credentials = basicCredentials(values.get(0));
        if (credentials == null) {
            return Verdict.refused("the Authorization header is not Basic credentials (Basic base64(user:password))");
        }
        return Crypto.anyCredential(secrets, credentials) ? Verdict.verified()
                : Verdict.refused("the Basic credentials do not match the configured user and password");
    }

    /** The decoded {@code user:password} of {@code Basic <base64>} (scheme name in any case); null otherwise. */
    private static byte[] basicCredentials(String value) {
        String v = value.trim();
        int space = v.indexOf(' ');
        if (space < 0 || !v.substring(0, space).toLowerCase(Locale.ROOT).equals("basic")) {
            return null;
        }
        return Crypto.fromBase64(v.substring(space + 1).trim());
    }

    @Override
    public Signed sign(SignRequest r) {
        return new Signed(r.url(), Map.of(HEADER,
                "Basic " + Crypto.base64(r.secret().getBytes(StandardCharsets.UTF_8))));
    }
}
