package io.timeshard.planner.parse;

import java.util.List;

/**
 * What a single statement is, as far as the access node's dispatch is concerned (DESIGN.md §2).
 * Everything that is not one of the special kinds is {@link Relay}: it runs unchanged in the
 * client's session on the access node database.
 */
public sealed interface Classified {
    /** The statement text as the client sent it (one statement, no trailing semicolon). */
    String sql();

    /** Any statement the access node database answers itself (including reads through the safety net). */
    record Relay(String sql) implements Classified {}

    /** Transaction control. */
    record Transaction(TransactionStatement statement, String sql) implements Classified {}

    /** {@code COPY … FROM STDIN}; the target may or may not be a hypertable. */
    record Copy(CopyStatement statement, String sql) implements Classified {}

    /** {@code CREATE EXTENSION timescaledb} or {@code timeshard}. */
    record CreateExtension(String name, boolean ifNotExists, String sql) implements Classified {}

    /** {@code ALTER EXTENSION timescaledb UPDATE [TO 'version']} (or {@code timeshard}). */
    record UpdateExtension(String name, String sql) implements Classified {}

    /**
     * A call of a multi-node API function, in one of the forms {@code SELECT f(…)},
     * {@code SELECT * FROM f(…)} or {@code CALL f(…)}.
     *
     * @param function   lower-case function name without schema
     * @param arguments  the arguments in order
     * @param selectStar true for the {@code SELECT … FROM f(…)} forms (one column per result field)
     * @param alias      the output column name in the {@code SELECT f(…) [AS alias]} form
     * @param projection for {@code SELECT a, b AS c FROM f(…)}: pairs {result column, output name};
     *                   null for {@code *} and for the {@code SELECT f(…)} form
     */
    record ApiCall(String function, List<Argument> arguments, boolean selectStar, String alias,
                   List<String[]> projection, String sql) implements Classified {}

    /**
     * One argument of an API call.
     *
     * @param name       the parameter name in {@code name => value} form, else null
     * @param expression the argument's SQL text, to be evaluated by the access node database
     */
    record Argument(String name, String expression) {}

    /**
     * A statement that writes to or changes the named relations; dispatch checks whether any of them
     * is a distributed hypertable.
     *
     * @param kind    what it does
     * @param targets the relations written or changed
     */
    record Write(WriteKind kind, List<QualifiedName> targets, String sql) implements Classified {}

    /** Kinds of {@link Write}. */
    enum WriteKind { INSERT, UPDATE, DELETE, TRUNCATE, DROP_TABLE, ALTER_TABLE, CREATE_INDEX, OTHER_DDL }
}
