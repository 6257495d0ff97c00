package io.tiergate.schemas.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * Confluent Schema Registry REST client (also Apicurio's ccompat API, Karapace, Redpanda):
 * {@code POST /subjects/{subject}/versions} to register, {@code GET /schemas/ids/{id}} to look up.
 * Both directions are cached; 5xx and transport errors are retried with exponential backoff over
 * every configured URL; 4xx errors surface with the registry's error code and message.
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
  private final Map<String, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

  public HttpSchemaRegistryClient(
      String urls, Optional<String> basicAuthUserInfo, int maxAttempts, Duration initialBackoff) {
    this.baseUris =
        Arrays.stream(urls.split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .map(s -> URI.create(s.endsWith("/") ? s : s + "/"))
            .toList();
    this.authorization =
        basicAuthUserInfo.map(
            u -> "Basic " + Base64.getEncoder().encodeToString(u.getBytes(StandardCharsets.UTF_8)));
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    this.maxAttempts = maxAttempts;
    this.initialBackoff = initialBackoff;
  }

  /** One client (and cache) per URL and credentials, shared by every serde in the JVM. */
  static HttpSchemaRegistryClient shared(String urls, Map<String, ?> configs) {
    Optional<String> auth =
        Optional.ofNullable(configs.get(SerdeConfig.BASIC_AUTH_USER_INFO)).map(Object::toString);
    return SHARED.computeIfAbsent(
        urls + '\u0000' + auth.orElse(""),
        k -> new HttpSchemaRegistryClient(urls, auth, 4, Duration.ofMillis(100)));
  }

  @Override
  public int register(String subject, Schema schema) {
    String cacheKey = subject + '\u0000' + schema.toString();
    Integer cached = idsBySubjectSchema.get(cacheKey);
    if (cached != null) {
      return cached;
    }
    ObjectNode body = JSON.createObjectNode().put("schema", schema.toString());
    JsonNode response =
        call("POST", "subjects/" + encode(subject) + "/versions", body.toString(), "register " + subject);
    int id = response.path("id").asInt(-1);
    if (id < 0) {
      throw new SchemaRegistryException(-1, "Registry answered register " + subject + " without an id: " + response);
    }
    idsBySubjectSchema.put(cacheKey, id);
    schemasById.putIfAbsent(id, schema);
    return id;
  }

  @Override
  public Schema schemaById(int id) {
    Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    JsonNode response = call("GET", "schemas/ids/" + id, null, "look up schema id " + id);
    String text = response.path("schema").asText(null);
    if (text == null) {
      throw new SchemaRegistryException(-1, "Registry answered schema id " + id + " without a schema: " + response);
    }
    String type = response.path("schemaType").asText("AVRO");
    if (!"AVRO".equals(type)) {
      throw new SchemaRegistryException(-1, "Schema id " + id + " is " + type + ", not AVRO");
    }
    Schema schema = new Schema.Parser().parse(text);
    schemasById.put(id, schema);
    return schema;
  }

  private JsonNode call(String method, String path, String body, String what) {
    SchemaRegistryException last = null;
    Duration backoff = initialBackoff;
    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      for (URI base : baseUris) {
        try {
          HttpResponse<String> response = send(method, base.resolve(path), body);
          int status = response.statusCode();
          if (status >= 200 && status < 300) {
            return JSON.readTree(response.body());
          }
          SchemaRegistryException error = error(status, response.body(), what);
          if (status < 500) {
            throw error; // the registry understood and said no: retrying will not change that
          }
          last = error;
        } catch (IOException e) {
          last = new SchemaRegistryException(-1, "Cannot " + what + " at " + base + ": " + e, e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new SchemaRegistryException(-1, "Interrupted while trying to " + what, e);
        }
      }
      if (attempt < maxAttempts) {
        pause(backoff);
        backoff = backoff.multipliedBy(2);
      }
    }
    throw last;
  }

  private HttpResponse<String> send(String method, URI uri, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(10))
            .header("Accept", CONTENT_TYPE + ", application/json");
    authorization.ifPresent(a -> request.header("Authorization", a));
    if (body != null) {
      request.header("Content-Type", CONTENT_TYPE);
      request.method(method, HttpRequest.BodyPublishers.ofString(body));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static SchemaRegistryException error(int status, String body, String what) {
    int code = status;
    String message = body;
    try {
      JsonNode json = JSON.readTree(body);
      code = json.path("error_code").asInt(status);
      message = json.path("message").asText(body);
    } catch (IOException | RuntimeException notJson) {
      // keep the HTTP status and the raw body
    }
    String meaning =
        switch (code) {
          case SchemaRegistryException.SUBJECT_NOT_FOUND -> "subject not found";
          case SchemaRegistryException.SCHEMA_NOT_FOUND -> "schema not found";
          case SchemaRegistryException.INCOMPATIBLE -> "incompatible with an earlier version";
          case SchemaRegistryException.INVALID_SCHEMA -> "invalid schema";
          case 401 -> "unauthorized (check basic.auth.user.info)";
          default -> "HTTP " + status;
        };
    return new SchemaRegistryException(
        code, "Schema registry refused to " + what + ": " + meaning + " (error " + code + "): " + message);
  }

  private static void pause(Duration backoff) {
    try {
      Thread.sleep(backoff.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String encode(String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
