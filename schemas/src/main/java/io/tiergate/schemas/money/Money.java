package io.tiergate.schemas.money;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Exact USD amounts. Every amount on the wire is an Avro {@code decimal(20, 9)}: nano-dollar
 * precision, so {@link #usd} normalises to scale 9. Rounding happens once, at the edge, half-even.
 */
public final class Money {

    /** Scale of every USD amount in events: nano-dollars. */
    public static final int SCALE = 9;

    public static final BigDecimal ZERO = BigDecimal.ZERO.setScale(SCALE);

    private Money() {}

    /** The amount at wire scale, rounded half-even if it carries more digits. */
    public static BigDecimal usd(BigDecimal amount) {
        return amount.setScale(SCALE, RoundingMode.HALF_EVEN);
    }

    /** Parses a decimal string ("12.50") exactly; never goes through double. */
    public static BigDecimal usd(String amount) {
        return usd(new BigDecimal(amount));
    }

    public static BigDecimal sum(BigDecimal a, BigDecimal b) {
        return usd(a.add(b));
    }

    /** Per-token cost from a price quoted per million tokens. */
    public static BigDecimal perMillion(BigDecimal pricePerMillion, long tokens) {
        return usd(pricePerMillion.multiply(BigDecimal.valueOf(tokens)).movePointLeft(6));
    }
}
