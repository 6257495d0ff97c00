package io.tiergate.testkit;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Kafka security as tiergate's secured broker runs it (docs/security.md, "Authentication"), one
 * definition for the in-JVM test broker ({@link SaslKafkaBroker}) and the broker process of {@code
 * ./tiergate up --secure} ({@link BrokerProcess}): clients authenticate with SASL/SCRAM-SHA-512 on
 * the client listener; the broker's own connections (controller, inter-broker) use SASL/PLAIN as
 * principal {@value #BROKER_USER}, the only super user, because KRaft cannot use SCRAM on the
 * controller listener (the controller needs the credential before it has read the metadata log that
 * stores SCRAM credentials); the KRaft {@code StandardAuthorizer} allows only what an ACL grants.
 * Every JAAS setting is per listener: no JAAS file, no system property.
 */
public final class BrokerSecurity {

    /** The broker's own principal: the only super user. */
    public static final String BROKER_USER = "broker";

    /** The SASL mechanism clients use. */
    public static final String CLIENT_MECHANISM = "SCRAM-SHA-512";

    private BrokerSecurity() {}

    /**
     * Broker properties that turn security on for listeners {@code clientListener} (clients and
     * inter-broker traffic) and {@code controllerListener}, both SASL_PLAINTEXT.
     */
    public static Map<String, String> brokerProperties(
            String clientListener, String controllerListener, String brokerPassword) {
        // the server side of PLAIN: the broker's own login, and the one user PLAIN accepts (itself)
        String serverPlain = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                + BROKER_USER + "\" password=\"" + brokerPassword + "\" user_" + BROKER_USER + "=\"" + brokerPassword
                + "\";";
        String client = clientListener.toLowerCase(Locale.ROOT);
        String controller = controllerListener.toLowerCase(Locale.ROOT);
        Map<String, String> p = new LinkedHashMap<>();
        p.put(
                "listener.security.protocol.map",
                clientListener + ":SASL_PLAINTEXT," + controllerListener + ":SASL_PLAINTEXT");
        p.put("sasl.enabled.mechanisms", CLIENT_MECHANISM + ",PLAIN");
        p.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
        p.put("sasl.mechanism.controller.protocol", "PLAIN");
        p.put("listener.name." + controller + ".sasl.enabled.mechanisms", "PLAIN");
        p.put("listener.name." + controller + ".plain.sasl.jaas.config", serverPlain);
        p.put("listener.name." + client + ".plain.sasl.jaas.config", serverPlain);
        p.put(
                "listener.name." + client + ".scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("allow.everyone.if.no.acl.found", "false");
        p.put("super.users", "User:" + BROKER_USER);
        return p;
    }

    /** Client properties of a SCRAM-SHA-512 user (what a {@code --command-config} file holds). */
    public static Map<String, String> scramClientProperties(String user, String password) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("security.protocol", "SASL_PLAINTEXT");
        p.put("sasl.mechanism", CLIENT_MECHANISM);
        p.put(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
                        + password + "\";");
        return p;
    }

    /** Client properties of the broker's super user (provisioning users, ACLs and topics only). */
    public static Map<String, String> superUserProperties(String brokerPassword) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("security.protocol", "SASL_PLAINTEXT");
        p.put("sasl.mechanism", "PLAIN");
        p.put("sasl.jaas.config", plainJaas(BROKER_USER, brokerPassword));
        return p;
    }

    private static String plainJaas(String user, String password) {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user + "\" password=\""
                + password + "\";";
    }

    /** A random password: 24 bytes from {@link SecureRandom}, URL-safe Base64 (no quoting needed in JAAS). */
    public static String randomPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
