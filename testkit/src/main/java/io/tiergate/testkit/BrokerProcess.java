package io.tiergate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node KRaft broker as its own process, for the embedded default: storage is
 * formatted once with Kafka's {@code StorageTool} under {@code dataDir} (so a restart keeps the
 * data), then {@code kafka.Kafka server.properties} runs with this JVM's classpath (which carries
 * {@code kafka_2.13}). {@link #close()} sends SIGTERM, on which Kafka shuts down cleanly.
 */
public final class BrokerProcess implements KafkaBroker {

    /**
     * Where and how to run the broker.
     *
     * @param brokerPassword empty: PLAINTEXT, anyone who reaches the port may do anything (the embedded
     *     default); present: Kafka security on ({@link BrokerSecurity}), this the broker principal's
     *     password
     */
    public record Settings(
            Path dataDir,
            String host,
            int brokerPort,
            int controllerPort,
            String classpath,
            Optional<String> brokerPassword) {

        /** Without security. */
        public Settings(Path dataDir, String host, int brokerPort, int controllerPort, String classpath) {
            this(dataDir, host, brokerPort, controllerPort, classpath, Optional.empty());
        }

        public static Settings defaults(Path dataDir) {
            return new Settings(dataDir, "127.0.0.1", 9092, 9093, System.getProperty("java.class.path"));
        }

        /** The same broker with Kafka security on. */
        public Settings secured(String password) {
            return new Settings(dataDir, host, brokerPort, controllerPort, classpath, Optional.of(password));
        }

        /** Do not print the password. */
        @Override
        public String toString() {
            return "Settings[" + dataDir + ", " + host + ":" + brokerPort + "/" + controllerPort
                    + (brokerPassword.isPresent() ? ", secured" : ", plaintext") + "]";
        }
    }

    private final Settings settings;
    private final Process process;
    private final ExitHook stopOnExit;

    private BrokerProcess(Settings settings, Process process) {
        this.settings = settings;
        this.process = process;
        this.stopOnExit = ExitHook.register("tiergate-broker-stop", this::stop);
    }

    /** The broker JVM's process id (for measuring its CPU time). */
    public long pid() {
        return process.pid();
    }

    /** Formats storage if needed, starts the broker and waits until its port accepts connections. */
    public static BrokerProcess start(Settings settings, Duration timeout) {
        return start(settings, timeout, List.of());
    }

    /**
     * {@link #start(Settings, Duration)} with extra options for the broker's JVM (after the defaults,
     * so they win), e.g. a compiler or collector for a short run.
     */
    public static BrokerProcess start(Settings settings, Duration timeout, List<String> jvmOptions) {
        try {
            Files.createDirectories(settings.dataDir());
            if (portOpen(settings.host(), settings.brokerPort())) {
                throw new IllegalStateException("Port " + settings.brokerPort() + " on " + settings.host()
                        + " is already in use: another broker is running there. Stop it, or pass"
                        + " --bootstrap " + settings.host() + ":" + settings.brokerPort() + " to use it.");
            }
            Path properties = writeServerProperties(settings);
            Path logDir = settings.dataDir().resolve("logs");
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                String clusterId = clusterId(runTool(settings, List.of("kafka.tools.StorageTool", "random-uuid")));
                runTool(
                        settings,
                        List.of("kafka.tools.StorageTool", "format", "-t", clusterId, "-c", properties.toString()));
            }
            List<String> command = java(settings);
            command.addAll(command.indexOf("-cp"), jvmOptions);
            command.add("kafka.Kafka");
            command.add(properties.toString());
            Path log = settings.dataDir().resolve("broker.log");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            BrokerProcess broker = new BrokerProcess(settings, process);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!portOpen(settings.host(), settings.brokerPort())) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(
                            "Kafka broker exited with code " + process.exitValue() + "; see " + log);
                }
                if (System.nanoTime() > deadline) {
                    broker.close();
                    throw new IllegalStateException(
                            "Kafka broker did not open its port within " + timeout + "; see " + log);
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the Kafka broker process", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting the Kafka broker", e);
        }
    }

    static Path writeServerProperties(Settings s) throws IOException {
        Properties p = new Properties();
        // the client listener's name: its protocol under security (SASL_PLAINTEXT), else PLAINTEXT
        String client = s.brokerPassword().isPresent() ? "SASL_PLAINTEXT" : "PLAINTEXT";
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@" + s.host() + ":" + s.controllerPort());
        p.setProperty(
                "listeners",
                client + "://" + s.host() + ":" + s.brokerPort() + ",CONTROLLER://" + s.host() + ":"
                        + s.controllerPort());
        p.setProperty("advertised.listeners", client + "://" + s.host() + ":" + s.brokerPort());
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", client);
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        s.brokerPassword()
                .ifPresent(password -> BrokerSecurity.brokerProperties(client, "CONTROLLER", password)
                        .forEach(p::setProperty));
        p.setProperty("log.dirs", s.dataDir().resolve("logs").toAbsolutePath().toString());
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("auto.create.topics.enable", "false");
        p.setProperty("num.partitions", "3");
        Path file = s.dataDir().resolve("server.properties");
        // under security the file holds the broker's password: readable by this user only
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file); // not a POSIX file system
        }
        try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(
                    out,
                    "generated by tiergate: single-node KRaft broker for the embedded default"
                            + (s.brokerPassword().isPresent() ? " (secured: docs/security.md)" : ""));
        }
        return file;
    }

    /** The id StorageTool printed: its output may carry log lines too, the id is a 22-character base64url token. */
    static String clusterId(String toolOutput) {
        java.util.regex.Matcher id =
                java.util.regex.Pattern.compile("(?m)^([A-Za-z0-9_-]{22})\\s*$").matcher(toolOutput);
        if (!id.find()) {
            throw new IllegalStateException("Kafka StorageTool printed no cluster id: " + toolOutput);
        }
        return id.group(1);
    }

    private static String runTool(Settings settings, List<String> args) throws IOException, InterruptedException {
        List<String> command = java(settings);
        command.addAll(args);
        Process tool = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(tool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!tool.waitFor(60, TimeUnit.SECONDS) || tool.exitValue() != 0) {
            throw new IllegalStateException("Kafka " + args + " failed: " + output);
        }
        return output;
    }

    private static List<String> java(Settings settings) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xms256m");
        command.add("-Xmx1g");
        command.add("-Dlog4j2.level=WARN");
        command.add("-cp");
        command.add(settings.classpath());
        return command;
    }

    static boolean portOpen(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String bootstrapServers() {
        return settings.host() + ":" + settings.brokerPort();
    }

    @Override
    public String description() {
        return "Kafka broker process (KRaft), data in " + settings.dataDir();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * The caller stops this broker at exit itself, after what depends on it (a stack stops its
     * services first): the broker's own exit hook, which the JVM would run in parallel with the
     * caller's, is cancelled.
     */
    public void leaveExitToOwner() {
        stopOnExit.cancel();
    }

    /** SIGTERM, then wait for Kafka's controlled shutdown; SIGKILL only if it hangs. */
    @Override
    public void close() {
        stop();
        stopOnExit.cancel();
    }

    private void stop() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
