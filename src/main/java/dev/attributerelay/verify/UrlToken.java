package dev.attributerelay.verify;

import dev.attributerelay.inbound.Inbound;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A shared token in the webhook URL, for senders that sign nothing (Mailchimp):
 * {@code /webhooks/mailchimp?token=<secret>}. Tokens are compared as SHA-256 digests in constant time.
 * Mailchimp checks a URL with a GET when the webhook is saved; that GET is a handshake, answered 200,
 * and must carry the token like any delivery.
 */
public final class UrlToken implements SignatureScheme {
    public static final String PARAMETER = "token";

    @Override
    public Verdict.Refused missingCredential(Inbound request) {
        return request.query().getOrDefault(PARAMETER, List.of()).isEmpty()
                ? new Verdict.Refused("the token query parameter is missing") : null;
    }

    @Override
    public Verdict verify(Inbound request, List<String> secrets, Instant now) {
        List<String> tokens = request.query().getOrDefault(PARAMETER, List.of());
        if (tokens.size() > 1) {
            // one guess per request: several tokens would let a caller try many at once
            return Verdict.refused("the token query parameter appears more than once");
        }
        if (tokens.isEmpty() || tokens.get(0).isEmpty()) {
            return Verdict.refused("the token query parameter is missing");
        }
        return Crypto.anyCredential(secrets, Crypto.utf8(tokens.get(0))) ? Verdict.verified()
                : Verdict.refused("the token query parameter does not match the configured token");
    }

    @Override
    public boolean isHandshake(Inbound request) {
        return "GET".equals(request.method());
    }

    /** The URL with {@code token=<secret>} added to its query string; no headers. */
    @Override
    public Signed sign(SignRequest r) {
        String url = r.url();
        String param = PARAMETER + "=" + URLEncoder.encode(r.secret(), StandardCharsets.UTF_8);
        return new Signed(url + (url.indexOf('?') < 0 ? "?" : "&") + param, Map.of());
    }
}
