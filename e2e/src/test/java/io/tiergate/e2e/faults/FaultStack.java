package io.tiergate.e2e.faults;

import static org.awaitility.Awaitility.await;

import io.tiergate.cli.stack.LocalStack;
import io.tiergate.cli.stack.ServiceProcess;
import io.tiergate.cli.stack.ServiceSpec;
import io.tiergate.schemas.registry.EmbeddedSchemaRegistry;
import io.tiergate.schemas.topics.TopicProvisioner;
import io.tiergate.testkit.BrokerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;

/**
 * The system as separate processes, like {@code LocalStack}, but with what fault tests need and
 * LocalStack keeps private: a broker process that can be stopped and started again on the same
 * data dir, named service instances (two routers, several cloud workers on their own ports) each
 * with its own environment, so an instance can be killed with SIGKILL and started again as the
 * same instance (same worker id, same env). Every start of an instance logs to its own file, so
 * nothing a killed process wrote is overwritten.
 */
final class FaultStack implements AutoCloseable {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final int BROKER_PORT = 29092;
    static final int REGISTRY_PORT = 28081;
    static final int PARTITIONS = 3;
    private static final List<String> JVM_ARGS =
            List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto");

    /** One service instance: a spec (module, port), its own environment, the current process. */
    static final class Instance {
        final String name;
        final ServiceSpec spec;
        final Map<String, String> env;
        ServiceProcess process;
        int starts;

        Instance(String name, ServiceSpec spec, Map<String, String> env) {
            this.name = name;
            this.spec = spec;
            this.env = new HashMap<>(env);
        }

        String baseUrl() {
            return spec.baseUrl();
        }

        boolean alive() {
            return process != null && process.alive();
        }
    }

    private final Path dataDir;
    private final Map<String, String> commonEnv;
    private final Map<String, Instance> instances = new LinkedHashMap<>();
    private final List<Path> logs = new ArrayList<>();
    private BrokerProcess broker;
    private EmbeddedSchemaRegistry registry;

    FaultStack(Path dataDir, Map<String, String> commonEnv) {
        // a test JVM that dies (surefire timeout, Ctrl-C) must not leave services holding the ports
        Runtime.getRuntime().addShutdownHook(new Thread(this::killAll, "faults-stack-cleanup"));
        this.dataDir = dataDir;
        this.commonEnv = new HashMap<>(commonEnv);
        this.commonEnv.put("KAFKA_BOOTSTRAP", bootstrapServers());
        this.commonEnv.put("SCHEMA_REGISTRY_URL", registryUrl());
        this.commonEnv.put("TIERGATE_PARTITIONS", String.valueOf(PARTITIONS));
        this.commonEnv.put("TIERGATE_HTTP_API_TOKEN", Http.API_TOKEN);
    }

    static ServiceSpec spec(String module, int port) {
        ServiceSpec base = ServiceSpec.ALL.stream()
                .filter(s -> s.module().equals(module))
                .findFirst()
                .orElseThrow();
        return new ServiceSpec(base.module(), base.mainClass(), base.portVariable(), port);
    }

    Path dataDir() {
        return dataDir;
    }

    String bootstrapServers() {
        return "127.0.0.1:" + BROKER_PORT;
    }

    String registryUrl() {
        return "http://127.0.0.1:" + REGISTRY_PORT;
    }

    /** A fresh broker and registry (the data dir is wiped), and every topic with its .dlq twin. */
    void startInfrastructure() {
        LocalStack.deleteRecursively(dataDir);
        startBroker();
        registry = EmbeddedSchemaRegistry.start(REGISTRY_PORT, dataDir.resolve("registry.json"));
        try (Admin admin = admin()) {
            new TopicProvisioner(admin, t -> PARTITIONS, (short) 1).ensureAll();
        }
    }

    /** Starts the broker on {@code dataDir/kafka}; formats storage only the first time. */
    void startBroker() {
        var defaults = BrokerProcess.Settings.defaults(dataDir.resolve("kafka"));
        broker = BrokerProcess.start(
                new BrokerProcess.Settings(
                        defaults.dataDir(), defaults.host(), BROKER_PORT, BROKER_PORT + 1, defaults.classpath()),
                Duration.ofSeconds(60));
    }

    /** Stops the schema registry (its state file stays). */
    void stopRegistry() {
        registry.close();
        registry = null;
    }

    /** Starts the registry again on the same port and state file. */
    void startRegistry() {
        registry = EmbeddedSchemaRegistry.start(REGISTRY_PORT, dataDir.resolve("registry.json"));
    }

    /** SIGTERM: Kafka's controlled shutdown. */
    void stopBroker() {
        broker.close();
        broker = null;
    }

    Admin admin() {
        return Admin.create(Map.of(
                CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
    }

    /** Declares an instance (not started). */
    Instance define(String name, ServiceSpec spec, Map<String, String> env) {
        Instance instance = new Instance(name, spec, env);
        if (instances.putIfAbsent(name, instance) != null) {
            throw new IllegalArgumentException("instance " + name + " exists");
        }
        return instance;
    }

    Instance instance(String name) {
        Instance i = instances.get(name);
        if (i == null) {
            throw new IllegalArgumentException("no instance " + name);
        }
        return i;
    }

    Collection<Instance> instances() {
        return instances.values();
    }

    /** Launches the instance's JVM (does not wait for it). */
    void launch(String name) {
        Instance i = instance(name);
        if (i.alive()) {
            throw new IllegalStateException(name + " is already running");
        }
        Map<String, String> env = new HashMap<>(commonEnv);
        env.putAll(i.env);
        i.starts++;
        Path logDir = dataDir.resolve("logs").resolve(name + "-" + i.starts);
        i.process = ServiceProcess.start(ROOT, i.spec, env, logDir, JVM_ARGS);
        synchronized (logs) {
            logs.add(i.process.log());
        }
    }

    /** Launches the named instances together and waits until each answers /health UP. */
    void startAll(Collection<String> names, Duration timeout) {
        names.forEach(this::launch);
        for (String name : names) {
            awaitHealthy(name, timeout);
        }
    }

    void start(String name, Duration timeout) {
        startAll(List.of(name), timeout);
    }

    void awaitHealthy(String name, Duration timeout) {
        Instance i = instance(name);
        await(name + " /health UP")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!i.process.alive()) {
                        throw new IllegalStateException(name + " exited; last lines of " + i.process.log() + ":\n"
                                + LocalStack.tail(i.process.log(), 40));
                    }
                    return i.process.healthy();
                });
    }

    /** SIGKILL (kill -9): no shutdown hook runs, nothing is flushed, the group is not left. */
    void kill(String name) {
        Instance i = instance(name);
        ProcessHandle.of(i.process.pid()).ifPresent(ProcessHandle::destroyForcibly);
        await(name + " dead")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> !i.process.alive());
    }

    /** SIGTERM: a graceful stop. */
    void stop(String name) {
        Instance i = instance(name);
        if (i.process != null) {
            i.process.close();
        }
    }

    /** Every log file written so far (one per start of an instance), plus the broker's. */
    List<Path> logFiles() {
        List<Path> all;
        synchronized (logs) {
            all = new ArrayList<>(logs);
        }
        all.add(dataDir.resolve("kafka").resolve("broker.log"));
        return all;
    }

    @Override
    public void close() {
        instances.values().parallelStream().filter(Instance::alive).forEach(i -> i.process.close());
        if (registry != null) {
            registry.close();
            registry = null;
        }
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    private void killAll() {
        for (Instance i : instances.values()) {
            if (i.alive()) {
                ProcessHandle.of(i.process.pid()).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        if (broker != null) {
            broker.close();
        }
    }
}
