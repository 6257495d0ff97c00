package io.tiergate.cli.stack;

import io.tiergate.platform.kafka.security.KafkaAccessPolicy;
import io.tiergate.testkit.BrokerSecurity;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The credentials of {@code ./tiergate up --secure}, generated once and kept under the stack's data
 * dir ({@code secure/}, mode 0700): a random password per principal of {@link KafkaAccessPolicy} and
 * for the broker, in {@code credentials.properties}, and a Kafka client config file per principal,
 * {@code <principal>.properties}, usable as a service's {@code TIERGATE_KAFKA_CLIENT_CONFIG} or an
 * operator's {@code --command-config} (docs/security.md, "The secured local stack"). Files are mode
 * 0600; nothing here prints a password. A restart reuses them (the broker keeps its SCRAM credentials);
 * {@code --fresh} deletes the data dir and so rotates every password.
 */
public final class StackCredentials {

    static final String BROKER = BrokerSecurity.BROKER_USER;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

    private final Path dir;
    private final Map<String, String> passwords;

    private StackCredentials(Path dir, Map<String, String> passwords) {
        this.dir = dir;
        this.passwords = passwords;
    }

    /** The credentials in {@code dir}, with a new random password for every principal that has none yet. */
    public static StackCredentials loadOrCreate(Path dir) {
        try {
            Files.createDirectories(dir);
            restrict(dir, OWNER_ONLY_DIR);
            Path file = dir.resolve("credentials.properties");
            Map<String, String> passwords = new TreeMap<>();
            if (Files.exists(file)) {
                Properties stored = new Properties();
                try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    stored.load(in);
                }
                stored.stringPropertyNames().forEach(k -> passwords.put(k, stored.getProperty(k)));
            }
            boolean changed = passwords.putIfAbsent(BROKER, BrokerSecurity.randomPassword()) == null;
            for (String principal : KafkaAccessPolicy.PRINCIPALS) {
                changed |= passwords.putIfAbsent(principal, BrokerSecurity.randomPassword()) == null;
            }
            StackCredentials credentials = new StackCredentials(dir, passwords);
            if (changed) {
                Properties out = new Properties();
                out.putAll(passwords);
                writeOwnerOnly(file, w -> out.store(w, "tiergate up --secure: SCRAM passwords (keep secret)"));
            }
            for (String principal : KafkaAccessPolicy.PRINCIPALS) {
                Properties client = new Properties();
                client.putAll(BrokerSecurity.scramClientProperties(principal, passwords.get(principal)));
                writeOwnerOnly(
                        credentials.clientConfig(principal),
                        w -> client.store(w, "Kafka client config of principal " + principal + " (keep secret)"));
            }
            return credentials;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the secured stack's credentials under " + dir, e);
        }
    }

    /** The client config file of {@code principal}: {@code --command-config} / {@code TIERGATE_KAFKA_CLIENT_CONFIG}. */
    public Path clientConfig(String principal) {
        return dir.resolve(principal + ".properties");
    }

    /** The broker principal's password (the super user: provisioning only). */
    String brokerPassword() {
        return passwords.get(BROKER);
    }

    /** Every principal's SCRAM password, by principal. */
    Map<String, String> principalPasswords() {
        Map<String, String> principals = new TreeMap<>(passwords);
        principals.remove(BROKER);
        return principals;
    }

    public Path dir() {
        return dir;
    }

    private interface Write {
        void to(Writer writer) throws IOException;
    }

    private static void writeOwnerOnly(Path file, Write write) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        }
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            write.to(w);
        }
        Files.move(
                tmp,
                file,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static void restrict(Path path, Set<PosixFilePermission> permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, permissions);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the directory keeps its default permissions
        }
    }

    @Override
    public String toString() {
        return "StackCredentials[" + dir + ", principals "
                + principalPasswords().keySet() + "]";
    }
}
