package io.tiergate.e2e.faults;

import io.tiergate.e2e.faults.TopicScan.Decoded;
import io.tiergate.e2e.faults.TopicScan.Isolation;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.topics.Topics;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the system published for one run's requests (ids starting with a prefix), read_committed,
 * as a downstream consumer sees it: results per request and cost events per (request, attempt).
 */
final class Outcomes {

    final Map<String, List<InferenceResult>> results = new HashMap<>();
    final Map<String, Map<Integer, List<CostEvent>>> costs = new HashMap<>();
    /** Record timestamp of the first cost event of each request. */
    final Map<String, Long> firstCostAtMs = new HashMap<>();

    static Outcomes scan(TopicScan scan, String prefix) {
        Outcomes o = new Outcomes();
        for (Decoded<InferenceResult> d : scan.decoded(Topics.INFERENCE_RESULTS, Isolation.READ_COMMITTED)) {
            if (d.key() != null && d.key().startsWith(prefix) && d.value().isPresent()) {
                o.results
                        .computeIfAbsent(d.key(), k -> new ArrayList<>())
                        .add(d.value().get());
            }
        }
        for (Decoded<CostEvent> d : scan.decoded(Topics.INFERENCE_COSTS, Isolation.READ_COMMITTED)) {
            if (d.key() != null && d.key().startsWith(prefix) && d.value().isPresent()) {
                CostEvent c = d.value().get();
                o.costs
                        .computeIfAbsent(c.getRequestId(), k -> new TreeMap<>())
                        .computeIfAbsent(c.getAttempt(), k -> new ArrayList<>())
                        .add(c);
                o.firstCostAtMs.merge(c.getRequestId(), d.record().timestamp(), Math::min);
            }
        }
        return o;
    }

    /** Ids with no result or more than one, with their count. */
    Map<String, Integer> notExactlyOneResult(Collection<String> ids) {
        Map<String, Integer> bad = new TreeMap<>();
        for (String id : ids) {
            int n = results.getOrDefault(id, List.of()).size();
            if (n != 1) {
                bad.put(id, n);
            }
        }
        return bad;
    }

    /** "(request, attempt)" pairs published more than once. */
    List<String> duplicateCostEvents() {
        List<String> dup = new ArrayList<>();
        costs.forEach((id, byAttempt) -> byAttempt.forEach((attempt, events) -> {
            if (events.size() > 1) {
                dup.add(id + "#" + attempt + " x" + events.size());
            }
        }));
        return dup;
    }

    InferenceResult result(String id) {
        return results.get(id).get(0);
    }

    /** Deduplicated spend per cost center: what the ledger must show. */
    Map<String, BigDecimal> spendByCostCenter(boolean cloudOnly) {
        Map<String, BigDecimal> out = new TreeMap<>();
        forEachFirst(c -> {
            if (!cloudOnly || c.getTier() == Tier.CLOUD) {
                out.merge(c.getCostCenter(), c.getCostUsd(), BigDecimal::add);
            }
        });
        out.replaceAll((k, v) -> Money.usd(v));
        return out;
    }

    /** What one request was billed on the cloud tier, each attempt once (zero when it was never billed). */
    BigDecimal cloudBilledUsd(String requestId) {
        BigDecimal sum = Money.ZERO;
        for (List<CostEvent> events : costs.getOrDefault(requestId, Map.of()).values()) {
            CostEvent c = events.get(0);
            if (c.getTier() == Tier.CLOUD) {
                sum = sum.add(c.getCostUsd());
            }
        }
        return Money.usd(sum);
    }

    Map<String, Long> eventsByCostCenter() {
        Map<String, Long> out = new TreeMap<>();
        forEachFirst(c -> out.merge(c.getCostCenter(), 1L, Long::sum));
        return out;
    }

    int attempts() {
        return costs.values().stream().mapToInt(Map::size).sum();
    }

    private void forEachFirst(java.util.function.Consumer<CostEvent> action) {
        costs.values().forEach(byAttempt -> byAttempt.values().forEach(events -> action.accept(events.get(0))));
    }
}
