package io.tiergate.worker.simulated;

import io.tiergate.worker.backend.ChunkSink;
import io.tiergate.worker.backend.ModelCallException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulated answer handed out as the model profile would produce it: nothing until the
 * time to first token, then the text in word-sized pieces spread evenly over the rest of the modelled
 * call (at most {@link #MAX_PIECES} pieces, so a long answer is not thousands of Kafka records). The
 * waits are the backend's own (modelled time divided by the speed-up), so a streamed simulated call
 * takes as long as an unstreamed one.
 */
final class SimulatedStream {

    /** The most pieces one answer is cut into. */
    static final int MAX_PIECES = 32;

    /** Waits modelled time (the backend's pause, scaled by the speed-up). */
    @FunctionalInterface
    interface Pause {
        void pause(Duration modelled) throws ModelCallException;
    }

    private SimulatedStream() {}

    /** Hands {@code text} to {@code chunks} paced over {@code total}, the first piece after {@code ttft}. */
    static void play(String text, Duration ttft, Duration total, ChunkSink chunks, Pause pause)
            throws ModelCallException {
        Duration first = ttft.compareTo(total) < 0 ? ttft : total;
        pause.pause(first);
        List<String> pieces = pieces(text, MAX_PIECES);
        if (pieces.isEmpty()) {
            pause.pause(total.minus(first));
            return;
        }
        chunks.text(pieces.get(0));
        Duration gap = pieces.size() > 1 ? total.minus(first).dividedBy(pieces.size() - 1) : Duration.ZERO;
        Duration spent = first;
        for (int i = 1; i < pieces.size(); i++) {
            pause.pause(gap);
            spent = spent.plus(gap);
            chunks.text(pieces.get(i));
        }
        if (spent.compareTo(total) < 0) {
            pause.pause(total.minus(spent));
        }
    }

    /**
     * {@code text} cut after each space into at most {@code max} pieces that join back to it, each a
     * run of whole words.
     */
    static List<String> pieces(String text, int max) {
        List<String> words = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == ' ') {
                words.add(text.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < text.length()) {
            words.add(text.substring(start));
        }
        if (words.size() <= max) {
            return words;
        }
        List<String> pieces = new ArrayList<>();
        int perPiece = (words.size() + max - 1) / max;
        for (int i = 0; i < words.size(); i += perPiece) {
            pieces.add(String.join("", words.subList(i, Math.min(words.size(), i + perPiece))));
        }
        return pieces;
    }
}
