package io.tiergate.ledger.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.configuration.kafka.streams.ConfiguredStreamBuilder;
import io.micronaut.context.annotation.Factory;
import io.micronaut.core.annotation.Nullable;
import io.tiergate.ledger.LedgerConfiguration;
import io.tiergate.ledger.metrics.LedgerMetrics;
import io.tiergate.ledger.metrics.MicrometerLedgerMetrics;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.platform.kafka.TopicProvisioning;
import io.tiergate.schemas.events.BudgetStatus;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.KStream;

/**
 * Wires {@link LedgerTopology} into Micronaut Kafka Streams ({@code kafka.streams.default.*}).
 * Exactly-once is not optional here: the ledger's promise (each attempt billed once, dead letters
 * and outputs atomic with input offsets, consumers of its topics reading committed data only)
 * rests on it, so it is set in code whatever the configuration says.
 */
@Factory
public class LedgerStreamsFactory {

    /**
     * @param topics present unless {@code tiergate.topics.provision=false}; injected so the design's
     *     topics exist before the stream threads look for their sources
     */
    @Singleton
    @Named("ledger")
    KStream<String, BudgetStatus> ledger(
            ConfiguredStreamBuilder builder,
            LedgerConfiguration configuration,
            KafkaClientSettings clients,
            LedgerMetrics metrics,
            @Nullable TopicProvisioning topics) {
        builder.getConfiguration().put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        LedgerStreamsDefaults.settings().forEach(builder.getConfiguration()::putIfAbsent);
        return new LedgerTopology(configuration.toSettings(), clients.serdeConfig(), metrics).build(builder);
    }

    @Singleton
    LedgerMetrics ledgerMetrics(MeterRegistry registry) {
        return new MicrometerLedgerMetrics(registry);
    }

    @Singleton
    LedgerStores ledgerStores(KafkaStreams streams) {
        return new LiveLedgerStores(streams);
    }
}
