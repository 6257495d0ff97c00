package io.tiergate.platform.kafka.security;

import io.tiergate.schemas.topics.Topic;
import io.tiergate.schemas.topics.Topics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Who may do what on the cluster under Kafka security: the one list of ACLs, principal by principal
 * (docs/security.md, "Principals and ACLs"). Everything not granted here is refused (the broker runs
 * with {@code allow.everyone.if.no.acl.found=false}). A service reads the topics its design page says
 * it reads, writes the topics it writes and the {@code .dlq} twin of each topic it reads (platform's
 * {@code DeadLetters}); dead letters hold raw prompts, so only {@code ops} reads them. Groups,
 * transactional ids and Kafka Streams' internal topics are granted by the prefix the service's
 * default ids start with ({@code tiergate-router} covers {@code tiergate-router-intake} …): an
 * overridden group id or transactional-id prefix must keep it.
 */
public final class KafkaAccessPolicy {

    /** Operators: budgets, routing rules, topic creation, every topic read, dead letters. */
    public static final String OPS = "ops";
    /** An upstream service: publishes requests, reads results. */
    public static final String UPSTREAM = "upstream";
    /** Analysts: read the cost topics. */
    public static final String ANALYST = "analyst";

    public static final String CLASSIFIER = "classifier";
    public static final String ROUTER = "router";
    public static final String LOCAL_WORKER = "local-worker";
    public static final String CLOUD_WORKER = "cloud-worker";
    public static final String LEDGER = "ledger";
    /** The OpenAI-compatible gateway: publishes requests, reads results, streamed chunks, decisions and its virtual keys. */
    public static final String GATEWAY = "gateway";
    /** Confluent Schema Registry (docker-compose): keeps its schemas on {@code _schemas}. */
    public static final String SCHEMA_REGISTRY = "schema-registry";

    /** Every principal of the policy, in the order of the docs' table. */
    public static final List<String> PRINCIPALS = List.of(
            OPS, UPSTREAM, ANALYST, CLASSIFIER, ROUTER, LOCAL_WORKER, CLOUD_WORKER, LEDGER, GATEWAY, SCHEMA_REGISTRY);

    /** The services' principals, each of which {@code ./tiergate up --secure} gives its own credentials. */
    public static final List<String> SERVICES =
            List.of(CLASSIFIER, ROUTER, LOCAL_WORKER, CLOUD_WORKER, LEDGER, GATEWAY);

    /** What one principal may do on one resource (a topic, group or transactional id; a name or a prefix). */
    public record Grant(
            String principal, ResourceType resource, String name, boolean prefixed, Set<AclOperation> operations) {

        /** One ALLOW binding per operation, for principal {@code User:<principal>} from any host. */
        public List<AclBinding> bindings() {
            ResourcePattern pattern =
                    new ResourcePattern(resource, name, prefixed ? PatternType.PREFIXED : PatternType.LITERAL);
            return operations.stream()
                    .map(op -> new AclBinding(
                            pattern, new AccessControlEntry("User:" + principal, "*", op, AclPermissionType.ALLOW)))
                    .toList();
        }
    }

    private final Map<String, List<Grant>> grants = new LinkedHashMap<>();

    private KafkaAccessPolicy() {}

    /** The policy of the shipped topology, with the default group ids and Streams application id. */
    public static KafkaAccessPolicy standard() {
        KafkaAccessPolicy p = new KafkaAccessPolicy();

        // ops: the only writer of the config topics; reads everything, dead letters included; creates
        // the topics (services run with tiergate.topics.provision=false under security)
        // (and of the cost-center registry and the gateway's keys), each change with its ops.audit record
        // in one transaction (platform AuditedChanges: transactional ids tiergate-ops-<tool>-<uuid>)
        p.writes(
                OPS,
                Topics.BUDGET_CONFIG,
                Topics.ROUTING_RULES,
                Topics.COST_CENTERS,
                Topics.OPS_AUDIT,
                Topics.GATEWAY_KEYS);
        p.grant(OPS, ResourceType.TRANSACTIONAL_ID, "tiergate-ops-", true, AclOperation.WRITE, AclOperation.DESCRIBE);
        for (Topic<?> topic : Topics.ALL) {
            p.reads(OPS, topic);
            p.grant(OPS, ResourceType.TOPIC, topic.dlq(), false, AclOperation.READ, AclOperation.DESCRIBE);
        }
        p.grant(OPS, ResourceType.TOPIC, "inference.", true, AclOperation.CREATE, AclOperation.DESCRIBE_CONFIGS);
        for (String prefix : List.of("routing.", "budget.", "cost.", "worker.", "ops.", "gateway.")) {
            p.grant(OPS, ResourceType.TOPIC, prefix, true, AclOperation.CREATE, AclOperation.DESCRIBE_CONFIGS);
        }
        p.grant(OPS, ResourceType.GROUP, "tiergate-", true, AclOperation.DESCRIBE);
        p.grant(OPS, ResourceType.GROUP, "tiergate-cli", true, AclOperation.READ);

        // upstream: requests in, results out; never a tier topic, never a dead letter
        p.writes(UPSTREAM, Topics.INFERENCE_REQUESTS);
        p.reads(UPSTREAM, Topics.INFERENCE_RESULTS);
        p.grant(UPSTREAM, ResourceType.GROUP, "upstream-", true, AclOperation.READ, AclOperation.DESCRIBE);

        p.reads(ANALYST, Topics.INFERENCE_COSTS, Topics.COST_WINDOWS);
        p.grant(ANALYST, ResourceType.GROUP, "analyst-", true, AclOperation.READ, AclOperation.DESCRIBE);

        // classifier: answers a request it dead-letters with a REJECTED result (platform RequestAnswers)
        p.service(CLASSIFIER, "tiergate-classifier", false);
        p.readsWithDeadLetters(CLASSIFIER, Topics.INFERENCE_REQUESTS);
        p.writes(CLASSIFIER, Topics.INFERENCE_CLASSIFIED, Topics.INFERENCE_RESULTS);
        // ... and judges shadow answers with its sentence model (docs/calibration.md, "Judges")
        p.readsWithDeadLetters(CLASSIFIER, Topics.SHADOW_ANSWERS);
        p.writes(CLASSIFIER, Topics.CALIBRATION_SAMPLES);

        // router: the only writer of the tier topics besides the local worker's escalation; answers
        // REJECT and expired deferrals on inference.results; raises inference.deferred's retention
        p.service(ROUTER, "tiergate-router", false);
        p.readsWithDeadLetters(
                ROUTER,
                Topics.INFERENCE_CLASSIFIED,
                Topics.ROUTING_BY_COST_CENTER,
                Topics.INFERENCE_DEFERRED,
                Topics.ROUTING_RULES,
                Topics.BUDGET_CONFIG,
                Topics.BUDGET_STATUS,
                Topics.WORKER_HEALTH,
                Topics.INFERENCE_COSTS,
                Topics.ROUTING_DECISIONS,
                Topics.COST_CENTERS);
        p.writes(
                ROUTER,
                Topics.ROUTING_BY_COST_CENTER,
                Topics.TIER_LOCAL,
                Topics.TIER_CLOUD,
                Topics.ROUTING_DECISIONS,
                Topics.INFERENCE_DEFERRED,
                Topics.INFERENCE_RESULTS);
        p.grant(
                ROUTER,
                ResourceType.TOPIC,
                Topics.INFERENCE_DEFERRED.name(),
                false,
                AclOperation.DESCRIBE_CONFIGS,
                AclOperation.ALTER_CONFIGS);

        // workers: transactional (cost events, results, hand-offs and offsets in one transaction)
        p.service(LOCAL_WORKER, "tiergate-local-worker", true);
        p.readsWithDeadLetters(LOCAL_WORKER, Topics.TIER_LOCAL, Topics.INFERENCE_ATTEMPTS, Topics.BUDGET_STATUS);
        p.writes(
                LOCAL_WORKER,
                Topics.INFERENCE_RESULTS,
                Topics.INFERENCE_COSTS,
                Topics.INFERENCE_ATTEMPTS,
                Topics.INFERENCE_STREAM,
                Topics.WORKER_HEALTH,
                Topics.TIER_CLOUD, // escalation, never sovereign work (docs/architecture.md, "Policy order")
                Topics.INFERENCE_SHADOW); // shadow traffic, never sovereign work (docs/calibration.md)

        p.service(CLOUD_WORKER, "tiergate-cloud-worker", true);
        p.readsWithDeadLetters(
                CLOUD_WORKER,
                Topics.TIER_CLOUD,
                Topics.INFERENCE_SHADOW,
                Topics.INFERENCE_ATTEMPTS,
                Topics.BUDGET_STATUS);
        p.writes(
                CLOUD_WORKER,
                Topics.INFERENCE_RESULTS,
                Topics.INFERENCE_COSTS,
                Topics.INFERENCE_ATTEMPTS,
                Topics.INFERENCE_STREAM,
                Topics.WORKER_HEALTH,
                Topics.SHADOW_ANSWERS);

        // ledger: Kafka Streams, exactly_once_v2: its group, transactional ids and internal topics
        // (changelogs, repartitions) all start with the application id
        p.service(LEDGER, "tiergate-ledger", true);
        // (and the calibration: shadow samples in, agreement per task type × local model out; the CLI's
        // `rules recommend` reads it as ops, which reads every topic)
        p.readsWithDeadLetters(
                LEDGER,
                Topics.INFERENCE_COSTS,
                Topics.INFERENCE_ATTEMPTS,
                Topics.BUDGET_CONFIG,
                Topics.CALIBRATION_SAMPLES);
        p.writes(LEDGER, Topics.BUDGET_STATUS, Topics.COST_WINDOWS, Topics.CALIBRATION);
        p.grant(
                LEDGER,
                ResourceType.TOPIC,
                "tiergate-ledger",
                true,
                AclOperation.READ,
                AclOperation.WRITE,
                AclOperation.CREATE,
                AclOperation.DELETE,
                AclOperation.DESCRIBE,
                AclOperation.DESCRIBE_CONFIGS);

        // gateway: an upstream of its own (requests in, results out), plus the decisions that say a
        // request was deferred or rejected, and the virtual keys it authenticates with; no consumer
        // group (every instance reads every partition of these topics itself)
        p.service(GATEWAY, "tiergate-gateway", false);
        p.writes(GATEWAY, Topics.INFERENCE_REQUESTS);
        p.reads(
                GATEWAY,
                Topics.INFERENCE_RESULTS,
                Topics.INFERENCE_STREAM,
                Topics.ROUTING_DECISIONS,
                Topics.GATEWAY_KEYS);

        // Confluent Schema Registry's Kafka store: its topic (created by it) and its group
        p.grant(
                SCHEMA_REGISTRY,
                ResourceType.TOPIC,
                "_schemas",
                false,
                AclOperation.READ,
                AclOperation.WRITE,
                AclOperation.CREATE,
                AclOperation.DESCRIBE,
                AclOperation.DESCRIBE_CONFIGS);
        p.grant(SCHEMA_REGISTRY, ResourceType.GROUP, "schema-registry", true, AclOperation.READ, AclOperation.DESCRIBE);
        p.grant(SCHEMA_REGISTRY, ResourceType.CLUSTER, "kafka-cluster", false, AclOperation.DESCRIBE_CONFIGS);
        return p;
    }

    /** The grants of one principal (empty for a principal the policy does not know). */
    public List<Grant> grantsOf(String principal) {
        return List.copyOf(grants.getOrDefault(principal, List.of()));
    }

    /** Every grant, principal by principal. */
    public List<Grant> all() {
        return grants.values().stream().flatMap(List::stream).toList();
    }

    /** The ACL bindings that implement the policy (what {@code up --secure} and the tests create). */
    public List<AclBinding> aclBindings() {
        return all().stream().flatMap(g -> g.bindings().stream()).toList();
    }

    /** May {@code principal} write topic {@code topic} (a name, not a prefix)? */
    public boolean mayWrite(String principal, String topic) {
        return allows(principal, ResourceType.TOPIC, topic, AclOperation.WRITE);
    }

    /** May {@code principal} read topic {@code topic}? */
    public boolean mayRead(String principal, String topic) {
        return allows(principal, ResourceType.TOPIC, topic, AclOperation.READ);
    }

    private boolean allows(String principal, ResourceType type, String name, AclOperation op) {
        return grantsOf(principal).stream()
                .anyMatch(g -> g.resource() == type
                        && g.operations().contains(op)
                        && (g.prefixed() ? name.startsWith(g.name()) : name.equals(g.name())));
    }

    /**
     * The policy as the Markdown table of docs/security.md ("Principals and ACLs"): one row per
     * principal, listing what it writes, reads and holds; a test keeps the page equal to this.
     */
    public String markdownTable() {
        StringBuilder out = new StringBuilder();
        out.append("| principal | writes | reads | groups, transactional ids, other |\n");
        out.append("|---|---|---|---|\n");
        for (String principal : PRINCIPALS) {
            List<Grant> of = grantsOf(principal);
            out.append("| `")
                    .append(principal)
                    .append("` | ")
                    .append(names(of, ResourceType.TOPIC, AclOperation.WRITE))
                    .append(" | ")
                    .append(names(of, ResourceType.TOPIC, AclOperation.READ))
                    .append(" | ")
                    .append(others(of))
                    .append(" |\n");
        }
        return out.toString();
    }

    private static String names(List<Grant> of, ResourceType type, AclOperation op) {
        List<String> names = of.stream()
                .filter(g -> g.resource() == type && g.operations().contains(op))
                .map(KafkaAccessPolicy::label)
                .distinct()
                .toList();
        return names.isEmpty() ? "—" : String.join(", ", names);
    }

    private static String others(List<Grant> of) {
        List<String> parts = new ArrayList<>();
        for (Grant g : of) {
            boolean plainTopicReadWrite = g.resource() == ResourceType.TOPIC
                    && !g.prefixed()
                    && Set.of(AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE)
                            .containsAll(g.operations());
            if (plainTopicReadWrite) {
                continue;
            }
            String ops =
                    g.operations().stream().map(AclOperation::name).sorted().collect(Collectors.joining("+"));
            parts.add(g.resource().name().toLowerCase(java.util.Locale.ROOT) + " " + label(g) + ": " + ops);
        }
        return parts.isEmpty() ? "—" : String.join("; ", parts);
    }

    private static String label(Grant g) {
        return "`" + g.name() + (g.prefixed() ? "*" : "") + "`";
    }

    private void service(String principal, String idPrefix, boolean transactional) {
        grant(principal, ResourceType.GROUP, idPrefix, true, AclOperation.READ, AclOperation.DESCRIBE);
        if (transactional) {
            grant(principal, ResourceType.TRANSACTIONAL_ID, idPrefix, true, AclOperation.WRITE, AclOperation.DESCRIBE);
        }
        // Micronaut's Kafka health indicator describes the cluster and the broker's configuration
        grant(principal, ResourceType.CLUSTER, "kafka-cluster", false, AclOperation.DESCRIBE_CONFIGS);
    }

    private void reads(String principal, Topic<?>... topics) {
        for (Topic<?> topic : topics) {
            grant(principal, ResourceType.TOPIC, topic.name(), false, AclOperation.READ, AclOperation.DESCRIBE);
        }
    }

    private void readsWithDeadLetters(String principal, Topic<?>... topics) {
        reads(principal, topics);
        for (Topic<?> topic : topics) {
            grant(principal, ResourceType.TOPIC, topic.dlq(), false, AclOperation.WRITE, AclOperation.DESCRIBE);
        }
    }

    private void writes(String principal, Topic<?>... topics) {
        for (Topic<?> topic : topics) {
            grant(principal, ResourceType.TOPIC, topic.name(), false, AclOperation.WRITE, AclOperation.DESCRIBE);
        }
    }

    private void grant(String principal, ResourceType type, String name, boolean prefixed, AclOperation... ops) {
        List<Grant> of = grants.computeIfAbsent(principal, k -> new ArrayList<>());
        for (int i = 0; i < of.size(); i++) {
            Grant g = of.get(i);
            if (g.resource() == type && g.name().equals(name) && g.prefixed() == prefixed) {
                Set<AclOperation> merged = new LinkedHashSet<>(g.operations());
                merged.addAll(List.of(ops));
                of.set(i, new Grant(principal, type, name, prefixed, Set.copyOf(merged)));
                return;
            }
        }
        of.add(new Grant(principal, type, name, prefixed, Set.copyOf(new LinkedHashSet<>(List.of(ops)))));
    }
}
