package io.tiergate.router.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.env.Environment;
import io.tiergate.platform.kafka.EventDecoder;
import io.tiergate.platform.kafka.EventPublisher;
import io.tiergate.platform.kafka.InboundRecords;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.router.config.RouterConfiguration;
import io.tiergate.router.policy.ModelCatalog;
import io.tiergate.router.rules.DefaultRules;
import io.tiergate.router.rules.RuleValidator;
import io.tiergate.schemas.cost.PriceTable;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;

/** Builds the router's plain parts for the Micronaut service. */
@Factory
public class RouterFactory {

    /** The shared price table: the one in the schemas jar, or {@code tiergate.price-table} (a file). */
    @Singleton
    ModelCatalog modelCatalog(@Value("${tiergate.price-table:}") String priceTableFile) {
        return new ModelCatalog(
                priceTableFile.isBlank() ? PriceTable.loadDefault() : PriceTable.load(Path.of(priceTableFile)));
    }

    @Singleton
    DefaultRules.Table defaultRules(ModelCatalog catalog, RouterConfiguration config) {
        String file = config.rulesFile();
        return file == null || file.isBlank() ? DefaultRules.load(catalog) : DefaultRules.load(Path.of(file), catalog);
    }

    @Singleton
    RuleValidator ruleValidator(ModelCatalog catalog) {
        return new RuleValidator(catalog);
    }

    @Singleton
    @Requires(notEnv = Environment.CLI)
    @Bean(preDestroy = "close")
    RouterNode routerNode(
            RouterConfiguration config,
            KafkaClientSettings client,
            ModelCatalog catalog,
            DefaultRules.Table defaults,
            EventPublisher publisher,
            EventDecoder decoder,
            InboundRecords inbound,
            MeterRegistry registry) {
        return new RouterNode(
                config, client, catalog, defaults, publisher, decoder, inbound, registry, Clock.systemUTC());
    }
}
