package io.tiergate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.gateway.keys.KeyTokens;
import io.tiergate.schemas.topics.TopicProvisioner;
import io.tiergate.testkit.TestBrokers;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code ./tiergate keys create|list|revoke} against the real broker. */
class KeysCommandIT {

    private static final String REGISTRY = "mock://keys-it-" + UUID.randomUUID();

    @BeforeAll
    static void topics() {
        // the gateway (or ./tiergate up) creates the topics; here the test does
        try (Admin admin =
                Admin.create(Map.of("bootstrap.servers", TestBrokers.shared().bootstrapServers()))) {
            new TopicProvisioner(admin, t -> 1, (short) 1).ensureAll();
        }
    }

    private static Cli.Run keys(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("keys"));
        all.addAll(List.of(args));
        all.addAll(List.of("--bootstrap", TestBrokers.shared().bootstrapServers(), "--registry-url", REGISTRY));
        return Cli.run(all.toArray(String[]::new));
    }

    @Test
    void createPrintsTheKeyAloneOnItsLastLineListShowsItAndRevokeRevokesIt() {
        String cc = "keys-it-" + UUID.randomUUID().toString().substring(0, 6);
        String out = keys("create", "--cost-center", cc, "--name", "ci")
                .succeeds()
                .out()
                .strip();
        String[] lines = out.split("\n");
        String token = lines[lines.length - 1];
        assertThat(token).matches("tg-[0-9A-Za-z]{40}");

        String prefix = KeyTokens.shown(token);
        assertThat(keys("list").succeeds().out())
                .contains(prefix + "...")
                .contains(cc)
                .contains("active")
                .doesNotContain(token);

        assertThat(keys("revoke", prefix + "...").succeeds().out()).contains("revoked " + prefix);
        assertThat(keys("list").succeeds().out().lines().filter(l -> l.contains(prefix)))
                .singleElement()
                .asString()
                .contains("revoked");
    }

    @Test
    void badOptionsFailNamingThem() {
        keys("create").failsWith("--cost-center");
        keys("create", "--cost-center", "global").failsWith("--cost-center cannot be 'global'");
        keys("revoke", "tg-nothing").failsWith("no key matches 'tg-nothing'");
    }
}
