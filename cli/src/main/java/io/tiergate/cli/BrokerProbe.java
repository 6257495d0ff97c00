package io.tiergate.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether anything listens at a Kafka bootstrap list, asked with a plain TCP connect before a Kafka client
 * is made: a client retries an absent broker until its API timeout (about 30 s) before it says anything,
 * an operator command should say it at once.
 */
final class BrokerProbe {

    private BrokerProbe() {}

    /** Thrown when no bootstrap server accepts a connection; its message says what to do. */
    static final class NoBrokerException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        NoBrokerException(String message) {
            super(message);
        }
    }

    /**
     * Returns {@code bootstrap} when at least one of its {@code host:port} entries accepts a TCP connection
     * within {@code timeout}.
     *
     * @throws NoBrokerException naming every address tried and why it failed
     * @throws IllegalArgumentException for an entry that is not {@code host:port}
     */
    static String requireReachable(String bootstrap, Duration timeout) {
        List<String> failures = new ArrayList<>();
        for (String entry : bootstrap.split(",")) {
            String address = entry.trim();
            if (address.isEmpty()) {
                continue;
            }
            int colon = address.lastIndexOf(':');
            int port;
            try {
                port = colon < 1 ? -1 : Integer.parseInt(address.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException(
                        "Invalid value for option '--bootstrap': '" + address + "' is not host:port");
            }
            String host = address.substring(0, colon).replace("[", "").replace("]", "");
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
                return bootstrap;
            } catch (IOException e) {
                failures.add(address + " ("
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
            }
        }
        if (failures.isEmpty()) {
            throw new IllegalArgumentException("Invalid value for option '--bootstrap': empty");
        }
        throw new NoBrokerException("no Kafka broker answered at " + String.join(", ", failures)
                + ". Is tiergate running (./tiergate up)? Otherwise pass --bootstrap host:port"
                + " (or set KAFKA_BOOTSTRAP).");
    }
}
