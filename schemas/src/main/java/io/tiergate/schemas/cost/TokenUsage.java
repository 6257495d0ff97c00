package io.tiergate.schemas.cost;

/**
 * Tokens of one call, normalised across providers: {@code uncachedInput} excludes cached reads and
 * cache writes (OpenAI's {@code prompt_tokens} includes {@code cached_tokens}, so a worker subtracts
 * them; Anthropic's {@code input_tokens} already excludes {@code cache_read_input_tokens} and
 * {@code cache_creation_input_tokens}).
 */
public record TokenUsage(long uncachedInput, long output, long cachedRead, long cacheWrite) {

    public TokenUsage {
        if (uncachedInput < 0 || output < 0 || cachedRead < 0 || cacheWrite < 0) {
            throw new IllegalArgumentException("token counts must be >= 0: " + this);
        }
    }

    public static TokenUsage of(long input, long output) {
        return new TokenUsage(input, output, 0, 0);
    }

    /** All input tokens the model read, cached or not. */
    public long totalInput() {
        return uncachedInput + cachedRead + cacheWrite;
    }
}
