package io.timeshard.accessnode.session;

import io.timeshard.accessnode.wire.FrontendMessage;
import io.timeshard.accessnode.wire.PgProtocolClient;
import io.timeshard.accessnode.wire.BackendFrame;
import io.timeshard.catalog.errors.PgException;
import io.timeshard.catalog.errors.SqlState;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The client's own session on the access node database, reached over the raw protocol so that what
 * PostgreSQL answers is relayed byte for byte (DESIGN.md §2). Three ways to use it:
 * <ul>
 *   <li>relay: send the client's messages and copy every frame back to the client;</li>
 *   <li>extended relay: forward Parse/Bind/Describe/Execute/Close and count the answers still owed,
 *       so that the access node can {@link #drain} them before writing answers of its own;</li>
 *   <li>internal: run SQL for the access node itself ({@link #run}), whose frames never reach the client.</li>
 * </ul>
 * Used by the session thread only.
 */
public final class BackendSession {
    private final PgProtocolClient client;
    private final ClientOutput out;
    private final Supplier<FrontendMessage> clientMessages;
    private int owed;
    private boolean segmentTouched;
    private boolean segmentFailed;
    /** Queries of the access node's kept prepared in the backend ({@link #runKept}): SQL → statement name, least recently used first. */
    private final java.util.LinkedHashMap<String, String> kept = new java.util.LinkedHashMap<>(16, 0.75f, true);
    private int keptNames;
    /** Kept statements to close with the next {@link #runKept} (their CloseComplete is read there). */
    private final List<String> keptToClose = new ArrayList<>();
    /** At most this many statements are kept ({@link #runKept}); the least recently used is closed for a new one. */
    static final int MAX_KEPT = 32;

    /**
     * @param client         the connected backend
     * @param out            the client's output
     * @param clientMessages blocking source of the client's next message (for COPY relays)
     */
    public BackendSession(PgProtocolClient client, ClientOutput out, Supplier<FrontendMessage> clientMessages) {
        this.client = client;
        this.out = out;
        this.clientMessages = clientMessages;
    }

    /** @return the protocol client (parameter status, backend key) */
    public PgProtocolClient client() {
        return client;
    }

    /** @return the backend's transaction status from its last ReadyForQuery: 'I', 'T' or 'E' */
    public char status() {
        return client.transactionStatus();
    }

    /**
     * Relays a simple Query and copies every answer to the client, ReadyForQuery excluded unless
     * {@code forwardReady}; relays a COPY FROM STDIN sub-protocol if the backend asks for it.
     *
     * @return true when the backend reported an error
     */
    public boolean relayQuery(String sql, boolean forwardReady) {
        client.send(new FrontendMessage.Query(sql));
        client.flush();
        boolean failed = false;
        while (true) {
            BackendFrame f = client.read();
            switch (f.type()) {
                case 'Z' -> {
                    if (forwardReady) out.frame(f);
                    return failed;
                }
                case 'E' -> {
                    failed = true;
                    out.frame(f);
                    out.flush();
                }
                case 'G' -> {
                    out.frame(f);
                    out.flush();
                    relayCopyIn();
                }
                case 'N' -> {
                    out.frame(f);
                    out.flush();
                }
                default -> out.frame(f);
            }
        }
    }

    /** Copies the client's CopyData/CopyDone/CopyFail to the backend until the copy ends. */
    private void relayCopyIn() {
        while (true) {
            FrontendMessage m = clientMessages.get();
            switch (m) {
                case FrontendMessage.CopyData d -> client.send(d);
                case FrontendMessage.CopyDone d -> {
                    client.send(d);
                    client.flush();
                    return;
                }
                case FrontendMessage.CopyFail fail -> {
                    client.send(fail);
                    client.flush();
                    return;
                }
                case FrontendMessage.Flush ignored -> { }
                case FrontendMessage.Sync ignored -> { }
                default -> {
                    client.send(new FrontendMessage.CopyFail("unexpected message type during COPY"));
                    client.flush();
                    return;
                }
            }
            if (client.hasBufferedInput()) {
                client.flush(); // the backend already answered (an early error): stop feeding it
            }
        }
    }

    /**
     * Forwards one extended-protocol message; its answer is copied to the client later, by
     * {@link #drain} or {@link #sync}.
     */
    public void forward(FrontendMessage m) {
        client.send(m);
        segmentTouched = true;
        if (!(m instanceof FrontendMessage.Flush)) owed++;
    }

    /** @return true when a relayed message of the current extended segment failed */
    public boolean segmentFailed() {
        return segmentFailed;
    }

    /**
     * Makes the backend answer everything forwarded so far (sending Flush) and copies the answers to
     * the client, so that the access node may write answers of its own after them.
     */
    public void drain() {
        if (owed == 0) return;
        client.send(new FrontendMessage.Flush());
        client.flush();
        while (owed > 0) {
            BackendFrame f = client.read();
            out.frame(f);
            switch (f.type()) {
                case '1', '2', '3', 'T', 'n', 'C', 'I', 's' -> owed--;
                case 'E' -> {
                    owed = 0;
                    segmentFailed = true;
                    out.flush();
                }
                case 'G' -> {
                    out.flush();
                    relayCopyIn();
                }
                default -> { }
            }
        }
    }

    /**
     * Ends the extended segment on the backend if it was touched: sends Sync and copies the answers
     * (ReadyForQuery excluded) to the client.
     */
    public void sync() {
        if (!segmentTouched) return;
        client.send(new FrontendMessage.Sync());
        client.flush();
        while (true) {
            BackendFrame f = client.read();
            if (f.type() == 'Z') break;
            if (f.type() == 'G') {
                out.frame(f);
                out.flush();
                relayCopyIn();
                continue;
            }
            out.frame(f);
        }
        owed = 0;
        segmentTouched = false;
        segmentFailed = false;
    }

    /**
     * Runs SQL for the access node itself; notices are dropped.
     *
     * @return the RowDescription and DataRow frames, in order
     * @throws PgException the backend's error (after its ReadyForQuery was read)
     */
    public List<BackendFrame> run(String sql) {
        drain();
        client.send(new FrontendMessage.Query(sql));
        client.flush();
        List<BackendFrame> rows = new ArrayList<>();
        readToReady(f -> {
            if (f.type() == 'T' || f.type() == 'D') rows.add(f);
        });
        return rows;
    }

    /**
     * Reads the backend's answers to the access node's own messages up to ReadyForQuery, handing each frame
     * but ErrorResponse and ReadyForQuery to {@code frames} until an error; a COPY FROM STDIN the backend
     * starts is refused (CopyFail).
     *
     * @throws PgException the backend's first error, or the first {@code frames} raised — after ReadyForQuery
     */
    private void readToReady(java.util.function.Consumer<BackendFrame> frames) {
        PgException error = null;
        while (true) {
            BackendFrame f = client.read();
            switch (f.type()) {
                case 'Z' -> {
                    if (error != null) throw error;
                    return;
                }
                case 'E' -> {
                    if (error == null) error = f.toException();
                }
                case 'G' -> {
                    client.send(new FrontendMessage.CopyFail("COPY is not allowed here"));
                    client.flush();
                }
                default -> {
                    if (error != null) continue;
                    try {
                        frames.accept(f);
                    } catch (PgException e) {
                        error = e; // keep reading to ReadyForQuery, then report it
                    }
                }
            }
        }
    }

    /**
     * Runs {@code COPY … FROM STDIN} for the access node itself, feeding it the CopyData payloads
     * {@code rows} supplies until it returns null.
     *
     * @return the number of rows copied
     * @throws PgException the backend's error (after its ReadyForQuery was read), or the supplier's
     */
    public long copyIn(String copySql, java.util.function.Supplier<byte[]> rows) {
        drain();
        client.send(new FrontendMessage.Query(copySql));
        client.flush();
        PgException error = null;
        String tag = null;
        boolean fed = false;
        while (true) {
            BackendFrame f = client.read();
            switch (f.type()) {
                case 'G' -> {
                    fed = true;
                    try {
                        for (byte[] r = rows.get(); r != null; r = rows.get()) client.send(new FrontendMessage.CopyData(r));
                        client.send(new FrontendMessage.CopyDone());
                    } catch (RuntimeException e) {
                        client.send(new FrontendMessage.CopyFail(String.valueOf(e.getMessage())));
                        error = e instanceof PgException pe ? pe : new PgException(SqlState.INTERNAL_ERROR, String.valueOf(e.getMessage()));
                    }
                    client.flush();
                }
                case 'E' -> {
                    if (error == null) error = f.toException();
                }
                case 'C' -> tag = f.commandTag();
                case 'Z' -> {
                    if (error != null) throw error;
                    if (!fed) throw new PgException(SqlState.INTERNAL_ERROR, "the backend did not start COPY");
                    return Long.parseLong(tag.substring(tag.lastIndexOf(' ') + 1));
                }
                default -> { }
            }
        }
    }

    /**
     * Runs a query of the access node's — no parameters, text results, outside a transaction block — as a
     * statement it keeps prepared in the backend under a name of its own ({@code _timeshard_kept_n}, at most
     * {@value #MAX_KEPT}): PostgreSQL parses and plans it once, not on every run (TSBS lastpoint's probe of the
     * tags table: 0.27-0.29 against 0.36-0.42 ms). Parse (the first time), Bind, Execute and Sync go in one
     * round trip. A kept statement the backend no longer has (the client's DISCARD ALL or DEALLOCATE ALL: 26000)
     * or whose result columns changed (0A000 "cached plan must not change result type") is prepared again, once.
     *
     * @param sql one statement without a top-level semicolon
     * @return the bodies of its DataRow messages
     * @throws PgException the backend's error (after its ReadyForQuery was read)
     */
    public List<byte[]> runKept(String sql) {
        try {
            return runKeptOnce(sql);
        } catch (PgException e) {
            // whatever failed — the Parse, the plan, the run — the statement is prepared anew next time
            String name = kept.remove(sql);
            if (name == null) throw e;
            keptToClose.add(name);
            boolean stale = SqlState.INVALID_SQL_STATEMENT_NAME.equals(e.sqlState())
                    || SqlState.FEATURE_NOT_SUPPORTED.equals(e.sqlState()) && String.valueOf(e.getMessage()).contains("cached plan must not change result type");
            if (!stale) throw e;
            return runKeptOnce(sql);
        }
    }

    private List<byte[]> runKeptOnce(String sql) {
        drain();
        String name = kept.get(sql);
        boolean parse = name == null;
        if (parse) {
            if (kept.size() == MAX_KEPT) {
                var eldest = kept.entrySet().iterator();
                keptToClose.add(eldest.next().getValue());
                eldest.remove();
            }
            name = "_timeshard_kept_" + ++keptNames;
        }
        // first, so that a failing Parse (the rest skipped to Sync) does not keep them open; no error when already gone
        for (String closed : keptToClose) client.send(new FrontendMessage.Close('S', closed));
        keptToClose.clear();
        if (parse) {
            client.send(new FrontendMessage.Parse(name, sql, new int[0]));
            kept.put(sql, name);
        }
        client.send(new FrontendMessage.Bind("", name, new short[0], new byte[0][], new short[0]));
        client.send(new FrontendMessage.Execute("", 0));
        client.send(new FrontendMessage.Sync());
        client.flush();
        List<byte[]> rows = new ArrayList<>();
        readToReady(f -> {
            if (f.type() == 'D') rows.add(f.body());
        });
        return rows;
    }

    /** @return the first column of the first row of {@code sql}, or null */
    public String runForValue(String sql) {
        for (BackendFrame f : run(sql)) {
            if (f.type() == 'D') {
                byte[] v = f.dataRow()[0];
                return v == null ? null : new String(v, java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /**
     * Runs one statement with parameters through the extended protocol for the access node itself,
     * streaming each DataRow to {@code rows} (statement name {@code _timeshard_internal}).
     *
     * @param resultFormats format code per result column
     * @return the CommandComplete tag
     * @throws PgException the backend's error
     */
    public String runExtended(String sql, BoundParameters params, short[] resultFormats,
                              java.util.function.Consumer<byte[][]> rows) {
        drain();
        client.send(new FrontendMessage.Parse("_timeshard_internal", sql, params.types()));
        client.send(new FrontendMessage.Bind("", "_timeshard_internal", params.formats(), params.values(), resultFormats));
        client.send(new FrontendMessage.Execute("", 0));
        client.send(new FrontendMessage.Close('S', "_timeshard_internal"));
        client.send(new FrontendMessage.Sync());
        client.flush();
        String[] tag = {null};
        readToReady(f -> {
            if (f.type() == 'D') rows.accept(f.dataRow());
            if (f.type() == 'C') tag[0] = f.commandTag();
        });
        return tag[0];
    }

    /**
     * A statement as the backend describes it.
     *
     * @param parameterTypes its parameter type OIDs as PostgreSQL resolved them
     * @param columns        its result columns (text formats), empty when it returns no rows
     */
    public record Described(int[] parameterTypes, List<io.timeshard.accessnode.wire.ColumnDescription> columns) {}

    /**
     * Forwards the client's Parse of a statement the access node will bind and execute itself (a fast
     * read candidate), so that PostgreSQL checks and keeps it under the name in {@code p} — which, when
     * {@code replace}, replaces a statement of that name the backend may hold (it is closed first) — and
     * describes it; one round trip. ParseComplete or the error is copied to the client; the
     * CloseComplete, ParameterDescription and RowDescription are not.
     *
     * @return the statement's description; null when the backend reported an error (already copied to the client)
     */
    public Described forwardParse(FrontendMessage.Parse p, boolean replace) {
        drain();
        segmentTouched = true;
        if (replace) client.send(new FrontendMessage.Close('S', p.name()));
        client.send(p);
        client.send(new FrontendMessage.Describe('S', p.name()));
        client.send(new FrontendMessage.Flush());
        client.flush();
        int[] types = p.parameterTypes();
        while (true) {
            BackendFrame f = client.read();
            switch (f.type()) {
                case '1' -> out.frame(f);
                case 't' -> types = f.parameterDescription();
                case 'T' -> {
                    return new Described(types, f.rowDescription());
                }
                case 'n' -> {
                    return new Described(types, List.of());
                }
                case 'E' -> {
                    out.frame(f);
                    segmentFailed = true;
                    return null;
                }
                default -> { }
            }
        }
    }

    /**
     * Opens a portal of the access node's own on the backend and executes it, in one exchange: Parse
     * (when {@code sql} is given; the statement is closed again, the portal keeps what it needs) or the
     * backend's statement {@code statement} as it is, then Bind, Execute of at most {@code maxRows} rows
     * (0 = all) and Flush. The rows and the CommandComplete or PortalSuspended are copied to the client;
     * later Executes go through {@link #executePortal}. Inside the client's extended segment: a failure
     * leaves the backend skipping to the next Sync, which the session forwards.
     *
     * @param sql    the query to prepare as {@code statement}, or null to bind the statement the backend holds
     * @param params the portal's parameters ({@link BoundParameters#NONE} for none)
     * @return false when the backend reported an error (already copied to the client)
     */
    public boolean openAndExecutePortal(String sql, String statement, String portal, BoundParameters params,
                                        short[] resultFormats, int maxRows) {
        drain();
        segmentTouched = true;
        if (sql != null) client.send(new FrontendMessage.Parse(statement, sql, params.types()));
        client.send(new FrontendMessage.Bind(portal, statement, params.formats(), params.values(), resultFormats));
        if (sql != null) client.send(new FrontendMessage.Close('S', statement));
        return executeAndCopy(new FrontendMessage.Execute(portal, maxRows));
    }

    /**
     * Executes a portal opened by {@link #openAndExecutePortal} again: at most {@code maxRows} rows (0 =
     * all), then CommandComplete or PortalSuspended, all copied to the client.
     *
     * @return false when the backend reported an error (already copied to the client)
     */
    public boolean executePortal(String portal, int maxRows) {
        drain();
        segmentTouched = true;
        return executeAndCopy(new FrontendMessage.Execute(portal, maxRows));
    }

    /** Sends {@code execute} and Flush, skips the answers to what was sent before it, copies the rest. */
    private boolean executeAndCopy(FrontendMessage.Execute execute) {
        client.send(execute);
        client.send(new FrontendMessage.Flush());
        client.flush();
        while (true) {
            BackendFrame f = client.read();
            switch (f.type()) {
                case '1', '2', '3' -> { }
                case 'C', 's', 'I' -> {
                    out.frame(f);
                    return true;
                }
                case 'E' -> {
                    out.frame(f);
                    segmentFailed = true;
                    return false;
                }
                default -> out.frame(f);
            }
        }
    }

    /** Closes a portal of the access node's own; never reports anything to the client. */
    public void closePortal(String portal) {
        drain();
        segmentTouched = true;
        client.send(new FrontendMessage.Close('P', portal));
        client.send(new FrontendMessage.Flush());
        client.flush();
        while (true) {
            BackendFrame f = client.read();
            if (f.type() == '3' || f.type() == 'E') return;
        }
    }

    /**
     * Describes a statement on the backend without running it.
     *
     * @return the parameter type OIDs the backend inferred
     * @throws PgException the backend's error (e.g. 42703 for an unknown column)
     */
    public int[] describeParameters(String sql, int[] types) {
        drain();
        client.send(new FrontendMessage.Parse("_timeshard_describe", sql, types));
        client.send(new FrontendMessage.Describe('S', "_timeshard_describe"));
        client.send(new FrontendMessage.Close('S', "_timeshard_describe"));
        client.send(new FrontendMessage.Sync());
        client.flush();
        PgException error = null;
        int[] params = types;
        while (true) {
            BackendFrame f = client.read();
            switch (f.type()) {
                case 'Z' -> {
                    if (error != null) throw error;
                    return params;
                }
                case 'E' -> error = f.toException();
                case 't' -> params = f.parameterDescription();
                default -> { }
            }
        }
    }

    /** Closes the backend connection. */
    public void close() {
        try {
            client.close();
        } catch (RuntimeException ignored) {
            // the backend may be gone already
        }
    }

    /** @return a protocol violation error for a message the session cannot take now */
    static PgException unexpected(FrontendMessage m) {
        return new PgException(SqlState.PROTOCOL_VIOLATION, "unexpected message " + m.getClass().getSimpleName());
    }
}
