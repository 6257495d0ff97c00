package io.tiergate.router.rules;

import static io.tiergate.router.Fixtures.DEEPSEEK;
import static io.tiergate.router.Fixtures.HAIKU;
import static io.tiergate.router.Fixtures.OPUS;
import static io.tiergate.router.Fixtures.QWEN;
import static io.tiergate.router.Fixtures.SONNET;
import static io.tiergate.router.Fixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiergate.router.Fixtures;
import io.tiergate.router.policy.RoutingTable;
import io.tiergate.schemas.events.RoutingRule;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RulesBookTest {

    private final RulesBook book = Fixtures.rules();

    @Test
    void theDefaultFileCoversEveryTaskType() {
        RoutingTable table = book.current();
        for (TaskType t : TaskType.values()) {
            assertThat(table.rule(t)).isNotNull();
            assertThat(table.source(t)).isEqualTo(RoutingTable.Source.DEFAULT);
        }
        assertThat(table.localModel()).isEqualTo(QWEN);
    }

    @Test
    void anOverrideReplacesTheDefaultAndATombstoneRestoresIt() {
        book.apply("SUMMARIZATION", rule("SUMMARIZATION", Tier.CLOUD, HAIKU, List.of(DEEPSEEK), null));
        assertThat(book.current().rule(TaskType.SUMMARIZATION).model()).isEqualTo(HAIKU);
        assertThat(book.current().source(TaskType.SUMMARIZATION)).isEqualTo(RoutingTable.Source.OVERRIDE);
        book.apply("SUMMARIZATION", null);
        assertThat(book.current().rule(TaskType.SUMMARIZATION).model()).isEqualTo(QWEN);
        assertThat(book.current().source(TaskType.SUMMARIZATION)).isEqualTo(RoutingTable.Source.DEFAULT);
    }

    static Stream<Arguments> invalidRules() {
        return Stream.of(
                Arguments.of("POETRY", rule("POETRY", Tier.LOCAL, QWEN, List.of(), null), "unknown task type 'POETRY'"),
                Arguments.of(
                        "CODE_REVIEW",
                        rule("CODE_REVIEW", Tier.CLOUD, "openai/gpt-9", List.of(), null),
                        "unknown model 'openai/gpt-9'"),
                Arguments.of(
                        "CONVERSATION",
                        rule("CONVERSATION", Tier.LOCAL, SONNET, List.of(), null),
                        "a LOCAL rule needs a LOCAL model"),
                Arguments.of(
                        "ARCHITECTURE",
                        rule("ARCHITECTURE", Tier.CLOUD, QWEN, List.of(), null),
                        "a CLOUD rule needs a CLOUD model"),
                Arguments.of(
                        "DEBUGGING",
                        rule("DEBUGGING", Tier.NONE, SONNET, List.of(), null),
                        "tier must be LOCAL or CLOUD"),
                Arguments.of(
                        "DEBUGGING",
                        rule("DEBUGGING", Tier.CLOUD, SONNET, List.of(QWEN), null),
                        "is not a cloud model"),
                Arguments.of(
                        "DEBUGGING",
                        rule("DEBUGGING", Tier.CLOUD, SONNET, List.of("nope"), null),
                        "unknown fallback model 'nope'"),
                Arguments.of(
                        "DEBUGGING",
                        rule("DEBUGGING", Tier.CLOUD, SONNET, List.of(HAIKU, HAIKU), null),
                        "listed twice"),
                Arguments.of(
                        "DEBUGGING",
                        rule("DEBUGGING", Tier.CLOUD, SONNET, List.of(SONNET), null),
                        "the rule's own model"),
                Arguments.of(
                        "DEBUGGING",
                        rule("DEBUGGING", Tier.CLOUD, SONNET, List.of(HAIKU), 0.5),
                        "applies to LOCAL rules only"),
                Arguments.of(
                        "EXTRACTION", rule("EXTRACTION", Tier.LOCAL, QWEN, List.of(DEEPSEEK), 1.5), "within [0, 1]"),
                Arguments.of(
                        "EXTRACTION",
                        rule("EXTRACTION", Tier.LOCAL, QWEN, List.of(DEEPSEEK), Double.NaN),
                        "within [0, 1]"),
                Arguments.of(
                        "EXTRACTION", rule("EXTRACTION", Tier.LOCAL, QWEN, List.of(), 0.5), "needs a fallback model"),
                Arguments.of(
                        "EXTRACTION",
                        rule("SUMMARIZATION", Tier.LOCAL, QWEN, List.of(), null),
                        "does not match taskType"),
                Arguments.of(
                        "EXTRACTION",
                        rule("EXTRACTION", Tier.LOCAL, QWEN, List.of(DEEPSEEK, HAIKU, SONNET, OPUS, "x", "y"), null),
                        "at most 5 fallback models"));
    }

    @ParameterizedTest
    @MethodSource("invalidRules")
    void anInvalidRuleIsRefusedAndTheLastGoodTableStays(String key, RoutingRule invalid, String reason) {
        book.apply("DEBUGGING", rule("DEBUGGING", Tier.CLOUD, OPUS, List.of(SONNET), null));
        RoutingTable before = book.current();
        assertThatThrownBy(() -> book.apply(key, invalid))
                .isInstanceOf(InvalidRuleException.class)
                .hasMessageContaining(reason);
        assertThat(book.current()).isSameAs(before);
        assertThat(book.current().rule(TaskType.DEBUGGING).model()).isEqualTo(OPUS);
    }

    @Test
    void aTombstoneForAnUnknownTaskTypeIsRefused() {
        assertThatThrownBy(() -> book.apply("POETRY", null)).isInstanceOf(InvalidRuleException.class);
    }

    @Test
    void theCliCheckReportsTheSameReasonAsAnIllegalArgument() {
        assertThatThrownBy(() -> book.validator().check(rule("CONVERSATION", Tier.LOCAL, SONNET, List.of(), null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a LOCAL rule needs a LOCAL model");
    }

    @Test
    void anInvalidDefaultFileStopsStartUp() {
        String missingTypes = "{\"localModel\": \"qwen3:8b\", \"rules\": []}";
        assertThatThrownBy(() -> DefaultRules.parse(missingTypes.getBytes(), "test", Fixtures.CATALOG))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("have no rule for");
        String cloudLocal = "{\"localModel\": \"deepseek/deepseek-chat\", \"rules\": []}";
        assertThatThrownBy(() -> DefaultRules.parse(cloudLocal.getBytes(), "test", Fixtures.CATALOG))
                .hasMessageContaining("is not a local model");
    }
}
