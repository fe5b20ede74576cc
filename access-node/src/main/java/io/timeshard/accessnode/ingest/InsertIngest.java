package io.timeshard.accessnode.ingest;

import io.timeshard.accessnode.AccessNode;
import io.timeshard.accessnode.dispatch.Dispatcher;
import io.timeshard.accessnode.session.BoundParameters;
import io.timeshard.accessnode.session.QueryResult;
import io.timeshard.accessnode.session.Session;
import io.timeshard.catalog.errors.PgException;
import io.timeshard.catalog.model.Chunk;
import io.timeshard.catalog.model.Column;
import io.timeshard.catalog.model.Hypertable;
import io.timeshard.catalog.model.Identifiers;
import io.timeshard.planner.parse.StatementSplitter;
import io.timeshard.planner.parse.Tokens;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code INSERT INTO hypertable … VALUES … | SELECT …} (DESIGN.md §4). PostgreSQL itself evaluates
 * the rows, in the client's own session: the statement is run against a temporary <em>stage
 * table</em> shaped like the hypertable ({@code LIKE … INCLUDING DEFAULTS INCLUDING CONSTRAINTS}),
 * with {@code RETURNING *} plus the row's internal time and space hash. So defaults, casts,
 * parameters (text or binary, as the client bound them), CHECK constraints and their errors are
 * exactly PostgreSQL's. The returned rows arrive in binary format and go to each replica data node
 * in a binary COPY stream. The stage table deletes its rows at commit.
 */
public final class InsertIngest {
    private static final Pattern TARGET = Pattern.compile(
            "(?is)^\\s*insert\\s+into\\s+((?:\"(?:[^\"]|\"\")*\"|[\\w$]+)(?:\\s*\\.\\s*(?:\"(?:[^\"]|\"\")*\"|[\\w$]+))?)");
    static final byte[] BINARY_HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};
    static final byte[] BINARY_TRAILER = {(byte) 0xFF, (byte) 0xFF};

    private final AccessNode node;
    private final Session session;
    private final Dispatcher dispatcher;

    /** One per statement. */
    public InsertIngest(AccessNode node, Session session, Dispatcher dispatcher) {
        this.node = node;
        this.session = session;
        this.dispatcher = dispatcher;
    }

    /** @return the parameter types PostgreSQL infers for the INSERT (for Describe of a prepared INSERT) */
    public static int[] describeParameters(Session session, Hypertable ht, String sql, int[] types) {
        ensureStageTable(session, ht);
        return session.backend().describeParameters(stagedSql(ht, sql), types);
    }

    /**
     * Runs the INSERT.
     *
     * @return {@code INSERT 0 n}
     * @throws PgException 0A000 for RETURNING and ON CONFLICT (not supported yet); PostgreSQL's own
     *                     error for a bad value; a data node's error
     */
    public QueryResult run(Hypertable ht, String sql, BoundParameters params) {
        dispatcher.coordinator().ensureBackendBlock();
        ensureStageTable(session, ht);
        String staged = stagedSql(ht, sql);
        int n = ht.columns().size();
        short[] formats = new short[n + 2];
        for (int i = 0; i < n; i++) formats[i] = 1;
        StringBuilder cols = new StringBuilder();
        for (Column c : ht.columns()) {
            if (!cols.isEmpty()) cols.append(", ");
            cols.append(Identifiers.quote(c.name()));
        }
        String copySql = "COPY " + ht.qualifiedName() + " (" + cols + ") FROM STDIN WITH (FORMAT binary)";
        DistributedWriter writer = new DistributedWriter(session, node.pools(), dispatcher.catalog(), ht, copySql,
                BINARY_HEADER, BINARY_TRAILER);
        long[] line = {0};
        try {
            session.backend().runExtended(staged, params, formats, values -> {
                line[0]++;
                if (values[n] == null) throw RowRouting.nullTime(ht);
                long time = Long.parseLong(new String(values[n], StandardCharsets.US_ASCII));
                int hash = values[n + 1] == null ? 0 : Integer.parseInt(new String(values[n + 1], StandardCharsets.US_ASCII));
                Chunk chunk = writer.route(time, hash);
                ByteBuffer b = encodeBinaryRow(values, n);
                writer.write(chunk, b.array(), 0, b.position(), line[0], 0);
            });
            return QueryResult.command("INSERT 0 " + writer.finish());
        } catch (RuntimeException e) {
            writer.abort();
            throw e;
        }
    }

    private ByteBuffer row = ByteBuffer.allocate(1024);

    /** @return a buffer holding one binary COPY tuple: int16 field count, then per field int32 length (-1 = NULL) + bytes */
    private ByteBuffer encodeBinaryRow(byte[][] values, int n) {
        int size = 2;
        for (int i = 0; i < n; i++) size += 4 + (values[i] == null ? 0 : values[i].length);
        if (row.capacity() < size) row = ByteBuffer.allocate(size * 2);
        row.clear();
        row.putShort((short) n);
        for (int i = 0; i < n; i++) {
            if (values[i] == null) {
                row.putInt(-1);
            } else {
                row.putInt(values[i].length);
                row.put(values[i]);
            }
        }
        return row;
    }

    private static String stageName(Hypertable ht) {
        return "_timeshard_stage_" + ht.id();
    }

    private static void ensureStageTable(Session session, Hypertable ht) {
        session.backend().run("CREATE TEMPORARY TABLE IF NOT EXISTS " + Identifiers.quote(stageName(ht)) + " (LIKE "
                + ht.qualifiedName() + " INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED) ON COMMIT DELETE ROWS");
    }

    /** @return the client's INSERT aimed at the stage table, returning every column plus the routing values */
    static String stagedSql(Hypertable ht, String sql) {
        String stripped = StatementSplitter.stripComments(sql);
        Tokens t = Tokens.of(stripped);
        for (int i = 0; i < t.size(); i++) {
            if (t.get(i).is("returning")) {
                throw PgException.notSupported("INSERT … RETURNING is not supported on distributed hypertables yet", null);
            }
            if (t.get(i).is("on") && t.get(i + 1).is("conflict")) {
                throw PgException.notSupported("INSERT … ON CONFLICT is not supported on distributed hypertables yet",
                        "Load the rows without ON CONFLICT, or deduplicate before loading.");
            }
        }
        Matcher m = TARGET.matcher(stripped);
        if (!m.find()) {
            throw PgException.notSupported("this form of INSERT is not supported on distributed hypertables", null);
        }
        String space = ht.space() == null ? "NULL::integer"
                : ChunkCreator.spaceKey(ht);
        return stripped.substring(0, m.start(1)) + "pg_temp." + Identifiers.quote(stageName(ht))
                + stripped.substring(m.end(1)).stripTrailing()
                + " RETURNING *, _timescaledb_functions.time_to_internal(" + Identifiers.quote(ht.time().columnName()) + "), "
                + space;
    }
}
