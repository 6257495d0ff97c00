package io.tiergate.cli.demo;

import java.util.concurrent.TimeUnit;

/**
 * An even send schedule, the open-loop load of the demo and the bench: the {@code i}-th send (from 0)
 * is due {@code i / rate} seconds after the schedule started, whether or not earlier ones were late.
 */
public final class EvenSchedule {

    private final long startNanos = System.nanoTime();
    private final long intervalNanos;

    /** Starts now, {@code perSecond} sends per second (> 0). */
    public EvenSchedule(double perSecond) {
        this.intervalNanos = (long) (1_000_000_000L / perSecond);
    }

    /** When the schedule started ({@link System#nanoTime()}). */
    public long startNanos() {
        return startNanos;
    }

    /** Sleeps until the {@code i}-th send is due; returns at once when it already is. */
    public void awaitTurn(int i) throws InterruptedException {
        long wait = startNanos + i * intervalNanos - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }
}
