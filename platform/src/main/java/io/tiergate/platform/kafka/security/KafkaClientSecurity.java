package io.tiergate.platform.kafka.security;

import io.tiergate.schemas.serde.SerdeConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * The Kafka client security properties every client of a process gets — {@code security.protocol},
 * {@code sasl.*}, {@code ssl.*} — and the schema registry's basic-auth credentials ({@code
 * basic.auth.user.info}, Confluent's client property, which Confluent's client files carry beside
 * the SASL ones), read from one Kafka client properties file, the file Kafka's own tools take as
 * {@code --command-config} (docs/security.md, "Client configuration"). Only credentials and
 * security properties are accepted: a file that sets {@code group.id} or {@code bootstrap.servers}
 * would silently change what the clients do, so it is refused, naming the key. Values are never
 * logged or printed: {@link #toString()} and every error name the keys only.
 */
public final class KafkaClientSecurity {

    private static final KafkaClientSecurity NONE = new KafkaClientSecurity(Map.of(), "none");

    /** The schema registry's basic-auth properties this class carries (Confluent's names). */
    private static final java.util.Set<String> REGISTRY_KEYS =
            java.util.Set.of(SerdeConfig.BASIC_AUTH_USER_INFO, SerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE);

    /** Every property a Kafka consumer or producer knows. */
    private static final java.util.Set<String> CLIENT_CONFIG_NAMES = clientConfigNames();

    private final Map<String, String> properties;
    private final String source;

    private KafkaClientSecurity(Map<String, String> properties, String source) {
        this.properties = Map.copyOf(properties);
        this.source = source;
    }

    /** No security: PLAINTEXT, what the embedded default runs. */
    public static KafkaClientSecurity none() {
        return NONE;
    }

    /**
     * The security properties of {@code file}.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static KafkaClientSecurity fromFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("Kafka client config " + file + " does not exist or is not a file");
        }
        Properties loaded = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            loaded.load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read Kafka client config " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> values = new TreeMap<>();
        loaded.stringPropertyNames()
                .forEach(key -> values.put(key, loaded.getProperty(key).trim()));
        return of(values, file.toString());
    }

    /**
     * The security properties among {@code values} (configuration keys without the {@code kafka.}
     * prefix); other keys are ignored, so a service's whole {@code kafka.*} map can be passed, and so
     * are keys Kafka's clients do not know: Micronaut maps {@code KAFKA_SASL_JAAS_CONFIG} to {@code
     * kafka.sasl.jaas.config} and to look-alikes such as {@code kafka.sasl.jaas-config}.
     */
    public static KafkaClientSecurity fromConfiguration(Map<String, ?> values) {
        Map<String, String> security = new TreeMap<>();
        values.forEach((key, value) -> {
            if (isSecurityKey(key)
                    && (CLIENT_CONFIG_NAMES.contains(key) || REGISTRY_KEYS.contains(key))
                    && value != null) {
                security.put(key, value.toString().trim());
            }
        });
        return of(security, "configuration");
    }

    /**
     * {@code properties}, checked.
     *
     * @throws IllegalArgumentException for a key that is not a client security property, an
     *     unknown {@code security.protocol}, or registry credentials that are not {@code user:password},
     *     naming the key and {@code source}, never a value of a credential
     */
    public static KafkaClientSecurity of(Map<String, String> properties, String source) {
        for (Map.Entry<String, String> e : properties.entrySet()) {
            if (!isSecurityKey(e.getKey())) {
                throw new IllegalArgumentException("Kafka client config " + source + ": '" + e.getKey()
                        + "' is not a client security property (allowed: security.protocol, sasl.*, ssl.*, "
                        + SerdeConfig.BASIC_AUTH_USER_INFO + ", " + SerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE + ")");
            }
        }
        String protocol = properties.get(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG);
        if (protocol != null) {
            try {
                SecurityProtocol.forName(protocol.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "Kafka client config " + source + ": security.protocol must be one of "
                                + SecurityProtocol.names() + ", was '" + protocol + "'");
            }
        }
        checkRegistryCredentials(properties, source);
        return properties.isEmpty() ? NONE : new KafkaClientSecurity(properties, source);
    }

    private static void checkRegistryCredentials(Map<String, String> properties, String source) {
        String credentialsSource = properties.get(SerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE);
        if (credentialsSource != null && !SerdeConfig.USER_INFO.equals(credentialsSource)) {
            throw new IllegalArgumentException("Kafka client config " + source + ": "
                    + SerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE + " must be " + SerdeConfig.USER_INFO
                    + " (the registry credentials are " + SerdeConfig.BASIC_AUTH_USER_INFO + "), was '"
                    + credentialsSource + "'");
        }
        String userInfo = properties.get(SerdeConfig.BASIC_AUTH_USER_INFO);
        if (credentialsSource != null && userInfo == null) {
            throw new IllegalArgumentException("Kafka client config " + source + ": "
                    + SerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE + " is set without "
                    + SerdeConfig.BASIC_AUTH_USER_INFO);
        }
        if (userInfo != null && userInfo.indexOf(':') < 1) {
            // the value is a credential: say what is wrong with it, never what it is
            throw new IllegalArgumentException("Kafka client config " + source + ": " + SerdeConfig.BASIC_AUTH_USER_INFO
                    + " must be user:password (the registry's basic-auth credentials)");
        }
    }

    private static java.util.Set<String> clientConfigNames() {
        java.util.Set<String> names = new java.util.HashSet<>(ConsumerConfig.configNames());
        names.addAll(ProducerConfig.configNames());
        return java.util.Set.copyOf(names);
    }

    /** Whether {@code key} is a client security property this class carries. */
    public static boolean isSecurityKey(String key) {
        return key.equals(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG)
                || key.startsWith("sasl.")
                || key.startsWith("ssl.")
                || REGISTRY_KEYS.contains(key);
    }

    /**
     * The properties to add to a client's configuration (empty: PLAINTEXT, no registry credentials);
     * Kafka's clients ignore the registry's, and hand them to the serdes they configure.
     */
    public Map<String, String> properties() {
        return properties;
    }

    /** The schema registry's basic-auth {@code user:password}, when set. */
    public Optional<String> registryUserInfo() {
        return Optional.ofNullable(properties.get(SerdeConfig.BASIC_AUTH_USER_INFO));
    }

    /**
     * What a serde config needs to authenticate to the schema registry: {@code
     * basic.auth.credentials.source=USER_INFO} and {@code basic.auth.user.info}; empty without
     * registry credentials.
     */
    public Map<String, String> registryAuth() {
        return registryUserInfo()
                .map(userInfo -> Map.of(
                        SerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE,
                        SerdeConfig.USER_INFO,
                        SerdeConfig.BASIC_AUTH_USER_INFO,
                        userInfo))
                .orElse(Map.of());
    }

    public boolean isEmpty() {
        return properties.isEmpty();
    }

    /** The security protocol, {@code PLAINTEXT} when none is set. */
    public String protocol() {
        return properties.getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT");
    }

    /** Where the properties came from and their keys, never their values. */
    @Override
    public String toString() {
        return "KafkaClientSecurity[" + protocol() + " from " + source + ", keys " + properties.keySet() + "]";
    }
}
