package io.tiergate.worker.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.topics.Topics;
import io.tiergate.worker.Fixtures;
import io.tiergate.worker.kafka.TransactionalOutbox.Result;
import io.tiergate.worker.runtime.InFlightLedger;
import io.tiergate.worker.runtime.WorkerMetrics;
import io.tiergate.worker.work.Output;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The outbox's decisions, over a scripted producer (the real one is proven on a broker by TierWorkerIT). */
class TransactionalOutboxTest {

    private static final TopicPartition P0 = new TopicPartition("tier", 0);
    private static final Map<TopicPartition, Long> OFFSETS = Map.of(P0, 43L);
    private static final List<Output<?>> OUTPUTS = List.of(handOff("r-1"), handOff("r-2"));

    private static Output<RoutedRequest> handOff(String id) {
        return new Output<>(
                Topics.TIER_CLOUD,
                id,
                Fixtures.cloud(id, TaskType.IMPLEMENTATION, "anthropic/claude-haiku-4.5", List.of()));
    }

    /** Records every call; throws what it is told to at the named step. */
    static final class ScriptedProducer implements TransactionalOutbox.Producer {
        final List<String> calls = new ArrayList<>();
        String failAt = "";
        Supplier<RuntimeException> failure = () -> new KafkaException("unset");
        boolean abortFails;

        private void step(String name) {
            calls.add(name);
            if (name.equals(failAt)) {
                throw failure.get();
            }
        }

        @Override
        public void open() {
            step("open");
        }

        @Override
        public void begin() {
            step("begin");
        }

        @Override
        public void send(Output<?> output) {
            step("send " + output.key());
        }

        @Override
        public void flush() {
            step("flush");
        }

        @Override
        public void sendOffsets(Map<TopicPartition, Long> nextOffsets) {
            step("offsets " + nextOffsets);
        }

        @Override
        public void commit() {
            step("commit");
        }

        @Override
        public void abort() {
            calls.add("abort");
            if (abortFails) {
                throw new KafkaException("abort failed too");
            }
        }

        @Override
        public void replace() {
            calls.add("replace");
        }

        @Override
        public void close(Duration timeout) {
            calls.add("close " + timeout);
        }
    }

    /** Dies before the next commit when asked. */
    static final class Faults implements FaultInjection {
        boolean killBeforeCommit;

        @Override
        public boolean killBeforeCommit() {
            return killBeforeCommit;
        }
    }

    private final ScriptedProducer producer = new ScriptedProducer();
    private final Faults faults = new Faults();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TransactionalOutbox outbox = new TransactionalOutbox(
            producer, faults, new WorkerMetrics(registry, Tier.CLOUD, new InFlightLedger<>()), "w-1");

    private double transactions(String result) {
        return registry.get("tiergate.worker.transactions")
                .tag("result", result)
                .counter()
                .count();
    }

    private Result publishFailingAt(String step, RuntimeException failure) {
        producer.failAt = step;
        producer.failure = () -> failure;
        return outbox.publish(OUTPUTS, OFFSETS);
    }

    @Test
    void outputsAndOffsetsGoInOneTransaction() {
        assertThat(outbox.publish(OUTPUTS, OFFSETS)).isEqualTo(Result.COMMITTED);

        assertThat(producer.calls).containsExactly("begin", "send r-1", "send r-2", "offsets {tier-0=43}", "commit");
        assertThat(transactions("committed")).isEqualTo(1.0);
        assertThat(transactions("aborted")).isZero();
    }

    static Stream<Arguments> fatal() {
        return Stream.of(
                Arguments.of(new ProducerFencedException("a newer instance took the transactional id")),
                Arguments.of(new InvalidProducerEpochException("epoch")),
                Arguments.of(new FencedInstanceIdException("static member replaced")),
                Arguments.of(new OutOfOrderSequenceException("sequence")),
                Arguments.of(new AuthorizationException("denied")),
                Arguments.of(new UnsupportedVersionException("old broker")),
                Arguments.of(new IllegalStateException("producer in a bad state")));
    }

    @ParameterizedTest
    @MethodSource("fatal")
    void aFencedOrBrokenProducerIsReplacedAndTheWorkerResetsWithoutAborting(RuntimeException failure) {
        assertThat(publishFailingAt("commit", failure)).isEqualTo(Result.RESET);

        assertThat(producer.calls).endsWith("commit", "replace").doesNotContain("abort");
        assertThat(transactions("aborted")).isEqualTo(1.0);
        assertThat(transactions("committed")).isZero();
    }

    @Test
    void aFatalErrorAtAnyStepResets() {
        assertThat(publishFailingAt("begin", new ProducerFencedException("fenced")))
                .isEqualTo(Result.RESET);
        assertThat(producer.calls).containsExactly("begin", "replace");
    }

    static Stream<Arguments> abortable() {
        return Stream.of(
                Arguments.of("send r-2", new SerializationException("registry hiccup")),
                Arguments.of("offsets {tier-0=43}", new CommitFailedException("generation moved on")),
                Arguments.of("commit", new TimeoutException("commit timed out")),
                Arguments.of("commit", new KafkaException("anything else Kafka")));
    }

    @ParameterizedTest
    @MethodSource("abortable")
    void anyOtherKafkaErrorAbortsAndTheRequestsAreRetried(String step, RuntimeException failure) {
        assertThat(publishFailingAt(step, failure)).isEqualTo(Result.RETRY);

        assertThat(producer.calls).endsWith(step, "abort").doesNotContain("replace");
        assertThat(transactions("aborted")).isEqualTo(1.0);
    }

    @Test
    void whenEvenTheAbortFailsTheProducerIsReplacedAndTheWorkerResets() {
        producer.abortFails = true;

        assertThat(publishFailingAt("commit", new TimeoutException("commit timed out")))
                .isEqualTo(Result.RESET);
        assertThat(producer.calls).endsWith("commit", "abort", "replace");
        assertThat(transactions("aborted")).isEqualTo(1.0);
    }

    @Test
    void anErrorThatIsNotKafkasPropagatesUntouched() {
        producer.failAt = "send r-1";
        producer.failure = () -> new NullPointerException("serializer bug");

        assertThatThrownBy(() -> outbox.publish(OUTPUTS, OFFSETS)).isInstanceOf(NullPointerException.class);
        assertThat(producer.calls).containsExactly("begin", "send r-1");
        assertThat(transactions("aborted")).isZero();
    }

    @Test
    void killedBeforeTheCommitTheOutputsAreFlushedAndNeverCommitted() {
        faults.killBeforeCommit = true;

        assertThat(outbox.publish(OUTPUTS, OFFSETS)).isEqualTo(Result.KILLED);
        assertThat(producer.calls).containsExactly("begin", "send r-1", "send r-2", "flush");
        assertThat(transactions("committed")).isZero();
        assertThat(transactions("aborted")).isZero();
    }

    @Test
    void aKilledWorkerClosesItsProducerAtOnceAndAStoppingOneWaits() {
        outbox.close(true);
        outbox.close(false);
        assertThat(producer.calls).containsExactly("close PT0S", "close PT10S");
    }
}
