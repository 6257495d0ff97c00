package io.tiergate.platform.audit;

import io.tiergate.schemas.events.PrincipalSource;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who an ops change is attributed to (docs/security.md, "Audit"): the Kafka principal when the
 * writing client authenticates with SASL (the {@code username} of its {@code sasl.jaas.config}, which
 * is what the broker's authorizer sees for PLAIN and SCRAM), else the operating-system user running
 * the tool. Computed from the client configuration the change is written with, so whatever puts SASL
 * settings into that configuration also decides the principal; nothing else needs wiring.
 */
public record OpsPrincipal(String name, PrincipalSource source) {

    private static final Pattern JAAS_USERNAME = Pattern.compile("\\busername\\s*=\\s*\"([^\"]*)\"");

    public OpsPrincipal {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
    }

    /** The principal of a client with this configuration; {@code osUser} when it does not use SASL. */
    public static OpsPrincipal of(Map<String, ?> clientConfig, String osUser) {
        Object protocol = clientConfig.get("security.protocol");
        Object jaas = clientConfig.get("sasl.jaas.config");
        if (protocol != null
                && String.valueOf(protocol).toUpperCase(java.util.Locale.ROOT).startsWith("SASL")
                && jaas != null) {
            Matcher username = JAAS_USERNAME.matcher(String.valueOf(jaas));
            if (username.find() && !username.group(1).isBlank()) {
                return new OpsPrincipal(username.group(1), PrincipalSource.KAFKA_SASL);
            }
        }
        if (osUser == null || osUser.isBlank()) {
            return new OpsPrincipal("unknown", PrincipalSource.UNKNOWN);
        }
        return new OpsPrincipal(osUser, PrincipalSource.OS_USER);
    }

    /** With this JVM's user ({@code user.name}). */
    public static OpsPrincipal of(Map<String, ?> clientConfig) {
        return of(clientConfig, System.getProperty("user.name"));
    }

    /** This machine's host name, or null when it cannot be told. */
    public static String localHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
