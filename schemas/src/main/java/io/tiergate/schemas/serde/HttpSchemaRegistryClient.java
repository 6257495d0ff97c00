package io.tiergate.schemas.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * Confluent Schema Registry REST client (also Apicurio's ccompat API, Karapace, Redpanda and our
 * {@link io.tiergate.schemas.registry.EmbeddedSchemaRegistry}): {@code POST
 * /subjects/{subject}/versions} to register, {@code POST /subjects/{subject}} to look an id up
 * without registering, {@code GET /schemas/ids/{id}} to fetch a writer schema. Requests and
 * responses use {@code application/vnd.schemaregistry.v1+json} and {@code {"schema": "..."}}
 * bodies.
 *
 * <p>Both directions are cached (a schema's id never changes). 5xx, 429 and transport errors are
 * retried with exponential backoff, trying every configured URL on each round; other 4xx answers
 * fail at once with the registry's {@code error_code} and {@code message}. Thread-safe.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, HttpSchemaRegistryClient> SHARED = new ConcurrentHashMap<>();

    private final List<URI> baseUris;
    private final Optional<String> authorization;
    private final HttpClient http;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

    private record SubjectSchema(String subject, Schema schema) {}

    /**
     * @param urls comma-separated base URLs of the same registry cluster
     * @param basicAuthUserInfo {@code user:password} for HTTP basic auth
     * @param maxAttempts rounds over all URLs before a retriable failure is reported
     * @param initialBackoff pause after the first failed round, doubled after each further one
     */
    public HttpSchemaRegistryClient(
            String urls, Optional<String> basicAuthUserInfo, int maxAttempts, Duration initialBackoff) {
        this.baseUris = Arrays.stream(urls.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(s -> URI.create(s.endsWith("/") ? s : s + "/"))
                .toList();
        if (baseUris.isEmpty()) {
            throw new IllegalArgumentException("No schema registry URL in '" + urls + "'");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        this.authorization = basicAuthUserInfo.map(
                u -> "Basic " + Base64.getEncoder().encodeToString(u.getBytes(StandardCharsets.UTF_8)));
        this.http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
    }

    /** One client (and cache) per URL and credentials, shared by every serde in the JVM. */
    static HttpSchemaRegistryClient shared(String urls, Map<String, ?> configs) {
        Optional<String> auth = Optional.ofNullable(configs.get(SerdeConfig.BASIC_AUTH_USER_INFO))
                .map(Object::toString);
        return SHARED.computeIfAbsent(
                urls + '\u0000' + auth.orElse(""),
                k -> new HttpSchemaRegistryClient(urls, auth, 4, Duration.ofMillis(100)));
    }

    @Override
    public int register(String subject, Schema schema) {
        return idFor(
                subject,
                schema,
                "subjects/" + encode(subject) + "/versions",
                "register a schema under subject " + subject);
    }

    @Override
    public int idOf(String subject, Schema schema) {
        return idFor(subject, schema, "subjects/" + encode(subject), "look up a schema under subject " + subject);
    }

    private int idFor(String subject, Schema schema, String path, String what) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        String body = JSON.createObjectNode().put("schema", schema.toString()).toString();
        JsonNode response = call("POST", path, body, what);
        JsonNode id = response.get("id");
        if (id == null || !id.canConvertToInt() || id.asInt() < 0) {
            throw SchemaRegistryException.outage(
                    -1,
                    "Schema registry answered '" + what + "' without a valid id: " + abbreviate(response.toString()),
                    null);
        }
        idsBySubjectSchema.putIfAbsent(key, id.asInt());
        schemasById.putIfAbsent(id.asInt(), schema);
        return id.asInt();
    }

    @Override
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        String what = "look up schema id " + id;
        JsonNode response = call("GET", "schemas/ids/" + id, null, what);
        JsonNode text = response.get("schema");
        if (text == null || !text.isTextual()) {
            throw SchemaRegistryException.outage(
                    -1,
                    "Schema registry answered '" + what + "' without a schema: " + abbreviate(response.toString()),
                    null);
        }
        String type = response.path("schemaType").asText("AVRO");
        if (!"AVRO".equals(type)) {
            throw new SchemaRegistryException(-1, "Schema id " + id + " is a " + type + " schema, not AVRO");
        }
        Schema schema;
        try {
            schema = new Schema.Parser().parse(text.asText());
        } catch (RuntimeException e) {
            throw new SchemaRegistryException(
                    -1, "Schema id " + id + " from the registry is not valid Avro: " + e.getMessage(), e);
        }
        Schema raced = schemasById.putIfAbsent(id, schema);
        return raced != null ? raced : schema;
    }

    private JsonNode call(String method, String path, String body, String what) {
        SchemaRegistryException last = null;
        Duration backoff = initialBackoff;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            for (URI base : baseUris) {
                HttpResponse<String> response;
                try {
                    response = send(method, base.resolve(path), body);
                } catch (IOException e) {
                    last = SchemaRegistryException.outage(-1, "Cannot " + what + " at " + base + ": " + e, e);
                    continue; // the next URL, or the next round
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw SchemaRegistryException.outage(-1, "Interrupted while trying to " + what, e);
                }
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    try {
                        return JSON.readTree(response.body());
                    } catch (IOException e) {
                        // a proxy's page with a 200, say: the registry is not really answering
                        throw SchemaRegistryException.outage(
                                -1,
                                "Schema registry at " + base + " answered '" + what + "' with a body that is not JSON: "
                                        + abbreviate(response.body()),
                                e);
                    }
                }
                SchemaRegistryException error = error(base, status, response.body(), what);
                if (status < 500 && status != 429) {
                    throw error; // the registry understood and said no: retrying will not change that
                }
                last = error;
            }
            if (attempt < maxAttempts) {
                pause(backoff, what);
                backoff = backoff.multipliedBy(2);
            }
        }
        throw SchemaRegistryException.outage(
                last.errorCode(),
                last.getMessage() + " (gave up after " + maxAttempts + " rounds over " + baseUris + ")",
                last);
    }

    private HttpResponse<String> send(String method, URI uri, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(10))
                .header(
                        "Accept",
                        CONTENT_TYPE + ", application/vnd.schemaregistry+json; q=0.9, application/json; q=0.5");
        authorization.ifPresent(a -> request.header("Authorization", a));
        if (body != null) {
            request.header("Content-Type", CONTENT_TYPE);
            request.method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** Confluent's error body is {@code {"error_code": 40403, "message": "Schema not found"}}. */
    private static SchemaRegistryException error(URI base, int status, String body, String what) {
        int code = status;
        String message = abbreviate(body);
        try {
            JsonNode json = JSON.readTree(body);
            if (json != null && json.isObject()) {
                code = json.path("error_code").asInt(status);
                message = json.path("message").asText(message);
            }
        } catch (IOException notJson) {
            // a proxy's HTML page, say: keep the HTTP status and the start of the body
        }
        String meaning = switch (code) {
            case SchemaRegistryException.SUBJECT_NOT_FOUND -> "subject not found";
            case SchemaRegistryException.VERSION_NOT_FOUND -> "version not found";
            case SchemaRegistryException.SCHEMA_NOT_FOUND -> "schema not found";
            case SchemaRegistryException.INCOMPATIBLE -> "incompatible with an earlier version of the subject";
            case SchemaRegistryException.INVALID_SCHEMA -> "invalid schema";
            case 401 -> "unauthorized (check basic.auth.user.info)";
            case 403 -> "forbidden (the credentials lack permission)";
            case 429 -> "rate limited";
            default -> "HTTP " + status;
        };
        String text = "Schema registry at " + base + " refused to " + what + ": " + meaning + " (error " + code + "): "
                + message;
        // 5xx, 429 (retried first) and 401/403 say nothing about what was asked: the registry is unusable
        boolean outage = status >= 500 || status == 429 || status == 401 || status == 403;
        return outage ? SchemaRegistryException.outage(code, text, null) : new SchemaRegistryException(code, text);
    }

    private static void pause(Duration backoff, String what) {
        try {
            Thread.sleep(backoff.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SchemaRegistryException.outage(-1, "Interrupted while waiting to retry: " + what, e);
        }
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }
}
