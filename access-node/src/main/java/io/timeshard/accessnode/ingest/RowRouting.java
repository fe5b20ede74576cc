package io.timeshard.accessnode.ingest;

import io.timeshard.accessnode.session.Session;
import io.timeshard.catalog.errors.PgException;
import io.timeshard.catalog.errors.SqlState;
import io.timeshard.catalog.model.Hypertable;
import io.timeshard.catalog.model.Identifiers;
import io.timeshard.catalog.partitioning.ColumnType;
import io.timeshard.catalog.partitioning.SpaceHash;
import io.timeshard.catalog.partitioning.TimeValues;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns the text of a row's partitioning fields into routing values: internal time (microseconds
 * since the Unix epoch, or the integer value) and the 31-bit space hash of
 * {@code _timescaledb_functions.get_partition_hash}. Common forms are computed in Java; anything
 * else (other DateStyles, time zone abbreviations, 'now', types without a Java hash) is asked of the
 * access node database in the client's session, so the result — or the error — is PostgreSQL's own.
 */
final class RowRouting {
    private final Session session;
    private final Hypertable ht;
    private final ColumnType timeType;
    private final ColumnType spaceType;
    private final String spaceTypeName;
    private final ZoneId zone;
    private final Map<String, Integer> hashCache = new HashMap<>();

    RowRouting(Session session, Hypertable ht) {
        this.session = session;
        this.ht = ht;
        this.timeType = ColumnType.fromTypeName(ht.time().columnType()).orElseThrow();
        this.spaceType = ht.space() == null ? null : ColumnType.fromTypeName(ht.space().columnType()).orElse(null);
        this.spaceTypeName = ht.space() == null ? null : ht.space().columnType();
        ZoneId z;
        try {
            z = ZoneId.of(session.backend().client().parameterStatus().getOrDefault("TimeZone", "UTC"));
        } catch (DateTimeException e) {
            z = null; // e.g. a POSIX zone: ask the server
        }
        this.zone = z;
    }

    /** @return PostgreSQL's error for a NULL in the time column, as TimescaleDB words it */
    static PgException nullTime(Hypertable ht) {
        return new PgException(SqlState.NOT_NULL_VIOLATION,
                "NULL value in column \"" + ht.time().columnName() + "\" violates not-null constraint")
                .hint("Columns used for time partitioning cannot be NULL.");
    }

    /** @return the internal time of a time field's text */
    long time(String text) {
        if (text == null) throw nullTime(ht);
        if (zone != null) {
            try {
                return TimeValues.toInternal(timeType, text, zone);
            } catch (TimeValues.NotParsed e) {
                // fall through to the server
            }
        }
        String v = session.backend().runForValue("SELECT _timescaledb_functions.time_to_internal("
                + Identifiers.literal(text) + "::" + ht.time().columnType() + ")");
        return Long.parseLong(v);
    }

    /** @return the space hash of a space field's text (0 without a space dimension; NULL hashes to 0) */
    int hash(String text) {
        if (ht.space() == null || text == null) return 0;
        if (spaceType != null && zone != null) {
            try {
                return SpaceHash.partitionHash(spaceType, text, zone);
            } catch (TimeValues.NotParsed | PgException e) {
                // fall through to the server, which gives the exact error for a bad value
            }
        }
        Integer cached = hashCache.get(text);
        if (cached != null) return cached;
        String v = session.backend().runForValue("SELECT _timescaledb_functions.get_partition_hash("
                + Identifiers.literal(text) + "::" + spaceTypeName + ")");
        int h = v == null ? 0 : Integer.parseInt(v);
        if (hashCache.size() < 100_000) hashCache.put(text, h);
        return h;
    }
}
