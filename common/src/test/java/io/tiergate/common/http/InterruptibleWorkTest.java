package io.tiergate.common.http;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.mutiny.subscription.Cancellable;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class InterruptibleWorkTest {

    @Test
    void theWorksAnswerIsTheAnswer() {
        assertThat(InterruptibleWork.onAWorker(() -> "transcribed").await().atMost(Duration.ofSeconds(10)))
                .isEqualTo("transcribed");
    }

    @Test
    void aCallerHangingUpInterruptsTheWork() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        Cancellable answer = InterruptibleWork.onAWorker(() -> {
            started.countDown();
            try {
                Thread.sleep(60_000);
                return "transcribed";
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw new IllegalStateException("interrupted", e);
            }
        }).subscribe().with(item -> {}, failure -> {});

        assertThat(started.await(10, SECONDS)).isTrue();
        answer.cancel();
        assertThat(interrupted.await(10, SECONDS)).as("the work was interrupted").isTrue();
    }
}
