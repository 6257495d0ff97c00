package io.tiergate.ledger.budget;

import io.tiergate.ledger.codec.Binary;
import io.tiergate.schemas.money.Money;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What one scope has spent: the running day and month of its budget (in the budget's time zone),
 * per-minute spend of the last hour (burn rate), per-hour spend of the last 26 UTC clock hours
 * (anomaly baseline), and lifetime totals.
 *
 * <p>Two amounts are kept per period: <em>budget spend</em> (the tiers that count against budgets,
 * cloud by default) and <em>all tiers</em>. Minute and hour buckets hold budget spend.
 *
 * <p>Periods follow event time: a cost event counts in the running day (month) when its {@code
 * occurredAt} falls inside it. The running period is the one containing "now" = max(wall clock,
 * latest event time), so a period rolls over at its boundary even if no event arrives (the router
 * must see the reset to release deferred work), and a late event from an earlier period changes
 * only the lifetime totals (and the windows), never the new period.
 *
 * <p>Open attempts (docs/ledger.md, "Open attempts") count in the budget spend of the period of
 * their start at their worst case ({@link #recordOpen}) until their cost event settles them; the
 * open part is also kept on its own. They are not costs: no lifetime total, bucket or all-tiers
 * amount includes them.
 */
public final class ScopeSpend {

    public static final long MINUTE_MS = 60_000L;
    public static final long HOUR_MS = 3_600_000L;
    /** Minute buckets kept: the current minute and the 59 before it. */
    static final int BURN_MINUTES = 60;
    /** Hour buckets kept: the current clock hour and the 25 before it. */
    static final int HISTORY_HOURS = 26;
    /** Hours averaged for the anomaly baseline. */
    public static final int TRAILING_HOURS = 24;

    private static final long UNANCHORED = Long.MIN_VALUE;
    /** Version 2 appended the open parts; version 1 state reads as nothing open. */
    private static final int FORMAT_VERSION = 2;

    /** Where a recorded cost landed, for metrics. */
    public enum Placement {
        RUNNING_DAY,
        RUNNING_MONTH_EARLIER_DAY,
        EARLIER_PERIOD
    }

    private final String scope;
    private ZoneId zone;
    private long dayStart = UNANCHORED;
    private long monthStart = UNANCHORED;
    private BigDecimal dayBudgetSpend = Money.ZERO;
    private BigDecimal dayAllTiers = Money.ZERO;
    private BigDecimal monthBudgetSpend = Money.ZERO;
    private BigDecimal monthAllTiers = Money.ZERO;
    /** The part of dayBudgetSpend (monthBudgetSpend) that is open attempts at their worst case. */
    private BigDecimal dayOpen = Money.ZERO;

    private BigDecimal monthOpen = Money.ZERO;
    private long firstEventAt = Long.MAX_VALUE;
    private long lastEventAt = Long.MIN_VALUE;
    private final TreeMap<Long, BigDecimal> minutes = new TreeMap<>();
    private final TreeMap<Long, BigDecimal> hours = new TreeMap<>();
    private BigDecimal lifetimeAllTiers = Money.ZERO;
    private BigDecimal lifetimeBudgetSpend = Money.ZERO;
    private long lifetimeEvents;
    private boolean dirty;

    public ScopeSpend(String scope) {
        this.scope = Objects.requireNonNull(scope, "scope");
    }

    /**
     * Moves the running periods to those containing {@code now} in {@code zone}: a later day (month)
     * starts from zero. A changed zone re-anchors the running period to the new zone's boundaries and
     * keeps what it counted; the next boundary in the new zone resets it.
     */
    public ScopeSpend rollTo(long now, ZoneId zone) {
        long day = Periods.dayStart(now, zone);
        long month = Periods.monthStart(now, zone);
        if (dayStart == UNANCHORED || !zone.equals(this.zone)) {
            this.zone = zone;
            dayStart = day;
            monthStart = month;
        } else {
            if (day > dayStart) {
                dayStart = day;
                dayBudgetSpend = Money.ZERO;
                dayAllTiers = Money.ZERO;
                dayOpen = Money.ZERO;
            }
            if (month > monthStart) {
                monthStart = month;
                monthBudgetSpend = Money.ZERO;
                monthAllTiers = Money.ZERO;
                monthOpen = Money.ZERO;
            }
        }
        minutes.headMap(Math.floorDiv(now, MINUTE_MS) - (BURN_MINUTES - 1)).clear();
        hours.headMap(Math.floorDiv(now, HOUR_MS) - (HISTORY_HOURS - 1)).clear();
        return this;
    }

    /**
     * Counts one cost event.
     *
     * @param countsAgainstBudget whether its tier counts against budgets
     * @param now max(wall clock, latest event time); the periods roll to it first
     */
    public Placement record(long occurredAt, BigDecimal costUsd, boolean countsAgainstBudget, long now, ZoneId zone) {
        long reference = Math.max(now, Math.max(occurredAt, lastEventAt));
        rollTo(reference, zone);
        BigDecimal budgetCost = countsAgainstBudget ? costUsd : Money.ZERO;
        lifetimeAllTiers = Money.sum(lifetimeAllTiers, costUsd);
        lifetimeBudgetSpend = Money.sum(lifetimeBudgetSpend, budgetCost);
        lifetimeEvents++;
        firstEventAt = Math.min(firstEventAt, occurredAt);
        lastEventAt = Math.max(lastEventAt, occurredAt);
        dirty = true;
        if (countsAgainstBudget) {
            long minute = Math.floorDiv(occurredAt, MINUTE_MS);
            if (minute > Math.floorDiv(reference, MINUTE_MS) - BURN_MINUTES) {
                minutes.merge(minute, costUsd, Money::sum);
            }
            long hour = Math.floorDiv(occurredAt, HOUR_MS);
            if (hour > Math.floorDiv(reference, HOUR_MS) - HISTORY_HOURS) {
                hours.merge(hour, costUsd, Money::sum);
            }
        }
        if (occurredAt < monthStart) {
            return Placement.EARLIER_PERIOD;
        }
        monthAllTiers = Money.sum(monthAllTiers, costUsd);
        monthBudgetSpend = Money.sum(monthBudgetSpend, budgetCost);
        if (occurredAt < dayStart) {
            return Placement.RUNNING_MONTH_EARLIER_DAY;
        }
        dayAllTiers = Money.sum(dayAllTiers, costUsd);
        dayBudgetSpend = Money.sum(dayBudgetSpend, budgetCost);
        return Placement.RUNNING_DAY;
    }

    /**
     * Opens (positive {@code deltaUsd}) or settles (negative) an attempt started at {@code startedAt}:
     * its worst case counts in the budget spend of the running day (month) when it started inside it.
     * A settlement removes at most what is open in a period, so a period that rolled over (or was
     * re-anchored by a time-zone change) since the attempt opened never goes below its real spend.
     * Lifetime totals, buckets and "now" are not touched: an open attempt is not a cost.
     *
     * @param now max(wall clock, latest event time); the periods roll to it first
     */
    public void recordOpen(long startedAt, BigDecimal deltaUsd, boolean countsAgainstBudget, long now, ZoneId zone) {
        rollTo(Math.max(now, lastEventAt), zone);
        if (!countsAgainstBudget || startedAt < monthStart) {
            return;
        }
        BigDecimal monthDelta = clampSettlement(deltaUsd, monthOpen);
        monthOpen = Money.sum(monthOpen, monthDelta);
        monthBudgetSpend = Money.sum(monthBudgetSpend, monthDelta);
        if (startedAt >= dayStart) {
            BigDecimal dayDelta = clampSettlement(deltaUsd, dayOpen);
            dayOpen = Money.sum(dayOpen, dayDelta);
            dayBudgetSpend = Money.sum(dayBudgetSpend, dayDelta);
        }
        dirty = true;
    }

    private static BigDecimal clampSettlement(BigDecimal delta, BigDecimal open) {
        return delta.signum() < 0 && delta.negate().compareTo(open) > 0 ? open.negate() : delta;
    }

    /** Budget spend in the last hour: the current minute and the 59 before it (USD per hour). */
    public BigDecimal burnRateUsdPerHour(long now) {
        long current = Math.floorDiv(now, MINUTE_MS);
        return sum(minutes.subMap(current - (BURN_MINUTES - 1), true, current, true));
    }

    /**
     * Budget spend over the 24 UTC clock hours before the previous one: [H − 25 h, H − 1 h) where H
     * is the start of the clock hour containing {@code now}. It never overlaps the last 60 minutes.
     */
    public BigDecimal trailingSpend(long now) {
        long current = Math.floorDiv(now, HOUR_MS);
        return sum(hours.subMap(current - (TRAILING_HOURS + 1), true, current - 2, true));
    }

    /** Whether this scope's history covers the whole trailing window (first event at or before H − 25 h). */
    public boolean historyCoversTrailingWindow(long now) {
        long windowStart = (Math.floorDiv(now, HOUR_MS) - (TRAILING_HOURS + 1)) * HOUR_MS;
        return lifetimeEvents > 0 && firstEventAt <= windowStart;
    }

    private static BigDecimal sum(Map<Long, BigDecimal> buckets) {
        BigDecimal total = Money.ZERO;
        for (BigDecimal amount : buckets.values()) {
            total = Money.sum(total, amount);
        }
        return total;
    }

    /** A deep copy (for computing a view at a later "now" without changing the stored value). */
    public ScopeSpend copy() {
        ScopeSpend copy = new ScopeSpend(scope);
        copy.zone = zone;
        copy.dayStart = dayStart;
        copy.monthStart = monthStart;
        copy.dayBudgetSpend = dayBudgetSpend;
        copy.dayAllTiers = dayAllTiers;
        copy.monthBudgetSpend = monthBudgetSpend;
        copy.monthAllTiers = monthAllTiers;
        copy.dayOpen = dayOpen;
        copy.monthOpen = monthOpen;
        copy.firstEventAt = firstEventAt;
        copy.lastEventAt = lastEventAt;
        copy.minutes.putAll(minutes);
        copy.hours.putAll(hours);
        copy.lifetimeAllTiers = lifetimeAllTiers;
        copy.lifetimeBudgetSpend = lifetimeBudgetSpend;
        copy.lifetimeEvents = lifetimeEvents;
        copy.dirty = dirty;
        return copy;
    }

    public String scope() {
        return scope;
    }

    public ZoneId zone() {
        return zone;
    }

    public long dayStart() {
        return dayStart;
    }

    public long monthStart() {
        return monthStart;
    }

    public BigDecimal dayBudgetSpend() {
        return dayBudgetSpend;
    }

    public BigDecimal dayAllTiers() {
        return dayAllTiers;
    }

    public BigDecimal monthBudgetSpend() {
        return monthBudgetSpend;
    }

    public BigDecimal monthAllTiers() {
        return monthAllTiers;
    }

    /** The part of {@link #dayBudgetSpend()} that is open attempts at their worst case. */
    public BigDecimal dayOpenUsd() {
        return dayOpen;
    }

    /** The part of {@link #monthBudgetSpend()} that is open attempts at their worst case. */
    public BigDecimal monthOpenUsd() {
        return monthOpen;
    }

    /** Latest occurredAt counted, or {@link Long#MIN_VALUE} before the first event. */
    public long lastEventAt() {
        return lastEventAt;
    }

    public BigDecimal lifetimeAllTiers() {
        return lifetimeAllTiers;
    }

    public BigDecimal lifetimeBudgetSpend() {
        return lifetimeBudgetSpend;
    }

    public long lifetimeEvents() {
        return lifetimeEvents;
    }

    /** Whether spend changed since budget.status was last emitted for this scope. */
    public boolean dirty() {
        return dirty;
    }

    public void markEmitted() {
        dirty = false;
    }

    public void writeTo(DataOutput out) throws IOException {
        out.writeByte(FORMAT_VERSION);
        Binary.writeString(out, scope);
        Binary.writeString(out, zone == null ? null : zone.getId());
        out.writeLong(dayStart);
        out.writeLong(monthStart);
        Binary.writeDecimal(out, dayBudgetSpend);
        Binary.writeDecimal(out, dayAllTiers);
        Binary.writeDecimal(out, monthBudgetSpend);
        Binary.writeDecimal(out, monthAllTiers);
        out.writeLong(firstEventAt);
        out.writeLong(lastEventAt);
        writeBuckets(out, minutes);
        writeBuckets(out, hours);
        Binary.writeDecimal(out, lifetimeAllTiers);
        Binary.writeDecimal(out, lifetimeBudgetSpend);
        out.writeLong(lifetimeEvents);
        out.writeBoolean(dirty);
        Binary.writeDecimal(out, dayOpen);
        Binary.writeDecimal(out, monthOpen);
    }

    public static ScopeSpend readFrom(DataInput in) throws IOException {
        int version = in.readUnsignedByte();
        if (version != 1 && version != FORMAT_VERSION) {
            throw new IOException("Unsupported ScopeSpend format version " + version + " (expected 1 or 2)");
        }
        ScopeSpend spend = new ScopeSpend(Binary.readString(in));
        String zone = Binary.readString(in);
        spend.zone = zone == null ? null : ZoneId.of(zone);
        spend.dayStart = in.readLong();
        spend.monthStart = in.readLong();
        spend.dayBudgetSpend = Binary.readDecimal(in);
        spend.dayAllTiers = Binary.readDecimal(in);
        spend.monthBudgetSpend = Binary.readDecimal(in);
        spend.monthAllTiers = Binary.readDecimal(in);
        spend.firstEventAt = in.readLong();
        spend.lastEventAt = in.readLong();
        readBuckets(in, spend.minutes);
        readBuckets(in, spend.hours);
        spend.lifetimeAllTiers = Binary.readDecimal(in);
        spend.lifetimeBudgetSpend = Binary.readDecimal(in);
        spend.lifetimeEvents = in.readLong();
        spend.dirty = in.readBoolean();
        if (version >= 2) {
            spend.dayOpen = Binary.readDecimal(in);
            spend.monthOpen = Binary.readDecimal(in);
        }
        return spend;
    }

    private static void writeBuckets(DataOutput out, Map<Long, BigDecimal> buckets) throws IOException {
        out.writeInt(buckets.size());
        for (Map.Entry<Long, BigDecimal> bucket : buckets.entrySet()) {
            out.writeLong(bucket.getKey());
            Binary.writeDecimal(out, bucket.getValue());
        }
    }

    private static void readBuckets(DataInput in, Map<Long, BigDecimal> buckets) throws IOException {
        int size = in.readInt();
        for (int i = 0; i < size; i++) {
            buckets.put(in.readLong(), Binary.readDecimal(in));
        }
    }
}
