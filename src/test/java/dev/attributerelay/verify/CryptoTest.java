package dev.attributerelay.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The MACs kept per thread between verifications give what a freshly keyed MAC gives, whatever came before. */
class CryptoTest {

    @Test
    void keptMacsMatchFreshOnesAcrossRepeatsRotationsAndAlgorithms() {
        List<List<String>> secretLists = List.of(List.of("whsec_a"), List.of("whsec_a"), List.of("whsec_b", "whsec_a"),
                List.of("whsec_b", "whsec_a"), List.of("whsec_b"), List.of(""), List.of("whsec_a"),
                List.of("1", "2", "3", "4", "5", "6"), List.of("whsec_a"));
        List<String> messages = List.of("", "t=1.{\"id\":\"evt_1\"}", "é".repeat(300), "x");
        int compared = 0;
        for (List<String> secrets : secretLists) {
            for (String message : messages) {
                for (String algorithm : List.of(Crypto.HMAC_SHA256, Crypto.HMAC_SHA1)) {
                    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
                    int half = bytes.length / 2;
                    byte[] head = java.util.Arrays.copyOfRange(bytes, 0, half);
                    byte[] tail = java.util.Arrays.copyOfRange(bytes, half, bytes.length);
                    List<byte[]> kept = Crypto.hmacPerSecret(secrets, algorithm, head, tail);
                    assertThat(kept).hasSize(secrets.size());
                    for (int i = 0; i < secrets.size(); i++) {
                        assertThat(kept.get(i)).as(algorithm + " " + secrets + " " + i)
                                .isEqualTo(Independent.mac(algorithm, key(secrets.get(i)), message));
                        compared++;
                    }
                }
            }
        }
        assertThat(compared).isEqualTo(2 * messages.size() * secretLists.stream().mapToInt(List::size).sum());
    }

    /** HMAC pads a key with zeros to its block size (RFC 2104), so an empty key is the key of one zero byte. */
    private static byte[] key(String secret) {
        return secret.isEmpty() ? new byte[1] : secret.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void eachThreadKeepsItsOwnMacs() throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 4; t++) {
            String secret = "whsec_thread_" + t;
            Thread thread = new Thread(() -> {
                try {
                    for (int i = 0; i < 200; i++) {
                        String message = secret + ":" + i;
                        byte[] mac = Crypto.hmacPerSecret(List.of(secret), Crypto.HMAC_SHA256,
                                message.getBytes(StandardCharsets.UTF_8)).get(0);
                        assertThat(mac).isEqualTo(Independent.mac(Crypto.HMAC_SHA256, secret, message));
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(failures).isEmpty();
    }
}
