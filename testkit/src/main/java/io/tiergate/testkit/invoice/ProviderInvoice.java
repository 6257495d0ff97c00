package io.tiergate.testkit.invoice;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a test provider charged: every call it served (model as the provider names it, tokens, cost
 * by its price, when), and the usage exports a real provider would let you download for them, one
 * row per UTC day and model, in the columns each provider documents (docs/ledger.md,
 * "Reconciliation"). {@code ./tiergate costs reconcile} reads these files; tests write them.
 *
 * <p>Thread-safe: fake servers record from their handler threads.
 */
public final class ProviderInvoice {

    /** The three usage exports. */
    public enum Format {
        /** OpenAI's usage export: the Usage API's completions fields, daily buckets; no money. */
        OPENAI,
        /** Anthropic's usage export: the Admin API usage report's fields, daily buckets; no money. */
        ANTHROPIC,
        /** OpenRouter's activity export: the Activity API's fields, per day and model; money in {@code usage}. */
        OPENROUTER
    }

    /**
     * One call a provider served and charged.
     *
     * @param model the provider's own model name (what its response carries)
     * @param uncachedInputTokens input tokens neither read from nor written to a cache
     * @param costUsd what the provider charged for it
     */
    public record Call(
            Instant servedAt,
            String model,
            long uncachedInputTokens,
            long cachedReadTokens,
            long cacheWriteTokens,
            long outputTokens,
            BigDecimal costUsd) {
        public Call {
            Objects.requireNonNull(servedAt, "servedAt");
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(costUsd, "costUsd");
        }

        long totalInputTokens() {
            return uncachedInputTokens + cachedReadTokens + cacheWriteTokens;
        }
    }

    private record Key(LocalDate day, String model) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int byDay = day.compareTo(o.day);
            return byDay != 0 ? byDay : model.compareTo(o.model);
        }
    }

    private final List<Call> calls = new ArrayList<>();

    public synchronized void record(Call call) {
        calls.add(Objects.requireNonNull(call, "call"));
    }

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    /** Everything charged, exactly. */
    public synchronized BigDecimal totalUsd() {
        return calls.stream().map(Call::costUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** The export in {@code format}, as CSV text (header, then one row per UTC day and model). */
    public String export(Format format) {
        Map<Key, List<Call>> byDay = new TreeMap<>();
        for (Call call : calls()) {
            byDay.computeIfAbsent(
                            new Key(call.servedAt().atOffset(ZoneOffset.UTC).toLocalDate(), call.model()),
                            k -> new ArrayList<>())
                    .add(call);
        }
        StringBuilder out = new StringBuilder(header(format)).append('\n');
        byDay.forEach((key, dayCalls) -> out.append(row(format, key, dayCalls)).append('\n'));
        return out.toString();
    }

    /** Writes {@link #export(Format)} to {@code file} (UTF-8) and returns the file. */
    public Path write(Format format, Path file) {
        try {
            Files.writeString(file, export(format), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    static String header(Format format) {
        return switch (format) {
            case OPENAI ->
                "start_time,end_time,start_time_iso,end_time_iso,project_id,num_model_requests,user_id,"
                        + "api_key_id,model,batch,input_tokens,output_tokens,input_cached_tokens";
            case ANTHROPIC ->
                "starting_at,ending_at,workspace_id,api_key_id,model,service_tier,context_window,"
                        + "uncached_input_tokens,cache_read_input_tokens,cache_creation_5m_input_tokens,"
                        + "cache_creation_1h_input_tokens,output_tokens";
            case OPENROUTER ->
                "date,model,model_permaslug,endpoint_id,provider_name,usage,byok_usage_inference,"
                        + "requests,prompt_tokens,completion_tokens,reasoning_tokens";
        };
    }

    private static String row(Format format, Key key, List<Call> calls) {
        long uncached = calls.stream().mapToLong(Call::uncachedInputTokens).sum();
        long cachedRead = calls.stream().mapToLong(Call::cachedReadTokens).sum();
        long cacheWrite = calls.stream().mapToLong(Call::cacheWriteTokens).sum();
        long input = calls.stream().mapToLong(Call::totalInputTokens).sum();
        long output = calls.stream().mapToLong(Call::outputTokens).sum();
        BigDecimal cost = calls.stream().map(Call::costUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
        Instant start = key.day().atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = key.day().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        return switch (format) {
            // OpenAI counts cached tokens inside input_tokens and bills no cache writes
            case OPENAI ->
                String.join(
                        ",",
                        Long.toString(start.getEpochSecond()),
                        Long.toString(end.getEpochSecond()),
                        start.atOffset(ZoneOffset.UTC).toString(),
                        end.atOffset(ZoneOffset.UTC).toString(),
                        "",
                        Integer.toString(calls.size()),
                        "",
                        "",
                        quote(key.model()),
                        "false",
                        Long.toString(input),
                        Long.toString(output),
                        Long.toString(cachedRead));
            case ANTHROPIC ->
                String.join(
                        ",",
                        start.toString(),
                        end.toString(),
                        "",
                        "",
                        quote(key.model()),
                        "standard",
                        "0-200k",
                        Long.toString(uncached),
                        Long.toString(cachedRead),
                        Long.toString(cacheWrite),
                        "0",
                        Long.toString(output));
            case OPENROUTER ->
                String.join(
                        ",",
                        key.day().toString(),
                        quote(key.model()),
                        quote(key.model()),
                        "",
                        "",
                        cost.toPlainString(),
                        "0",
                        Integer.toString(calls.size()),
                        Long.toString(input),
                        Long.toString(output),
                        "0");
        };
    }

    private static String quote(String value) {
        if (value.contains(",") || value.contains("\"") || value.contains("\n")) {
            return '"' + value.replace("\"", "\"\"") + '"';
        }
        return value;
    }
}
