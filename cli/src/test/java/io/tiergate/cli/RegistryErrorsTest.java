package io.tiergate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.schemas.serde.SchemaRegistryException;
import java.net.ConnectException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** What an operator is told when the schema registry refuses or does not answer (docs/security.md). */
class RegistryErrorsTest {

    @Test
    void aRegistryRefusingTheCredentialsPointsAtTheCommandConfigFile() {
        var refused = SchemaRegistryException.outage(
                401, "Schema registry at http://registry:8081/ refused to …: unauthorized", null);
        assertThat(TiergateCli.kafkaHint(new SerializationException("Cannot serialize", refused)))
                .contains("the schema registry refused the credentials")
                .contains("basic.auth.user.info")
                .contains("--command-config");
    }

    @Test
    void aRegistryThatDoesNotAnswerIsNotMistakenForTheLedger() {
        var down = SchemaRegistryException.outage(
                -1, "Cannot register … at http://registry:8081/", new ConnectException("Connection refused"));
        assertThat(TiergateCli.connectFailure(down)).isNull();
    }
}
