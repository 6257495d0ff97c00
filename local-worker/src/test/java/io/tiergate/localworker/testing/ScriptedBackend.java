package io.tiergate.localworker.testing;

import io.tiergate.schemas.cost.TokenUsage;
import io.tiergate.worker.backend.ModelBackend;
import io.tiergate.worker.backend.ModelCall;
import io.tiergate.worker.backend.ModelCallException;
import io.tiergate.worker.backend.ModelResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A backend whose answers the test scripts, recording every call. */
public final class ScriptedBackend implements ModelBackend {

    /** One scripted answer or failure. */
    @FunctionalInterface
    public interface Script {
        ModelResponse answer(ModelCall call) throws ModelCallException;
    }

    private final List<ModelCall> calls = new CopyOnWriteArrayList<>();
    private volatile Script script;

    public ScriptedBackend(Script script) {
        this.script = script;
    }

    /** An answer with the given output; busy 4.883583458 s as in fixtures/ollama/chat-stream.ndjson. */
    public static ModelResponse answer(String output) {
        return ModelResponse.builder("ollama")
                .output(output)
                .usage(TokenUsage.of(26, 282))
                .latency(Duration.ofMillis(4_900))
                .busy(Duration.ofNanos(4_883_583_458L))
                .ttft(Duration.ofMillis(350))
                .finishReason("stop")
                .build();
    }

    public void script(Script next) {
        this.script = next;
    }

    public List<ModelCall> calls() {
        return List.copyOf(calls);
    }

    @Override
    public String provider() {
        return "ollama";
    }

    @Override
    public ModelResponse call(ModelCall call) throws ModelCallException {
        calls.add(call);
        return script.answer(call);
    }
}
