package io.tiergate.platform.audit;

import io.tiergate.platform.kafka.EventDecoder;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.platform.kafka.read.ReadSpec;
import io.tiergate.platform.kafka.read.StartAt;
import io.tiergate.platform.kafka.read.TopicSnapshot;
import io.tiergate.schemas.events.OpsAuditEvent;
import io.tiergate.schemas.topics.Topics;
import java.io.IOException;
import java.io.Writer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * Reads {@code ops.audit} for {@code ./tiergate audit tail|export}: committed records only (they are
 * written in the transaction of their change), in the order the changes were made. A record that
 * does not decode is counted, never fatal; a schema registry outage is waited out up to the timeout.
 */
public final class OpsAuditLog {

    /** What a read found. */
    public record Entries(List<OpsAuditEvent> events, int undecodable) {}

    private final KafkaClientSettings settings;
    private final EventDecoder decoder;

    public OpsAuditLog(KafkaClientSettings settings) {
        this.settings = settings;
        this.decoder = new EventDecoder(settings);
    }

    /** Every change at or after {@code since} (null: all), oldest first. */
    public Entries read(Instant since, Duration timeout) {
        List<OpsAuditEvent> events = new ArrayList<>();
        int[] undecodable = {0};
        ReadSpec spec = ReadSpec.of("tiergate-cli-audit-" + UUID.randomUUID())
                .topic(Topics.OPS_AUDIT, since == null ? StartAt.beginning() : StartAt.at(since))
                .metadataTimeout(timeout);
        TopicSnapshot.read(settings, spec, timeout, record -> {
            if (record.value() == null) {
                return;
            }
            try {
                events.add(decoder.decode(Topics.OPS_AUDIT, record));
            } catch (EventDecoder.DecodeException e) {
                undecodable[0]++;
            }
        });
        events.sort(Comparator.comparing(OpsAuditEvent::getOccurredAt)); // partitions merged by time
        return new Entries(List.copyOf(events), undecodable[0]);
    }

    /** The last {@code count} changes, oldest first. */
    public Entries tail(int count, Duration timeout) {
        Entries all = read(null, timeout);
        List<OpsAuditEvent> events = all.events();
        return new Entries(events.subList(Math.max(0, events.size() - count), events.size()), all.undecodable());
    }

    /** One line for the terminal. */
    public static String format(OpsAuditEvent e) {
        return String.format(
                java.util.Locale.ROOT,
                "%s  %-12s %-6s %s %s  reason: %s%s",
                e.getOccurredAt(),
                e.getPrincipal(),
                e.getAction(),
                e.getTopic(),
                e.getKey(),
                e.getReason(),
                e.getValue() == null ? "" : "  value: " + e.getValue());
    }

    /** Column names of {@link #writeCsv}. */
    public static final List<String> CSV_COLUMNS = List.of(
            "occurredAt",
            "principal",
            "principalSource",
            "action",
            "topic",
            "key",
            "reason",
            "value",
            "host",
            "auditId");

    /** RFC 4180 CSV with a header row. */
    public static void writeCsv(List<OpsAuditEvent> events, Writer out) throws IOException {
        out.write(String.join(",", CSV_COLUMNS) + "\r\n");
        for (OpsAuditEvent e : events) {
            List<String> cells = List.of(
                    e.getOccurredAt().toString(),
                    e.getPrincipal(),
                    e.getPrincipalSource().name(),
                    e.getAction().name(),
                    e.getTopic(),
                    e.getKey(),
                    e.getReason(),
                    e.getValue() == null ? "" : e.getValue(),
                    e.getHost() == null ? "" : e.getHost(),
                    e.getAuditId());
            List<String> quoted = new ArrayList<>();
            for (String cell : cells) {
                quoted.add(csvCell(cell));
            }
            out.write(String.join(",", quoted) + "\r\n");
        }
        out.flush();
    }

    /**
     * Quoted when it holds a separator, a quote or a line break; a leading {@code = + - @} is
     * prefixed with a quote mark so a spreadsheet does not run it as a formula (free text from
     * operators: reasons, descriptions).
     */
    static String csvCell(String value) {
        String cell = value;
        if (!cell.isEmpty() && "=+-@".indexOf(cell.charAt(0)) >= 0) {
            cell = "'" + cell;
        }
        if (cell.contains(",") || cell.contains("\"") || cell.contains("\n") || cell.contains("\r")) {
            return "\"" + cell.replace("\"", "\"\"") + "\"";
        }
        return cell;
    }
}
