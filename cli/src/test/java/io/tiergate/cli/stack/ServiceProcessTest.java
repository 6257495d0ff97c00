package io.tiergate.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Cloud API keys reach the cloud worker's process only. */
class ServiceProcessTest {

    private static Map<String, String> shell() {
        Map<String, String> env = new HashMap<>();
        env.put("OPENROUTER_API_KEY", "sk-or-secret");
        env.put("ANTHROPIC_API_KEY", "sk-ant-secret");
        env.put("OPENROUTER_API_KEY_FILE", "/run/secrets/openrouter");
        env.put("KAFKA_BOOTSTRAP", "127.0.0.1:9092");
        env.put("PATH", "/usr/bin");
        return env;
    }

    private static ServiceSpec spec(String module) {
        return ServiceSpec.ALL.stream()
                .filter(s -> s.module().equals(module))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void noServiceButTheCloudWorkerInheritsACloudKey() {
        for (ServiceSpec service : ServiceSpec.ALL) {
            Map<String, String> env = shell();
            ServiceProcess.withoutCloudKeys(service, env);
            if (service.module().equals("cloud-worker")) {
                assertThat(env).as(service.module()).isEqualTo(shell());
            } else {
                assertThat(env)
                        .as(service.module())
                        .doesNotContainKeys("OPENROUTER_API_KEY", "ANTHROPIC_API_KEY", "OPENROUTER_API_KEY_FILE")
                        .containsEntry("KAFKA_BOOTSTRAP", "127.0.0.1:9092")
                        .containsEntry("PATH", "/usr/bin");
            }
        }
        assertThat(spec("cloud-worker")).isNotNull();
    }
}
