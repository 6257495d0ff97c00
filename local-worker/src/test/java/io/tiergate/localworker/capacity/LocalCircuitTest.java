package io.tiergate.localworker.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tiergate.schemas.events.CircuitState;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class LocalCircuitTest {

    private final List<CircuitState> transitions = new CopyOnWriteArrayList<>();
    private final LocalCircuit circuit = new LocalCircuit("test", 3, Duration.ofMillis(200), transitions::add);

    private void fail() {
        assertThat(circuit.tryAcquire()).isTrue();
        circuit.failure(Duration.ofMillis(5), new RuntimeException("boom"));
    }

    private void succeed() {
        assertThat(circuit.tryAcquire()).isTrue();
        circuit.success(Duration.ofMillis(5));
    }

    @Test
    void opensAfterNConsecutiveFailuresOnly() {
        fail();
        fail();
        succeed();
        fail();
        fail();
        assertThat(circuit.state()).isEqualTo(CircuitState.CLOSED);

        fail();

        assertThat(circuit.state()).isEqualTo(CircuitState.OPEN);
        assertThat(circuit.isOpen()).isTrue();
        assertThat(circuit.tryAcquire()).isFalse();
        assertThat(transitions).containsExactly(CircuitState.OPEN);
    }

    @Test
    void halfOpensAfterTheDelayAndOneGoodCallClosesIt() {
        fail();
        fail();
        fail();

        await().atMost(Duration.ofSeconds(5)).until(() -> circuit.state() == CircuitState.HALF_OPEN);
        assertThat(circuit.isOpen()).isFalse();
        assertThat(circuit.tryAcquire()).isTrue();
        assertThat(circuit.tryAcquire()).as("one trial call at a time").isFalse();
        circuit.success(Duration.ofMillis(5));

        assertThat(circuit.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(transitions).containsExactly(CircuitState.OPEN, CircuitState.HALF_OPEN, CircuitState.CLOSED);
    }

    @Test
    void failedTrialCallOpensItAgain() {
        fail();
        fail();
        fail();
        await().atMost(Duration.ofSeconds(5)).until(() -> circuit.state() == CircuitState.HALF_OPEN);

        fail();

        assertThat(circuit.state()).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void releasedPermissionLetsAnotherTrialThrough() {
        fail();
        fail();
        fail();
        await().atMost(Duration.ofSeconds(5)).until(() -> circuit.state() == CircuitState.HALF_OPEN);
        assertThat(circuit.tryAcquire()).isTrue();

        circuit.release();

        assertThat(circuit.tryAcquire()).isTrue();
    }
}
