package dev.attributerelay.verify;

import dev.attributerelay.inbound.Inbound;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Scheme {@code none}: accepts everything. Configuration allows it only with {@code allow_unsigned: true}. */
public final class Unsigned implements SignatureScheme {

    @Override
    public Verdict verify(Inbound request, List<String> secrets, Instant now) {
        return Verdict.verified();
    }

    @Override
    public boolean needsSecret() {
        return false;
    }

    @Override
    public Signed sign(SignRequest request) {
        return new Signed(request.url(), Map.of());
    }
}
