package io.timeshard.catalog.model;

/**
 * Quoting of identifiers and literals for SQL sent to PostgreSQL servers, as PostgreSQL's
 * {@code quote_ident} and {@code quote_literal} do (with standard_conforming_strings on). Every name
 * and value Timeshard writes into remote SQL goes through here.
 */
public final class Identifiers {
    private Identifiers() {}

    /** @return {@code "name"} with embedded double quotes doubled; always quoted, never null */
    public static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** @return {@code 'value'} with embedded single quotes doubled, or {@code NULL} for null */
    public static String literal(String value) {
        if (value == null) return "NULL";
        if (value.indexOf('\\') >= 0) return "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
        return '\'' + value.replace("'", "''") + '\'';
    }
}
