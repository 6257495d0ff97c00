package io.tiergate.router.cli;

import io.tiergate.platform.kafka.EventDecoder;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.router.budget.BudgetBook;
import io.tiergate.router.config.RouterConfiguration;
import io.tiergate.router.health.HealthBoard;
import io.tiergate.router.kafka.StateFeed;
import io.tiergate.router.policy.ModelCatalog;
import io.tiergate.router.rules.DefaultRules;
import io.tiergate.router.rules.RuleValidator;
import io.tiergate.router.rules.RulesBook;
import java.time.Clock;
import java.time.Duration;

/**
 * A one-shot snapshot of what the routers read — routing.rules, budget.status, budget.config and
 * worker.health, each read to its current end — for the CLI (no Micronaut context needed).
 */
final class RouterState {

    final RulesBook rules;
    final BudgetBook budgets;
    final HealthBoard health;

    private RouterState(RulesBook rules, BudgetBook budgets, HealthBoard health) {
        this.rules = rules;
        this.budgets = budgets;
        this.health = health;
    }

    static KafkaClientSettings settings(String bootstrapServers, String schemaRegistryUrl) {
        return new KafkaClientSettings(bootstrapServers, schemaRegistryUrl, "tiergate-cli");
    }

    static RouterState read(
            KafkaClientSettings client, ModelCatalog catalog, DefaultRules.Table defaults, Duration timeout) {
        RulesBook rules = new RulesBook(defaults, new RuleValidator(catalog));
        RouterConfiguration router = RouterConfiguration.DEFAULTS; // what a router runs with unless configured
        BudgetBook budgets = new BudgetBook(router.defaultThresholds());
        HealthBoard health = new HealthBoard(router.healthStaleness(), router.localAverageService());
        new StateFeed(
                        client,
                        "tiergate-cli-state-" + System.nanoTime(),
                        new EventDecoder(client),
                        rules,
                        budgets,
                        health,
                        null,
                        Duration.ZERO,
                        Duration.ofMillis(200),
                        Clock.systemUTC())
                .loadToEnd(timeout);
        return new RouterState(rules, budgets, health);
    }
}
