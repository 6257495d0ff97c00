package io.tiergate.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./tiergate whatif}'s refusals, before or without a broker. */
class WhatIfCommandTest {

    @TempDir
    Path dir;

    @Test
    void withNoBrokerAndNoKeptDemoDataItSaysWhereItLooked() {
        Cli.run("whatif", "--bootstrap", "127.0.0.1:1", "--data-dir", dir.toString())
                .failsWith("no Kafka broker answered at 127.0.0.1:1")
                .failsWith("No kept demo data in " + dir.toAbsolutePath());
    }

    @Test
    void aTimeThatIsNotAnInstantIsRefusedNamingTheOption() {
        Cli.run("whatif", "--from", "yesterday", "--bootstrap", "127.0.0.1:1")
                .failsWith("Invalid value for option '--from': 'yesterday' is not an ISO instant");
    }

    @Test
    void anInvalidRulesFileIsRefusedBeforeAnyBrokerIsAsked() throws Exception {
        Path rules = dir.resolve("rules.json");
        Files.writeString(rules, "{\"version\": \"x\", \"localModel\": \"qwen3:8b\", \"rules\": []}");
        Cli.run("whatif", "--rules", rules.toString(), "--bootstrap", "127.0.0.1:1")
                .failsWith("have no rule for");
    }
}
