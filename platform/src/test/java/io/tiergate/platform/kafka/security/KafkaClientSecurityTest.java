package io.tiergate.platform.kafka.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micronaut.context.env.PropertySource;
import io.tiergate.platform.kafka.KafkaClientSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One client config file, as --command-config and as a service's tiergate.kafka.client-config. */
class KafkaClientSecurityTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"router\" password=\"s3cret-value\";";

    @TempDir
    Path dir;

    private Path file(String text) throws IOException {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, text);
        return file;
    }

    private Path scramFile() throws IOException {
        return file("security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\nsasl.jaas.config=" + JAAS + "\n"
                + "ssl.truststore.location=/etc/tiergate/truststore.p12\n");
    }

    @Test
    void aClientConfigFileGivesItsSecurityProperties() throws IOException {
        KafkaClientSecurity security = KafkaClientSecurity.fromFile(scramFile());
        assertThat(security.properties())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", JAAS)
                .containsEntry("ssl.truststore.location", "/etc/tiergate/truststore.p12");
        assertThat(security.protocol()).isEqualTo("SASL_SSL");
    }

    @Test
    void itsDescriptionNamesKeysButNeverValues() throws IOException {
        assertThat(KafkaClientSecurity.fromFile(scramFile()).toString())
                .contains("sasl.jaas.config", "SASL_SSL")
                .doesNotContain("s3cret-value");
    }

    @Test
    void aMissingFileIsRefusedNamingIt() {
        Path missing = dir.resolve("nope.properties");
        assertThatThrownBy(() -> KafkaClientSecurity.fromFile(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void aKeyThatIsNotASecurityPropertyIsRefusedNamingIt() throws IOException {
        Path file = file("security.protocol=SASL_PLAINTEXT\ngroup.id=somebody-elses\n");
        assertThatThrownBy(() -> KafkaClientSecurity.fromFile(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'group.id' is not a client security property");
    }

    @Test
    void anUnknownSecurityProtocolIsRefused() throws IOException {
        Path file = file("security.protocol=SASL_TLS\n");
        assertThatThrownBy(() -> KafkaClientSecurity.fromFile(file))
                .hasMessageContaining("security.protocol must be one of")
                .hasMessageContaining("SASL_TLS");
    }

    @Test
    void noFileMeansPlaintext() {
        assertThat(KafkaClientSecurity.none().properties()).isEmpty();
        assertThat(new KafkaClientSettings("127.0.0.1:1", null, "t").base())
                .doesNotContainKey("security.protocol")
                .doesNotContainKey("sasl.jaas.config");
    }

    private static ApplicationContext service(Map<String, Object> properties) {
        Map<String, Object> all = new HashMap<>(properties);
        all.put("kafka.bootstrap.servers", "127.0.0.1:1");
        all.put("tiergate.schema-registry-url", "mock://client-security-test");
        all.put("micronaut.health.monitor.enabled", "false");
        return ApplicationContext.run(all, Environment.CLI);
    }

    @Test
    void aServiceGivesTheFilesPropertiesToMicronautsClientsAndToItsOwn() throws IOException {
        try (ApplicationContext context =
                service(Map.of("tiergate.kafka.client-config", scramFile().toString()))) {
            // Micronaut's listeners, producers and Kafka Streams copy the default configuration
            assertThat(context.getBean(KafkaDefaultConfiguration.class).getConfig())
                    .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                    .containsEntry("sasl.jaas.config", JAAS);
            assertThat(context.getBean(KafkaClientSettings.class).base())
                    .containsEntry("security.protocol", "SASL_SSL")
                    .containsEntry("sasl.jaas.config", JAAS)
                    .containsEntry("bootstrap.servers", "127.0.0.1:1");
        }
    }

    @Test
    void securityPropertiesSetAsKafkaPropertiesReachTheProjectsOwnClients() {
        try (ApplicationContext context =
                service(Map.of("kafka.security.protocol", "SASL_PLAINTEXT", "kafka.sasl.mechanism", "PLAIN"))) {
            assertThat(context.getBean(KafkaClientSettings.class).base())
                    .containsEntry("security.protocol", "SASL_PLAINTEXT")
                    .containsEntry("sasl.mechanism", "PLAIN");
        }
    }

    @Test
    void securityPropertiesFromTheEnvironmentReachEveryClient() {
        // KAFKA_SASL_JAAS_CONFIG as docker-compose sets it: Micronaut maps it to kafka.sasl.jaas.config
        // (and to look-alikes such as kafka.sasl.jaas-config, which are not Kafka properties)
        Map<String, Object> env = Map.of(
                "KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "KAFKA_SASL_JAAS_CONFIG", JAAS);
        try (ApplicationContext context = ApplicationContext.builder(Environment.CLI)
                .properties(Map.of(
                        "kafka.bootstrap.servers", "127.0.0.1:1",
                        "tiergate.schema-registry-url", "mock://client-security-test",
                        "micronaut.health.monitor.enabled", "false"))
                .propertySources(PropertySource.of(
                        "env",
                        env,
                        PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE,
                        PropertySource.Origin.of("env")))
                .start()) {
            assertThat(context.getBean(KafkaDefaultConfiguration.class).getConfig())
                    .containsEntry("sasl.jaas.config", JAAS)
                    .containsEntry("security.protocol", "SASL_PLAINTEXT");
            assertThat(context.getBean(KafkaClientSettings.class).security().properties())
                    .containsOnly(
                            Map.entry("security.protocol", "SASL_PLAINTEXT"),
                            Map.entry("sasl.mechanism", "SCRAM-SHA-512"),
                            Map.entry("sasl.jaas.config", JAAS));
        }
    }

    @Test
    void aKeySetInTheFileAndAsAKafkaPropertyToDifferentValuesStopsTheStart() throws IOException {
        Path file = scramFile();
        assertThatThrownBy(() -> {
                    try (ApplicationContext context = service(
                            Map.of("tiergate.kafka.client-config", file.toString(), "kafka.sasl.mechanism", "PLAIN"))) {
                        context.getBean(KafkaClientSettings.class);
                    }
                })
                .hasStackTraceContaining("'sasl.mechanism', which kafka.sasl.mechanism also sets");
    }

    @Test
    void aServiceWithAMissingClientConfigFileStopsNamingTheProperty() {
        assertThatThrownBy(() -> {
                    try (ApplicationContext context =
                            service(Map.of("tiergate.kafka.client-config", "/nonexistent/c.properties"))) {
                        context.getBean(KafkaClientSettings.class);
                    }
                })
                .hasStackTraceContaining(
                        "tiergate.kafka.client-config: Kafka client config /nonexistent/c.properties does not exist");
    }

    private static final String REGISTRY_USER_INFO = "router:registry-s3cret";

    @Test
    void registryCredentialsInTheFileReachEverySerdeConfigWithTheirSource() throws IOException {
        Path file = file("security.protocol=SASL_PLAINTEXT\nbasic.auth.user.info=" + REGISTRY_USER_INFO + "\n");
        KafkaClientSettings settings =
                new KafkaClientSettings("127.0.0.1:1", "http://registry:8081", "t", KafkaClientSecurity.fromFile(file));

        assertThat(settings.serdeConfig())
                .containsOnly(
                        Map.entry("schema.registry.url", "http://registry:8081"),
                        Map.entry("basic.auth.credentials.source", "USER_INFO"),
                        Map.entry("basic.auth.user.info", REGISTRY_USER_INFO));
        assertThat(settings.base())
                .containsEntry("basic.auth.credentials.source", "USER_INFO")
                .containsEntry("basic.auth.user.info", REGISTRY_USER_INFO)
                .containsEntry("security.protocol", "SASL_PLAINTEXT");
        assertThat(settings.security().toString())
                .contains("basic.auth.user.info")
                .doesNotContain("registry-s3cret");
    }

    @Test
    void withoutRegistryCredentialsASerdeConfigHasOnlyTheUrl() {
        assertThat(new KafkaClientSettings("127.0.0.1:1", "http://registry:8081", "t").serdeConfig())
                .containsOnly(Map.entry("schema.registry.url", "http://registry:8081"));
    }

    @Test
    void aCredentialsSourceOtherThanUserInfoIsRefused() throws IOException {
        Path file =
                file("basic.auth.credentials.source=SASL_INHERIT\nbasic.auth.user.info=" + REGISTRY_USER_INFO + "\n");
        assertThatThrownBy(() -> KafkaClientSecurity.fromFile(file))
                .hasMessageContaining("basic.auth.credentials.source must be USER_INFO")
                .hasMessageNotContaining("registry-s3cret");
    }

    @Test
    void registryCredentialsWithoutAUserAreRefusedWithoutEchoingThem() throws IOException {
        Path file = file("basic.auth.user.info=only-a-s3cret\n");
        assertThatThrownBy(() -> KafkaClientSecurity.fromFile(file))
                .hasMessageContaining("basic.auth.user.info must be user:password")
                .hasMessageNotContaining("only-a-s3cret");
    }

    @Test
    void registryCredentialsFromTheEnvironmentReachTheServicesSerdes() {
        // KAFKA_BASIC_AUTH_USER_INFO as docker-compose sets it: Micronaut maps it to kafka.basic.auth.user.info
        Map<String, Object> env = Map.of("KAFKA_BASIC_AUTH_USER_INFO", REGISTRY_USER_INFO);
        try (ApplicationContext context = ApplicationContext.builder(Environment.CLI)
                .properties(Map.of(
                        "kafka.bootstrap.servers", "127.0.0.1:1",
                        "tiergate.schema-registry-url", "http://registry:8081",
                        "micronaut.health.monitor.enabled", "false"))
                .propertySources(PropertySource.of(
                        "env",
                        env,
                        PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE,
                        PropertySource.Origin.of("env")))
                .start()) {
            assertThat(context.getBean(KafkaClientSettings.class).serdeConfig())
                    .containsEntry("basic.auth.credentials.source", "USER_INFO")
                    .containsEntry("basic.auth.user.info", REGISTRY_USER_INFO);
        }
    }

    @Test
    void registryCredentialsInAServicesClientConfigFileReachItsSerdes() throws IOException {
        Path file = file("basic.auth.user.info=" + REGISTRY_USER_INFO + "\n");
        try (ApplicationContext context = service(Map.of("tiergate.kafka.client-config", file.toString()))) {
            assertThat(context.getBean(KafkaClientSettings.class).serdeConfig())
                    .containsEntry("basic.auth.user.info", REGISTRY_USER_INFO);
        }
    }
}
