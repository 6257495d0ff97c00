package io.tiergate.cli.recommend;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiergate.router.calibration.Recommendation;
import io.tiergate.router.policy.RouteRule;
import io.tiergate.schemas.events.RoutingRule;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * How {@code ./tiergate rules recommend} shows its result: a table for the terminal or JSON
 * ({@code --json}). Money is printed exactly (nano-dollar scale, JSON strings), never through double.
 *
 * @param since start of the traffic look-back
 * @param lookBackDays its length
 * @param minAgreement the threshold used
 * @param minSamples the sample minimum used
 * @param skipped records of the inputs that did not decode
 */
public record RecommendationsView(
        List<Recommendation> recommendations,
        Instant since,
        long lookBackDays,
        double minAgreement,
        long minSamples,
        long skipped) {

    public List<Recommendation> proposals() {
        return recommendations.stream().filter(Recommendation::isProposal).toList();
    }

    public String text() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "Minimum agreement %s, at least %d samples; cost from the traffic since %s (%d days)%s%n",
                percent(minAgreement),
                minSamples,
                since,
                lookBackDays,
                skipped == 0 ? "" : "; " + skipped + " undecodable records skipped"));
        List<Recommendation> proposals = proposals();
        if (proposals.isEmpty()) {
            out.append("No changes proposed.\n");
        } else {
            out.append(String.format(Locale.ROOT, "%nPROPOSED (%d):%n", proposals.size()));
            for (Recommendation r : proposals) {
                out.append(String.format(
                        Locale.ROOT,
                        "  %-15s %s %s -> %s %s%n"
                                + "    samples %d, agreement %.1f%% (95%% CI %.1f%%..%.1f%%), sample cost %s USD%n"
                                + "    latest 24 h: %s%n"
                                + "    cost change per %d days: %s USD (%d attempts re-priced)%n"
                                + "    quality change: %s agreement with the reference (95%% CI %s..%s)%n",
                        r.taskType(),
                        r.current().tier(),
                        r.current().model(),
                        r.proposed().getTier(),
                        r.proposed().getModel(),
                        r.samples(),
                        100 * r.agreementRate(),
                        100 * r.lower95(),
                        100 * r.upper95(),
                        r.sampleCostUsd().toPlainString(),
                        trend(r),
                        lookBackDays,
                        signed(r.costChangeUsd()),
                        r.attemptsMoved(),
                        points(r.qualityChange()),
                        points(r.qualityChangeLow()),
                        points(r.qualityChangeHigh())));
            }
        }
        out.append(String.format(Locale.ROOT, "%nNO CHANGE:%n"));
        for (Recommendation r : recommendations) {
            if (!r.isProposal()) {
                out.append(String.format(Locale.ROOT, "  %-15s %-10s %s%n", r.taskType(), r.decision(), r.why()));
            }
        }
        return out.toString();
    }

    public String json() {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("minAgreement", minAgreement);
        root.put("minSamples", minSamples);
        root.put("trafficSince", since.toString());
        root.put("lookBackDays", lookBackDays);
        root.put("skippedRecords", skipped);
        ArrayNode all = root.putArray("recommendations");
        for (Recommendation r : recommendations) {
            ObjectNode n = all.addObject();
            n.put("taskType", r.taskType().name());
            n.put("decision", r.decision().name());
            n.set("current", rule(mapper, r.current()));
            if (r.proposed() != null) {
                n.set("proposed", rule(mapper, r.proposed()));
            }
            n.put("samples", r.samples());
            if (r.samples() > 0) {
                n.put("agreementRate", r.agreementRate());
                n.put("lower95", r.lower95());
                n.put("upper95", r.upper95());
            }
            n.put("sampleCostUsd", r.sampleCostUsd().toPlainString());
            n.put("recentSamples", r.recentSamples());
            n.put("recentAgreed", r.recentAgreed());
            n.put("attemptsMoved", r.attemptsMoved());
            n.put("costChangeUsd", r.costChangeUsd().toPlainString());
            n.put("qualityChange", r.qualityChange());
            n.put("qualityChangeLow", r.qualityChangeLow());
            n.put("qualityChangeHigh", r.qualityChangeHigh());
            n.put("why", r.why());
        }
        try {
            return mapper.writeValueAsString(root) + System.lineSeparator();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode rule(ObjectMapper mapper, RouteRule rule) {
        ObjectNode n = mapper.createObjectNode();
        n.put("tier", rule.tier().name());
        n.put("model", rule.model());
        n.putPOJO("fallbackModels", rule.fallbackModels());
        return n;
    }

    private static ObjectNode rule(ObjectMapper mapper, RoutingRule rule) {
        ObjectNode n = mapper.createObjectNode();
        n.put("tier", rule.getTier().name());
        n.put("model", rule.getModel());
        n.putPOJO("fallbackModels", List.copyOf(rule.getFallbackModels()));
        return n;
    }

    private static String trend(Recommendation r) {
        return r.recentSamples() == 0
                ? "no samples"
                : String.format(
                        Locale.ROOT,
                        "%d of %d agreed (%.1f%%)",
                        r.recentAgreed(),
                        r.recentSamples(),
                        100.0 * r.recentAgreed() / r.recentSamples());
    }

    private static String signed(BigDecimal usd) {
        return (usd.signum() > 0 ? "+" : "") + usd.toPlainString();
    }

    private static String points(double share) {
        return String.format(Locale.ROOT, "%+.1f pts", 100 * share);
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * share);
    }
}
