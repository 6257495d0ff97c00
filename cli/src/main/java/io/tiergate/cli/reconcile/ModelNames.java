package io.tiergate.cli.reconcile;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Maps a provider's model name on its usage export to the id the ledger books it under (the price
 * table's id, which is what workers write on cost events whatever remote name they call):
 *
 * <ol>
 *   <li>an explicit mapping ({@code --model-map invoiceName=ledgerId}) wins;
 *   <li>a name that already has a vendor prefix ({@code anthropic/claude-sonnet-4.6}, OpenRouter's
 *       slugs) is the id;
 *   <li>Anthropic: a dated snapshot suffix is dropped, dashes between version digits become dots,
 *       {@code anthropic/} is prepended: {@code claude-sonnet-4-6} and {@code
 *       claude-sonnet-4-6-20260217} → {@code anthropic/claude-sonnet-4.6}, {@code
 *       claude-3-5-haiku-20241022} → {@code anthropic/claude-3.5-haiku};
 *   <li>OpenAI: a dated snapshot suffix is dropped and {@code openai/} prepended: {@code
 *       gpt-4.1-2025-04-14} → {@code openai/gpt-4.1}.
 * </ol>
 */
public final class ModelNames {

    private static final Pattern ANTHROPIC_SNAPSHOT = Pattern.compile("-(\\d{8}|latest)$");
    private static final Pattern VERSION_DASH = Pattern.compile("(?<=\\d)-(?=\\d)");
    private static final Pattern OPENAI_SNAPSHOT = Pattern.compile("-\\d{4}-\\d{2}-\\d{2}$");

    private final Map<String, String> explicit;

    /** @param explicit invoice name → ledger id, applied before the rules */
    public ModelNames(Map<String, String> explicit) {
        this.explicit = Map.copyOf(explicit);
    }

    public String ledgerId(InvoiceFormat format, String invoiceName) {
        String mapped = explicit.get(invoiceName);
        if (mapped != null) {
            return mapped;
        }
        if (invoiceName.contains("/")) {
            return invoiceName;
        }
        return switch (format) {
            case ANTHROPIC ->
                "anthropic/"
                        + VERSION_DASH
                                .matcher(ANTHROPIC_SNAPSHOT
                                        .matcher(invoiceName.toLowerCase(Locale.ROOT))
                                        .replaceFirst(""))
                                .replaceAll(".");
            case OPENAI ->
                "openai/"
                        + OPENAI_SNAPSHOT
                                .matcher(invoiceName.toLowerCase(Locale.ROOT))
                                .replaceFirst("");
            case OPENROUTER -> invoiceName;
        };
    }
}
