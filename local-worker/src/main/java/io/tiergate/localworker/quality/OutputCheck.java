package io.tiergate.localworker.quality;

import java.util.Optional;

/**
 * The verdict on a local answer: acceptable (with the output to deliver, e.g. the JSON taken out of
 * a fenced block) or not, with the problem in words.
 */
public record OutputCheck(boolean acceptable, String output, Optional<String> problem) {

    public static OutputCheck ok(String output) {
        return new OutputCheck(true, output, Optional.empty());
    }

    public static OutputCheck rejected(String output, String problem) {
        return new OutputCheck(false, output, Optional.of(problem));
    }
}
