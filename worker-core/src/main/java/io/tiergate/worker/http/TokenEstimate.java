package io.tiergate.worker.http;

import io.tiergate.schemas.cost.TokenUsage;
import io.tiergate.worker.backend.ModelCall;

/**
 * What a call consumed when a provider did not say ({@link ServerKind#PROVIDER_API}: never $0 by
 * omission): the classifier's input estimate, and output characters / 4 (rounded up).
 */
public final class TokenEstimate {

    private TokenEstimate() {}

    public static long tokensOf(CharSequence text) {
        return (text.length() + 3) / 4;
    }

    public static TokenUsage of(ModelCall call, CharSequence output) {
        return TokenUsage.of(Math.max(0, call.estimatedInputTokens()), tokensOf(output));
    }
}
