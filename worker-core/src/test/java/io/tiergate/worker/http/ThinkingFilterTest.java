package io.tiergate.worker.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Streamed pieces lose their thinking as the whole answer does ({@link WireJson#withoutThinking}). */
class ThinkingFilterTest {

    private static String filtered(String answer, int pieceLength) {
        List<String> out = new ArrayList<>();
        ThinkingFilter filter = new ThinkingFilter(out::add);
        for (int i = 0; i < answer.length(); i += pieceLength) {
            filter.text(answer.substring(i, Math.min(answer.length(), i + pieceLength)));
        }
        filter.flush();
        assertThat(out).doesNotContain("");
        return String.join("", out);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 7, 100})
    void aThinkBlockIsDroppedWhereverThePiecesCutItsTags(int pieceLength) {
        String answer = "<think>\nweigh it</think>\n\nThe answer is <b>42</b> <thin";
        assertThat(filtered(answer, pieceLength)).isEqualTo("The answer is <b>42</b> <thin");
        assertThat(WireJson.withoutThinking(answer)).isEqualTo(filtered(answer, pieceLength));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 100})
    void anAnswerWithoutThinkingIsHandedOnUnchanged(int pieceLength) {
        String answer = " a < b and c <t> d ";
        assertThat(filtered(answer, pieceLength)).isEqualTo(answer);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 100})
    void anUnclosedThinkBlockDropsTheRest(int pieceLength) {
        assertThat(filtered("<think>still weighing", pieceLength)).isEmpty();
    }
}
