package io.tiergate.gateway.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.schemas.events.ChatMessage;
import io.tiergate.schemas.events.InferenceRequest;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.results.RequestAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An OpenAI chat completion request (platform.openai.com/docs/api-reference/chat/create) as the
 * {@code InferenceRequest} a Kafka producer would publish (docs/gateway.md, "Requests"): the turns
 * go into {@code messages} as they are, and are also flattened into {@code prompt} (system turns
 * into {@code systemPrompt}) so every reader of the single-prompt fields keeps working; tools, tool
 * choice and response format travel as the client's JSON. Bad input is refused naming the field.
 */
public final class ChatRequestMapper {

    /** Keys the request may carry beside the ones read here; they are accepted and not acted on. */
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");

    private final ObjectMapper json;
    private final ModelCatalog models;

    public ChatRequestMapper(ObjectMapper json, ModelCatalog models) {
        this.json = json;
        this.models = models;
    }

    /** Parses the body; not a JSON object is a 400 naming the body. */
    public JsonNode parse(String body) {
        try {
            JsonNode node = body == null || body.isBlank() ? null : json.readTree(body);
            if (node == null || !node.isObject()) {
                throw new InvalidChatRequestException(null, "The request body must be a JSON object.");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new InvalidChatRequestException(
                    null, "The request body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /**
     * @throws InvalidChatRequestException naming the field that is wrong
     * @throws UnknownModelException when {@code model} is neither an alias nor a known model
     */
    public ChatRequest map(JsonNode body, Caller caller, TiergateHeaders headers, String requestId, Instant now) {
        String model = requiredText(body, "model");
        ModelCatalog.Steering steering = models.steering(model).orElseThrow(() -> new UnknownModelException(model));
        List<ChatMessage> turns = messages(body.get("messages"));

        InferenceRequest.Builder request = InferenceRequest.newBuilder()
                .setRequestId(requestId)
                .setCreatedAt(now)
                .setCostCenter(costCenter(caller, headers))
                .setMessages(turns)
                .setSystemPrompt(systemPrompt(turns).orElse(null))
                .setPrompt(flatten(turns));
        if (request.getPrompt().isBlank()) {
            throw new InvalidChatRequestException("messages", "messages must hold at least one non-empty user turn.");
        }
        Integer maxTokens = maxTokens(body, caller);
        request.setMaxOutputTokens(maxTokens);
        request.setRequiresDataSovereignty(
                steering == ModelCatalog.Steering.LOCAL_ONLY || caller.requireSovereignty() || sovereign(headers));
        request.setTaskTypeHint(taskType(headers));
        request.setLatencyBudgetMs(latencyBudget(headers));
        request.setTemperature(temperature(body));
        request.setTools(jsonOf(body, "tools", JsonNode::isArray, "an array of tools"));
        request.setToolChoice(jsonOf(body, "tool_choice", n -> n.isTextual() || n.isObject(), "a string or an object"));
        request.setResponseFormat(jsonOf(body, "response_format", JsonNode::isObject, "an object"));
        JsonNode n = body.get("n");
        if (n != null && !n.isNull() && !(n.canConvertToInt() && n.asInt() == 1)) {
            throw new InvalidChatRequestException("n", "Only n=1 is supported.");
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("tiergate.source", "gateway");
        attributes.put(io.tiergate.schemas.results.RequestAttributes.REQUESTED_MODEL, model);
        caller.keyPrefix().ifPresent(p -> attributes.put("tiergate.key", p));
        request.setAttributes(attributes);

        boolean stream = bool(body, "stream");
        JsonNode options = body.get("stream_options");
        if (options != null && !options.isNull() && !options.isObject()) {
            throw new InvalidChatRequestException("stream_options", "stream_options must be an object.");
        }
        boolean includeUsage = options != null && options.path("include_usage").asBoolean(false);
        if (includeUsage && !stream) {
            throw new InvalidChatRequestException(
                    "stream_options", "stream_options is only allowed when stream is true.");
        }
        if (stream) {
            // workers relay the answer as it is produced (docs/gateway.md, "Streaming")
            attributes.put(RequestAttributes.STREAM, "true");
            request.setAttributes(attributes);
        }
        return new ChatRequest(request.build(), model, stream, includeUsage);
    }

    private List<ChatMessage> messages(JsonNode messages) {
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw new InvalidChatRequestException("messages", "messages must be a non-empty array.");
        }
        List<ChatMessage> turns = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String at = "messages[" + i + "]";
            if (!m.isObject()) {
                throw new InvalidChatRequestException(at, at + " must be an object.");
            }
            JsonNode roleNode = m.get("role");
            String role = roleNode == null || !roleNode.isTextual() ? null : roleNode.asText();
            if (role == null || !ROLES.contains(role)) {
                throw new InvalidChatRequestException(
                        at + ".role", at + ".role must be one of system, developer, user, assistant, tool.");
            }
            ChatMessage.Builder turn = ChatMessage.newBuilder().setRole(role).setContent(content(m, at, role));
            if (m.hasNonNull("name")) {
                turn.setName(m.get("name").asText());
            }
            if ("tool".equals(role)) {
                JsonNode id = m.get("tool_call_id");
                if (id == null || !id.isTextual() || id.asText().isBlank()) {
                    throw new InvalidChatRequestException(
                            at + ".tool_call_id", at + ".tool_call_id is required for a tool message.");
                }
                turn.setToolCallId(id.asText());
            }
            JsonNode calls = m.get("tool_calls");
            if (calls != null && !calls.isNull()) {
                if (!"assistant".equals(role) || !calls.isArray()) {
                    throw new InvalidChatRequestException(
                            at + ".tool_calls", at + ".tool_calls must be an array on an assistant message.");
                }
                turn.setToolCalls(calls.toString());
            }
            turns.add(turn.build());
        }
        return turns;
    }

    /** A string, or text content parts joined; null only for an assistant turn (tool calls) and tool results. */
    private static String content(JsonNode m, String at, String role) {
        JsonNode content = m.get("content");
        if (content == null || content.isNull()) {
            if ("assistant".equals(role)) {
                return "";
            }
            throw new InvalidChatRequestException(at + ".content", at + ".content is required.");
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (!content.isArray()) {
            throw new InvalidChatRequestException(
                    at + ".content", at + ".content must be a string or an array of parts.");
        }
        StringBuilder text = new StringBuilder();
        for (int p = 0; p < content.size(); p++) {
            JsonNode part = content.get(p);
            String type = part.path("type").asText("");
            if (!"text".equals(type) || !part.path("text").isTextual()) {
                throw new InvalidChatRequestException(
                        at + ".content[" + p + "]",
                        at + ".content[" + p + "] has type '" + type
                                + "': only text parts are supported (images and audio are not).");
            }
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append(part.get("text").asText());
        }
        return text.toString();
    }

    private static Optional<String> systemPrompt(List<ChatMessage> turns) {
        List<String> system = turns.stream()
                .filter(t -> "system".equals(t.getRole()) || "developer".equals(t.getRole()))
                .map(ChatMessage::getContent)
                .toList();
        return system.isEmpty() ? Optional.empty() : Optional.of(String.join("\n\n", system));
    }

    /** The conversation as one text: a lone user turn as it is, else each turn as "role: text". */
    static String flatten(List<ChatMessage> turns) {
        List<ChatMessage> rest = turns.stream()
                .filter(t -> !"system".equals(t.getRole()) && !"developer".equals(t.getRole()))
                .toList();
        if (rest.size() == 1 && "user".equals(rest.get(0).getRole())) {
            return rest.get(0).getContent();
        }
        StringBuilder text = new StringBuilder();
        for (ChatMessage t : rest) {
            if (!text.isEmpty()) {
                text.append("\n\n");
            }
            text.append(t.getRole());
            if (t.getName() != null) {
                text.append(" (").append(t.getName()).append(')');
            }
            text.append(": ").append(t.getContent());
            if (t.getToolCalls() != null) {
                text.append(t.getContent().isEmpty() ? "" : "\n")
                        .append("[tool calls] ")
                        .append(t.getToolCalls());
            }
        }
        return text.toString();
    }

    private static String costCenter(Caller caller, TiergateHeaders headers) {
        String asked = headers.costCenter();
        if (asked != null && !asked.isBlank() && !asked.equals(caller.costCenter())) {
            if (caller.keyPrefix().isPresent()) {
                throw new InvalidChatRequestException(
                        TiergateHeaders.COST_CENTER,
                        TiergateHeaders.COST_CENTER + " is '" + asked + "' but this key bills cost center '"
                                + caller.costCenter() + "'.");
            }
            return asked;
        }
        return caller.costCenter();
    }

    private static Integer maxTokens(JsonNode body, Caller caller) {
        String field = body.hasNonNull("max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return caller.maxOutputTokens().orElse(null);
        }
        if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < 1) {
            throw new InvalidChatRequestException(field, field + " must be a positive integer, was " + n);
        }
        int asked = n.asInt();
        if (caller.maxOutputTokens().isPresent()
                && asked > caller.maxOutputTokens().get()) {
            throw new InvalidChatRequestException(
                    field,
                    field + " is " + asked + ", above this key's limit of "
                            + caller.maxOutputTokens().get() + ".");
        }
        return asked;
    }

    private static Double temperature(JsonNode body) {
        JsonNode t = body.get("temperature");
        if (t == null || t.isNull()) {
            return null;
        }
        if (!t.isNumber() || t.asDouble() < 0 || t.asDouble() > 2) {
            throw new InvalidChatRequestException("temperature", "temperature must be a number from 0 to 2, was " + t);
        }
        return t.asDouble();
    }

    private static String jsonOf(JsonNode body, String field, java.util.function.Predicate<JsonNode> ok, String what) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!ok.test(n)) {
            throw new InvalidChatRequestException(field, field + " must be " + what + ".");
        }
        return n.toString();
    }

    private static boolean bool(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return false;
        }
        if (!n.isBoolean()) {
            throw new InvalidChatRequestException(field, field + " must be true or false.");
        }
        return n.asBoolean();
    }

    private static String requiredText(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || !n.isTextual() || n.asText().isBlank()) {
            throw new InvalidChatRequestException(field, field + " is required (a string).");
        }
        return n.asText();
    }

    private static boolean sovereign(TiergateHeaders headers) {
        String v = headers.sovereign();
        if (v == null || v.isBlank()) {
            return false;
        }
        return switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default ->
                throw new InvalidChatRequestException(
                        TiergateHeaders.SOVEREIGN,
                        TiergateHeaders.SOVEREIGN + " must be true or false, was '" + v + "'.");
        };
    }

    private static String taskType(TiergateHeaders headers) {
        String v = headers.taskType();
        if (v == null || v.isBlank()) {
            return null;
        }
        String name = v.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            TaskType type = TaskType.valueOf(name);
            if (type == TaskType.UNKNOWN) {
                throw new IllegalArgumentException(name);
            }
            return type.name();
        } catch (IllegalArgumentException e) {
            throw new InvalidChatRequestException(
                    TiergateHeaders.TASK_TYPE, TiergateHeaders.TASK_TYPE + " '" + v + "' is not a task type.");
        }
    }

    private static Long latencyBudget(TiergateHeaders headers) {
        String v = headers.latencyBudgetMs();
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            long ms = Long.parseLong(v.strip());
            if (ms > 0) {
                return ms;
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw new InvalidChatRequestException(
                TiergateHeaders.LATENCY_BUDGET_MS,
                TiergateHeaders.LATENCY_BUDGET_MS + " must be a positive number of milliseconds, was '" + v + "'.");
    }
}
