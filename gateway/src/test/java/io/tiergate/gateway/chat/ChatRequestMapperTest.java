package io.tiergate.gateway.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.schemas.cost.PriceTable;
import io.tiergate.schemas.events.InferenceRequest;
import io.tiergate.schemas.results.RequestAttributes;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChatRequestMapperTest {

    private final ChatRequestMapper mapper =
            new ChatRequestMapper(new ObjectMapper(), new ModelCatalog(PriceTable.loadDefault()));
    private final Caller team = new Caller("team-a", Optional.of("tg-abcdefg"), Optional.of(1000), false);

    private ChatRequest map(String body) {
        return map(body, TiergateHeaders.NONE);
    }

    private ChatRequest map(String body, TiergateHeaders headers) {
        return mapper.map(mapper.parse(body), team, headers, "gw-1", Instant.EPOCH);
    }

    private static String withMessages(String extra) {
        return "{\"model\":\"tiergate/auto\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]" + extra + "}";
    }

    @Test
    void aLoneUserTurnIsThePromptAsItIs() {
        InferenceRequest r = map(withMessages("")).request();
        assertThat(r.getPrompt()).isEqualTo("Hi");
        assertThat(r.getSystemPrompt()).isNull();
        assertThat(r.getMessages()).hasSize(1);
        assertThat(r.getCostCenter()).isEqualTo("team-a");
        assertThat(r.getMaxOutputTokens())
                .as("the key's limit when the request sets none")
                .isEqualTo(1000);
        assertThat(r.getAttributes()).containsEntry("tiergate.key", "tg-abcdefg");
    }

    @Test
    void aConversationIsFlattenedWithSystemTurnsApartAndContentPartsJoined() {
        ChatRequest c = map("{\"model\":\"tiergate/auto\",\"messages\":["
                + "{\"role\":\"developer\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Weather\"},{\"type\":\"text\",\"text\":\"in Köln?\"}]},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"w\",\"arguments\":\"{}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"rain\"}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"w\"}}],\"tool_choice\":\"auto\","
                + "\"response_format\":{\"type\":\"json_object\"},\"temperature\":0.5,\"max_completion_tokens\":20}");
        InferenceRequest r = c.request();
        assertThat(r.getSystemPrompt()).isEqualTo("Be brief.");
        assertThat(r.getPrompt())
                .isEqualTo("user: Weather\nin Köln?\n\nassistant: [tool calls] "
                        + "[{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"w\",\"arguments\":\"{}\"}}]"
                        + "\n\ntool: rain");
        assertThat(r.getMessages().get(2).getToolCalls()).contains("\"c1\"");
        assertThat(r.getMessages().get(3).getToolCallId()).isEqualTo("c1");
        assertThat(r.getTools()).isEqualTo("[{\"type\":\"function\",\"function\":{\"name\":\"w\"}}]");
        assertThat(r.getToolChoice()).isEqualTo("\"auto\"");
        assertThat(r.getResponseFormat()).isEqualTo("{\"type\":\"json_object\"}");
        assertThat(r.getTemperature()).isEqualTo(0.5);
        assertThat(r.getMaxOutputTokens()).isEqualTo(20);
    }

    @Test
    void aStreamedCallAsksWorkersForChunksAnUnstreamedOneDoesNot() {
        ChatRequest streamed = map(withMessages(",\"stream\":true,\"stream_options\":{\"include_usage\":true}"));
        assertThat(streamed.stream()).isTrue();
        assertThat(streamed.includeUsage()).isTrue();
        assertThat(streamed.request().getAttributes())
                .containsEntry(RequestAttributes.STREAM, "true")
                .containsEntry("tiergate.key", "tg-abcdefg");
        assertThat(map(withMessages("")).request().getAttributes()).doesNotContainKey(RequestAttributes.STREAM);
    }

    @Test
    void tiergateHeadersSetTaskTypeSovereigntyAndLatencyBudget() {
        InferenceRequest r = map(withMessages(""), new TiergateHeaders("team-a", "code-review", "true", "1500"))
                .request();
        assertThat(r.getTaskTypeHint()).isEqualTo("CODE_REVIEW");
        assertThat(r.getRequiresDataSovereignty()).isTrue();
        assertThat(r.getLatencyBudgetMs()).isEqualTo(1500L);
    }

    @Test
    void theLocalAliasAndTheLocalModelMakeTheRequestSovereignACloudModelDoesNot() {
        assertThat(map(withMessages("").replace("tiergate/auto", "tiergate/local"))
                        .request()
                        .getRequiresDataSovereignty())
                .isTrue();
        assertThat(map(withMessages("").replace("tiergate/auto", "qwen3:8b"))
                        .request()
                        .getRequiresDataSovereignty())
                .isTrue();
        assertThat(map(withMessages("").replace("tiergate/auto", "anthropic/claude-haiku-4.5"))
                        .request()
                        .getRequiresDataSovereignty())
                .isFalse();
    }

    @Test
    void anUnknownModelIsNotFound() {
        assertThatThrownBy(() -> map(withMessages("").replace("tiergate/auto", "gpt-9")))
                .isInstanceOf(UnknownModelException.class)
                .hasMessageContaining("gpt-9");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}|model",
                "{\"model\":\"tiergate/auto\",\"messages\":[]}|messages",
                "{\"model\":\"tiergate/auto\",\"messages\":[{\"role\":\"robot\",\"content\":\"Hi\"}]}|messages[0].role",
                "{\"model\":\"tiergate/auto\",\"messages\":[{\"role\":\"user\"}]}|messages[0].content",
                "{\"model\":\"tiergate/auto\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\"}]}]}|messages[0].content[0]",
                "{\"model\":\"tiergate/auto\",\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}|messages[0].tool_call_id",
                "{\"model\":\"tiergate/auto\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"temperature\":3}|temperature",
                "{\"model\":\"tiergate/auto\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"max_tokens\":0}|max_tokens",
                "{\"model\":\"tiergate/auto\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"max_completion_tokens\":5000}|max_completion_tokens",
                "{\"model\":\"tiergate/auto\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"n\":2}|n",
                "{\"model\":\"tiergate/auto\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"tools\":{}}|tools",
                "{\"model\":\"tiergate/auto\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"stream_options\":{\"include_usage\":true}}|stream_options",
                "{\"model\":\"tiergate/auto\",\"messages\":[{\"role\":\"system\",\"content\":\"only a system turn\"}]}|messages"
            })
    void badInputIsRefusedNamingTheField(String body, String field) {
        assertThatThrownBy(() -> map(body))
                .isInstanceOfSatisfying(
                        InvalidChatRequestException.class,
                        e -> assertThat(e.param()).isEqualTo(field));
    }

    @ParameterizedTest
    @CsvSource({
        "other-team,,,x-tiergate-cost-center",
        ",NOT_A_TYPE,,x-tiergate-task-type",
        ",,maybe,x-tiergate-sovereign",
        ",,,x-tiergate-latency-budget-ms"
    })
    void badHeadersAreRefusedNamingTheHeader(String costCenter, String taskType, String sovereign, String header) {
        TiergateHeaders headers = new TiergateHeaders(
                costCenter, taskType, sovereign, header.endsWith("latency-budget-ms") ? "-5" : null);
        assertThatThrownBy(() -> map(withMessages(""), headers))
                .isInstanceOfSatisfying(
                        InvalidChatRequestException.class,
                        e -> assertThat(e.param()).isEqualTo(header));
    }

    @Test
    void aBodyThatIsNotJsonIsRefused() {
        assertThatThrownBy(() -> mapper.parse("{nope"))
                .isInstanceOf(InvalidChatRequestException.class)
                .hasMessageContaining("not valid JSON");
    }
}
