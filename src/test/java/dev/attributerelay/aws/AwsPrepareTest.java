package dev.attributerelay.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class AwsPrepareTest {

    @Test
    void theCallersWarmUpRunsOnTheDaemonSideThread() throws InterruptedException {
        AtomicBoolean ran = new AtomicBoolean();
        AtomicBoolean onSideThread = new AtomicBoolean();
        Thread t = AwsJsonClient.prepareInBackground(() -> {
            ran.set(true);
            onSideThread.set(Thread.currentThread().getName().equals("aws-prepare"));
        });
        t.join(10_000);
        assertThat(t.isAlive()).isFalse();
        assertThat(ran).isTrue();
        assertThat(onSideThread).isTrue();
        assertThat(t.isDaemon()).isTrue();
    }

    @Test
    void aFailingWarmUpEndsTheThreadQuietly() throws InterruptedException {
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        AtomicBoolean uncaught = new AtomicBoolean();
        Thread.setDefaultUncaughtExceptionHandler((th, e) -> uncaught.set(true));
        try {
            Thread t = AwsJsonClient.prepareInBackground(() -> {
                throw new IllegalStateException("set AWS_REGION");
            });
            t.join(10_000);
            assertThat(t.isAlive()).isFalse();
            assertThat(uncaught).isFalse();
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
    }
}
