package io.tiergate.worker.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SseReaderTest {

    /** The lines of {@code text} as an HTTP body delivers them (split like BufferedReader.readLine). */
    static SseReader reader(String text) {
        BufferedReader lines = new BufferedReader(new StringReader(text));
        return new SseReader(() -> {
            try {
                return lines.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Test
    void eventsCommentsMultiLineDataAndACutOffLastEvent() throws Exception {
        SseReader sse =
                reader(": OPENROUTER PROCESSING\n\nevent: ping\ndata: {}\n\ndata: line1\ndata: line2\n\ndata: cut off");
        assertThat(sse.next()).isEqualTo(new SseReader.Event("ping", "{}"));
        assertThat(sse.next()).isEqualTo(new SseReader.Event("message", "line1\nline2"));
        assertThat(sse.next()).isNull();
    }

    @Test
    void retryAfterAsSecondsDateOrMilliseconds() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
        assertThat(RetryAfter.parse("7", clock)).contains(Duration.ofSeconds(7));
        assertThat(RetryAfter.parse("Sun, 22 Nov 2026 10:00:30 GMT", clock)).contains(Duration.ofSeconds(30));
        assertThat(RetryAfter.parse("soon", clock)).isEmpty();
        HttpHeaders headers = HttpHeaders.of(Map.of("retry-after-ms", List.of("250")), (a, b) -> true);
        assertThat(RetryAfter.from(headers, clock)).contains(Duration.ofMillis(250));
    }

    @Test
    void keysNeverSurviveRedaction() {
        String key = "sk-or-v1-0123456789abcdef";
        assertThat(Redactor.clean("bad key " + key + " and Bearer abc.def", key))
                .doesNotContain(key)
                .doesNotContain("abc.def");
        assertThat(Redactor.clean("Incorrect API key provided: sk-test-****abcd.", null))
                .doesNotContain("sk-test");
    }
}
