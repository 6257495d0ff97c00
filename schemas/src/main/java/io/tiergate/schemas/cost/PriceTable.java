package io.tiergate.schemas.cost;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.schemas.events.CapabilityClass;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The versioned, dated price table (a config file): every model with its tier, capability class,
 * prices per million tokens, output cap ({@code maxOutputTokens}) and speed profile; the local machine's TCO; and the expected output
 * length per task type used for estimates. Invalid files are rejected naming the field.
 */
public final class PriceTable {

    public static final String DEFAULT_RESOURCE = "/tiergate/price-table.json";

    private final String version;
    private final LocalDate pricesTakenOn;
    private final LocalTco localTco;
    private final Map<String, ModelPrice> models;
    private final Map<TaskType, Long> expectedOutputTokens;

    private PriceTable(
            String version,
            LocalDate pricesTakenOn,
            LocalTco localTco,
            Map<String, ModelPrice> models,
            Map<TaskType, Long> expectedOutputTokens) {
        this.version = version;
        this.pricesTakenOn = pricesTakenOn;
        this.localTco = localTco;
        this.models = models;
        this.expectedOutputTokens = expectedOutputTokens;
    }

    /** The table shipped in the schemas jar. */
    public static PriceTable loadDefault() {
        try (InputStream in = PriceTable.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + DEFAULT_RESOURCE);
            }
            return parse(in.readAllBytes(), DEFAULT_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A table from a file (ops override: {@code tiergate.price-table=/path/to/file.json}). */
    public static PriceTable load(Path file) {
        try {
            return parse(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read price table " + file, e);
        }
    }

    static PriceTable parse(byte[] json, String source) {
        JsonNode root;
        try {
            root = new ObjectMapper()
                    .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("Price table " + source + " is not valid JSON: " + e.getMessage(), e);
        }
        Fields f = new Fields(source);
        String version = f.text(root, "version");
        LocalDate takenOn = LocalDate.parse(f.text(root, "pricesTakenOn"));
        JsonNode tco = f.node(root, "localTco");
        LocalTco localTco = f.wrap(
                "localTco",
                () -> new LocalTco(
                        f.decimal(tco, "localTco.wattsUnderLoad"),
                        f.decimal(tco, "localTco.usdPerKwh"),
                        f.decimal(tco, "localTco.hardwarePriceUsd"),
                        f.decimal(tco, "localTco.lifetimeYears"),
                        f.decimal(tco, "localTco.utilization"),
                        f.decimal(tco, "localTco.maintenanceUsdPerYear")));
        Map<String, ModelPrice> models = new LinkedHashMap<>();
        int i = 0;
        for (JsonNode m : f.node(root, "models")) {
            String at = "models[" + i++ + "]";
            String id = f.text(m, at + ".id");
            Tier tier = Tier.valueOf(f.text(m, at + ".tier"));
            boolean cloud = tier == Tier.CLOUD;
            JsonNode p = f.node(m, at + ".profile");
            ModelPrice price = new ModelPrice(
                    id,
                    f.text(m, at + ".provider"),
                    tier,
                    CapabilityClass.valueOf(f.text(m, at + ".capabilityClass")),
                    cloud ? f.decimal(m, at + ".inputPerMTok") : BigDecimal.ZERO,
                    cloud ? f.decimal(m, at + ".outputPerMTok") : BigDecimal.ZERO,
                    cloud
                            ? f.decimalOr(m, at + ".cachedReadPerMTok", f.decimal(m, at + ".inputPerMTok"))
                            : BigDecimal.ZERO,
                    cloud
                            ? f.decimalOr(m, at + ".cacheWritePerMTok", f.decimal(m, at + ".inputPerMTok"))
                            : BigDecimal.ZERO,
                    f.positiveLong(m, at + ".maxOutputTokens"),
                    new ModelPrice.SpeedProfile(
                            f.positiveLong(p, at + ".profile.ttftMs"),
                            f.positiveDouble(p, at + ".profile.outputTokensPerSecond"),
                            f.positiveDouble(p, at + ".profile.promptTokensPerSecond")));
            if (models.put(id, price) != null) {
                throw new IllegalArgumentException("Price table " + source + ": duplicate model id " + id);
            }
        }
        Map<TaskType, Long> expected = new EnumMap<>(TaskType.class);
        JsonNode out = f.node(root, "expectedOutputTokens");
        for (TaskType type : TaskType.values()) {
            expected.put(type, f.positiveLong(out, "expectedOutputTokens." + type.name()));
        }
        return new PriceTable(version, takenOn, localTco, Map.copyOf(models), expected);
    }

    public String version() {
        return version;
    }

    public LocalDate pricesTakenOn() {
        return pricesTakenOn;
    }

    public LocalTco localTco() {
        return localTco;
    }

    /**
     * This table with another local machine's TCO (same version, models and expectations): a worker
     * serving several local endpoints prices each by its own hardware, through the same calculator.
     */
    public PriceTable withLocalTco(LocalTco tco) {
        return new PriceTable(
                version, pricesTakenOn, java.util.Objects.requireNonNull(tco, "tco"), models, expectedOutputTokens);
    }

    public Optional<ModelPrice> model(String id) {
        return Optional.ofNullable(models.get(id));
    }

    /** The model, or an error naming the unknown id and the known ones. */
    public ModelPrice require(String id) {
        ModelPrice m = models.get(id);
        if (m == null) {
            throw new IllegalArgumentException(
                    "Unknown model \"" + id + "\"; the price table knows " + models.keySet());
        }
        return m;
    }

    public List<ModelPrice> models() {
        return List.copyOf(models.values());
    }

    /** The most capable (then most expensive) cloud model: the "all-frontier" baseline. */
    public ModelPrice strongestCloudModel() {
        return models.values().stream()
                .filter(m -> m.tier() == Tier.CLOUD)
                .max(Comparator.comparing((ModelPrice m) -> m.capabilityClass().ordinal())
                        .thenComparing(ModelPrice::outputPerMTok))
                .orElseThrow(() -> new IllegalStateException("The price table has no cloud model"));
    }

    public long expectedOutputTokens(TaskType type) {
        return expectedOutputTokens.getOrDefault(type, expectedOutputTokens.get(TaskType.UNKNOWN));
    }

    /** Reads fields and names the one that is missing or wrong. */
    private record Fields(String source) {
        JsonNode node(JsonNode parent, String path) {
            JsonNode n = parent.get(leaf(path));
            if (n == null || n.isNull()) {
                throw error(path, "is missing");
            }
            return n;
        }

        String text(JsonNode parent, String path) {
            String s = node(parent, path).asText();
            if (s.isBlank()) {
                throw error(path, "is blank");
            }
            return s;
        }

        BigDecimal decimal(JsonNode parent, String path) {
            JsonNode n = node(parent, path);
            try {
                BigDecimal value = n.isNumber() ? n.decimalValue() : new BigDecimal(n.asText());
                if (value.signum() < 0) {
                    throw error(path, "must be >= 0, was " + value);
                }
                return value;
            } catch (NumberFormatException e) {
                throw error(path, "is not a decimal number: " + n);
            }
        }

        BigDecimal decimalOr(JsonNode parent, String path, BigDecimal fallback) {
            return parent.hasNonNull(leaf(path)) ? decimal(parent, path) : fallback;
        }

        long positiveLong(JsonNode parent, String path) {
            JsonNode n = node(parent, path);
            if (!n.canConvertToLong() || n.asLong() <= 0) {
                throw error(path, "must be a positive whole number, was " + n);
            }
            return n.asLong();
        }

        double positiveDouble(JsonNode parent, String path) {
            JsonNode n = node(parent, path);
            if (!n.isNumber() || n.asDouble() <= 0) {
                throw error(path, "must be a positive number, was " + n);
            }
            return n.asDouble();
        }

        <T> T wrap(String path, java.util.function.Supplier<T> build) {
            try {
                return build.get();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Price table " + source + ": " + e.getMessage(), e);
            }
        }

        private IllegalArgumentException error(String path, String what) {
            return new IllegalArgumentException("Price table " + source + ": " + path + " " + what);
        }

        private static String leaf(String path) {
            return path.substring(path.lastIndexOf('.') + 1);
        }
    }
}
