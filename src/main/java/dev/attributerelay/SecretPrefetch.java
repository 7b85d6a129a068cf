package dev.attributerelay;

import dev.attributerelay.secrets.CachedSecrets;
import dev.attributerelay.secrets.SecretSource;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Init's side thread: prepares the secret source (builds the Secrets Manager client) while the main thread
 * parses relay.yaml, then runs the other warm-up it is given (the ChartMogul transport's TLS trust store), then,
 * when allowed and once the configuration is known to be valid, reads the secret into the cache. Best effort: a
 * failed read is forgotten, and the first request reads again and answers for it.
 */
final class SecretPrefetch {
    private final CompletableFuture<Boolean> configValid = new CompletableFuture<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    private SecretPrefetch() {
    }

    /**
     * @param read whether to read the secret once the configuration is valid (never for a SnapStart init)
     * @param warmUp run after the source is prepared, in the time the read waits for the configuration; reads no
     *               secret
     */
    static SecretPrefetch start(SecretSource source, CachedSecrets secrets, boolean read, Runnable warmUp) {
        SecretPrefetch p = new SecretPrefetch();
        Thread t = new Thread(() -> p.run(source, secrets, read, warmUp), "secret-prefetch");
        t.setDaemon(true);
        t.start();
        return p;
    }

    private void run(SecretSource source, CachedSecrets secrets, boolean read, Runnable warmUp) {
        try {
            try {
                source.prepare();
            } finally {
                warmUp.run();
            }
            if (read && configValid.get()) {
                secrets.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | ExecutionException e) {
            // the first request reads again and reports what is wrong, as it would without this thread
        } finally {
            done.complete(null);
        }
    }

    void configIsValid() {
        configValid.complete(true);
    }

    /** The configuration failed: read nothing. */
    void cancel() {
        configValid.complete(false);
    }

    /** Waits, within bounds, for the side thread; past them it goes on alone and the first request waits for it. */
    void awaitDone(Duration atMost) {
        try {
            done.get(atMost.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // see the method comment
        }
    }
}
