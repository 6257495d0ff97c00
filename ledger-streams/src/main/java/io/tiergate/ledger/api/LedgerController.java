package io.tiergate.ledger.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.tiergate.ledger.LedgerConfiguration;
import io.tiergate.ledger.backends.ServedBackends;
import io.tiergate.ledger.budget.BudgetAssessor;
import io.tiergate.ledger.kafka.LedgerStores;
import java.util.List;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/**
 * The ledger's HTTP API, answered from the Kafka Streams state stores (interactive queries); used
 * by the CLI and the dashboard. While the stores are not queryable (start-up, rebalance, restore)
 * every endpoint answers 503; bad parameters answer 400 with the reason.
 */
@Controller("/ledger")
@ExecuteOn(TaskExecutors.BLOCKING)
public class LedgerController {

    private final LedgerQueries queries;
    private final ServedBackends backends;

    public LedgerController(LedgerStores stores, LedgerConfiguration configuration, ServedBackends backends) {
        this.backends = backends;
        this.queries = new LedgerQueries(
                stores,
                new BudgetAssessor(configuration.anomalyFactor(), configuration.anomalyMinRateUsdPerHour()),
                System::currentTimeMillis);
    }

    /** GET /ledger/spend?scope=…&period=day|month — 404 when the scope has neither spend nor budget. */
    @Get("/spend")
    public HttpResponse<?> spend(@QueryValue String scope, @QueryValue(defaultValue = "day") String period) {
        return queries.spend(scope, period)
                .<HttpResponse<?>>map(HttpResponse::ok)
                .orElseGet(() -> HttpResponse.notFound(
                        new LedgerViews.Error("no spend and no budget for scope '" + scope + "'")));
    }

    /** GET /ledger/windows?scope=…&kind=HOUR|DAY|MONTH&from=…&to=… — all scopes without scope. */
    @Get("/windows")
    public List<LedgerViews.Window> windows(
            @Nullable @QueryValue String scope,
            @Nullable @QueryValue String kind,
            @Nullable @QueryValue String from,
            @Nullable @QueryValue String to) {
        return queries.windows(scope, kind, from, to);
    }

    /** GET /ledger/status — budget.status of every scope, as last published. */
    @Get("/status")
    public List<LedgerViews.Status> status() {
        return queries.statuses();
    }

    /** GET /ledger/totals — everything counted, per scope, exact. */
    @Get("/totals")
    public LedgerViews.Totals totals() {
        return queries.totals();
    }

    /** GET /ledger/rework?scope=…&from=…&to=… — rework spend per task type and tier. */
    @Get("/rework")
    public LedgerViews.Rework rework(
            @Nullable @QueryValue String scope, @Nullable @QueryValue String from, @Nullable @QueryValue String to) {
        return queries.rework(scope, from, to);
    }

    /**
     * GET /ledger/backends — per tier, how many model calls were simulated and how many real (cost
     * events of the last day at start, and since), and what served the latest; {@code simulated} is
     * true while any tier's latest call was simulated (the dashboard's notice).
     */
    @Get("/backends")
    public ServedBackends.View backends() {
        return backends.view();
    }

    @Error(exception = IllegalArgumentException.class)
    public HttpResponse<LedgerViews.Error> badRequest(IllegalArgumentException e) {
        return HttpResponse.badRequest(new LedgerViews.Error(e.getMessage()));
    }

    @Error(exception = InvalidStateStoreException.class)
    public HttpResponse<LedgerViews.Error> notQueryable(InvalidStateStoreException e) {
        return HttpResponse.<LedgerViews.Error>status(HttpStatus.SERVICE_UNAVAILABLE)
                .body(new LedgerViews.Error("ledger state is not queryable yet: " + e.getMessage()));
    }
}
