package dev.attributerelay.verify;

import dev.attributerelay.inbound.Inbound;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The {@code <algorithm>=<hex HMAC of the raw body>} header that GitHub and Intercom share
 * ({@code X-Hub-Signature-256: sha256=…}, {@code X-Hub-Signature: sha1=…}). Package-private: the schemes
 * are {@link GitHubSignature} and {@link IntercomSignature}, which only name their header, prefix and MAC.
 * No timestamp is signed, so there is no tolerance.
 */
abstract class HubSignature implements SignatureScheme {
    private final String header;
    private final String prefix;
    private final String macAlgorithm;
    private final String provider;

    HubSignature(String header, String prefix, String macAlgorithm, String provider) {
        this.header = header;
        this.prefix = prefix;
        this.macAlgorithm = macAlgorithm;
        this.provider = provider;
    }

    @Override
    public final Verdict.Refused missingCredential(Inbound request) {
        return SignatureHeaders.absent(request.headers(), header);
    }

    @Override
    public final Verdict verify(Inbound request, List<String> secrets, Instant now) {
        List<String> items = SignatureHeaders.items(request.headers(), header);
        if (items.isEmpty()) {
            return Verdict.refused("the " + header + " header is missing");
        }
        List<byte[]> signatures = Crypto.decodeAll(items,
                item -> item.startsWith(prefix) ? Crypto.fromHex(item.substring(prefix.length())) : null);
        if (signatures.isEmpty()) {
            return Verdict.refused("the " + header + " header has no " + prefix + "<hex> signature");
        }
        List<byte[]> expected = Crypto.hmacPerSecret(secrets, macAlgorithm, request.body());
        return Crypto.anySame(expected, signatures) ? Verdict.verified()
                : Verdict.refused("no " + provider + " signature matches the body and the configured secret");
    }

    @Override
    public final Signed sign(SignRequest r) {
        byte[] mac = Crypto.hmac(macAlgorithm, Crypto.utf8(r.secret()), r.body());
        return new Signed(r.url(), Map.of(header, prefix + Crypto.hex(mac)));
    }
}
