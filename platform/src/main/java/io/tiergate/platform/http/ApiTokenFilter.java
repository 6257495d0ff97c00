package io.tiergate.platform.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.util.PathMatcher;
import io.micronaut.http.HttpAttributes;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.serde.annotation.Serdeable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Principal;
import java.util.Optional;

/**
 * Authenticates callers by the service's API token and closes the paths that need it
 * ({@link HttpAccessConfiguration}; docs/security.md, "HTTP endpoints"). An authenticated request
 * carries a {@link Principal}, which is what Micronaut's {@code /health} checks before it shows
 * details ({@code endpoints.health.details-visible: AUTHENTICATED}).
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class ApiTokenFilter {

    /** The one principal a token stands for. */
    public static final Principal API_CLIENT = () -> "api-token";

    private static final String BEARER = "Bearer ";

    /** The body of a 401. */
    @Serdeable
    public record Refusal(String message) {}

    private final Optional<byte[]> token;
    private final HttpAccessConfiguration access;

    public ApiTokenFilter(HttpAccessConfiguration access) {
        this.access = access;
        this.token = access.apiToken().map(t -> t.getBytes(StandardCharsets.UTF_8));
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> authenticate(HttpRequest<?> request) {
        boolean authenticated =
                token.isPresent() && presented(request).map(this::matches).orElse(false);
        if (authenticated) {
            request.setAttribute(HttpAttributes.PRINCIPAL, API_CLIENT);
            return null;
        }
        if (!tokenRequired(request.getPath())) {
            return null;
        }
        String reason;
        if (token.isEmpty()) {
            reason = "this API needs a token and none is configured: set " + HttpAccessConfiguration.PREFIX
                    + ".api-token (TIERGATE_HTTP_API_TOKEN; ./tiergate up generates one and prints it)";
        } else if (presented(request).isEmpty()) {
            reason = "this API needs a token: send 'Authorization: Bearer <token>'";
        } else {
            reason = "the token does not match";
        }
        MutableHttpResponse<Refusal> refusal = HttpResponse.status(HttpStatus.UNAUTHORIZED);
        return refusal.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"tiergate\"")
                .body(new Refusal(reason));
    }

    boolean tokenRequired(String path) {
        for (String pattern : access.tokenRequiredPaths()) {
            if (PathMatcher.ANT.matches(pattern, path)) {
                return true;
            }
        }
        return false;
    }

    private static Optional<String> presented(HttpRequest<?> request) {
        return request.getHeaders()
                .getAuthorization()
                .filter(h -> h.regionMatches(true, 0, BEARER, 0, BEARER.length()))
                .map(h -> h.substring(BEARER.length()).strip())
                .filter(t -> !t.isEmpty());
    }

    private boolean matches(String presented) {
        // constant time: the comparison does not tell how much of a guess was right
        return MessageDigest.isEqual(token.orElseThrow(), presented.getBytes(StandardCharsets.UTF_8));
    }
}
