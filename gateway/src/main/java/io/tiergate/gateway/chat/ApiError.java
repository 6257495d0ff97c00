package io.tiergate.gateway.chat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Optional;

/**
 * An error in OpenAI's shape ({@code {"error": {"message", "type", "param", "code"}}}) with its HTTP
 * status, so SDKs raise their usual typed exceptions (docs/gateway.md, "Errors").
 *
 * @param retryAfter sent as {@code Retry-After} (whole seconds) when present
 */
public record ApiError(
        int status, String type, String code, String message, String param, Optional<Duration> retryAfter) {

    public static ApiError invalidRequest(String param, String message) {
        return new ApiError(400, "invalid_request_error", "invalid_request", message, param, Optional.empty());
    }

    public static ApiError unauthorized(String message) {
        return new ApiError(401, "invalid_request_error", "invalid_api_key", message, null, Optional.empty());
    }

    public static ApiError notFound(String param, String code, String message) {
        return new ApiError(404, "invalid_request_error", code, message, param, Optional.empty());
    }

    public static ApiError budget(String code, String message, Optional<Duration> retryAfter) {
        return new ApiError(429, "insufficient_quota", code, message, null, retryAfter);
    }

    public static ApiError unavailable(String code, String message) {
        return new ApiError(503, "server_error", code, message, null, Optional.empty());
    }

    public static ApiError upstream(String code, String message) {
        return new ApiError(502, "server_error", code, message, null, Optional.empty());
    }

    public static ApiError timeout(String message) {
        return new ApiError(504, "server_error", "timeout", message, null, Optional.empty());
    }

    public ObjectNode toJson() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", type);
        if (param == null) {
            error.putNull("param");
        } else {
            error.put("param", param);
        }
        error.put("code", code);
        return root;
    }
}
