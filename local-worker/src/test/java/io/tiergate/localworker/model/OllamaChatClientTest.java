package io.tiergate.localworker.model;

import static io.tiergate.localworker.testing.FakeModelServer.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.localworker.testing.FakeModelServer;
import io.tiergate.localworker.testing.FakeModelServer.Ending;
import io.tiergate.localworker.testing.FakeModelServer.Reply;
import java.net.http.HttpClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OllamaChatClientTest {

  private final FakeModelServer server = new FakeModelServer();
  private final HttpClient http = LocalHttp.client(Duration.ofSeconds(1));

  @AfterEach
  void stop() {
    server.close();
  }

  private OllamaChatClient client(boolean stream) {
    EndpointSettings d = EndpointSettings.defaults("test", server.baseUrl());
    return new OllamaChatClient(
        http,
        new EndpointSettings(
            d.name(), d.baseUrl(), stream, Boolean.FALSE, "10m", 8192,
            d.connectTimeout(), Duration.ofSeconds(2), Duration.ofMillis(500), Duration.ofSeconds(5)));
  }

  private static LocalChatRequest request() {
    return new LocalChatRequest("qwen3:8b", "Answer in JSON.", "Extract the invoice number and total.", 256);
  }

  @Test
  void streamedAnswerIsAssembledAndTheFinalChunkCarriesTokensAndDurations() throws Exception {
    server.on("POST", "/api/chat", Reply.ndjson(fixture("ollama/chat-stream.ndjson")).withLineDelay(Duration.ofMillis(5)));

    LocalChatResponse response = client(true).chat(request());

    assertThat(response.content()).isEqualTo("{\"invoice\": \"INV-2041\", \"total\": 118.40}");
    assertThat(response.promptTokens()).isEqualTo(26);
    assertThat(response.outputTokens()).isEqualTo(282);
    assertThat(response.serverBusy()).contains(Duration.ofNanos(4_883_583_458L));
    assertThat(response.loadDuration()).contains(Duration.ofNanos(1_334_875L));
    assertThat(response.busyDuration()).isEqualTo(Duration.ofNanos(4_883_583_458L));
    assertThat(response.doneReason()).isEqualTo("stop");
    assertThat(response.timeToFirstToken()).isPresent();
    assertThat(response.timeToFirstToken().get()).isLessThanOrEqualTo(response.wallTime());
  }

  @Test
  void requestCarriesThinkFalseKeepAliveNumCtxAndTheMessages() throws Exception {
    server.on("POST", "/api/chat", Reply.ndjson(fixture("ollama/chat-stream.ndjson")));

    client(true).chat(request());

    JsonNode sent = new ObjectMapper().readTree(server.received().get(0).body());
    assertThat(sent.get("model").asText()).isEqualTo("qwen3:8b");
    assertThat(sent.get("stream").asBoolean()).isTrue();
    assertThat(sent.get("think").isBoolean()).isTrue();
    assertThat(sent.get("think").asBoolean()).isFalse();
    assertThat(sent.get("keep_alive").asText()).isEqualTo("10m");
    assertThat(sent.get("options").get("num_ctx").asInt()).isEqualTo(8192);
    assertThat(sent.get("options").get("num_predict").asInt()).isEqualTo(256);
    assertThat(sent.get("messages").get(0).get("role").asText()).isEqualTo("system");
    assertThat(sent.get("messages").get(1).get("role").asText()).isEqualTo("user");
    assertThat(sent.get("messages").get(1).get("content").asText()).isEqualTo("Extract the invoice number and total.");
  }

  @Test
  void nonStreamedAnswerIsOneObjectWithTheStatistics() throws Exception {
    server.on("POST", "/api/chat", Reply.json(200, fixture("ollama/chat.json")));

    LocalChatResponse response = client(false).chat(request());

    assertThat(response.content()).isEqualTo("positive");
    assertThat(response.promptTokens()).isEqualTo(48);
    assertThat(response.outputTokens()).isEqualTo(3);
    assertThat(response.serverBusy()).contains(Duration.ofMillis(1250));
    assertThat(new ObjectMapper().readTree(server.received().get(0).body()).get("stream").asBoolean()).isFalse();
  }

  @Test
  void inlineThinkingBlockIsRemovedFromTheAnswer() throws Exception {
    server.on("POST", "/api/chat", Reply.json(200, fixture("ollama/chat-thinking-inline.json")));

    assertThat(client(false).chat(request()).content()).isEqualTo("negative");
  }

  @Test
  void missingModelIsA404WithTheServersMessage() {
    server.on("POST", "/api/chat", Reply.json(404, fixture("ollama/error-model-not-found.json")));

    assertThatThrownBy(() -> client(true).chat(request()))
        .isInstanceOfSatisfying(LocalModelException.class, e -> {
          assertThat(e.kind()).isEqualTo(LocalModelException.Kind.MODEL_NOT_FOUND);
          assertThat(e.httpStatus()).hasValue(404);
          assertThat(e.getMessage()).contains("model 'qwen3:8b' not found");
          assertThat(e.errorCode()).isEqualTo("LOCAL_MODEL_NOT_FOUND");
        });
  }

  @Test
  void serverErrorIsA500WithTheServersMessage() {
    server.on("POST", "/api/chat", Reply.json(500, fixture("ollama/error-runner-crashed.json")));

    assertThatThrownBy(() -> client(false).chat(request()))
        .isInstanceOfSatisfying(LocalModelException.class, e -> {
          assertThat(e.kind()).isEqualTo(LocalModelException.Kind.SERVER_ERROR);
          assertThat(e.getMessage()).contains("llama runner process has terminated");
          assertThat(e.kind().countsAgainstServer()).isTrue();
        });
  }

  @Test
  void errorLineInTheMiddleOfAStreamFailsTheCallThoughTheStatusWas200() {
    server.on("POST", "/api/chat", Reply.ndjson(fixture("ollama/chat-stream-midstream-error.ndjson")));

    assertThatThrownBy(() -> client(true).chat(request()))
        .isInstanceOfSatisfying(LocalModelException.class, e -> {
          assertThat(e.kind()).isEqualTo(LocalModelException.Kind.SERVER_ERROR);
          assertThat(e.getMessage()).contains("an error was encountered while running the model");
        });
  }

  @Test
  void streamThatEndsBeforeDoneIsTruncated() {
    server.on("POST", "/api/chat", Reply.ndjson(fixture("ollama/chat-stream-truncated.ndjson")));

    assertThatThrownBy(() -> client(true).chat(request()))
        .isInstanceOfSatisfying(LocalModelException.class, e -> {
          assertThat(e.kind()).isEqualTo(LocalModelException.Kind.PROTOCOL);
          assertThat(e.getMessage()).contains("ended before the final \"done\": true chunk");
        });
  }

  @Test
  void connectionDroppedMidStreamIsAProtocolFailure() {
    server.on(
        "POST", "/api/chat",
        Reply.ndjson(fixture("ollama/chat-stream-truncated.ndjson")).endingWith(Ending.CUT_CONNECTION));

    assertThatThrownBy(() -> client(true).chat(request()))
        .isInstanceOfSatisfying(LocalModelException.class, e -> assertThat(e.kind()).isEqualTo(LocalModelException.Kind.PROTOCOL));
  }

  @Test
  void malformedJsonBodyIsAProtocolFailure() {
    server.on("POST", "/api/chat", Reply.json(200, fixture("ollama/chat-malformed.json")));

    assertThatThrownBy(() -> client(false).chat(request()))
        .isInstanceOfSatisfying(LocalModelException.class, e -> {
          assertThat(e.kind()).isEqualTo(LocalModelException.Kind.PROTOCOL);
          assertThat(e.getMessage()).contains("malformed JSON");
        });
  }

  @Test
  void serverThatGoesSilentMidStreamTimesOutOnTheIdleLimit() {
    server.on(
        "POST", "/api/chat",
        Reply.ndjson(fixture("ollama/chat-stream-truncated.ndjson")).endingWith(Ending.HANG));

    long start = System.nanoTime();
    assertThatThrownBy(() -> client(true).chat(request()))
        .isInstanceOfSatisfying(LocalModelException.class, e -> {
          assertThat(e.kind()).isEqualTo(LocalModelException.Kind.TIMEOUT);
          assertThat(e.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        });
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
  }

  @Test
  void serverThatNeverAnswersTimesOutOnTheFirstByteLimit() {
    server.on("POST", "/api/chat", r -> {
      try {
        Thread.sleep(1_500); // the fake server is slow to answer; the client gives up after 300 ms
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Reply.json(200, fixture("ollama/chat.json"));
    });
    EndpointSettings d = EndpointSettings.defaults("slow", server.baseUrl());
    OllamaChatClient impatient = new OllamaChatClient(http, new EndpointSettings(
        d.name(), d.baseUrl(), false, null, null, null,
        d.connectTimeout(), Duration.ofMillis(300), Duration.ofMillis(300), Duration.ofSeconds(5)));

    assertThatThrownBy(() -> impatient.chat(request()))
        .isInstanceOfSatisfying(LocalModelException.class, e -> {
          assertThat(e.kind()).isEqualTo(LocalModelException.Kind.TIMEOUT);
          assertThat(e.getMessage()).contains("no response head");
        });
  }

  @Test
  void thinkKeepAliveAndNumCtxAreLeftOutWhenNotConfigured() throws Exception {
    server.on("POST", "/api/chat", Reply.json(200, fixture("ollama/chat.json")));
    EndpointSettings d = EndpointSettings.defaults("plain", server.baseUrl());
    new OllamaChatClient(http, new EndpointSettings(
        d.name(), d.baseUrl(), false, null, null, null,
        d.connectTimeout(), d.firstByteTimeout(), d.idleTimeout(), d.totalTimeout()))
        .chat(new LocalChatRequest("llama3.2", null, "hi", null));

    JsonNode sent = new ObjectMapper().readTree(server.received().get(0).body());
    assertThat(sent.has("think")).isFalse();
    assertThat(sent.has("keep_alive")).isFalse();
    assertThat(sent.has("options")).isFalse();
    assertThat(sent.get("messages")).hasSize(1);
  }

  @Test
  void nothingListeningIsUnreachable() {
    EndpointSettings d = EndpointSettings.defaults("nowhere", java.net.URI.create("http://127.0.0.1:1"));
    OllamaChatClient nowhere = new OllamaChatClient(http, d);

    assertThatThrownBy(() -> nowhere.chat(request()))
        .isInstanceOfSatisfying(LocalModelException.class, e -> assertThat(e.kind()).isEqualTo(LocalModelException.Kind.UNREACHABLE));
  }
}
