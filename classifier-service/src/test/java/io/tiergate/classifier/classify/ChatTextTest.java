package io.tiergate.classifier.classify;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.classifier.complexity.ComplexityScorer;
import io.tiergate.classifier.config.ClassifierSettings;
import io.tiergate.classifier.sensitive.SensitiveDataDetector;
import io.tiergate.classifier.tokens.TokenEstimator;
import io.tiergate.schemas.events.ChatMessage;
import io.tiergate.schemas.events.Classification;
import io.tiergate.schemas.events.InferenceRequest;
import io.tiergate.schemas.events.TaskType;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatTextTest {

    private static final RequestClassifier CLASSIFIER = new RequestClassifier(
            ClassifierSettings.DEFAULTS,
            new TaskClassifier(TaskModel.loadDefault(), null, ClassifierSettings.DEFAULTS.embeddingThreshold(), 0),
            new TokenEstimator(ClassifierSettings.DEFAULTS.tokenEncoding()),
            new SensitiveDataDetector(),
            new ComplexityScorer(),
            false);

    private static final String REVIEW_ASK = "Review this diff for regressions:\n"
            + "- if (cost.compareTo(limit) > 0) {\n+ if (cost.compareTo(limit) >= 0) {";
    private static final String SUMMARY_ASK =
            "Summarize this thread in two sentences:\nAnna: we ship Friday.\nBen: QA needs two more days.\nAnna: Monday then.";

    private static ChatMessage turn(String role, String content) {
        return ChatMessage.newBuilder().setRole(role).setContent(content).build();
    }

    private static InferenceRequest chat(List<ChatMessage> turns, String flattened) {
        return InferenceRequest.newBuilder()
                .setRequestId("r-chat")
                .setPrompt(flattened)
                .setSystemPrompt("You are a helpful assistant.")
                .setCreatedAt(Instant.EPOCH)
                .setMessages(turns)
                .build();
    }

    @Test
    void theLatestUserTurnTypesTheTaskNotTheEarlierOnes() {
        List<ChatMessage> turns = List.of(
                turn("system", "You are a helpful assistant."),
                turn("user", REVIEW_ASK),
                turn("assistant", "Looks fine."),
                turn("user", SUMMARY_ASK));
        InferenceRequest request =
                chat(turns, "user: " + REVIEW_ASK + "\n\nassistant: Looks fine.\n\nuser: " + SUMMARY_ASK);

        Classification asChat = CLASSIFIER
                .complete(List.of(
                        CLASSIFIER.prepare(request.getPrompt(), request.getSystemPrompt(), null, ChatText.of(request))))
                .get(0)
                .classification();
        Classification summaryAlone =
                CLASSIFIER.classify(SUMMARY_ASK, null, null).classification();

        assertThat(ChatText.of(request).latestUserTurn()).contains(SUMMARY_ASK);
        assertThat(summaryAlone.getTaskType()).isEqualTo(TaskType.SUMMARIZATION);
        assertThat(asChat.getTaskType()).isEqualTo(TaskType.SUMMARIZATION);
        // the whole conversation is input: it costs more tokens than the last turn alone
        assertThat(asChat.getEstimatedInputTokens()).isGreaterThan(summaryAlone.getEstimatedInputTokens());
    }

    @Test
    void sensitiveDataInAnEarlierTurnOrAToolCallMakesTheChatSensitive() {
        List<ChatMessage> earlier = List.of(
                turn("user", "Please pay my rent to DE89 3704 0044 0532 0130 00 tomorrow."),
                turn("assistant", "Noted."),
                turn("user", SUMMARY_ASK));
        InferenceRequest inTurn = chat(
                earlier,
                "user: Please pay my rent to DE89 3704 0044 0532 0130 00 tomorrow.\n\nassistant: Noted.\n\nuser: "
                        + SUMMARY_ASK);
        Classification c = CLASSIFIER
                .complete(List.of(CLASSIFIER.prepare(inTurn.getPrompt(), null, null, ChatText.of(inTurn))))
                .get(0)
                .classification();
        assertThat(c.getContainsSensitiveData()).isTrue();

        ChatMessage toolCall = ChatMessage.newBuilder()
                .setRole("assistant")
                .setContent("")
                .setToolCalls("[{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"send\","
                        + "\"arguments\":\"{\\\"iban\\\":\\\"DE89 3704 0044 0532 0130 00\\\"}\"}}]")
                .build();
        InferenceRequest inToolCall = chat(List.of(turn("user", SUMMARY_ASK), toolCall), "user: " + SUMMARY_ASK);
        assertThat(ChatText.of(inToolCall).extraText()).contains("DE89 3704 0044 0532 0130 00");
        Classification viaTool = CLASSIFIER
                .complete(List.of(CLASSIFIER.prepare(inToolCall.getPrompt(), null, null, ChatText.of(inToolCall))))
                .get(0)
                .classification();
        assertThat(viaTool.getContainsSensitiveData()).isTrue();

        Classification without = CLASSIFIER.classify(SUMMARY_ASK, null, null).classification();
        assertThat(without.getContainsSensitiveData()).isFalse();
    }

    @Test
    void aSinglePromptRequestHasNoChatText() {
        InferenceRequest plain = InferenceRequest.newBuilder()
                .setRequestId("r")
                .setPrompt("hello")
                .setCreatedAt(Instant.EPOCH)
                .build();
        assertThat(ChatText.of(plain)).isEqualTo(ChatText.NONE);
    }
}
