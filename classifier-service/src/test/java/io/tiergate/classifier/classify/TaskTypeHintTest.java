package io.tiergate.classifier.classify;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.schemas.events.TaskType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class TaskTypeHintTest {

    @ParameterizedTest
    @ValueSource(strings = {"CODE_REVIEW", "code_review", "Code-Review", " code review ", "CODE-REVIEW"})
    void acceptsTheTypeNameInAnyCaseWithDashesOrSpaces(String hint) {
        assertThat(TaskTypeHint.parse(hint)).contains(TaskType.CODE_REVIEW);
    }

    @ParameterizedTest
    @ValueSource(strings = {"UNKNOWN", "unknown", "REVIEW", "codereview", "CODE__REVIEW", "7", "DROP TABLE"})
    void refusesAnythingElse(String hint) {
        assertThat(TaskTypeHint.parse(hint)).isEmpty();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   "})
    void aBlankHintIsNoHint(String hint) {
        assertThat(TaskTypeHint.parse(hint)).isEmpty();
    }

    @Test
    void everyTaskTypeButUnknownIsAValidHint() {
        for (TaskType t : TaskType.values()) {
            assertThat(TaskTypeHint.parse(t.name().toLowerCase()))
                    .isEqualTo(t == TaskType.UNKNOWN ? java.util.Optional.empty() : java.util.Optional.of(t));
        }
    }

    @Test
    void quotesForEvidenceShortAndPrintable() {
        assertThat(TaskTypeHint.quoted("nope")).isEqualTo("'nope'");
        assertThat(TaskTypeHint.quoted("x".repeat(100))).hasSize(43);
        assertThat(TaskTypeHint.quoted("a\u0000b\nc")).isEqualTo("'a?b?c'");
    }
}
