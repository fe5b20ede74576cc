package io.timeshard.accessnode.session;

import io.netty.channel.Channel;
import io.timeshard.accessnode.AccessNode;
import io.timeshard.accessnode.dispatch.Dispatcher;
import io.timeshard.accessnode.read.BoundLiterals;
import io.timeshard.accessnode.wire.BackendMessages;
import io.timeshard.accessnode.wire.ColumnDescription;
import io.timeshard.accessnode.wire.FrontendMessage;
import io.timeshard.accessnode.wire.PgProtocolClient;
import io.timeshard.catalog.errors.PgException;
import io.timeshard.catalog.errors.SqlState;
import io.timeshard.planner.parse.Classified;
import io.timeshard.planner.parse.StatementClassifier;
import io.timeshard.planner.parse.StatementSplitter;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: the PostgreSQL protocol's message flow (protocol chapter "Message Flow")
 * on a platform thread of its own. Every statement is classified (DESIGN.md §2): what the access node
 * database can answer is relayed to the client's own backend session there; the rest — API calls,
 * writes to distributed hypertables, transaction control — is run by the {@link Dispatcher}.
 *
 * <p>Netty's event loop only enqueues messages ({@link #offer}); everything else runs on the
 * session thread, so blocking calls never block an event loop.
 */
public final class Session implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    private static final AtomicInteger PIDS = new AtomicInteger(10_000);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int INBOX_HIGH_WATER = 512;

    private final AccessNode node;
    private final Channel channel;
    private final ClientOutput out;
    private final BlockingQueue<FrontendMessage> inbox = new LinkedBlockingQueue<>();
    private final TransactionState txn = new TransactionState();
    private final int processId = PIDS.incrementAndGet();
    private final int secretKey = RANDOM.nextInt();
    private final Map<String, Prepared> statements = new HashMap<>();
    private final Map<String, Portal> portals = new HashMap<>();
    /** Client portal name → the backend portal of ours that serves its fast read. */
    private final Map<String, String> fastPortals = new HashMap<>();
    private final Dispatcher dispatcher;
    private final StatementDescriptions descriptions;
    private final io.timeshard.accessnode.read.ParsedSelects parsedSelects = new io.timeshard.accessnode.read.ParsedSelects();
    private final io.timeshard.accessnode.read.SubqueryResults subqueryResults = new io.timeshard.accessnode.read.SubqueryResults();
    private final io.timeshard.accessnode.read.LateralPlans lateralPlans = new io.timeshard.accessnode.read.LateralPlans();
    private BackendSession backend;
    private String database;
    private String user;
    private boolean skipUntilSync;
    /** Client portals whose fast read sent its rows straight from a data node: they have no more rows. */
    private final java.util.Set<String> passedThrough = new java.util.HashSet<>();
    private boolean fastPathSettingTouched;
    /** Data node connections running this session's remote reads (guarded by itself). */
    private final java.util.Set<java.sql.Connection> remoteReads = new java.util.HashSet<>();
    /** Whether the session ever ran a statement that may change statement_timeout. */
    private boolean statementTimeoutTouched;
    /** The session's statement_timeout in milliseconds as last read from the server; -1 when it must be read again. */
    private long statementTimeoutMillis = -1;
    /** The statement timer now running (its token), or null (guarded by {@link #remoteReads}). */
    private Object runningTimer;
    /** Whether the current statement's timer fired (its remote reads were cancelled for statement_timeout). */
    private volatile boolean statementTimedOut;
    /** Fires the statement timers of every session; a cancelled timer leaves its queue at once. */
    private static final java.util.concurrent.ScheduledThreadPoolExecutor TIMERS = new java.util.concurrent.ScheduledThreadPoolExecutor(1,
            r -> Thread.ofPlatform().daemon().name("statement-timeout").unstarted(r));

    static {
        TIMERS.setRemoveOnCancelPolicy(true);
    }

    /**
     * A prepared statement: relayed (the backend holds it) or ours (with its classification); {@code raw}
     * is the classification before resolution, so a relayed BEGIN/COMMIT is still known as one. A fast
     * read ({@code fastRead}) is described by the backend ({@code columns}; when the session described
     * the same text before, without asking again — {@link StatementDescriptions}) and bound and executed by
     * the access node: on the fast path, or declined, as a statement of the backend — the one it holds
     * when {@code onBackend} (the Parse was forwarded; the backend answers Describe and Close of it).
     */
    private record Prepared(Classified statement, Classified raw, int[] parameterTypes, boolean relayed, boolean fastRead,
                            List<ColumnDescription> columns, boolean onBackend) {
        Prepared(Classified statement, Classified raw, int[] parameterTypes, boolean relayed, boolean fastRead) {
            this(statement, raw, parameterTypes, relayed, fastRead, null, false);
        }
    }

    /**
     * The backend's name for a fast read statement: the client's, but a name of ours for the unnamed
     * statement — the backend drops its unnamed statement at any simple Query, which the access node
     * itself may run before the statement is executed.
     */
    private static String backendName(String statement) {
        return statement.isEmpty() ? "_timeshard_unnamed" : statement;
    }

    /**
     * A portal: relayed, or ours with its bound parameters and requested result formats; {@code
     * statementName} is the name its statement was bound from.
     */
    private record Portal(Prepared statement, String statementName, BoundParameters parameters, short[] resultFormats,
                          boolean relayed) {}

    /**
     * @param node    the access node (configuration, pools, catalogs)
     * @param channel the client's channel
     */
    public Session(AccessNode node, Channel channel) {
        this.node = node;
        this.channel = channel;
        this.out = new ClientOutput(channel);
        this.dispatcher = new Dispatcher(node, this);
        this.descriptions = new StatementDescriptions(node);
    }

    /** Enqueues a message from the event loop; pauses reading from the socket when too many wait. */
    public void offer(FrontendMessage m) {
        inbox.add(m);
        if (inbox.size() > INBOX_HIGH_WATER) channel.config().setAutoRead(false);
    }

    /** Called when the client's connection closed or broke. */
    public void disconnected() {
        inbox.add(new FrontendMessage.Terminate());
    }

    /** @return the next message from the client, blocking; Terminate when the connection is gone */
    public FrontendMessage next() {
        try {
            FrontendMessage m = inbox.take();
            if (inbox.size() < INBOX_HIGH_WATER / 4 && !channel.config().isAutoRead()) {
                channel.config().setAutoRead(true);
            }
            return m;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new FrontendMessage.Terminate();
        }
    }

    /** @return the client's output */
    public ClientOutput out() { return out; }

    /** @return the client's backend session on the access node database */
    public BackendSession backend() { return backend; }

    /** @return this session's parsed SELECTs by shape (for the session thread's fast reads) */
    public io.timeshard.accessnode.read.ParsedSelects parsedSelects() { return parsedSelects; }

    /** @return what this session's probes of local tables returned last (for the session thread's fast reads) */
    public io.timeshard.accessnode.read.SubqueryResults subqueryResults() { return subqueryResults; }

    /** @return the session's last lateral join plan, kept for the same statement over the same rows */
    public io.timeshard.accessnode.read.LateralPlans lateralPlans() { return lateralPlans; }

    /** @return the transaction state */
    public TransactionState txn() { return txn; }

    /** @return the database the client connected to */
    public String database() { return database; }

    /** @return the role the client connected as */
    public String user() { return user; }

    /** Records that the session changed {@code timeshard.enable_fast_path} (custom settings are not reported by the server). */
    public void setFastPathSettingTouched() {
        fastPathSettingTouched = true;
    }

    /** @return whether the fast read path is switched off in this session ({@code SET timeshard.enable_fast_path = off}) */
    public boolean fastPathDisabled() {
        if (!fastPathSettingTouched) return false;
        String v = backend.runForValue("SELECT current_setting('timeshard.enable_fast_path', true)");
        return v != null && (v.equalsIgnoreCase("off") || v.equalsIgnoreCase("false") || v.equals("0"));
    }

    /**
     * Registers a data node connection running a read for this session, so that a client's cancel
     * reaches it ({@link #cancelRemoteReads}); call {@link #remoteReadEnded} before the connection goes
     * back to its pool.
     *
     * @param c a pgjdbc connection (or a pool's proxy of one) busy with this session's remote query
     */
    public void remoteReadStarted(java.sql.Connection c) {
        synchronized (remoteReads) {
            remoteReads.add(c);
        }
    }

    /** Unregisters a connection of {@link #remoteReadStarted}; after it returns, no cancel is sent to it. */
    public void remoteReadEnded(java.sql.Connection c) {
        synchronized (remoteReads) {
            remoteReads.remove(c);
        }
    }

    /**
     * Sends a CancelRequest to the data node of every remote read this session has running (pgjdbc's
     * {@code cancelQuery}: a new connection to the node, as the PostgreSQL protocol's "Canceling Requests
     * in Progress" describes). Each canceled query fails with SQLSTATE 57014, which ends the client's
     * statement. Holding the registry while sending means a connection is never canceled after it went
     * back to its pool; a node whose query has already finished ignores the request, as PostgreSQL does.
     * Failures to reach a node are logged and otherwise ignored: a cancel is best effort.
     */
    public void cancelRemoteReads() {
        synchronized (remoteReads) {
            for (java.sql.Connection c : remoteReads) {
                try {
                    c.unwrap(org.postgresql.core.BaseConnection.class).cancelQuery();
                } catch (java.sql.SQLException e) {
                    LOG.info("could not cancel a remote read of session {}: {}", processId, e.getMessage());
                }
            }
        }
    }

    /**
     * Notes a relayed statement that may change {@code statement_timeout} (SET, RESET, set_config, or a
     * transaction end that may undo one): the next remote read reads the value from the server again.
     * Sessions that never touch it keep PostgreSQL's default from the server's configuration, read once.
     */
    public void statementTimeoutMayHaveChanged() {
        statementTimeoutTouched = true;
        statementTimeoutMillis = -1;
    }

    /** Notes the end of a transaction (or a rollback to a savepoint), which undoes SET LOCAL and SETs made inside it. */
    public void transactionEnded() {
        if (statementTimeoutTouched) statementTimeoutMillis = -1;
    }

    /**
     * Starts the current statement's timer for its remote reads: when the session's {@code
     * statement_timeout} (milliseconds, read from the server when it may have changed) passes, the data
     * nodes' queries are cancelled ({@link #cancelRemoteReads}) and fail with 57014 {@code canceling
     * statement due to statement timeout}, as PostgreSQL's own would. The combine step on the access node
     * database has the same setting there.
     *
     * @return the timer, to close when the remote reads are over (a no-op without a timeout)
     */
    public StatementTimer statementTimer() {
        if (statementTimeoutMillis < 0) {
            String v = backend.runForValue("SELECT setting FROM pg_catalog.pg_settings WHERE name = 'statement_timeout'");
            statementTimeoutMillis = v == null ? 0 : Long.parseLong(v);
        }
        statementTimedOut = false;
        if (statementTimeoutMillis == 0) return () -> { };
        Object token = new Object();
        synchronized (remoteReads) {
            runningTimer = token;
        }
        var timer = TIMERS.schedule(() -> {
            synchronized (remoteReads) {
                if (runningTimer != token) return; // closed meanwhile: the next statement's reads are not ours
                statementTimedOut = true;
                cancelRemoteReads();
            }
        }, statementTimeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
        return () -> {
            synchronized (remoteReads) {
                runningTimer = null;
            }
            timer.cancel(false);
        };
    }

    /** A statement's timer ({@link #statementTimer}); closing it stops it. */
    public interface StatementTimer extends AutoCloseable {
        @Override
        void close();
    }

    /** @return whether the current statement's remote reads were cancelled by its statement_timeout */
    public boolean statementTimedOut() {
        return statementTimedOut;
    }

    /** @return the process id this session reports in BackendKeyData */
    public int processId() { return processId; }

    /** @return the secret key this session reports in BackendKeyData */
    public int secretKey() { return secretKey; }

    @Override
    public void run() {
        try {
            if (!startup()) return;
            loop();
        } catch (ClientGone e) {
            LOG.debug("client went away", e);
        } catch (RuntimeException e) {
            LOG.warn("session {} ended by an internal error", processId, e);
            try {
                out.error(new PgException(SqlState.INTERNAL_ERROR, String.valueOf(e.getMessage())).severity("FATAL"));
            } catch (RuntimeException ignored) {
                // the client is gone too
            }
        } finally {
            dispatcher.abandon();
            if (backend != null) backend.close();
            node.sessions().remove(this);
            out.close();
            channel.close();
        }
    }

    /** Thrown when the client disappears mid-conversation. */
    static final class ClientGone extends RuntimeException {
        ClientGone() {
            super("client connection closed", null, false, false);
        }
    }

    private boolean startup() {
        FrontendMessage first = next();
        if (first instanceof FrontendMessage.CancelRequest c) {
            node.sessions().cancel(c.processId(), c.secretKey());
            return false;
        }
        if (!(first instanceof FrontendMessage.StartupMessage sm)) return false;
        Map<String, String> params = new LinkedHashMap<>(sm.parameters());
        user = params.get("user");
        if (user == null) {
            out.error(new PgException(SqlState.INVALID_AUTHORIZATION_SPECIFICATION, "no PostgreSQL user name specified in startup packet").severity("FATAL"));
            return false;
        }
        database = params.getOrDefault("database", user);
        params.put("database", database);
        params.remove("replication");
        if (sm.minorVersion() > 0) {
            List<String> unknown = sm.parameters().keySet().stream().filter(k -> k.startsWith("_pq_.")).toList();
            out.write(b -> BackendMessages.negotiateProtocolVersion(b, 0, unknown));
        }
        params.keySet().removeIf(k -> k.startsWith("_pq_."));
        PgProtocolClient client;
        try {
            client = connectBackend(params);
        } catch (PgException e) {
            out.error(e.severity("FATAL"));
            return false;
        }
        if (client == null) return false;
        backend = new BackendSession(client, out, this::nextOrGone);
        client.onIdle(dispatcher::backendIdle);
        node.sessions().add(this);
        out.write(BackendMessages::authenticationOk);
        for (Map.Entry<String, String> p : client.parameterStatus().entrySet()) {
            out.write(b -> BackendMessages.parameterStatus(b, p.getKey(), p.getValue()));
        }
        out.write(b -> BackendMessages.backendKeyData(b, processId, secretKey));
        String oid = backend.runForValue("SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database()");
        node.catalog(database, Long.parseLong(oid));
        ready();
        return true;
    }

    /**
     * Opens the client's backend session. Authentication is the access node database's: when it asks
     * for a password, the client is asked for one (AuthenticationCleartextPassword) and it is passed on.
     *
     * @return the connected client, or null when the client went away instead of answering
     */
    private PgProtocolClient connectBackend(Map<String, String> params) {
        String host = node.config().databaseHost();
        int port = node.config().databasePort();
        try {
            return PgProtocolClient.connect(host, port, params, null);
        } catch (PgException e) {
            boolean wantsPassword = SqlState.SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION.equals(e.sqlState())
                    && e.getMessage().contains("no password was provided");
            if (!wantsPassword) throw e;
        }
        out.write(BackendMessages::authenticationCleartextPassword);
        out.flush();
        if (!(next() instanceof FrontendMessage.PasswordMessage pm)) return null;
        int len = pm.data().length;
        while (len > 0 && pm.data()[len - 1] == 0) len--;
        String password = new String(pm.data(), 0, len, java.nio.charset.StandardCharsets.UTF_8);
        try {
            return PgProtocolClient.connect(host, port, params, password);
        } catch (PgException e) {
            throw new PgException(SqlState.INVALID_PASSWORD, "password authentication failed for user \"" + user + "\"");
        }
    }

    private FrontendMessage nextOrGone() {
        FrontendMessage m = next();
        if (m instanceof FrontendMessage.Terminate) throw new ClientGone();
        return m;
    }

    private void loop() {
        while (true) {
            FrontendMessage m = next();
            if (m instanceof FrontendMessage.Terminate) return;
            if (skipUntilSync && !(m instanceof FrontendMessage.Sync)) continue;
            try {
                switch (m) {
                    case FrontendMessage.Query q -> simpleQuery(q.sql());
                    case FrontendMessage.Parse p -> parse(p);
                    case FrontendMessage.Bind b -> bind(b);
                    case FrontendMessage.Describe d -> describe(d);
                    case FrontendMessage.Execute e -> execute(e);
                    case FrontendMessage.Close c -> close(c);
                    case FrontendMessage.Sync s -> sync();
                    case FrontendMessage.Flush f -> {
                        backend.drain();
                        out.flush();
                    }
                    case FrontendMessage.CopyData d -> { } // after a failed COPY: ignored, as PostgreSQL does
                    case FrontendMessage.CopyDone d -> { }
                    case FrontendMessage.CopyFail f -> { }
                    case FrontendMessage.FunctionCall f -> throw PgException.notSupported(
                            "the fastpath function call interface is not supported", "Call the function in a query.");
                    default -> throw BackendSession.unexpected(m);
                }
            } catch (PgException e) {
                if (SqlState.PROTOCOL_VIOLATION.equals(e.sqlState())) {
                    out.error(e.severity("FATAL"));
                    return;
                }
                // an error in the extended protocol: report it and skip to the next Sync
                statementFailed(e);
                skipUntilSync = true;
            }
        }
    }

    // ---- simple query protocol ----------------------------------------------------------------

    private void simpleQuery(String sql) {
        List<String> parts = StatementSplitter.split(sql);
        if (parts.isEmpty()) {
            out.write(BackendMessages::emptyQueryResponse);
            ready();
            return;
        }
        boolean allRelayed = true;
        try {
            for (String part : parts) {
                allRelayed &= dispatcher.resolve(StatementClassifier.classify(part)) instanceof Classified.Relay
                        && !dispatcher.mayReadHypertable(part);
            }
        } catch (PgException e) {
            statementFailed(e);
            endImplicitTransaction(false);
            ready();
            return;
        }
        if (allRelayed && !txn.failed && !txn.hasDistributedWork()) {
            // The common case, e.g. psql's catalog queries: PostgreSQL answers the whole string itself.
            backend.relayQuery(sql, false);
            txn.inBlock = backend.status() != 'I';
            ready();
            return;
        }
        boolean ok = true;
        if (parts.size() > 1 && !txn.inBlock && !txn.backendOpenedByUs) {
            backend.run("BEGIN"); // a multi-statement string is one implicit transaction
            txn.backendOpenedByUs = true;
        }
        for (String part : parts) {
            try {
                // classified again at its turn: an earlier statement may have changed what it means
                QueryResult result = dispatcher.execute(StatementClassifier.classify(part), BoundParameters.NONE, null);
                if (result != null) writeResult(result, true, null);
            } catch (RelayedError e) {
                if (txn.inBlock) txn.failed = true;
                ok = false;
                break;
            } catch (PgException e) {
                statementFailed(e);
                ok = false;
                break;
            }
        }
        endImplicitTransaction(ok);
        ready();
    }

    /** Reports an error for the current statement and marks the transaction failed. */
    private void statementFailed(PgException e) {
        out.error(e);
        if (txn.inBlock) txn.failed = true;
    }

    /** Ends the implicit transaction of a Query message or extended segment outside an explicit block. */
    private void endImplicitTransaction(boolean ok) {
        if (txn.inBlock) return;
        if (!ok) transactionEnded(); // a SET in it was undone
        try {
            if (ok) dispatcher.commitImplicit();
            else dispatcher.rollbackImplicit();
        } catch (PgException e) {
            out.error(e);
            dispatcher.rollbackImplicit();
        }
    }

    private void ready() {
        char status = txn.inBlock ? (txn.failed || backend.status() == 'E' ? 'E' : 'T') : 'I';
        out.write(b -> BackendMessages.readyForQuery(b, status));
        out.flush();
    }

    /** @return the error PostgreSQL gives for a statement inside a failed transaction block */
    public static PgException abortedTransaction() {
        return new PgException(SqlState.IN_FAILED_SQL_TRANSACTION,
                "current transaction is aborted, commands ignored until end of transaction block");
    }

    /** Writes our own result: RowDescription (when asked), DataRows and CommandComplete. */
    void writeResult(QueryResult r, boolean withDescription, short[] formats) {
        if (!r.columns().isEmpty()) {
            if (withDescription) out.write(b -> BackendMessages.rowDescription(b, r.columns()));
            for (byte[][] row : r.rows()) {
                byte[][] encoded = formats == null ? row : ResultFormats.encode(r.columns(), row, formats);
                out.write(b -> BackendMessages.dataRow(b, encoded));
            }
        }
        out.write(b -> BackendMessages.commandComplete(b, r.commandTag()));
    }

    // ---- extended query protocol --------------------------------------------------------------

    private void parse(FrontendMessage.Parse p) {
        Classified c;
        Classified raw;
        List<String> parts = StatementSplitter.split(p.query());
        if (parts.size() != 1) {
            raw = new Classified.Relay(p.query()); // PostgreSQL reports "cannot insert multiple commands…"
            c = raw;
        } else {
            raw = StatementClassifier.classify(parts.getFirst());
            c = dispatcher.resolve(raw);
        }
        if (c instanceof Classified.Relay) {
            if (fastReadCandidate(parts)) {
                if (!p.name().isEmpty() && statements.containsKey(p.name())) {
                    throw new PgException(SqlState.DUPLICATE_PREPARED_STATEMENT, "prepared statement \"" + p.name() + "\" already exists");
                }
                String key = StatementDescriptions.key(p.query(), p.parameterTypes());
                BackendSession.Described d = descriptions.get(key);
                boolean forward = d == null;
                if (forward) {
                    long epoch = node.schemaEpoch();
                    d = backend.forwardParse(new FrontendMessage.Parse(backendName(p.name()), p.query(), p.parameterTypes()),
                            p.name().isEmpty());
                    if (d == null) {
                        statements.remove(p.name()); // the backend replaced the unnamed statement, or has none of that name
                        failSegment();
                        return;
                    }
                    descriptions.put(key, d, epoch);
                } else {
                    backend.drain();
                    out.write(BackendMessages::parseComplete);
                }
                statements.put(p.name(), new Prepared(c, raw, d.parameterTypes(), false, true, d.columns(), forward));
                return;
            }
            if (p.parameterTypes().length == 0 && parts.size() == 1 && dispatcher.isHypertableExplain(parts.getFirst())) {
                // EXPLAIN of a read of a hypertable: shown as the access node runs it (fast path or safety net)
                statements.put(p.name(), new Prepared(c, raw, new int[0], false, false));
                backend.drain();
                out.write(BackendMessages::parseComplete);
                return;
            }
            backend.forward(p);
            statements.put(p.name(), new Prepared(c, raw, p.parameterTypes(), true, false));
            return;
        }
        if (!p.name().isEmpty() && statements.containsKey(p.name()) ) {
            throw new PgException(SqlState.DUPLICATE_PREPARED_STATEMENT, "prepared statement \"" + p.name() + "\" already exists");
        }
        int[] types = dispatcher.describeParameters(c, p.parameterTypes());
        statements.put(p.name(), new Prepared(c, raw, types, false, false));
        backend.drain();
        out.write(BackendMessages::parseComplete);
    }

    private void bind(FrontendMessage.Bind b) {
        Prepared s = statements.get(b.statement());
        String hidden = fastPortals.remove(b.portal());
        if (hidden != null) backend.closePortal(hidden);
        passedThrough.remove(b.portal());
        if (s == null || s.relayed()) {
            backend.forward(b);
            portals.put(b.portal(), new Portal(s, b.statement(), null, null, true));
            return;
        }
        if (b.parameters().length != s.parameterTypes().length && s.parameterTypes().length > 0) {
            throw new PgException(SqlState.PROTOCOL_VIOLATION, "bind message supplies " + b.parameters().length
                    + " parameters, but prepared statement \"" + b.statement() + "\" requires " + s.parameterTypes().length);
        }
        portals.put(b.portal(), new Portal(s, b.statement(), new BoundParameters(s.parameterTypes(), b.parameterFormats(), b.parameters()),
                b.resultFormats(), false));
        backend.drain();
        out.write(BackendMessages::bindComplete);
    }

    private void describe(FrontendMessage.Describe d) {
        if (d.kind() == 'S') {
            Prepared s = statements.get(d.name());
            if (s == null || s.relayed() || s.onBackend()) {
                backend.forward(s != null && s.onBackend() ? new FrontendMessage.Describe('S', backendName(d.name())) : d);
                return;
            }
            backend.drain();
            out.write(b -> BackendMessages.parameterDescription(b, s.parameterTypes()));
            describeRows(s.fastRead() ? s.columns() : dispatcher.describeResult(s.statement()), null);
        } else {
            Portal p = portals.get(d.name());
            if (p == null || p.relayed()) {
                backend.forward(d);
                return;
            }
            backend.drain();
            describeRows(p.statement().fastRead() ? p.statement().columns() : dispatcher.describeResult(p.statement().statement()),
                    p.resultFormats());
        }
    }

    private void describeRows(List<ColumnDescription> columns, short[] formats) {
        if (columns.isEmpty()) {
            out.write(BackendMessages::noData);
        } else {
            List<ColumnDescription> withFormats = ResultFormats.describe(columns, formats);
            out.write(b -> BackendMessages.rowDescription(b, withFormats));
        }
    }

    private void execute(FrontendMessage.Execute e) {
        Portal p = portals.get(e.portal());
        if (p == null || p.relayed()) {
            if (txn.failed) throw abortedTransaction();
            backend.forward(e);
            if (p != null && p.statement() != null && p.statement().raw() instanceof Classified.Transaction t) {
                trackRelayedTransaction(t.statement());
            }
            return;
        }
        backend.drain();
        if (txn.failed && !(p.statement().statement() instanceof Classified.Transaction)) throw abortedTransaction();
        if (p.statement().fastRead()) {
            executeFastRead(e, p);
            return;
        }
        QueryResult r;
        try {
            r = dispatcher.execute(p.statement().statement(), p.parameters(), p.resultFormats());
        } catch (RelayedError err) {
            skipUntilSync = true;
            if (txn.inBlock) txn.failed = true;
            return;
        }
        if (r != null) writeResult(r, false, p.resultFormats());
    }

    /**
     * @return true for a Parse of one SELECT that may read a distributed hypertable (not an EXPLAIN): the
     *         access node binds and executes it itself, on the fast read path when the planner takes it
     *         (decided at Execute, with the bound values)
     */
    private boolean fastReadCandidate(List<String> parts) {
        return parts.size() == 1 && dispatcher.mayReadHypertable(parts.getFirst())
                && !io.timeshard.planner.parse.Tokens.of(parts.getFirst()).get(0).is("explain");
    }

    /**
     * Executes a fast read portal. On the first Execute the bound parameters become literals and the
     * statement is planned. When the data nodes' rows are the answer as they are ({@link
     * io.timeshard.accessnode.read.ReadPath#passesThrough}) and all of them are asked for, they go to the
     * client as they come; so do one node's rows when only it answers a plan that allows that ({@link
     * io.timeshard.accessnode.read.ReadPath#passesThroughFromOneNode}). Otherwise the plan runs (the remote rows handed to the session) and a portal
     * of ours is opened on the combine query — or, when the planner declines, on the backend's own
     * statement with the client's parameters (the safety net); every Execute then takes its rows from
     * that portal, so row limits and PortalSuspended behave as PostgreSQL's.
     */
    private void executeFastRead(FrontendMessage.Execute e, Portal p) {
        if (passedThrough.contains(e.portal())) {
            out.write(b -> BackendMessages.commandComplete(b, "SELECT 0"));
            return;
        }
        String hidden = fastPortals.get(e.portal());
        if (hidden != null) {
            if (!backend.executePortal(hidden, e.maxRows())) failSegment();
            return;
        }
        io.timeshard.accessnode.read.ReadPath.withRetry(node, this, dispatcher, read -> {
            executeFastRead(e, p, read);
            return null;
        });
    }

    /** {@link #executeFastRead(FrontendMessage.Execute, Portal)} on its first Execute, planned and run by {@code read}. */
    private void executeFastRead(FrontendMessage.Execute e, Portal p, io.timeshard.accessnode.read.ReadPath read) {
        String hidden = "_timeshard_fast_" + e.portal();
        String sql = p.statement().statement().sql();
        BoundParameters params = p.parameters();
        var planned = read.plan(params.any() ? BoundLiterals.substitute(sql, BoundLiterals.literals(backend, params)) : sql,
                p.statement().columns(), p.resultFormats());
        if (planned.isPresent() && e.maxRows() == 0 && read.passesThrough(planned.get(), p.statement().columns(), p.resultFormats())) {
            passedThrough(e.portal(), read.passThrough(planned.get(), p.resultFormats()));
            return;
        }
        String combine = null;
        if (planned.isPresent() && e.maxRows() == 0 && read.passesThroughFromOneNode(planned.get(), p.statement().columns(), p.resultFormats())) {
            var loaded = read.loadOrPassThrough(planned.get(), p.resultFormats());
            if (loaded.combineSql() == null) {
                passedThrough(e.portal(), loaded.rowsSent());
                return;
            }
            combine = loaded.combineSql();
        } else if (planned.isPresent()) {
            combine = read.loadForCombine(planned.get());
        }
        boolean current = p.statement().onBackend() && statements.get(p.statementName()) == p.statement();
        boolean ok = planned.isPresent()
                ? backend.openAndExecutePortal(combine, hidden, hidden, BoundParameters.NONE, p.resultFormats(), e.maxRows())
                : backend.openAndExecutePortal(current ? null : sql, current ? backendName(p.statementName()) : hidden, hidden,
                        params, p.resultFormats(), e.maxRows());
        if (!ok) {
            failSegment();
            return;
        }
        fastPortals.put(e.portal(), hidden);
    }

    /** Completes a portal whose rows went to the client straight from the data nodes; a later Execute gets no rows. */
    private void passedThrough(String portal, long rows) {
        out.write(b -> BackendMessages.commandComplete(b, "SELECT " + rows));
        passedThrough.add(portal);
    }

    /** After a relayed error inside the extended segment: skip to Sync, as PostgreSQL does. */
    private void failSegment() {
        skipUntilSync = true;
        if (txn.inBlock) txn.failed = true;
    }

    /**
     * Keeps the client's block state in step with a transaction statement relayed in the extended
     * protocol, whose answer the backend gives only later: a statement of ours in the same segment must
     * know it runs inside the client's block (and not commit at Sync).
     */
    private void trackRelayedTransaction(io.timeshard.planner.parse.TransactionStatement t) {
        switch (t.kind()) {
            case BEGIN -> txn.inBlock = true;
            case COMMIT, ROLLBACK, PREPARE -> {
                txn.inBlock = false;
                txn.failed = false;
            }
            default -> { }
        }
    }

    private void close(FrontendMessage.Close c) {
        if (c.kind() == 'S') {
            Prepared s = statements.remove(c.name());
            if (s == null || s.relayed() || s.onBackend()) {
                backend.forward(s != null && s.onBackend() ? new FrontendMessage.Close('S', backendName(c.name())) : c);
                return;
            }
        } else {
            Portal p = portals.remove(c.name());
            String hidden = fastPortals.remove(c.name());
            passedThrough.remove(c.name());
            if (hidden != null) backend.closePortal(hidden);
            if (p == null || p.relayed()) {
                backend.forward(c);
                return;
            }
        }
        backend.drain();
        out.write(BackendMessages::closeComplete);
    }

    private void sync() {
        boolean relayFailed = backend.segmentFailed();
        backend.sync();
        boolean ok = !skipUntilSync && !relayFailed;
        skipUntilSync = false;
        if (!txn.backendOpenedByUs && !txn.hasDistributedWork()) {
            txn.inBlock = backend.status() != 'I' ;
        }
        if (!ok && txn.inBlock) txn.failed = true;
        endImplicitTransaction(ok);
        portals.keySet().removeIf(String::isEmpty);
        if (!txn.inBlock) {
            fastPortals.clear(); // the backend dropped them with its transaction
            passedThrough.clear();
        } else {
            fastPortals.remove("");
            passedThrough.remove("");
        }
        ready();
    }
}
