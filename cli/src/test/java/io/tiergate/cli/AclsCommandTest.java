package io.tiergate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.platform.kafka.security.KafkaAccessPolicy;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code tiergate acls show|apply}: the policy as documented, the passwords from the environment. */
class AclsCommandTest {

    @Test
    void showPrintsThePolicysTable() {
        assertThat(Cli.run("acls", "show").succeeds().out())
                .isEqualTo(KafkaAccessPolicy.standard().markdownTable());
    }

    @Test
    void eachPrincipalsPasswordComesFromItsOwnVariable() {
        Map<String, String> env = Map.of(
                "TIERGATE_LOCAL_WORKER_KAFKA_PASSWORD", "pw-local",
                "TIERGATE_OPS_KAFKA_PASSWORD", "pw-ops",
                "TIERGATE_ROUTER_KAFKA_PASSWORD", " ");
        assertThat(AclsCommand.Apply.passwords(env::get))
                .containsExactlyInAnyOrderEntriesOf(Map.of("local-worker", "pw-local", "ops", "pw-ops"));
        assertThat(AclsCommand.Apply.variable("schema-registry")).isEqualTo("TIERGATE_SCHEMA_REGISTRY_KAFKA_PASSWORD");
    }
}
