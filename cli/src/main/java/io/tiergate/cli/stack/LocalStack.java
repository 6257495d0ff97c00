package io.tiergate.cli.stack;

import io.tiergate.platform.kafka.security.KafkaAccessPolicy;
import io.tiergate.schemas.registry.EmbeddedSchemaRegistry;
import io.tiergate.schemas.registry.TopicSchemas;
import io.tiergate.schemas.serde.SchemaRegistries;
import io.tiergate.schemas.serde.SerdeConfig;
import io.tiergate.schemas.topics.TopicProvisioner;
import io.tiergate.testkit.BrokerProcess;
import io.tiergate.testkit.BrokerSecurity;
import io.tiergate.testkit.ExitHook;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;

/**
 * The embedded default on one machine: a real Kafka broker process (KRaft), the embedded
 * Confluent-compatible schema registry, and the five services and the gateway as their own JVMs,
 * each waited for until {@code /health} is UP. {@link #close()} stops them in reverse order. With
 * {@link StackOptions#secure()} the broker runs with SASL/SCRAM and the StandardAuthorizer, the
 * stack creates every principal and the ACLs of {@link KafkaAccessPolicy}, and each service runs as
 * its own principal (docs/security.md, "The secured local stack").
 */
public final class LocalStack implements AutoCloseable {

    private static final Duration SERVICE_START_TIMEOUT = Duration.ofSeconds(180);

    private final StackOptions options;
    private final PrintStream out;
    private final JvmProfile jvm;
    private BrokerProcess broker;
    private EmbeddedSchemaRegistry registry;
    private String bootstrap;
    private String registryUrl;
    private String apiToken;
    private StackCredentials credentials;
    private final List<ServiceProcess> services = new ArrayList<>();
    private Optional<String> backendsSummary = Optional.empty();
    /** Stops the processes when this JVM ends before {@link #close()} (Ctrl-C, SIGTERM). */
    private ExitHook stopOnExit;

    /** The principal each service runs as under {@link StackOptions#secure()}. */
    static final Map<String, String> PRINCIPALS = Map.of(
            "classifier-service", KafkaAccessPolicy.CLASSIFIER,
            "router-service", KafkaAccessPolicy.ROUTER,
            "local-worker", KafkaAccessPolicy.LOCAL_WORKER,
            "cloud-worker", KafkaAccessPolicy.CLOUD_WORKER,
            "ledger-streams", KafkaAccessPolicy.LEDGER,
            "gateway", KafkaAccessPolicy.GATEWAY);

    private LocalStack(StackOptions options, PrintStream out, JvmProfile jvm) {
        this.options = options;
        this.out = out;
        this.jvm = jvm;
    }

    /** Starts everything with {@link JvmProfile#QUICK_START} service JVMs. */
    public static LocalStack start(StackOptions options, PrintStream out, Map<String, String> serviceEnv) {
        return start(options, out, serviceEnv, JvmProfile.QUICK_START);
    }

    /**
     * Starts everything; on failure stops what was started and rethrows. The broker, the registry
     * and the service processes stop at {@link #close()}, or when this JVM ends first (a shutdown
     * hook: an interrupted command leaves no service running behind it).
     */
    public static LocalStack start(
            StackOptions options, PrintStream out, Map<String, String> serviceEnv, JvmProfile jvm) {
        LocalStack stack = new LocalStack(options, out, jvm);
        stack.stopOnExit = ExitHook.register("tiergate-stack-stop", stack::close);
        try {
            stack.startAll(serviceEnv);
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void startAll(Map<String, String> serviceEnv) {
        if (options.fresh()) {
            deleteRecursively(options.dataDir());
        }
        long t0 = System.nanoTime();
        if (options.secure()) {
            if (options.bootstrap().isPresent()) {
                throw new IllegalArgumentException("--secure starts its own secured broker and cannot use --bootstrap:"
                        + " give the services of another cluster their client config instead (docs/security.md)");
            }
            credentials = StackCredentials.loadOrCreate(options.dataDir().resolve("secure"));
        }
        if (options.bootstrap().isPresent()) {
            bootstrap = options.bootstrap().get();
            out.printf("[stack] using the Kafka cluster at %s%n", bootstrap);
        } else {
            out.printf(
                    "[stack] starting Kafka broker (KRaft, data in %s) ...%n",
                    options.dataDir().resolve("kafka"));
            var defaults = BrokerProcess.Settings.defaults(options.dataDir().resolve("kafka"));
            broker = BrokerProcess.start(
                    new BrokerProcess.Settings(
                            defaults.dataDir(),
                            defaults.host(),
                            options.brokerPort(),
                            options.brokerPort() + 1,
                            defaults.classpath(),
                            credentials == null ? Optional.empty() : Optional.of(credentials.brokerPassword())),
                    Duration.ofSeconds(60),
                    jvm.brokerOptions());
            broker.leaveExitToOwner(); // this stack's exit hook stops it, after the services
            bootstrap = broker.bootstrapServers();
            out.printf("[stack] Kafka broker up at %s (%d ms)%n", bootstrap, elapsedMs(t0));
            if (credentials != null) {
                out.printf(
                        "[stack] Kafka security on: SASL/SCRAM-SHA-512, ACLs, one principal per service; client configs"
                                + " (mode 0600) in %s; operator commands: --command-config %s%n",
                        credentials.dir(), credentials.clientConfig(KafkaAccessPolicy.OPS));
            }
        }
        if (options.registryUrl().isPresent()) {
            registryUrl = options.registryUrl().get();
            out.printf("[stack] using the schema registry at %s%n", registryUrl);
        } else {
            registry = EmbeddedSchemaRegistry.start(
                    options.registryPort(), options.dataDir().resolve("registry.json"));
            registryUrl = "http://127.0.0.1:" + options.registryPort();
            out.printf("[stack] schema registry (Confluent REST API) at %s%n", registryUrl);
        }
        provisionTopics();
        Map<String, String> env = new java.util.HashMap<>(serviceEnv);
        env.put("KAFKA_BOOTSTRAP", bootstrap);
        env.put("SCHEMA_REGISTRY_URL", registryUrl);
        env.put("TIERGATE_PARTITIONS", String.valueOf(options.partitions()));
        // the services' HTTP API token: given, or generated for this run (docs/security.md, "HTTP endpoints")
        apiToken = env.computeIfAbsent(ApiToken.ENV, k -> ApiToken.generate());
        ApiToken.write(options.dataDir(), apiToken);
        Path logs = options.dataDir().resolve("logs");
        long t1 = System.nanoTime();
        for (ServiceSpec service : options.services()) {
            ServiceSpec spec = service.onPort(service.port() + options.servicePortOffset());
            services.add(ServiceProcess.start(options.home(), spec, serviceEnv(spec, env), logs, jvm.options()));
        }
        out.printf("[stack] starting %d services (logs in %s) ...%n", services.size(), logs);
        awaitHealthy(t1);
        BackendsNotice.Simulated simulated = BackendsNotice.forServices(services);
        BackendsNotice.text(simulated, env.getOrDefault("TIERGATE_SIMULATION_SPEED_UP", "1"))
                .ifPresent(out::println);
        backendsSummary = BackendsNotice.summary(simulated);
    }

    /** What one service gets: under security its principal's client config, and no topic creation of its own. */
    private Map<String, String> serviceEnv(ServiceSpec spec, Map<String, String> common) {
        Map<String, String> env = new java.util.HashMap<>(common);
        if (credentials != null) {
            String principal = PRINCIPALS.get(spec.module());
            if (principal == null) {
                throw new IllegalStateException("No principal for service " + spec.module());
            }
            env.put(
                    "TIERGATE_KAFKA_CLIENT_CONFIG",
                    credentials.clientConfig(principal).toString());
            // the stack (the broker principal) created the topics; services are not allowed to
            env.put("TIERGATE_TOPICS_PROVISION", "false");
        }
        return env;
    }

    /**
     * Creates the topics; under security first the principals' SCRAM credentials and the policy's
     * ACLs, as the broker principal (idempotent: a restart upserts the same ones).
     */
    private void provisionTopics() {
        Map<String, Object> config = new java.util.HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        if (credentials != null) {
            config.putAll(BrokerSecurity.superUserProperties(credentials.brokerPassword()));
        }
        try (Admin admin = Admin.create(config)) {
            if (credentials != null) {
                SecurityProvisioning.apply(admin, credentials.principalPasswords(), out);
            }
            List<String> created = new TopicProvisioner(admin, t -> options.partitions(), (short) 1).ensureAll();
            out.printf("[stack] topics ready (%d created)%n", created.size());
        }
        // producers in other languages find every <topic>-value subject from the start (docs/getting-started.md)
        int subjects = new TopicSchemas(
                        SchemaRegistries.forConfig(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registryUrl)))
                .registerAll()
                .size();
        out.printf("[stack] value schemas of %d topics registered (subjects <topic>-value)%n", subjects);
    }

    /** Under {@link StackOptions#secure()}: where the principals' client configs are. */
    public Optional<StackCredentials> credentials() {
        return Optional.ofNullable(credentials);
    }

    private void awaitHealthy(long since) {
        long deadline = System.nanoTime() + SERVICE_START_TIMEOUT.toNanos();
        List<ServiceProcess> pending = new ArrayList<>(services);
        while (!pending.isEmpty()) {
            for (var it = pending.iterator(); it.hasNext(); ) {
                ServiceProcess s = it.next();
                if (!s.alive()) {
                    throw new IllegalStateException(s.spec().module() + " exited during start-up; last lines of "
                            + s.log() + ":\n" + tail(s.log(), 30));
                }
                if (s.healthy()) {
                    out.printf(
                            "[stack]   %-18s UP  %s/health  %s/prometheus  (%d ms)%n",
                            s.spec().module(), s.spec().baseUrl(), s.spec().baseUrl(), elapsedMs(since));
                    if (s.spec().module().equals("gateway")) {
                        out.printf(
                                "[stack]   %-18s OpenAI-compatible API at %s/v1 (./tiergate keys create --cost-center NAME)%n",
                                "", s.spec().baseUrl());
                    }
                    it.remove();
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "Services not healthy after " + SERVICE_START_TIMEOUT.toSeconds() + " s: "
                                + pending.stream()
                                        .map(s -> s.spec().module() + " (see " + s.log() + ")")
                                        .toList());
            }
            pause(250);
        }
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    public String registryUrl() {
        return registryUrl;
    }

    /** The line that says, in a summary, that backends are simulated and why; empty when all are real. */
    public Optional<String> backendsSummary() {
        return backendsSummary;
    }

    /** The token the services' HTTP APIs take ({@code Authorization: Bearer …}). */
    public String apiToken() {
        return apiToken;
    }

    /**
     * The process ids of this stack's services by module name, in start order, and of the broker it
     * started as {@code broker} (none when it uses a cluster given by --bootstrap).
     */
    public Map<String, Long> processIds() {
        Map<String, Long> pids = new LinkedHashMap<>();
        services.forEach(s -> pids.put(s.spec().module(), s.pid()));
        if (broker != null) {
            pids.put("broker", broker.pid());
        }
        return pids;
    }

    public List<ServiceProcess> services() {
        return List.copyOf(services);
    }

    public Optional<ServiceProcess> service(String module) {
        return services.stream().filter(s -> s.spec().module().equals(module)).findFirst();
    }

    /** Stops services (reverse order), then the registry, then the broker; a second call does nothing. */
    @Override
    public synchronized void close() {
        List<ServiceProcess> reversed = new ArrayList<>(services);
        java.util.Collections.reverse(reversed);
        reversed.parallelStream().forEach(ServiceProcess::close);
        services.clear();
        if (registry != null) {
            registry.close();
            registry = null;
        }
        if (broker != null) {
            broker.close();
            broker = null;
        }
        if (stopOnExit != null) {
            stopOnExit.cancel();
        }
    }

    /** The last {@code lines} lines of a service's log, for an error message. */
    public static String tail(Path log, int lines) {
        try (Stream<String> all = Files.lines(log)) {
            List<String> list = all.toList();
            return String.join("\n", list.subList(Math.max(0, list.size() - lines), list.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static long elapsedMs(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }

    private static void pause(long ms) {
        try {
            TimeUnit.MILLISECONDS.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for services", e);
        }
    }

    /** Deletes a data dir and everything in it; nothing to do when it does not exist. */
    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + dir, e);
        }
    }
}
