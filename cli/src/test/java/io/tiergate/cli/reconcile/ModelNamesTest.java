package io.tiergate.cli.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Provider model names on usage exports → the ledger's model ids (the price table's). */
class ModelNamesTest {

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "ANTHROPIC, claude-sonnet-4-6, anthropic/claude-sonnet-4.6",
        "ANTHROPIC, claude-sonnet-4-6-20260217, anthropic/claude-sonnet-4.6",
        "ANTHROPIC, claude-haiku-4-5-20251001, anthropic/claude-haiku-4.5",
        "ANTHROPIC, claude-opus-4-6, anthropic/claude-opus-4.6",
        "ANTHROPIC, claude-3-5-haiku-20241022, anthropic/claude-3.5-haiku",
        "ANTHROPIC, claude-3-7-sonnet-latest, anthropic/claude-3.7-sonnet",
        "OPENAI, gpt-4.1-2025-04-14, openai/gpt-4.1",
        "OPENAI, gpt-4o-mini, openai/gpt-4o-mini",
        "OPENAI, o4-mini-2025-04-16, openai/o4-mini",
        "OPENROUTER, anthropic/claude-sonnet-4.6, anthropic/claude-sonnet-4.6",
        "OPENROUTER, deepseek/deepseek-chat, deepseek/deepseek-chat",
        "ANTHROPIC, anthropic/claude-sonnet-4.6, anthropic/claude-sonnet-4.6"
    })
    void builtInRules(InvoiceFormat format, String invoiceName, String ledgerId) {
        assertThat(new ModelNames(Map.of()).ledgerId(format, invoiceName)).isEqualTo(ledgerId);
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "OPENROUTER, anthropic/claude-4.6-sonnet-20260217, anthropic/claude-sonnet-4.6",
        "OPENAI, my-finetune, deepseek/deepseek-chat",
        "ANTHROPIC, claude-sonnet-4-6, anthropic/claude-opus-4.6"
    })
    void anExplicitMappingWinsOverTheRules(InvoiceFormat format, String invoiceName, String ledgerId) {
        ModelNames names = new ModelNames(Map.of(
                "anthropic/claude-4.6-sonnet-20260217", "anthropic/claude-sonnet-4.6",
                "my-finetune", "deepseek/deepseek-chat",
                "claude-sonnet-4-6", "anthropic/claude-opus-4.6"));
        assertThat(names.ledgerId(format, invoiceName)).isEqualTo(ledgerId);
    }
}
