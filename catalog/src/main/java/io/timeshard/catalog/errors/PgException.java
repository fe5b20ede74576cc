package io.timeshard.catalog.errors;

import java.util.Objects;

/**
 * An error with PostgreSQL's fields (protocol chapter "Error and Notice Message Fields"): severity,
 * SQLSTATE, a message that starts lower-case and names the object, and optionally a DETAIL, a HINT,
 * a CONTEXT and a 1-based cursor POSITION in the statement text. Thrown anywhere in Timeshard; the
 * wire layer turns it into an ErrorResponse (or a NoticeResponse when the severity is a notice level).
 *
 * <p>Fluent setters return {@code this}; build it fully before throwing. Not thread-safe.
 */
public class PgException extends RuntimeException {
    private final String sqlState;
    private String severity = "ERROR";
    private String detail;
    private String hint;
    private String context;
    private int position;

    /**
     * @param sqlState five-character SQLSTATE, see {@link SqlState}; never null
     * @param message  primary message, lower-case first letter, no trailing period; never null
     */
    public PgException(String sqlState, String message) {
        super(Objects.requireNonNull(message, "message"));
        this.sqlState = Objects.requireNonNull(sqlState, "sqlState");
    }

    /** As {@link #PgException(String, String)} keeping {@code cause} for the log. */
    public PgException(String sqlState, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.sqlState = Objects.requireNonNull(sqlState, "sqlState");
    }

    /** Shorthand for SQLSTATE 0A000 feature_not_supported with the given message and hint. */
    public static PgException notSupported(String message, String hint) {
        return new PgException(SqlState.FEATURE_NOT_SUPPORTED, message).hint(hint);
    }

    public PgException detail(String detail) { this.detail = detail; return this; }
    public PgException hint(String hint) { this.hint = hint; return this; }
    public PgException context(String context) { this.context = context; return this; }
    /** @param position 1-based character position in the client's statement, 0 for none */
    public PgException position(int position) { this.position = position; return this; }
    /** @param severity ERROR, FATAL, PANIC, WARNING, NOTICE, DEBUG, INFO or LOG */
    public PgException severity(String severity) { this.severity = Objects.requireNonNull(severity); return this; }

    public String sqlState() { return sqlState; }
    public String severity() { return severity; }
    /** @return the DETAIL field, or null */
    public String detail() { return detail; }
    /** @return the HINT field, or null */
    public String hint() { return hint; }
    /** @return the CONTEXT field, or null */
    public String context() { return context; }
    /** @return 1-based position, 0 when unknown */
    public int position() { return position; }
}
