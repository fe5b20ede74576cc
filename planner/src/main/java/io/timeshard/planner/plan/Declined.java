package io.timeshard.planner.plan;

/**
 * Thrown inside the planner when a statement is outside what the fast path takes; {@link
 * DistributedPlanner#plan} turns it into {@code Optional.empty()} (the safety net answers). Carries
 * the reason for logs and tests; no stack trace (it is control flow, and planning is a hot path).
 */
public final class Declined extends RuntimeException {
    public Declined(String reason) {
        super(reason, null, false, false);
    }
}
