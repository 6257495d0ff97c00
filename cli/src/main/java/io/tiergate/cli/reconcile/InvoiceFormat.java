package io.tiergate.cli.reconcile;

import io.tiergate.cli.reconcile.CsvTable.Cell;
import io.tiergate.cli.reconcile.CsvTable.Row;
import io.tiergate.schemas.cost.TokenUsage;
import io.tiergate.schemas.money.Money;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The usage exports {@code costs reconcile} reads, each by the column names its provider documents
 * (docs/ledger.md, "Reconciliation", says which and why). Column names are matched
 * case-insensitively; other columns are ignored.
 */
public enum InvoiceFormat {

    /**
     * OpenAI's usage export ({@code completions_usage_*.csv}): the Usage API's completions fields,
     * one row per time bucket (and model). Tokens and requests, no money.
     */
    OPENAI("openai", "OpenAI usage export") {
        @Override
        boolean matches(CsvTable table) {
            return table.has("input_tokens")
                    && table.has("output_tokens")
                    && (table.has("start_time") || table.has("start_time_iso"))
                    && !table.has("uncached_input_tokens");
        }

        @Override
        List<String> required(CsvTable table) {
            return List.of(
                    table.has("start_time") ? "start_time" : "start_time_iso",
                    "model",
                    "input_tokens",
                    "output_tokens");
        }

        @Override
        InvoiceRow row(CsvTable table, Row row) {
            LocalDate day = table.has("start_time")
                    ? epochSecondsDay(table, table.required(row, "start_time"))
                    : instantDay(table, table.required(row, "start_time_iso"), "start_time_iso");
            long input = whole(table, table.required(row, "input_tokens"), "input_tokens");
            long cached = optionalWhole(table, row, "input_cached_tokens");
            if (cached > input) {
                Cell cell = table.required(row, "input_cached_tokens");
                throw new InvoiceFileException(
                        table.source(),
                        cell.line(),
                        cell.column(),
                        "input_cached_tokens (" + cached + ") exceeds input_tokens (" + input
                                + "), which OpenAI counts them in");
            }
            long output = whole(table, table.required(row, "output_tokens"), "output_tokens");
            return new InvoiceRow(
                    row.line(),
                    day,
                    model(table, table.required(row, "model")),
                    new TokenUsage(input - cached, output, cached, 0),
                    Optional.empty(),
                    requests(table, row, "num_model_requests"));
        }
    },

    /**
     * Anthropic's usage export: the Admin API usage report's fields ({@code starting_at}, {@code
     * model}, {@code uncached_input_tokens}, cache reads and writes, {@code output_tokens}), one
     * row per time bucket and model. Tokens, no money and no request count.
     */
    ANTHROPIC("anthropic", "Anthropic usage export") {
        @Override
        boolean matches(CsvTable table) {
            return table.has("uncached_input_tokens") && table.has("output_tokens");
        }

        @Override
        List<String> required(CsvTable table) {
            return List.of("starting_at", "model", "uncached_input_tokens", "output_tokens");
        }

        @Override
        InvoiceRow row(CsvTable table, Row row) {
            long cacheWrite = 0;
            for (String column : CACHE_WRITE_COLUMNS) {
                cacheWrite += optionalWhole(table, row, column);
            }
            return new InvoiceRow(
                    row.line(),
                    instantDay(table, table.required(row, "starting_at"), "starting_at"),
                    model(table, table.required(row, "model")),
                    new TokenUsage(
                            whole(table, table.required(row, "uncached_input_tokens"), "uncached_input_tokens"),
                            whole(table, table.required(row, "output_tokens"), "output_tokens"),
                            optionalWhole(table, row, "cache_read_input_tokens"),
                            cacheWrite),
                    Optional.empty(),
                    OptionalLong.empty());
        }
    },

    /**
     * OpenRouter's activity export: the Activity API's fields ({@code date}, {@code model}, {@code
     * usage} in USD, {@code requests}, {@code prompt_tokens}, {@code completion_tokens}), one row
     * per day, model and upstream provider. Money included.
     */
    OPENROUTER("openrouter", "OpenRouter activity export") {
        @Override
        boolean matches(CsvTable table) {
            return table.has("prompt_tokens") && table.has("completion_tokens") && table.has("usage");
        }

        @Override
        List<String> required(CsvTable table) {
            return List.of(
                    "date",
                    table.has("model") ? "model" : "model_permaslug",
                    "usage",
                    "prompt_tokens",
                    "completion_tokens");
        }

        @Override
        InvoiceRow row(CsvTable table, Row row) {
            Cell date = table.required(row, "date");
            LocalDate day;
            try {
                day = LocalDate.parse(date.text().trim());
            } catch (DateTimeException e) {
                throw new InvoiceFileException(
                        table.source(),
                        date.line(),
                        date.column(),
                        "date: '" + date.text() + "' is not a date (YYYY-MM-DD)");
            }
            return new InvoiceRow(
                    row.line(),
                    day,
                    model(table, table.required(row, table.has("model") ? "model" : "model_permaslug")),
                    TokenUsage.of(
                            whole(table, table.required(row, "prompt_tokens"), "prompt_tokens"),
                            whole(table, table.required(row, "completion_tokens"), "completion_tokens")),
                    Optional.of(usd(table, table.required(row, "usage"), "usage")),
                    requests(table, row, "requests"));
        }
    };

    /** Anthropic's cache-write token columns, flattened from {@code cache_creation}: every one present is added. */
    static final List<String> CACHE_WRITE_COLUMNS = List.of(
            "cache_creation_input_tokens",
            "cache_creation_5m_input_tokens",
            "cache_creation_1h_input_tokens",
            "cache_creation.ephemeral_5m_input_tokens",
            "cache_creation.ephemeral_1h_input_tokens");

    private final String provider;
    private final String title;

    InvoiceFormat(String provider, String title) {
        this.provider = provider;
        this.title = title;
    }

    /** The {@code provider} label the cloud worker writes on cost events of this provider's API. */
    public String provider() {
        return provider;
    }

    public String title() {
        return title;
    }

    /** Whether the header is this format's. */
    abstract boolean matches(CsvTable table);

    /** The columns a row of this format must have, given the header (some have alternatives). */
    abstract List<String> required(CsvTable table);

    abstract InvoiceRow row(CsvTable table, Row row);

    /** Every data row, checked; throws {@link InvoiceFileException} naming the first bad value. */
    public List<InvoiceRow> read(CsvTable table) {
        for (String column : required(table)) {
            if (!table.has(column)) {
                throw new InvoiceFileException(
                        table.source(),
                        1,
                        1,
                        "not an " + title + ": no column '" + column + "' (header: " + String.join(",", table.header())
                                + ")");
            }
        }
        return table.rows().stream().map(r -> row(table, r)).toList();
    }

    /** The format whose columns the header has; throws naming the header when none matches. */
    public static InvoiceFormat detect(CsvTable table) {
        for (InvoiceFormat format : values()) {
            if (format.matches(table)) {
                return format;
            }
        }
        throw new InvoiceFileException(
                table.source(),
                1,
                1,
                "the header matches none of the usage exports (OpenAI: start_time, model, input_tokens, output_tokens;"
                        + " Anthropic: starting_at, model, uncached_input_tokens, output_tokens;"
                        + " OpenRouter: date, model, usage, prompt_tokens, completion_tokens): "
                        + String.join(",", table.header())
                        + ". Pass --format to name it");
    }

    static String model(CsvTable table, Cell cell) {
        String model = cell.text().trim();
        if (model.isEmpty()) {
            throw new InvoiceFileException(
                    table.source(),
                    cell.line(),
                    cell.column(),
                    "model: empty; reconciling needs the usage per model (export it grouped by model)");
        }
        return model;
    }

    static long whole(CsvTable table, Cell cell, String column) {
        String text = cell.text().trim();
        try {
            // exports written through spreadsheets or pandas carry counts as "12.0"
            BigDecimal value = new BigDecimal(text);
            if (value.signum() < 0) {
                throw new InvoiceFileException(
                        table.source(), cell.line(), cell.column(), column + ": '" + text + "' is negative");
            }
            return value.longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new InvoiceFileException(
                    table.source(), cell.line(), cell.column(), column + ": '" + text + "' is not a whole number");
        }
    }

    static long optionalWhole(CsvTable table, Row row, String column) {
        Optional<Cell> cell = table.cell(row, column);
        if (cell.isEmpty() || cell.get().text().isBlank()) {
            return 0;
        }
        return whole(table, cell.get(), column);
    }

    static OptionalLong requests(CsvTable table, Row row, String column) {
        Optional<Cell> cell = table.cell(row, column);
        if (cell.isEmpty() || cell.get().text().isBlank()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(whole(table, cell.get(), column));
    }

    static BigDecimal usd(CsvTable table, Cell cell, String column) {
        String text = cell.text().trim();
        try {
            BigDecimal value = new BigDecimal(text);
            if (value.signum() < 0) {
                throw new InvoiceFileException(
                        table.source(), cell.line(), cell.column(), column + ": '" + text + "' is negative");
            }
            return Money.usd(value);
        } catch (NumberFormatException e) {
            throw new InvoiceFileException(
                    table.source(),
                    cell.line(),
                    cell.column(),
                    column + ": '" + text + "' is not a decimal USD amount");
        }
    }

    static LocalDate epochSecondsDay(CsvTable table, Cell cell) {
        long seconds = whole(table, cell, "start_time");
        return Instant.ofEpochSecond(seconds).atOffset(ZoneOffset.UTC).toLocalDate();
    }

    static LocalDate instantDay(CsvTable table, Cell cell, String column) {
        String text = cell.text().trim();
        try {
            return OffsetDateTime.parse(text)
                    .withOffsetSameInstant(ZoneOffset.UTC)
                    .toLocalDate();
        } catch (DateTimeException e) {
            throw new InvoiceFileException(
                    table.source(),
                    cell.line(),
                    cell.column(),
                    column + ": '" + text + "' is not an ISO-8601 time with an offset (e.g. 2026-11-22T00:00:00Z)");
        }
    }
}
