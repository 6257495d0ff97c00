package io.tiergate.schemas.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Not a test: the release step that freezes the current event schemas as the released copies the
 * build checks compatibility against. Not matched by surefire's patterns, so it runs only on
 * demand:
 *
 * <pre>./mvnw -q -B -o -pl schemas test -Dtest=ReleaseSchemaSnapshot -Dtiergate.release=0.2.0</pre>
 */
class ReleaseSchemaSnapshot {

    @Test
    void writeReleasedCopies() throws IOException {
        String version = System.getProperty("tiergate.release");
        assertThat(version)
                .as("-Dtiergate.release=<version> names the release being frozen")
                .isNotBlank();
        ReleasedSchemas.snapshot(version);
    }
}
