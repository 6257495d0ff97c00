package io.tiergate.platform.http;

import io.micronaut.context.annotation.ConfigurationInject;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.tiergate.platform.config.PropertyCheck;
import java.util.List;
import java.util.Optional;

/**
 * {@code tiergate.http.*}: who may read what over a service's HTTP server (docs/security.md, "HTTP
 * endpoints"). A caller that sends {@code Authorization: Bearer <api-token>} is authenticated (it
 * then sees {@code /health} details); paths matching {@code token-required-paths} (Ant patterns,
 * {@code /ledger/**}) answer 401 to anyone else. Without a token every such path answers 401: an API
 * that holds spend per cost center is closed until a token is configured, never open by default.
 *
 * @param apiToken the bearer token; empty: nobody is authenticated (never logged, never in a message)
 * @param tokenRequiredPaths what only an authenticated caller may read
 */
@Context
@ConfigurationProperties(HttpAccessConfiguration.PREFIX)
public record HttpAccessConfiguration(Optional<String> apiToken, List<String> tokenRequiredPaths) {

    public static final String PREFIX = "tiergate.http";

    /** Long enough that guessing is hopeless; {@code ./tiergate up} generates 32 random bytes. */
    public static final int MIN_TOKEN_LENGTH = 16;

    public static final HttpAccessConfiguration DEFAULTS = new HttpAccessConfiguration(Optional.empty(), List.of());

    public HttpAccessConfiguration {
        PropertyCheck check = PropertyCheck.under(PREFIX);
        apiToken = PropertyCheck.text(check.required("api-token", apiToken)).map(String::strip);
        if (apiToken.isPresent() && apiToken.get().length() < MIN_TOKEN_LENGTH) {
            // the value is a secret: the message names the property and the rule, not what was given
            throw new IllegalArgumentException(check.key("api-token") + " must be at least " + MIN_TOKEN_LENGTH
                    + " characters, was " + apiToken.get().length());
        }
        tokenRequiredPaths = List.copyOf(check.required("token-required-paths", tokenRequiredPaths));
        for (String path : tokenRequiredPaths) {
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException(
                        check.key("token-required-paths") + " entries must start with '/', was " + path);
            }
        }
    }

    @ConfigurationInject
    static HttpAccessConfiguration bind(Optional<String> apiToken, Optional<List<String>> tokenRequiredPaths) {
        return new HttpAccessConfiguration(apiToken, tokenRequiredPaths.orElse(DEFAULTS.tokenRequiredPaths));
    }

    @Override
    public String toString() {
        return "HttpAccessConfiguration[apiToken=" + (apiToken.isPresent() ? "(set)" : "(none)")
                + ", tokenRequiredPaths=" + tokenRequiredPaths + "]";
    }
}
