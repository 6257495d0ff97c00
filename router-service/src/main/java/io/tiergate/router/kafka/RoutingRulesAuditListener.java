package io.tiergate.router.kafka;

import io.micronaut.configuration.kafka.annotation.Topic;
import io.tiergate.platform.kafka.BatchRetry;
import io.tiergate.platform.kafka.InboundRecords;
import io.tiergate.platform.kafka.RetryingBatchListener;
import io.tiergate.router.rules.InvalidRuleException;
import io.tiergate.router.rules.RuleValidator;
import io.tiergate.schemas.topics.Topics;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Dead-letters invalid {@code routing.rules} records to {@code routing.rules.dlq} with the reason,
 * once per record: this consumer group reads each record once, while every router instance's state
 * feed reads the whole compacted topic and simply keeps the last good rule.
 */
@RetryingBatchListener(groupId = "${tiergate.router.rules-audit-group-id:tiergate-router-rules-audit}")
public class RoutingRulesAuditListener {

    private final InboundRecords inbound;
    private final RuleValidator validator;

    public RoutingRulesAuditListener(InboundRecords inbound, RuleValidator validator) {
        this.inbound = inbound;
        this.validator = validator;
    }

    @Topic(Topics.Names.ROUTING_RULES)
    public void receive(List<ConsumerRecord<String, byte[]>> records, Consumer<?, ?> consumer) {
        BatchRetry.run(records, consumer, () -> audit(records));
    }

    private void audit(List<ConsumerRecord<String, byte[]>> records) {
        for (ConsumerRecord<String, byte[]> record : records) {
            if (record.value() == null) {
                try {
                    RuleValidator.parseTaskType(record.key()); // a tombstone for an unknown task type is reported too
                } catch (InvalidRuleException e) {
                    inbound.deadLetters().send(record, e);
                }
                continue;
            }
            inbound.process(Topics.ROUTING_RULES, record, rule -> validator.validate(record.key(), rule));
        }
    }
}
