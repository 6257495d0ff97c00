package io.tiergate.worker.backend;

import io.tiergate.schemas.cost.TokenUsage;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a model answered and what the answer consumed, normalised across providers.
 *
 * @param usage tokens as the provider reported them ({@link TokenUsage} explains the cached split)
 * @param providerCostUsd the cost the provider reported for this call (OpenRouter {@code usage.cost}):
 *     when present it is what the call is billed at
 * @param latency wall time of the call (for the simulated backend: the modelled time, not the
 *     sped-up sleep)
 * @param ttft time to first token, when known (streams; Ollama's load + prompt eval)
 * @param busy how long the model kept its machine busy when the server reports it (Ollama
 *     {@code total_duration}); local TCO is priced by it, falling back to {@code latency}
 * @param provider "openrouter", "openai-compatible", "anthropic", "ollama", "simulated", …
 * @param finishReason the provider's stop reason ("stop", "length", "end_turn", …) when known
 * @param toolCalls the tool calls the model answered with, as OpenAI's {@code tool_calls} JSON array
 *     ({@code [{"id", "type": "function", "function": {"name", "arguments": "<JSON text>"}}]}) whatever
 *     the provider's wire format ({@link ToolCalls}); empty when it called no tool
 */
public record ModelResponse(
        String output,
        TokenUsage usage,
        Optional<BigDecimal> providerCostUsd,
        Duration latency,
        Optional<Duration> ttft,
        Optional<Duration> busy,
        String provider,
        boolean simulated,
        Optional<String> finishReason,
        Optional<String> toolCalls) {

    public ModelResponse {
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(providerCostUsd, "providerCostUsd");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(ttft, "ttft");
        Objects.requireNonNull(busy, "busy");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(finishReason, "finishReason");
        Objects.requireNonNull(toolCalls, "toolCalls");
    }

    /** The same answer with another output text (an output check's cleaned text). */
    public ModelResponse withOutput(String otherOutput) {
        return new ModelResponse(
                otherOutput, usage, providerCostUsd, latency, ttft, busy, provider, simulated, finishReason, toolCalls);
    }

    public static Builder builder(String provider) {
        return new Builder(provider);
    }

    /** For backends: only output, usage and latency are required. */
    public static final class Builder {
        private final String provider;
        private String output = "";
        private TokenUsage usage = TokenUsage.of(0, 0);
        private BigDecimal providerCostUsd;
        private Duration latency = Duration.ZERO;
        private Duration ttft;
        private Duration busy;
        private boolean simulated;
        private String finishReason;
        private String toolCalls;

        private Builder(String provider) {
            this.provider = provider;
        }

        public Builder output(String value) {
            this.output = value;
            return this;
        }

        public Builder usage(TokenUsage value) {
            this.usage = value;
            return this;
        }

        public Builder providerCostUsd(BigDecimal value) {
            this.providerCostUsd = value;
            return this;
        }

        public Builder latency(Duration value) {
            this.latency = value;
            return this;
        }

        public Builder ttft(Duration value) {
            this.ttft = value;
            return this;
        }

        public Builder busy(Duration value) {
            this.busy = value;
            return this;
        }

        public Builder simulated(boolean value) {
            this.simulated = value;
            return this;
        }

        public Builder finishReason(String value) {
            this.finishReason = value;
            return this;
        }

        /** OpenAI's {@code tool_calls} JSON array; null or an empty array: no tool calls. */
        public Builder toolCalls(String value) {
            this.toolCalls = value;
            return this;
        }

        public ModelResponse build() {
            return new ModelResponse(
                    output,
                    usage,
                    Optional.ofNullable(providerCostUsd),
                    latency,
                    Optional.ofNullable(ttft),
                    Optional.ofNullable(busy),
                    provider,
                    simulated,
                    Optional.ofNullable(finishReason),
                    Optional.ofNullable(toolCalls).filter(t -> !t.isBlank() && !"[]".equals(t.strip())));
        }
    }
}
