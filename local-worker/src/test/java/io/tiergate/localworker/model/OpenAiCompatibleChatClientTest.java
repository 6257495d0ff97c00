package io.tiergate.localworker.model;

import static io.tiergate.localworker.testing.FakeModelServer.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.localworker.testing.FakeModelServer;
import io.tiergate.localworker.testing.FakeModelServer.Reply;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenAiCompatibleChatClientTest {

  private final FakeModelServer server = new FakeModelServer();
  private final HttpClient http = LocalHttp.client(Duration.ofSeconds(1));

  @AfterEach
  void stop() {
    server.close();
  }

  private OpenAiCompatibleChatClient client(URI base, boolean stream) {
    EndpointSettings d = EndpointSettings.defaults("llama-cpp", base);
    return new OpenAiCompatibleChatClient(
        http,
        new EndpointSettings(
            d.name(), d.baseUrl(), stream, null, null, null,
            d.connectTimeout(), Duration.ofSeconds(2), Duration.ofMillis(500), Duration.ofSeconds(5)));
  }

  private static LocalChatRequest request() {
    return new LocalChatRequest("qwen3-8b", null, "Parse these log lines.", 128);
  }

  @Test
  void completionReadsUsageAndLlamaCppTimingsAsTheServersBusyTime() throws Exception {
    server.on("POST", "/v1/chat/completions", Reply.json(200, fixture("openai/chat-completion.json")));

    LocalChatResponse response = client(server.baseUrl(), false).chat(request());

    assertThat(response.content()).isEqualTo("[{\"level\": \"ERROR\", \"service\": \"billing\"}]");
    assertThat(response.promptTokens()).isEqualTo(61);
    assertThat(response.outputTokens()).isEqualTo(17);
    // timings.prompt_ms 118.204 + predicted_ms 431.796 = 550.000 ms
    assertThat(response.serverBusy()).contains(Duration.ofMillis(550));
    assertThat(response.doneReason()).isEqualTo("stop");
    JsonNode sent = new ObjectMapper().readTree(server.received().get(0).body());
    assertThat(sent.get("max_tokens").asInt()).isEqualTo(128);
    assertThat(sent.has("stream_options")).isFalse();
  }

  @Test
  void baseUrlEndingInV1IsNotDoubled() throws Exception {
    server.on("POST", "/v1/chat/completions", Reply.json(200, fixture("openai/chat-completion.json")));

    client(URI.create(server.baseUrl() + "/v1"), false).chat(request());

    assertThat(server.received().get(0).path()).isEqualTo("/v1/chat/completions");
  }

  @Test
  void streamIsAssembledFromDeltasAndPricedFromTheUsageChunk() throws Exception {
    server.on("POST", "/v1/chat/completions", Reply.sse(fixture("openai/chat-completion-stream.sse")));

    LocalChatResponse response = client(server.baseUrl(), true).chat(request());

    assertThat(response.content()).isEqualTo("Summary: the deploy failed twice.");
    assertThat(response.promptTokens()).isEqualTo(212);
    assertThat(response.outputTokens()).isEqualTo(9);
    assertThat(response.serverBusy()).isEmpty();
    assertThat(response.busyDuration()).isEqualTo(response.wallTime());
    assertThat(response.doneReason()).isEqualTo("stop");
    JsonNode sent = new ObjectMapper().readTree(server.received().get(0).body());
    assertThat(sent.get("stream").asBoolean()).isTrue();
    assertThat(sent.get("stream_options").get("include_usage").asBoolean()).isTrue();
  }

  @Test
  void streamWithoutDoneIsTruncated() {
    server.on("POST", "/v1/chat/completions", Reply.sse(fixture("openai/chat-completion-stream-truncated.sse")));

    assertThatThrownBy(() -> client(server.baseUrl(), true).chat(request()))
        .isInstanceOfSatisfying(LocalModelException.class, e -> {
          assertThat(e.kind()).isEqualTo(LocalModelException.Kind.PROTOCOL);
          assertThat(e.getMessage()).contains("ended without data: [DONE]");
        });
  }

  @Test
  void unknownModelIsA404WithTheOpenAiErrorMessage() {
    server.on("POST", "/v1/chat/completions", Reply.json(404, fixture("openai/error-model-not-found.json")));

    assertThatThrownBy(() -> client(server.baseUrl(), false).chat(request()))
        .isInstanceOfSatisfying(LocalModelException.class, e -> {
          assertThat(e.kind()).isEqualTo(LocalModelException.Kind.MODEL_NOT_FOUND);
          assertThat(e.getMessage()).contains("The model `qwen3:14b` does not exist.");
        });
  }

  @Test
  void vllmStyleErrorObjectIsUnderstood() {
    server.on("POST", "/v1/chat/completions", Reply.json(500,
        "{\"object\":\"error\",\"message\":\"CUDA out of memory\",\"type\":\"InternalServerError\",\"param\":null,\"code\":500}"));

    assertThatThrownBy(() -> client(server.baseUrl(), false).chat(request()))
        .isInstanceOfSatisfying(LocalModelException.class, e -> {
          assertThat(e.kind()).isEqualTo(LocalModelException.Kind.SERVER_ERROR);
          assertThat(e.getMessage()).contains("CUDA out of memory");
        });
  }

  @Test
  void malformedJsonIsAProtocolFailure() {
    server.on("POST", "/v1/chat/completions", Reply.json(200, "{\"id\":\"chatcmpl-1\",\"choices\":[{\"message\":"));

    assertThatThrownBy(() -> client(server.baseUrl(), false).chat(request()))
        .isInstanceOfSatisfying(LocalModelException.class, e -> assertThat(e.kind()).isEqualTo(LocalModelException.Kind.PROTOCOL));
  }
}
