package io.tiergate.router.cli;

import io.tiergate.platform.kafka.AuditedChanges;
import io.tiergate.platform.kafka.AuditedChanges.Change;
import io.tiergate.platform.kafka.EventDecoder;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.platform.kafka.read.CompactedView;
import io.tiergate.router.costcenter.CostCenterCheck;
import io.tiergate.schemas.events.CostCenter;
import io.tiergate.schemas.events.OpsAuditEvent;
import io.tiergate.schemas.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * {@code ./tiergate cost-centers add|list|rm}: the registered cost centers on the compacted {@code
 * cost.centers} topic (key = name; a tombstone unregisters), each change written with its {@code
 * ops.audit} record in one transaction (platform's {@link AuditedChanges}; docs/security.md, "Cost
 * centers").
 */
public final class CostCentersAdmin implements AutoCloseable {

    private final KafkaClientSettings client;
    private final Duration timeout;
    private AuditedChanges writer;

    public CostCentersAdmin(String bootstrapServers, String schemaRegistryUrl) {
        this(RouterState.settings(bootstrapServers, schemaRegistryUrl));
    }

    /** With the given cluster settings (the CLI's, with the client security of --command-config). */
    public CostCentersAdmin(KafkaClientSettings client) {
        this.client = client;
        this.timeout = Duration.ofSeconds(30);
    }

    /** Why {@code name} cannot be a cost center, or null when it can ({@link CostCenterCheck#problemWith}). */
    public static String problemWith(String name) {
        return CostCenterCheck.problemWith(name);
    }

    /** Registers (or re-describes) {@code name}; audited with {@code reason}. */
    public CostCenter add(String name, String description, String reason) {
        String problem = problemWith(name);
        if (problem != null) {
            throw new IllegalArgumentException("cost center " + problem);
        }
        CostCenter center = CostCenter.newBuilder()
                .setName(name)
                .setDescription(description == null || description.isBlank() ? null : description.strip())
                .setRegisteredAt(Instant.now())
                .build();
        writer().write(Change.set(Topics.COST_CENTERS, name, center), reason);
        return center;
    }

    /** Unregisters {@code name} (a tombstone); audited with {@code reason}. */
    public OpsAuditEvent remove(String name, String reason) {
        String problem = problemWith(name);
        if (problem != null) {
            throw new IllegalArgumentException("cost center " + problem);
        }
        return writer().write(Change.remove(Topics.COST_CENTERS, name), reason);
    }

    /** Every registered cost center, by name. */
    public Map<String, CostCenter> list() {
        Map<String, CostCenter> registered = new TreeMap<>();
        CompactedView.builder(client, new EventDecoder(client), "tiergate-cli-cost-centers-" + UUID.randomUUID())
                .topic(Topics.COST_CENTERS, (name, center) -> {
                    if (name == null) {
                        return;
                    }
                    if (center == null) {
                        registered.remove(name);
                    } else {
                        registered.put(name, center);
                    }
                })
                .loadOnce(timeout);
        return registered;
    }

    private AuditedChanges writer() {
        if (writer == null) {
            writer = new AuditedChanges(client, "cost-centers-admin");
        }
        return writer;
    }

    @Override
    public void close() {
        if (writer != null) {
            writer.close();
        }
    }
}
