package io.timeshard.accessnode.session;

/**
 * Signals that a relayed statement failed on the access node database; its ErrorResponse has
 * already been copied to the client, so the session only ends the statement sequence.
 */
public final class RelayedError extends RuntimeException {
    /** Creates the signal (no stack trace: it is control flow). */
    public RelayedError() {
        super("relayed statement failed", null, false, false);
    }
}
