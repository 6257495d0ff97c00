package io.tiergate.platform.kafka;

import io.micronaut.configuration.kafka.annotation.ErrorStrategy;
import io.micronaut.configuration.kafka.annotation.ErrorStrategyValue;
import io.micronaut.configuration.kafka.annotation.KafkaListener;
import io.micronaut.configuration.kafka.annotation.OffsetReset;
import io.micronaut.configuration.kafka.annotation.OffsetStrategy;
import io.micronaut.context.annotation.AliasFor;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The project's consumer-group listener, defined once: a Micronaut {@link KafkaListener} that
 * receives batches, starts a new group at the earliest record and commits after the method
 * returns. The method takes the batch and its {@code Consumer} and runs its work through {@link
 * BatchRetry#run}, which on any exception moves the batch's partitions back to its first record
 * and waits a second, so the same batch is read again, forever, every failed attempt logged (never
 * skipping a record: bad records are dead-lettered by the work itself through {@link
 * InboundRecords}, a registry outage is retried). Micronaut's own retry error strategy below is
 * only the backstop for a method that throws anyway; {@link BatchRetry} says why it is not relied
 * on. Not started in the CLI environment.
 *
 * <pre>{@code
 * @RetryingBatchListener(groupId = "tiergate-router-rules-audit")
 * public class RoutingRulesAuditListener {
 *   @Topic(Topics.Names.ROUTING_RULES)
 *   public void receive(List<ConsumerRecord<String, byte[]>> records, Consumer<?, ?> consumer) {
 *     BatchRetry.run(records, consumer, () -> audit(records));
 *   }
 * }
 * }</pre>
 *
 * Micronaut reads {@code @KafkaListener} through this stereotype; the members below are aliases of
 * its members of the same names. {@code RetryingBatchListenerIT} checks it on a real broker, and
 * the build's {@code ArchitectureTest} that every such method takes the {@code Consumer}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Requires(notEnv = Environment.CLI)
@KafkaListener(
        batch = true,
        offsetReset = OffsetReset.EARLIEST,
        offsetStrategy = OffsetStrategy.SYNC,
        errorStrategy =
                @ErrorStrategy(
                        value = ErrorStrategyValue.RETRY_ON_ERROR,
                        retryDelay = "1s",
                        retryCount = Integer.MAX_VALUE,
                        handleAllExceptions = true))
public @interface RetryingBatchListener {

    /** The consumer group (placeholders allowed: {@code ${tiergate.x.group-id:default}}). */
    @AliasFor(annotation = KafkaListener.class, member = "groupId")
    String groupId();

    /**
     * {@code SYNC} by default; {@code ASYNC} on the hot path, where the method waits for its sends
     * before returning, so a lost commit only means a batch is processed again.
     */
    @AliasFor(annotation = KafkaListener.class, member = "offsetStrategy")
    OffsetStrategy offsetStrategy() default OffsetStrategy.SYNC;

    /** Consumers in this JVM, each with its own partitions (placeholders allowed); one when empty. */
    @AliasFor(annotation = KafkaListener.class, member = "threadsValue")
    String threadsValue() default "";
}
