package io.tiergate.cli.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiergate.schemas.cost.TokenUsage;
import io.tiergate.testkit.invoice.ProviderInvoice;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The three usage exports: recognised by their header, read by their documented columns, bad values named. */
class InvoiceFormatTest {

    private static final Path FILE = Path.of("usage.csv");

    private static Invoice parse(String text) {
        return Invoice.parse(FILE, text, Optional.empty());
    }

    @Test
    void openAiUsageExportIsReadPerBucketWithCachedTokensInsideInput() {
        Invoice invoice = parse("""
                start_time,end_time,start_time_iso,end_time_iso,project_id,num_model_requests,user_id,api_key_id,model,batch,input_tokens,output_tokens,input_cached_tokens
                1795305600,1795392000,2026-11-22T00:00:00+00:00,2026-11-23T00:00:00+00:00,proj_1,12.0,,,gpt-4.1-2025-04-14,False,7162.0,1673.0,1280.0
                1795392000,1795478400,2026-11-23T00:00:00+00:00,2026-11-24T00:00:00+00:00,proj_1,3,,,gpt-4.1-mini,False,100,50,
                """);
        assertThat(invoice.format()).isEqualTo(InvoiceFormat.OPENAI);
        assertThat(invoice.rows())
                .containsExactly(
                        new InvoiceRow(
                                2,
                                LocalDate.of(2026, 11, 22),
                                "gpt-4.1-2025-04-14",
                                new TokenUsage(5882, 1673, 1280, 0),
                                Optional.empty(),
                                OptionalLong.of(12)),
                        new InvoiceRow(
                                3,
                                LocalDate.of(2026, 11, 23),
                                "gpt-4.1-mini",
                                new TokenUsage(100, 50, 0, 0),
                                Optional.empty(),
                                OptionalLong.of(3)));
    }

    @Test
    void openAiExportWithOnlyIsoTimesUsesThemForTheDay() {
        Invoice invoice = parse("""
                start_time_iso,model,input_tokens,output_tokens
                2026-11-22T23:59:00-01:00,gpt-4o,10,5
                """);
        assertThat(invoice.rows().get(0).day()).isEqualTo(LocalDate.of(2026, 11, 23));
    }

    @Test
    void anthropicUsageExportAddsEveryCacheWriteColumn() {
        Invoice invoice = parse("""
                starting_at,ending_at,workspace_id,api_key_id,model,service_tier,context_window,uncached_input_tokens,cache_read_input_tokens,cache_creation_5m_input_tokens,cache_creation_1h_input_tokens,output_tokens
                2026-11-22T00:00:00Z,2026-11-23T00:00:00Z,wrkspc_1,,claude-sonnet-4-6,standard,0-200k,2095,100,2051,49,503
                """);
        assertThat(invoice.format()).isEqualTo(InvoiceFormat.ANTHROPIC);
        assertThat(invoice.rows())
                .containsExactly(new InvoiceRow(
                        2,
                        LocalDate.of(2026, 11, 22),
                        "claude-sonnet-4-6",
                        new TokenUsage(2095, 503, 100, 2100),
                        Optional.empty(),
                        OptionalLong.empty()));
    }

    @Test
    void openRouterActivityExportCarriesMoneyAtNanoDollarScale() {
        Invoice invoice = parse("""
                date,model,model_permaslug,endpoint_id,provider_name,usage,byok_usage_inference,requests,prompt_tokens,completion_tokens,reasoning_tokens
                2026-11-22,anthropic/claude-sonnet-4.6,anthropic/claude-4.6-sonnet-20260217,ep-1,Anthropic,0.02835,0,1,5000,800,0
                2026-11-22,anthropic/claude-haiku-4.5,anthropic/claude-4.5-haiku-20251001,ep-2,"Amazon Bedrock, US",0.0012345678949,0,1,3000,120,0
                """);
        assertThat(invoice.format()).isEqualTo(InvoiceFormat.OPENROUTER);
        assertThat(invoice.rows())
                .extracting(InvoiceRow::model, r -> r.costUsd().orElseThrow(), InvoiceRow::tokens)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "anthropic/claude-sonnet-4.6", new BigDecimal("0.028350000"), TokenUsage.of(5000, 800)),
                        org.assertj.core.groups.Tuple.tuple(
                                "anthropic/claude-haiku-4.5",
                                new BigDecimal("0.001234568"), // rounded once, half-even, as every amount
                                TokenUsage.of(3000, 120)));
    }

    @Test
    void aByteOrderMarkCrlfLinesAndBlankLinesAreAccepted() {
        Invoice invoice = parse("\uFEFFdate,model,usage,prompt_tokens,completion_tokens\r\n\r\n"
                + "2026-11-22,deepseek/deepseek-chat,0.5,10,20\r\n");
        assertThat(invoice.rows()).hasSize(1);
        assertThat(invoice.rows().get(0).line()).isEqualTo(3);
    }

    @Test
    void aQuotedFieldMayHoldALineBreakAndTheNextRecordKeepsItsLine() {
        String text = """
                date,model,provider_name,usage,prompt_tokens,completion_tokens
                2026-11-22,deepseek/deepseek-chat,"Deep
                Seek",0.5,10,20
                2026-11-22,bad-model,x,0.5,ten,20
                """;
        assertThatThrownBy(() -> parse(text))
                .isInstanceOf(InvoiceFileException.class)
                .hasMessage("usage.csv:4:28: prompt_tokens: 'ten' is not a whole number");
    }

    @ParameterizedTest
    @EnumSource(ProviderInvoice.Format.class)
    void whatTheTestProvidersWriteIsReadBackInTheSameFormat(ProviderInvoice.Format written) {
        ProviderInvoice charged = new ProviderInvoice();
        charged.record(new ProviderInvoice.Call(
                Instant.parse("2026-11-22T10:00:00Z"),
                "claude-sonnet-4-6",
                1000,
                200,
                300,
                400,
                new BigDecimal("0.1")));
        charged.record(new ProviderInvoice.Call(
                Instant.parse("2026-11-22T23:59:59Z"), "claude-sonnet-4-6", 1, 0, 0, 2, new BigDecimal("0.2")));
        charged.record(new ProviderInvoice.Call(
                Instant.parse("2026-11-23T00:00:00Z"), "claude-sonnet-4-6", 5, 0, 0, 6, new BigDecimal("0.3")));
        Invoice invoice = parse(charged.export(written));
        assertThat(invoice.format().name()).isEqualTo(written.name());
        assertThat(invoice.rows())
                .extracting(InvoiceRow::day)
                .containsExactly(LocalDate.of(2026, 11, 22), LocalDate.of(2026, 11, 23));
        assertThat(invoice.rows()).extracting(r -> r.tokens().totalInput()).containsExactly(1501L, 5L);
        assertThat(invoice.rows()).extracting(r -> r.tokens().output()).containsExactly(402L, 6L);
        if (written == ProviderInvoice.Format.OPENROUTER) {
            assertThat(invoice.rows())
                    .extracting(r -> r.costUsd().orElseThrow())
                    .containsExactly(new BigDecimal("0.300000000"), new BigDecimal("0.300000000"));
        } else {
            assertThat(invoice.rows()).allMatch(r -> r.costUsd().isEmpty());
        }
    }

    @Test
    void anExplicitFormatIsHeldToItsColumns() {
        assertThatThrownBy(() -> Invoice.parse(
                        FILE,
                        "date,model,usage,prompt_tokens,completion_tokens\n",
                        Optional.of(InvoiceFormat.ANTHROPIC)))
                .isInstanceOf(InvoiceFileException.class)
                .hasMessage("usage.csv:1:1: not an Anthropic usage export: no column 'starting_at'"
                        + " (header: date,model,usage,prompt_tokens,completion_tokens)");
    }

    @Test
    void anUnknownHeaderIsNamed() {
        assertThatThrownBy(() -> parse("day,spend\n2026-11-22,3\n"))
                .isInstanceOf(InvoiceFileException.class)
                .hasMessageStartingWith("usage.csv:1:1: the header matches none of the usage exports")
                .hasMessageContaining(": day,spend. Pass --format to name it");
    }

    @Test
    void anEmptyFileIsNamed() {
        assertThatThrownBy(() -> parse(""))
                .hasMessage("usage.csv:1:1: the file is empty: a usage export starts with a header line");
    }

    static List<String[]> malformed() {
        String openRouter = "date,model,usage,prompt_tokens,completion_tokens\n";
        String anthropic = "starting_at,model,uncached_input_tokens,output_tokens\n";
        return List.of(
                new String[] {
                    openRouter + "2026-11-22,m,0.1,10,20\n2026-11-22,m,0.1,ten,20\n",
                    "usage.csv:3:18: prompt_tokens: 'ten' is not a whole number"
                },
                new String[] {
                    openRouter + "2026-11-22,m,0.1,10,-2\n", "usage.csv:2:21: completion_tokens: '-2' is negative"
                },
                new String[] {
                    openRouter + "2026-11-22,m,0.1,1.5,2\n",
                    "usage.csv:2:18: prompt_tokens: '1.5' is not a whole number"
                },
                new String[] {
                    openRouter + "2026-11-22,m,$0.10,10,20\n",
                    "usage.csv:2:14: usage: '$0.10' is not a decimal USD amount"
                },
                new String[] {
                    openRouter + "22.11.2026,m,0.1,10,20\n",
                    "usage.csv:2:1: date: '22.11.2026' is not a date (YYYY-MM-DD)"
                },
                new String[] {
                    openRouter + "2026-11-22,,0.1,10,20\n",
                    "usage.csv:2:12: model: empty; reconciling needs the usage per model"
                },
                new String[] {
                    openRouter + "2026-11-22,m,0.1,10\n", "usage.csv:2:18: expected 5 fields as in the header, found 4"
                },
                new String[] {
                    openRouter + "2026-11-22,\"m,0.1,10,20\n",
                    "usage.csv:2:12: a quoted field is not closed before the end of the file"
                },
                new String[] {
                    openRouter + "2026-11-22,\"m\"x,0.1,10,20\n", "usage.csv:2:15: unexpected 'x' after a closing quote"
                },
                new String[] {
                    openRouter + "2026-11-22,m\"x,0.1,10,20\n", "usage.csv:2:13: a quote inside an unquoted field"
                },
                new String[] {
                    anthropic + "2026-11-22 00:00,m,1,2\n",
                    "usage.csv:2:1: starting_at: '2026-11-22 00:00' is not an ISO-8601 time with an offset"
                },
                new String[] {
                    "start_time,model,input_tokens,output_tokens,input_cached_tokens\n1795305600,gpt-4o,10,5,11\n",
                    "usage.csv:2:24: input_cached_tokens (11) exceeds input_tokens (10), which OpenAI counts them in"
                });
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("malformed")
    void aMalformedLineIsNamedByFileLineAndColumn(String text, String message) {
        assertThatThrownBy(() -> parse(text))
                .isInstanceOf(InvoiceFileException.class)
                .hasMessageStartingWith(message);
    }
}
