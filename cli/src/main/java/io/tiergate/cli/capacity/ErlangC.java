package io.tiergate.cli.capacity;

/**
 * The M/M/c queue (Poisson arrivals, exponential service, c servers, first come first served):
 * probability of waiting (Erlang C), mean wait and the sojourn time's distribution. Rates and times
 * in any one unit (the model uses ms).
 */
public final class ErlangC {

    private ErlangC() {}

    /**
     * Probability that an arrival waits, for {@code servers} servers offered {@code load} = λ x mean
     * service time (Erlangs); 1 when {@code load >= servers} (no steady state). Computed through
     * the Erlang B recursion, stable for hundreds of servers.
     */
    public static double probabilityOfWaiting(int servers, double load) {
        if (servers < 1) {
            throw new IllegalArgumentException("servers must be >= 1, was " + servers);
        }
        if (load <= 0) {
            return 0;
        }
        if (load >= servers) {
            return 1;
        }
        double erlangB = 1;
        for (int k = 1; k <= servers; k++) {
            erlangB = load * erlangB / (k + load * erlangB);
        }
        return servers * erlangB / (servers - load * (1 - erlangB));
    }

    /** Mean time in queue before service starts; infinite without a steady state. */
    public static double meanWait(double arrivalRate, int servers, double meanServiceTime) {
        double load = arrivalRate * meanServiceTime;
        if (load >= servers) {
            return Double.POSITIVE_INFINITY;
        }
        return probabilityOfWaiting(servers, load) * meanServiceTime / (servers - load);
    }

    /**
     * P(sojourn > t), sojourn = wait + service: with probability 1 - C no wait, with C an
     * exponential wait of rate cμ - λ; the service is exponential of rate μ and independent of it.
     */
    public static double sojournExceeds(double t, double arrivalRate, int servers, double meanServiceTime) {
        if (t <= 0) {
            return 1;
        }
        double mu = 1 / meanServiceTime;
        double load = arrivalRate * meanServiceTime;
        if (load >= servers) {
            return 1;
        }
        double waiting = probabilityOfWaiting(servers, load);
        double theta = servers * mu - arrivalRate;
        double serviceOnly = Math.exp(-mu * t);
        double waitThenService; // P(Exp(theta) + Exp(mu) > t)
        if (Math.abs(mu - theta) < 1e-9 * mu) {
            waitThenService = Math.exp(-mu * t) * (1 + mu * t);
        } else {
            waitThenService = (mu * Math.exp(-theta * t) - theta * Math.exp(-mu * t)) / (mu - theta);
        }
        return (1 - waiting) * serviceOnly + waiting * waitThenService;
    }
}
