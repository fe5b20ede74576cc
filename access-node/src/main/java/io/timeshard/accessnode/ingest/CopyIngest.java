package io.timeshard.accessnode.ingest;

import io.timeshard.accessnode.AccessNode;
import io.timeshard.accessnode.dispatch.Dispatcher;
import io.timeshard.accessnode.session.QueryResult;
import io.timeshard.accessnode.session.Session;
import io.timeshard.accessnode.wire.BackendMessages;
import io.timeshard.accessnode.wire.FrontendMessage;
import io.timeshard.catalog.errors.PgException;
import io.timeshard.catalog.errors.SqlState;
import io.timeshard.catalog.model.Chunk;
import io.timeshard.catalog.model.Hypertable;
import io.timeshard.planner.parse.CopyStatement;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code COPY hypertable FROM STDIN} in text or CSV format (DESIGN.md §4): the access node reads only
 * the time and space fields of each row to route it, and forwards the row's bytes unchanged to the
 * COPY stream of each replica data node. The whole statement is one distributed transaction: a bad
 * row fails it with its line number and leaves no row on any node. Not thread-safe.
 */
public final class CopyIngest {
    private final AccessNode node;
    private final Session session;
    private final Dispatcher dispatcher;

    /** One per statement. */
    public CopyIngest(AccessNode node, Session session, Dispatcher dispatcher) {
        this.node = node;
        this.session = session;
        this.dispatcher = dispatcher;
    }

    /**
     * Runs the COPY sub-protocol with the client and the data nodes.
     *
     * @return {@code COPY n}
     * @throws PgException 0A000 for binary format; 42703 for an unknown column; 23502 for a NULL
     *                     time; 22P04 for a row missing a partitioning field; 57014 when the client
     *                     sends CopyFail; any data node's error with the client's line number
     */
    public QueryResult run(Hypertable ht, CopyStatement copy) {
        if (copy.format().equals("binary")) {
            throw PgException.notSupported("COPY FROM STDIN in binary format is not supported on distributed hypertables yet",
                    "Use text or CSV format.");
        }
        List<String> columns = new ArrayList<>();
        if (copy.columns().isEmpty()) {
            ht.columns().forEach(c -> columns.add(c.name()));
        } else {
            for (String c : copy.columns()) {
                if (ht.columnIndex(c) < 0) {
                    throw new PgException(SqlState.UNDEFINED_COLUMN,
                            "column \"" + c + "\" of relation \"" + ht.tableName() + "\" does not exist");
                }
                columns.add(c);
            }
        }
        int timeField = columns.indexOf(ht.time().columnName());
        if (timeField < 0) throw RowRouting.nullTime(ht);
        int spaceField = ht.space() == null ? -1 : columns.indexOf(ht.space().columnName());
        if (ht.space() != null && spaceField < 0 && ht.columns().get(ht.columnIndex(ht.space().columnName())).notNull()) {
            throw new PgException(SqlState.NOT_NULL_VIOLATION, "null value in column \"" + ht.space().columnName()
                    + "\" of relation \"" + ht.tableName() + "\" violates not-null constraint");
        }
        RowRouting routing = new RowRouting(session, ht);
        CopyFields fields = new CopyFields(copy.csv(), copy.delimiter(), copy.quote(), copy.escape(), copy.nullString());
        boolean timeForceNotNull = copy.forceNotNull().contains(ht.time().columnName());
        boolean spaceForceNotNull = ht.space() != null && copy.forceNotNull().contains(ht.space().columnName());
        DistributedWriter writer = new DistributedWriter(session, node.pools(), dispatcher.catalog(), ht,
                copy.toDataNodeSql(ht.qualifiedName(), columns), new byte[0], new byte[0]);
        short[] formats = new short[columns.size()];
        session.out().write(b -> BackendMessages.copyInResponse(b, (byte) 0, formats));
        session.out().flush();

        CopyRowSplitter splitter = new CopyRowSplitter(copy.csv(), copy.quote(), copy.escape());
        long[] line = {0};
        boolean[] skipHeader = {copy.header()};
        byte[][] rowBuf = {new byte[1024]};
        CopyRowSplitter.RowSink sink = (buf, off, len, quotedNewlines) -> {
            line[0] += 1 + quotedNewlines; // PostgreSQL reports the line a row ends on
            if (skipHeader[0]) {
                skipHeader[0] = false;
                return true;
            }
            String timeText = fields.field(buf, off, len, timeField, timeForceNotNull);
            String spaceText = spaceField < 0 ? null : fields.field(buf, off, len, spaceField, spaceForceNotNull);
            if (timeText == CopyFields.MISSING || spaceText == CopyFields.MISSING) {
                String missing = timeText == CopyFields.MISSING ? ht.time().columnName() : ht.space().columnName();
                throw new PgException(SqlState.BAD_COPY_FILE_FORMAT, "missing data for column \"" + missing + "\"")
                        .context(context(ht, line[0], buf, off, len));
            }
            if (timeText == null) throw RowRouting.nullTime(ht).context(context(ht, line[0], buf, off, len));
            long time;
            int hash;
            try {
                time = routing.time(timeText);
            } catch (PgException e) {
                throw fieldError(e, ht, line[0], ht.time().columnName(), timeText);
            }
            try {
                hash = routing.hash(spaceText);
            } catch (PgException e) {
                throw fieldError(e, ht, line[0], ht.space().columnName(), spaceText);
            }
            Chunk chunk;
            try {
                chunk = writer.route(time, hash);
            } catch (PgException e) {
                throw e.context() != null ? e : e.context(context(ht, line[0], buf, off, len));
            }
            if (rowBuf[0].length < len + 1) rowBuf[0] = new byte[Math.max(len + 1, rowBuf[0].length * 2)];
            System.arraycopy(buf, off, rowBuf[0], 0, len);
            rowBuf[0][len] = '\n';
            writer.write(chunk, rowBuf[0], 0, len + 1, line[0], quotedNewlines);
            return true;
        };
        try {
            while (true) {
                FrontendMessage m = session.next();
                switch (m) {
                    case FrontendMessage.CopyData d -> splitter.feed(d.data(), sink);
                    case FrontendMessage.CopyDone d -> {
                        splitter.finish(sink);
                        if (splitter.unterminatedQuote()) {
                            throw new PgException(SqlState.BAD_COPY_FILE_FORMAT, "unterminated CSV quoted field")
                                    .context("COPY " + ht.tableName() + ", line " + (line[0] + 1));
                        }
                        return QueryResult.command("COPY " + writer.finish());
                    }
                    case FrontendMessage.CopyFail f -> throw new PgException(SqlState.QUERY_CANCELED,
                            "COPY from stdin failed: " + f.message());
                    case FrontendMessage.Flush f -> { }
                    case FrontendMessage.Sync s -> { }
                    case FrontendMessage.Terminate t -> throw new PgException(SqlState.CONNECTION_FAILURE,
                            "unexpected EOF on client connection with an open transaction");
                    default -> throw new PgException(SqlState.PROTOCOL_VIOLATION,
                            "unexpected message type 0x" + Integer.toHexString(m.getClass().getSimpleName().charAt(0)) + " during COPY from stdin");
                }
            }
        } catch (RuntimeException e) {
            writer.abort();
            throw e;
        }
    }

    /**
     * @return a field's input error as PostgreSQL words it for COPY: no cursor position (there is no
     *         statement text to point into) and {@code COPY t, line N, column c: "value"} as CONTEXT
     */
    static PgException fieldError(PgException e, Hypertable ht, long line, String column, String value) {
        String shown = value.length() > 200 ? value.substring(0, 200) + "..." : value;
        return new PgException(e.sqlState(), e.getMessage(), e).detail(e.detail()).hint(e.hint())
                .context("COPY " + ht.tableName() + ", line " + line + ", column " + column + ": \"" + shown + "\"");
    }

    /** @return PostgreSQL's CONTEXT line for a row of a COPY */
    static String context(Hypertable ht, long line, byte[] buf, int off, int len) {
        String row = new String(buf, off, Math.min(len, 200), java.nio.charset.StandardCharsets.UTF_8);
        return "COPY " + ht.tableName() + ", line " + line + ": \"" + row + "\"";
    }
}
