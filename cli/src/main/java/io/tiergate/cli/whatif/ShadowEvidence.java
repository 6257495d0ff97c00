package io.tiergate.cli.whatif;

import io.tiergate.cli.whatif.Replay.Row;
import io.tiergate.schemas.events.CalibrationStat;
import io.tiergate.schemas.events.RoutingAction;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What shadow calibration says about the requests a replay moves between tiers ({@code
 * --shadow-evidence}, docs/calibration.md): per task type and local model, how many routed requests
 * the replay moves from cloud to local and from local to cloud, and that local model's measured
 * agreement with the reference model on the type ({@code routing.calibration}, {@link
 * CalibrationStat}: the rate and its 95% Wilson interval). The expected quality change:
 *
 * <ul>
 *   <li>moved to local: about {@code moved × (1 − agreementRate)} answers that would not agree with
 *       the reference (between {@code moved × (1 − upper95)} and {@code moved × (1 − lower95)});
 *   <li>moved to cloud: about as many answers that did not agree and now come from a cloud model.
 * </ul>
 *
 * The reference is the calibration's reference model, not necessarily the cloud model the table
 * names; a type without samples for its local model says so instead of a number.
 */
public final class ShadowEvidence {

    /** Requests of one task type moved between the local model {@code localModel} and cloud. */
    public record Move(TaskType taskType, String localModel, int toLocal, int toCloud, Optional<CalibrationStat> stat) {

        /** Expected answers not agreeing with the reference among the moved requests: [low, expected, high]. */
        public Optional<double[]> expectedDisagreeing() {
            return stat.map(s -> {
                int moved = toLocal + toCloud;
                return new double[] {
                    round2(moved * (1 - s.getUpper95())),
                    round2(moved * (1 - s.getAgreementRate())),
                    round2(moved * (1 - s.getLower95()))
                };
            });
        }
    }

    private ShadowEvidence() {}

    /**
     * @param stats {@code routing.calibration} by key {@code taskType|localModel}
     * @return one move per task type and local model with at least one request moved, by type
     */
    public static List<Move> of(List<Row> rows, Map<String, CalibrationStat> stats) {
        Map<String, int[]> moved = new TreeMap<>(); // taskType|localModel → [toLocal, toCloud]
        for (Row r : rows) {
            if (r.recordedAction() != RoutingAction.ROUTE || r.replayedAction() != RoutingAction.ROUTE) {
                continue;
            }
            if (r.recordedTier() == Tier.CLOUD && r.replayedTier() == Tier.LOCAL) {
                moved.computeIfAbsent(key(r.taskType(), r.replayedModel()), k -> new int[2])[0]++;
            } else if (r.recordedTier() == Tier.LOCAL && r.replayedTier() == Tier.CLOUD) {
                moved.computeIfAbsent(key(r.taskType(), r.recordedModel()), k -> new int[2])[1]++;
            }
        }
        List<Move> moves = new ArrayList<>();
        moved.forEach((key, n) -> {
            int bar = key.indexOf('|');
            moves.add(new Move(
                    TaskType.valueOf(key.substring(0, bar)),
                    key.substring(bar + 1),
                    n[0],
                    n[1],
                    Optional.ofNullable(stats.get(key))));
        });
        return List.copyOf(moves);
    }

    /** The key of {@code routing.calibration} (and its samples): {@code taskType|localModel}. */
    public static String key(TaskType type, String localModel) {
        return type.name() + "|" + localModel;
    }

    private static double round2(double v) {
        return Math.round(v * 100.0) / 100.0;
    }
}
