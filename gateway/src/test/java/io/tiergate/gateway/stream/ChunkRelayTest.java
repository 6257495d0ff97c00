package io.tiergate.gateway.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiergate.gateway.chat.ApiError;
import io.tiergate.schemas.events.StreamChunk;
import io.tiergate.schemas.events.Tier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a client of a streamed call sees for the chunks a relay gets, in the orders Kafka can give. */
class ChunkRelayTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> events = new ArrayList<>();
    private boolean ended;
    private final ChunkRelay relay = new ChunkRelay("r-1", true, ChunkRelay.events(events::add, () -> ended = true));

    private static StreamChunk chunk(int attempt, int seq, String delta, String finish) {
        return StreamChunk.newBuilder()
                .setRequestId("r-1")
                .setAttempt(attempt)
                .setSeq(seq)
                .setDelta(delta)
                .setFinishReason(finish)
                .setModel("qwen3:8b")
                .setTier(Tier.LOCAL)
                .setProducedAt(Instant.EPOCH)
                .build();
    }

    private static ObjectNode completion(String content, String finish) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode choice = root.putArray("choices").addObject();
        choice.putObject("message").put("role", "assistant").put("content", content);
        choice.put("finish_reason", finish);
        root.putObject("usage")
                .put("prompt_tokens", 3)
                .put("completion_tokens", 4)
                .put("total_tokens", 7);
        return root;
    }

    private List<JsonNode> parsed() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String e : events) {
            if (!e.equals("[DONE]")) {
                out.add(JSON.readTree(e));
            }
        }
        return out;
    }

    private String text() throws Exception {
        StringBuilder text = new StringBuilder();
        for (JsonNode e : parsed()) {
            text.append(e.path("choices").path(0).path("delta").path("content").asText(""));
        }
        return text.toString();
    }

    @Test
    void duplicatesAndOtherAttemptsAreDroppedAndTheResultEndsTheStream() throws Exception {
        relay.onChunk(chunk(2, 1, "late ", null)); // before seq 0: not relayable
        relay.onChunk(chunk(2, 0, "Hello ", null));
        relay.onChunk(chunk(1, 1, "STALE ", null));
        relay.onChunk(chunk(2, 0, "Hello ", null));
        relay.onChunk(chunk(2, 1, "world", null));
        relay.onChunk(chunk(2, 1, "world", null));
        assertThat(relay.relayedLastChunk()).isFalse();
        relay.onChunk(chunk(2, 2, "", "max_tokens"));

        assertThat(relay.started()).isCompletedWithValue(Optional.of(new ChunkRelay.Start("qwen3:8b", Tier.LOCAL)));
        assertThat(text()).isEqualTo("Hello world");
        assertThat(ended).isFalse();
        assertThat(relay.relayedLastChunk())
                .as("the chunk with the finish reason came")
                .isTrue();

        assertThat(relay.finish(Optional.of(completion("Hello world", "stop")), Optional.empty()))
                .isTrue();

        List<JsonNode> out = parsed();
        assertThat(out.get(0).at("/choices/0/delta/role").asText()).isEqualTo("assistant");
        assertThat(out).allSatisfy(e -> assertThat(e.get("id").asText()).isEqualTo("chatcmpl-r-1"));
        JsonNode finish = out.get(out.size() - 2);
        assertThat(finish.at("/choices/0/finish_reason").asText()).isEqualTo("length");
        JsonNode usage = out.get(out.size() - 1);
        assertThat(usage.get("choices")).isEmpty();
        assertThat(usage.at("/usage/total_tokens").asInt()).isEqualTo(7);
        assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
        assertThat(ended).isTrue();
    }

    @Test
    void afterALostChunkTheResultSuppliesTheRestOfTheAnswer() throws Exception {
        relay.onChunk(chunk(1, 0, "The ", null));
        relay.onChunk(chunk(1, 2, "lost ", null)); // seq 1 never came
        relay.onChunk(chunk(1, 3, "words", "stop"));
        assertThat(relay.relayedLastChunk()).as("after a gap, not relayed").isFalse();

        relay.finish(Optional.of(completion("The missing lost words", "stop")), Optional.empty());

        assertThat(text()).isEqualTo("The missing lost words");
    }

    @Test
    void anAnswerThatDoesNotContinueTheRelayedTextEndsWithAnErrorEventAndNoDone() throws Exception {
        relay.onChunk(chunk(1, 0, "Partial ", null));

        relay.finish(Optional.of(completion("Another attempt's answer", "stop")), Optional.empty());

        JsonNode last = JSON.readTree(events.get(events.size() - 1));
        assertThat(last.at("/error/code").asText()).isEqualTo("stream_superseded");
        assertThat(last.at("/error/message").asText()).contains("r-1");
        assertThat(events).doesNotContain("[DONE]");
        assertThat(ended).isTrue();
    }

    @Test
    void aFailedResultAfterTheStartIsOneErrorEvent() throws Exception {
        relay.onChunk(chunk(1, 0, "Partial ", null));

        relay.finish(Optional.empty(), Optional.of(ApiError.upstream("provider_error", "dropped")));

        JsonNode last = JSON.readTree(events.get(events.size() - 1));
        assertThat(last.at("/error/code").asText()).isEqualTo("provider_error");
        assertThat(last.at("/error/type").asText()).isEqualTo("server_error");
        assertThat(ended).isTrue();
    }

    @Test
    void withoutAnyChunkNothingIsSentAndTheCallerAnswers() {
        assertThat(relay.finish(Optional.of(completion("Whole", "stop")), Optional.empty()))
                .isFalse();
        assertThat(relay.started()).isCompletedWithValue(Optional.empty());
        assertThat(events).isEmpty();
        relay.onChunk(chunk(1, 0, "too late", null));
        assertThat(events).isEmpty();
    }

    @Test
    void toolCallsOfTheResultFollowTheRelayedText() throws Exception {
        relay.onChunk(chunk(1, 0, "Let me look.", null));
        ObjectNode done = completion("Let me look.", "tool_calls");
        ObjectNode call = ((ObjectNode) done.at("/choices/0/message"))
                .putArray("tool_calls")
                .addObject()
                .put("id", "call_1")
                .put("type", "function");
        call.putObject("function").put("name", "lookup").put("arguments", "{}");

        relay.finish(Optional.of(done), Optional.empty());

        List<JsonNode> out = parsed();
        JsonNode tools = out.stream()
                .filter(e -> e.at("/choices/0/delta").has("tool_calls"))
                .findFirst()
                .orElseThrow();
        assertThat(tools.at("/choices/0/delta/tool_calls/0/index").asInt()).isZero();
        assertThat(tools.at("/choices/0/delta/tool_calls/0/function/name").asText())
                .isEqualTo("lookup");
        assertThat(out.get(out.size() - 2).at("/choices/0/finish_reason").asText())
                .isEqualTo("tool_calls");
    }
}
