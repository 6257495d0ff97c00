package io.tiergate.gateway.chat;

import io.tiergate.schemas.cost.ModelPrice;
import io.tiergate.schemas.cost.PriceTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a client may put in {@code model} (docs/gateway.md, "Models"): the routing aliases
 * {@code tiergate/auto} (the policy picks tier and model) and {@code tiergate/local} (served
 * locally, never on cloud: the request is sovereign), and every model of the price table. A local
 * model name keeps the request local like {@code tiergate/local}; a cloud model name is recorded
 * ({@code tiergate.requested-model}) and pins the request to that model when the router's policy
 * allows it (its PINNED rule: never for sovereign work, always under the budget). Anything else is
 * unknown (404 {@code model_not_found}, as OpenAI answers).
 */
public final class ModelCatalog {

    public static final String AUTO = "tiergate/auto";
    public static final String LOCAL = "tiergate/local";

    /** How a requested model steers routing. */
    public enum Steering {
        /** the policy decides */
        POLICY,
        /** sovereign: local only */
        LOCAL_ONLY
    }

    /** One entry of {@code GET /v1/models}. */
    public record Entry(String id, String ownedBy) {}

    private final PriceTable prices;

    public ModelCatalog(PriceTable prices) {
        this.prices = prices;
    }

    public List<Entry> list() {
        List<Entry> entries = new ArrayList<>();
        entries.add(new Entry(AUTO, "tiergate"));
        entries.add(new Entry(LOCAL, "tiergate"));
        for (ModelPrice model : prices.models()) {
            entries.add(new Entry(model.id(), model.local() ? "tiergate-local" : "tiergate-cloud"));
        }
        return entries;
    }

    /** How {@code model} steers the request; empty when it is unknown. */
    public Optional<Steering> steering(String model) {
        if (AUTO.equals(model)) {
            return Optional.of(Steering.POLICY);
        }
        if (LOCAL.equals(model)) {
            return Optional.of(Steering.LOCAL_ONLY);
        }
        return prices.model(model).map(p -> p.local() ? Steering.LOCAL_ONLY : Steering.POLICY);
    }
}
