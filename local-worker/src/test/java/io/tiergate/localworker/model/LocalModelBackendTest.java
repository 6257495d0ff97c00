package io.tiergate.localworker.model;

import static io.tiergate.localworker.testing.FakeModelServer.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiergate.localworker.testing.FakeModelServer;
import io.tiergate.localworker.testing.FakeModelServer.Reply;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.worker.backend.ModelCall;
import io.tiergate.worker.backend.ModelCallException;
import io.tiergate.worker.backend.ModelResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LocalModelBackendTest {

  private final FakeModelServer server = new FakeModelServer();
  private final LocalModelBackend backend =
      new LocalModelBackend(new OllamaChatClient(LocalHttp.client(Duration.ofSeconds(1)), EndpointSettings.defaults("o", server.baseUrl())));

  @AfterEach
  void stop() {
    server.close();
  }

  private static ModelCall call() {
    return new ModelCall("r-1", 1, "qwen3:8b", null, "hello", null, TaskType.CONVERSATION, 5, Duration.ofSeconds(5));
  }

  @Test
  void answerCarriesTokensBusyTimeAndTtftIntoTheSpi() throws Exception {
    server.on("POST", "/api/chat", Reply.ndjson(fixture("ollama/chat-stream.ndjson")));

    ModelResponse r = backend.call(call());

    assertThat(r.provider()).isEqualTo("ollama");
    assertThat(r.simulated()).isFalse();
    assertThat(r.usage().uncachedInput()).isEqualTo(26);
    assertThat(r.usage().output()).isEqualTo(282);
    assertThat(r.busy()).contains(Duration.ofNanos(4_883_583_458L));
    assertThat(r.ttft()).isPresent();
    assertThat(r.finishReason()).contains("stop");
  }

  @Test
  void failuresKeepTheirKindForRetryingAndForTheCircuit() {
    server.on("POST", "/api/chat", Reply.json(404, fixture("ollama/error-model-not-found.json")));
    assertThatThrownBy(() -> backend.call(call())).isInstanceOfSatisfying(ModelCallException.class, e -> {
      assertThat(e.errorCode()).isEqualTo("model_not_found");
      assertThat(e.retryable()).isFalse();
      assertThat(LocalModelBackend.countsAgainstServer(e)).isTrue();
    });

    server.on("POST", "/api/chat", Reply.json(400, "{\"error\":\"invalid options\"}"));
    assertThatThrownBy(() -> backend.call(call())).isInstanceOfSatisfying(ModelCallException.class, e -> {
      assertThat(e.errorCode()).isEqualTo("bad_request");
      assertThat(LocalModelBackend.countsAgainstServer(e)).isFalse();
    });

    server.on("POST", "/api/chat", Reply.json(500, fixture("ollama/error-runner-crashed.json")));
    assertThatThrownBy(() -> backend.call(call())).isInstanceOfSatisfying(ModelCallException.class, e -> {
      assertThat(e.errorCode()).isEqualTo("http_500");
      assertThat(e.retryable()).isTrue();
    });

    server.on("POST", "/api/chat", Reply.ndjson(fixture("ollama/chat-stream-truncated.ndjson")));
    assertThatThrownBy(() -> backend.call(call())).isInstanceOfSatisfying(ModelCallException.class, e ->
        assertThat(e.kind()).isEqualTo(ModelCallException.Kind.MALFORMED));
  }
}
