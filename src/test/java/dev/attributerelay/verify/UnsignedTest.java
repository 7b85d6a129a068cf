package dev.attributerelay.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnsignedTest {
    @Test
    void acceptsAnythingNeedsNoSecretAndSignsNothing() {
        Unsigned none = new Unsigned();
        assertThat(none.verify(SignedRequest.post("x").inbound(), List.of(), Instant.EPOCH)).isEqualTo(Verdict.verified());
        assertThat(none.needsSecret()).isFalse();
        Signed s = none.sign(SignRequest.post("https://h.example.com/webhooks/smoke", new byte[] {1}, "", Instant.EPOCH));
        assertThat(s.headers()).isEmpty();
        assertThat(s.url()).isEqualTo("https://h.example.com/webhooks/smoke");
    }
}
