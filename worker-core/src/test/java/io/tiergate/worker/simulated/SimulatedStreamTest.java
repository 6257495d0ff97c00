package io.tiergate.worker.simulated;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.schemas.cost.PriceTable;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.worker.backend.ModelCall;
import io.tiergate.worker.backend.ModelResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The simulated backend streams its answer paced as its model profile says, in modelled time. */
class SimulatedStreamTest {

    @Test
    void piecesAreWholeWordsAndJoinBackToTheText() {
        String text = "one two  three four five six seven";
        assertThat(String.join("", SimulatedStream.pieces(text, 32))).isEqualTo(text);
        assertThat(SimulatedStream.pieces(text, 32)).startsWith("one ", "two ", " ");
        List<String> few = SimulatedStream.pieces(text, 3);
        assertThat(few).hasSizeLessThanOrEqualTo(3);
        assertThat(String.join("", few)).isEqualTo(text);
        assertThat(SimulatedStream.pieces("", 3)).isEmpty();
    }

    @Test
    void aStreamedCallHandsTheAnswerAfterTheTtftAndWaitsTheSameModelledTimeAsAnUnstreamedOne() throws Exception {
        PriceTable prices = PriceTable.loadDefault();
        List<Duration> streamedWaits = new ArrayList<>();
        List<Duration> plainWaits = new ArrayList<>();
        List<String> pieces = new ArrayList<>();
        List<Duration> waitedBeforePiece = new ArrayList<>();
        SimulatedBackend streaming = new SimulatedBackend(prices, SimulationSettings.defaults(), streamedWaits::add);
        SimulatedBackend plain = new SimulatedBackend(prices, SimulationSettings.defaults(), plainWaits::add);
        ModelCall call = new ModelCall(
                "req-sim",
                1,
                "qwen3:8b",
                null,
                "Summarise the outage report",
                null,
                TaskType.SUMMARIZATION,
                400,
                Duration.ofMinutes(5));

        ModelResponse streamed = streaming.call(call, piece -> {
            pieces.add(piece);
            waitedBeforePiece.add(streamedWaits.stream().reduce(Duration.ZERO, Duration::plus));
        });
        ModelResponse unstreamed = plain.call(call);

        assertThat(String.join("", pieces)).isEqualTo(streamed.output()).isEqualTo(unstreamed.output());
        assertThat(pieces).hasSizeGreaterThan(1).hasSizeLessThanOrEqualTo(SimulatedStream.MAX_PIECES);
        Duration scaledTtft = scaled(streamed.ttft().orElseThrow());
        assertThat(waitedBeforePiece.get(0)).isEqualTo(scaledTtft);
        assertThat(waitedBeforePiece).isSorted();
        assertThat(waitedBeforePiece.get(pieces.size() - 1)).isGreaterThan(scaledTtft);
        assertThat(streamedWaits.stream().reduce(Duration.ZERO, Duration::plus))
                .isEqualTo(plainWaits.stream().reduce(Duration.ZERO, Duration::plus));
    }

    private static Duration scaled(Duration modelled) {
        return Duration.ofNanos(
                Math.round(modelled.toNanos() / SimulationSettings.defaults().speedUp()));
    }
}
