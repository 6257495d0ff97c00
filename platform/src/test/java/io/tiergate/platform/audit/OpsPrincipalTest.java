package io.tiergate.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.schemas.events.PrincipalSource;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpsPrincipalTest {

    @Test
    void aClientWithoutSaslIsAttributedToTheOsUser() {
        assertThat(OpsPrincipal.of(Map.of("bootstrap.servers", "127.0.0.1:9092"), "alice"))
                .isEqualTo(new OpsPrincipal("alice", PrincipalSource.OS_USER));
    }

    @Test
    void aSaslClientIsAttributedToItsUsername() {
        Map<String, Object> config = Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"ops-bob\" password=\"s3cret\";");
        assertThat(OpsPrincipal.of(config, "alice")).isEqualTo(new OpsPrincipal("ops-bob", PrincipalSource.KAFKA_SASL));
    }

    @Test
    void aJaasConfigWithoutASaslProtocolDoesNotCount() {
        Map<String, Object> config = Map.of(
                "security.protocol",
                "PLAINTEXT",
                "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"x\" password=\"y\";");
        assertThat(OpsPrincipal.of(config, "alice").source()).isEqualTo(PrincipalSource.OS_USER);
    }

    @Test
    void noUserAtAllIsUnknownNotBlank() {
        assertThat(OpsPrincipal.of(Map.of(), " ")).isEqualTo(new OpsPrincipal("unknown", PrincipalSource.UNKNOWN));
    }
}
