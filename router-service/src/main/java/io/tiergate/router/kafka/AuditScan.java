package io.tiergate.router.kafka;

import io.tiergate.platform.kafka.EventDecoder;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.platform.kafka.read.ReadSpec;
import io.tiergate.platform.kafka.read.StartAt;
import io.tiergate.platform.kafka.read.TopicSnapshot;
import io.tiergate.router.budget.ReservationLedger.PastDecision;
import io.tiergate.schemas.events.RoutingAction;
import io.tiergate.schemas.events.RoutingDecision;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.topics.Topics;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the decisions of a recent window back from the audit topic (a {@link TopicSnapshot} from a
 * time to the end offsets of its start): a router instance that takes over partitions rebuilds
 * their open reservations and their decided request ids from it. Complete because every decider
 * waits for its audit sends before committing, and a partition is only handed over after the
 * previous owner committed (or died, in which case its uncommitted batch is decided again).
 */
public final class AuditScan {

    private static final Logger LOG = LoggerFactory.getLogger(AuditScan.class);

    private final KafkaClientSettings client;
    private final EventDecoder decoder;
    private final String clientId;

    public AuditScan(KafkaClientSettings client, EventDecoder decoder, String clientId) {
        this.client = client;
        this.decoder = decoder;
        this.clientId = clientId;
    }

    /** What a rebuild needs of one audited decision. */
    public record Audited(
            String requestId,
            String costCenter,
            RoutingAction action,
            Tier tier,
            BigDecimal estimatedCostUsd,
            long decidedAtMs) {

        boolean cloudRoute() {
            return action == RoutingAction.ROUTE && tier == Tier.CLOUD;
        }
    }

    /** Of {@code decisions}, the cloud ROUTE decisions made at or after {@code sinceMs}, as the ledger rebuilds them. */
    public static List<PastDecision> cloudDecisions(List<Audited> decisions, long sinceMs) {
        List<PastDecision> out = new ArrayList<>();
        for (Audited d : decisions) {
            if (d.cloudRoute() && d.decidedAtMs() >= sinceMs) {
                out.add(new PastDecision(d.requestId(), d.costCenter(), d.estimatedCostUsd(), d.decidedAtMs()));
            }
        }
        return out;
    }

    /** Decisions with a record timestamp at or after {@code sinceMs}, in log order. */
    public List<Audited> decisionsSince(long sinceMs, Duration timeout) {
        List<Audited> out = new ArrayList<>();
        ReadSpec spec = ReadSpec.of(clientId)
                .topic(Topics.ROUTING_DECISIONS, StartAt.at(sinceMs))
                .maxPollRecords(5000)
                .metadataTimeout(timeout);
        TopicSnapshot.read(client, spec, timeout, record -> {
            if (record.value() == null) {
                return;
            }
            try {
                RoutingDecision d = decoder.decode(Topics.ROUTING_DECISIONS, record);
                out.add(new Audited(
                        d.getRequestId(),
                        d.getCostCenter(),
                        d.getAction(),
                        d.getTier(),
                        d.getEstimatedCostUsd(),
                        d.getDecidedAt().toEpochMilli()));
            } catch (EventDecoder.DecodeException e) {
                LOG.warn("Skipped an undecodable audit record: {}", e.getMessage());
            }
        });
        return out;
    }
}
