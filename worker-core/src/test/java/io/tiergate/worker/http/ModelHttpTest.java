package io.tiergate.worker.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.schemas.events.TaskType;
import io.tiergate.worker.backend.ModelCall;
import io.tiergate.worker.backend.ModelCallException;
import io.tiergate.worker.openai.OpenAiChatBackend;
import io.tiergate.worker.testing.FakeProvider;
import io.tiergate.worker.testing.FakeProvider.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ModelHttpTest {

    private final FakeProvider server = new FakeProvider();
    private final ModelHttp http = new ModelHttp(Duration.ofSeconds(2));

    @AfterEach
    void stop() {
        server.close();
    }

    /**
     * Each answer read to its end hands its connection back to the client's pool; closing the
     * exchange must not cancel it then, or the next request on that connection fails
     * ("header parser received no bytes").
     */
    @Test
    void connectionsOfAnswersReadToTheEndStayUsableForTheNextCalls() throws Exception {
        server.otherwise(r -> Reply.sse("openai/chat-completion-stream.sse"));
        OpenAiChatBackend backend = new OpenAiChatBackend(
                http, HttpEndpoint.providerApi("openai", server.baseUrl(), "gpt-4o-mini", "sk-test", Map.of(), true));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> calls = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                ModelCall call = new ModelCall(
                        "r-" + i, 1, "gpt-4o-mini", null, "p", null, TaskType.BOILERPLATE, 10, Duration.ofSeconds(10));
                calls.add(pool.submit(() -> {
                    try {
                        return backend.call(call).output();
                    } catch (ModelCallException e) {
                        return e.errorCode() + ": " + e.getMessage();
                    }
                }));
            }
            for (Future<String> f : calls) {
                assertThat(f.get()).isEqualTo("record Invoice(String id, BigDecimal total) {}");
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
