package io.tiergate.localworker.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AdmissionQueueTest {

    private final AtomicInteger changes = new AtomicInteger();

    @Test
    void oneStreamAndTwoQueuedAdmitThreeThenRefuse() throws Exception {
        AdmissionQueue capacity = new AdmissionQueue(1, 2, changes::incrementAndGet);

        AdmissionQueue.Ticket a = capacity.tryAdmit().orElseThrow();
        a.awaitStream();
        AdmissionQueue.Ticket b = capacity.tryAdmit().orElseThrow();
        AdmissionQueue.Ticket c = capacity.tryAdmit().orElseThrow();

        assertThat(capacity.tryAdmit()).isEmpty();
        assertThat(capacity.running()).isEqualTo(1);
        assertThat(capacity.queueDepth()).isEqualTo(2);
        assertThat(changes.get()).isGreaterThanOrEqualTo(4);

        a.close();
        assertThat(capacity.queueDepth()).isEqualTo(2 - 0); // b and c still wait: neither took the stream yet
        assertThat(capacity.tryAdmit()).isPresent();
        b.close();
        c.close();
    }

    @Test
    void queuedTicketWaitsForTheStreamAndGetsItWhenItFrees() throws Exception {
        AdmissionQueue capacity = new AdmissionQueue(1, 1, () -> {});
        AdmissionQueue.Ticket first = capacity.tryAdmit().orElseThrow();
        first.awaitStream();
        AdmissionQueue.Ticket second = capacity.tryAdmit().orElseThrow();

        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
            try {
                second.awaitStream();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(second.awaitStream(Duration.ofMillis(1))).isFalse();
        assertThat(waiting).isNotDone();

        first.close();

        await().atMost(Duration.ofSeconds(5)).until(waiting::isDone);
        assertThat(capacity.running()).isEqualTo(1);
        assertThat(capacity.queueDepth()).isZero();
        second.close();
        assertThat(capacity.running()).isZero();
    }

    @Test
    void heldBackWorkCountsInTheDepthAndIsAdmittedWhenAPlaceFrees() throws Exception {
        AdmissionQueue capacity = new AdmissionQueue(1, 0, () -> {});
        AdmissionQueue.Ticket only = capacity.tryAdmit().orElseThrow();
        only.awaitStream();

        CompletableFuture<Optional<AdmissionQueue.Ticket>> heldBack = CompletableFuture.supplyAsync(() -> {
            try {
                return capacity.admitWithin(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> capacity.queueDepth() == 1);

        only.close();

        Optional<AdmissionQueue.Ticket> admitted = heldBack.get();
        assertThat(admitted).isPresent();
        admitted.get().close();
    }

    @Test
    void heldBackWorkGivesUpAfterItsWait() throws Exception {
        AdmissionQueue capacity = new AdmissionQueue(1, 0, () -> {});
        AdmissionQueue.Ticket only = capacity.tryAdmit().orElseThrow();

        assertThat(capacity.admitWithin(Duration.ofMillis(20))).isEmpty();
        assertThat(capacity.queueDepth()).isEqualTo(1); // the admitted ticket has not started streaming
        only.close();
        assertThat(capacity.queueDepth()).isZero();
    }

    @Test
    void closingTwiceGivesBackOnce() throws Exception {
        AdmissionQueue capacity = new AdmissionQueue(1, 0, () -> {});
        AdmissionQueue.Ticket t = capacity.tryAdmit().orElseThrow();
        t.awaitStream();
        t.close();
        t.close();

        AdmissionQueue.Ticket again = capacity.tryAdmit().orElseThrow();
        assertThat(capacity.tryAdmit()).isEmpty();
        again.close();
    }
}
