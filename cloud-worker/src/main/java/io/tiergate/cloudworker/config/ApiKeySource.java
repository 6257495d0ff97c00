package io.tiergate.cloudworker.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one place API keys are read: from the file named by {@code api-key-file} (Docker/Kubernetes
 * secrets) or the environment variable named by {@code api-key-env}. Only names are ever logged.
 */
public final class ApiKeySource {

    private final Function<String, String> environment;

    public ApiKeySource(Function<String, String> environment) {
        this.environment = environment;
    }

    public static ApiKeySource fromProcessEnvironment() {
        return new ApiKeySource(System::getenv);
    }

    public Optional<ApiKey> resolve(ModelProperties model) {
        if (model.apiKeyFile() != null && !model.apiKeyFile().isBlank()) {
            Path file = Path.of(model.apiKeyFile());
            if (Files.isReadable(file)) {
                try {
                    String key = Files.readString(file, StandardCharsets.UTF_8).strip();
                    if (!key.isEmpty()) {
                        return Optional.of(new ApiKey(key));
                    }
                } catch (IOException e) {
                    return Optional.empty();
                }
            }
        }
        if (model.apiKeyEnv() != null && !model.apiKeyEnv().isBlank()) {
            String key = environment.apply(model.apiKeyEnv());
            if (key != null && !key.isBlank()) {
                return Optional.of(new ApiKey(key));
            }
        }
        return Optional.empty();
    }

    /** Where a model's key is looked for, for messages (names, never values). */
    public static String describe(ModelProperties model) {
        StringBuilder s = new StringBuilder();
        if (model.apiKeyFile() != null) {
            s.append("file ").append(model.apiKeyFile());
        }
        if (model.apiKeyEnv() != null) {
            s.append(s.length() > 0 ? " or " : "").append("env ").append(model.apiKeyEnv());
        }
        return s.length() == 0 ? "no api-key-env / api-key-file configured" : s.toString();
    }
}
