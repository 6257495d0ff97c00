package io.tiergate.classifier.tokens;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Counts input tokens with a real BPE tokenizer (jtokkit: {@code cl100k_base} or {@code o200k_base}),
 * not words × 1.3. Special-token text such as {@code <|endoftext|>} is counted as ordinary text, as a
 * provider would see it in a user message. Thread-safe.
 */
public final class TokenEstimator {

    private final Encoding encoding;

    /** @throws IllegalArgumentException for an encoding name jtokkit does not know */
    public TokenEstimator(String encodingName) {
        EncodingType type = EncodingType.fromName(encodingName)
                .orElseThrow(() -> new IllegalArgumentException("Unknown token encoding '" + encodingName + "'; one of "
                        + Arrays.stream(EncodingType.values())
                                .map(EncodingType::getName)
                                .collect(Collectors.joining(", "))));
        this.encoding = Encodings.newLazyEncodingRegistry().getEncoding(type);
    }

    /** The encoding's name as reported in {@code Classification.tokenEncoding}. */
    public String encodingName() {
        return encoding.getName();
    }

    public int count(String text) {
        return text == null || text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
    }
}
