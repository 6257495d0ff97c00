package io.tiergate.platform.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The API token filter on a real Micronaut HTTP server, spoken to with the JDK's HTTP client. */
class ApiTokenFilterTest {

    private static final String TOKEN = "a-test-token-of-32-characters-xx";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A protected and an open resource of the test application. */
    @Controller
    @Requires(property = "api-token-filter-test", value = "true")
    static class Resources {
        @Get("/private/data")
        String privateData() {
            return "secret numbers";
        }

        @Get("/public/data")
        String publicData() {
            return "open";
        }
    }

    private static EmbeddedServer start(Map<String, Object> more) {
        Map<String, Object> props = new HashMap<>();
        props.put("api-token-filter-test", "true");
        props.put("micronaut.server.port", -1);
        props.put("micronaut.server.host", "127.0.0.1");
        props.put("tiergate.topics.provision", "false");
        props.put("kafka.bootstrap.servers", "127.0.0.1:1");
        props.put("tiergate.schema-registry-url", "mock://api-token-filter-test");
        props.put("kafka.health.enabled", false); // no broker here: the health would be DOWN
        props.put("endpoints.health.enabled", true);
        props.put("endpoints.health.sensitive", false);
        props.put("endpoints.health.details-visible", "AUTHENTICATED");
        props.put("tiergate.http.token-required-paths", List.of("/private/**"));
        props.putAll(more);
        return ApplicationContext.run(EmbeddedServer.class, props);
    }

    private static HttpResponse<String> get(URI base, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aProtectedPathAnswers401WithoutTheTokenAnd200WithIt() throws Exception {
        try (EmbeddedServer server = start(Map.of("tiergate.http.api-token", TOKEN))) {
            HttpResponse<String> anonymous = get(server.getURI(), "/private/data", null);
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.body()).contains("send 'Authorization: Bearer <token>'");
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"tiergate\"");

            HttpResponse<String> wrong = get(server.getURI(), "/private/data", "Bearer " + TOKEN + "x");
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.body()).contains("the token does not match").doesNotContain(TOKEN);

            assertThat(get(server.getURI(), "/private/data", "Basic " + TOKEN).statusCode())
                    .isEqualTo(401);

            HttpResponse<String> right = get(server.getURI(), "/private/data", "Bearer " + TOKEN);
            assertThat(right.statusCode()).isEqualTo(200);
            assertThat(right.body()).isEqualTo("secret numbers");
            assertThat(get(server.getURI(), "/private/data", "bearer " + TOKEN).statusCode())
                    .as("the scheme is case-insensitive (RFC 9110)")
                    .isEqualTo(200);

            assertThat(get(server.getURI(), "/public/data", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void withoutAConfiguredTokenAProtectedPathIsClosedAndSaysWhatToConfigure() throws Exception {
        try (EmbeddedServer server = start(Map.of())) {
            HttpResponse<String> anonymous = get(server.getURI(), "/private/data", "Bearer anything-at-all-12345");
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.body()).contains("none is configured").contains("tiergate.http.api-token");
            assertThat(get(server.getURI(), "/public/data", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void healthShowsDetailsOnlyToACallerWithTheToken() throws Exception {
        try (EmbeddedServer server = start(Map.of("tiergate.http.api-token", TOKEN))) {
            HttpResponse<String> anonymous = get(server.getURI(), "/health", null);
            assertThat(anonymous.statusCode()).isEqualTo(200);
            assertThat(anonymous.body()).contains("\"status\":\"UP\"").doesNotContain("\"details\"");

            HttpResponse<String> authenticated = get(server.getURI(), "/health", "Bearer " + TOKEN);
            assertThat(authenticated.body()).contains("\"status\":\"UP\"").contains("\"details\"");
        }
    }

    @Test
    void theManagementEndpointsCanMoveToTheirOwnPort() throws Exception {
        int management = freePort();
        try (EmbeddedServer server = start(Map.of("endpoints.all.port", management))) {
            URI managementBase = URI.create("http://127.0.0.1:" + management + "/");
            assertThat(get(managementBase, "/health", null).statusCode()).isEqualTo(200);
            assertThat(get(server.getURI(), "/health", null).statusCode())
                    .as("not on the application port")
                    .isEqualTo(404);
            assertThat(get(server.getURI(), "/public/data", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aShortTokenStopsTheStartNamingThePropertyButNotTheValue() {
        assertThatThrownBy(() -> new HttpAccessConfiguration(Optional.of("short-secret"), List.of()))
                .hasMessage("tiergate.http.api-token must be at least 16 characters, was 12")
                .hasMessageNotContaining("short-secret");
        assertThat(new HttpAccessConfiguration(Optional.of("  "), List.of()).apiToken())
                .as("blank: not set")
                .isEmpty();
        assertThat(new HttpAccessConfiguration(Optional.of(TOKEN), List.of()).toString())
                .doesNotContain(TOKEN);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
