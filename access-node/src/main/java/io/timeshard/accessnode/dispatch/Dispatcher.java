package io.timeshard.accessnode.dispatch;

import io.timeshard.accessnode.AccessNode;
import io.timeshard.accessnode.api.ApiCalls;
import io.timeshard.accessnode.ingest.CopyIngest;
import io.timeshard.accessnode.ingest.InsertIngest;
import io.timeshard.accessnode.metadata.DatabaseCatalog;
import io.timeshard.accessnode.session.BoundParameters;
import io.timeshard.accessnode.session.QueryResult;
import io.timeshard.accessnode.session.Session;
import io.timeshard.accessnode.wire.ColumnDescription;
import io.timeshard.catalog.errors.PgException;
import io.timeshard.catalog.errors.SqlState;
import io.timeshard.catalog.model.Hypertable;
import io.timeshard.catalog.model.Identifiers;
import io.timeshard.catalog.store.CatalogStore;
import io.timeshard.planner.parse.Classified;
import io.timeshard.planner.parse.QualifiedName;
import io.timeshard.planner.parse.TransactionStatement;
import java.util.List;
import java.util.Optional;

/**
 * Runs the statements the access node handles itself (DESIGN.md §2): transaction control when data
 * nodes take part, {@code CREATE EXTENSION timescaledb}, API calls, and writes to distributed
 * hypertables. Everything else is {@linkplain #resolve resolved} to a relay. One per session.
 */
public final class Dispatcher {
    private final AccessNode node;
    private final Session session;
    private final TransactionCoordinator coordinator;

    /** @param node the access node; @param session the session it serves */
    public Dispatcher(AccessNode node, Session session) {
        this.node = node;
        this.session = session;
        this.coordinator = new TransactionCoordinator(node, session);
    }

    /** @return the catalog of the session's database */
    public DatabaseCatalog catalog() {
        return node.catalog(session.database());
    }

    /**
     * @return {@code c}, or a {@link Classified.Relay} when the access node database can answer it
     *         alone (a write to a regular table, transaction control without distributed work…)
     */
    public Classified resolve(Classified c) {
        if (mayChangeSchema(c)) {
            node.schemaMayHaveChanged(); // this session's next statements see the change
            schemaChangePending = true;
        }
        if (c instanceof Classified.Transaction t && switch (t.statement().kind()) {
            case COMMIT, ROLLBACK, ROLLBACK_TO, PREPARE -> true;
            default -> false;
        }) {
            session.transactionEnded();
        }
        return switch (c) {
            case Classified.Transaction t -> session.txn().hasDistributedWork() || session.txn().failed
                    || session.txn().backendOpenedByUs ? t : new Classified.Relay(t.sql());
            case Classified.Copy copy -> hypertableOf(new QualifiedName(copy.statement().schema(), copy.statement().table()))
                    .isPresent() ? copy : new Classified.Relay(copy.sql());
            case Classified.Write w -> {
                for (QualifiedName q : w.targets()) {
                    if (hypertableOf(q).isPresent()) yield w;
                }
                yield new Classified.Relay(w.sql());
            }
            case Classified.Relay relay -> {
                refuseStaleRead(relay.sql());
                forgetDroppedDatabase(relay.sql());
                noteFastPathSetting(relay.sql());
                yield relay;
            }
            default -> c;
        };
    }

    /**
     * EXPLAIN [ANALYZE] [VERBOSE] of a query over a distributed hypertable, one row per line in a
     * {@code QUERY PLAN} column as PostgreSQL's EXPLAIN returns: for a query the fast read path takes, its
     * distributed plan ({@link io.timeshard.accessnode.read.ReadPath#explain}, with ANALYZE run and timed);
     * for one it does not, PostgreSQL's own plan of the safety net under a first line that says so. With
     * FORMAT JSON, YAML or XML, one row holding the document ({@link io.timeshard.accessnode.read.ExplainDocument};
     * on the safety net, PostgreSQL's own). EXPLAIN of anything else is relayed.
     *
     * @return the result, or null when this is not such an EXPLAIN (public: the session answers a
     *         prepared EXPLAIN with it too)
     * @throws PgException the query's error (ANALYZE runs it)
     */
    public QueryResult explainHypertableRead(String sql) {
        ExplainTarget target = explainTarget(sql);
        if (target == null) return null;
        String inner = target.query();
        String options = target.options();
        boolean verbose = options.contains("VERBOSE");
        long planning = System.nanoTime();
        // without speculation: the plan shown is the one of the subqueries' current answers
        var read = new io.timeshard.accessnode.read.ReadPath(node, session, this, false);
        var planned = read.plan(inner);
        if (target.format() != null) {
            // one row, of type json, xml or text (YAML) as PostgreSQL's; on the safety net, PostgreSQL's own plan
            byte[] document;
            if (planned.isPresent()) {
                document = read.explain(planned.get(), verbose, options.contains("ANALYZE"), (System.nanoTime() - planning) / 1e6,
                        target.format()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            } else {
                document = session.backend().run(sql).stream().filter(f -> f.type() == 'D').map(f -> f.dataRow()[0]).findFirst()
                        .orElseThrow(() -> new PgException(SqlState.INTERNAL_ERROR, "EXPLAIN returned no row"));
            }
            return new QueryResult(List.of(explainColumn(target.format())), List.<byte[][]>of(new byte[][] {document}), "EXPLAIN");
        }
        List<String> lines;
        if (planned.isPresent()) {
            lines = options.contains("ANALYZE")
                    ? read.explainAnalyze(planned.get(), verbose, (System.nanoTime() - planning) / 1e6)
                    : io.timeshard.accessnode.read.ReadPath.explain(planned.get(), verbose);
        } else {
            lines = new java.util.ArrayList<>();
            lines.add("Timeshard Safety Net (postgres_fdw: " + (session.fastPathDisabled() ? "timeshard.enable_fast_path is off"
                    : "the fast path does not take this statement") + ")");
            for (io.timeshard.accessnode.wire.BackendFrame f : session.backend().run(sql)) {
                if (f.type() == 'D') lines.add(new String(f.dataRow()[0], java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        List<byte[][]> rows = new java.util.ArrayList<>();
        for (String line : lines) rows.add(new byte[][] {line.getBytes(java.nio.charset.StandardCharsets.UTF_8)});
        return new QueryResult(List.of(explainColumn(null)), rows, "EXPLAIN");
    }

    /**
     * An EXPLAIN the access node answers: the explained query, the options before it (upper case), and
     * its format (null for TEXT).
     */
    private record ExplainTarget(String query, String options, io.timeshard.accessnode.read.ExplainDocument.Format format) {}

    /** @return EXPLAIN's one column: json for FORMAT JSON, xml for XML, else text (PostgreSQL's ExplainResultDesc) */
    private static ColumnDescription explainColumn(io.timeshard.accessnode.read.ExplainDocument.Format format) {
        int type = format == io.timeshard.accessnode.read.ExplainDocument.Format.JSON ? 114
                : format == io.timeshard.accessnode.read.ExplainDocument.Format.XML ? 142 : 25;
        return ColumnDescription.of("QUERY PLAN", type, (short) -1);
    }

    private static final java.util.regex.Pattern EXPLAIN_FORMAT = java.util.regex.Pattern.compile("\\bFORMAT\\s+(TEXT|JSON|YAML|XML)\\b");

    /**
     * @return the target of an EXPLAIN of a SELECT or WITH naming a hypertable, else null (also for a
     *         FORMAT PostgreSQL does not know, which it then refuses itself)
     */
    private ExplainTarget explainTarget(String sql) {
        io.timeshard.planner.parse.Tokens t = io.timeshard.planner.parse.Tokens.of(sql);
        if (!t.get(0).is("explain")) return null;
        String upper = sql.toUpperCase(java.util.Locale.ROOT);
        java.util.regex.Matcher start = java.util.regex.Pattern.compile("\\b(SELECT|WITH)\\b").matcher(upper);
        if (!start.find()) return null;
        String options = upper.substring(0, start.start());
        io.timeshard.accessnode.read.ExplainDocument.Format format = null;
        if (options.contains("FORMAT")) {
            java.util.regex.Matcher f = EXPLAIN_FORMAT.matcher(options);
            if (!f.find()) return null;
            if (!f.group(1).equals("TEXT")) format = io.timeshard.accessnode.read.ExplainDocument.Format.valueOf(f.group(1));
        }
        String inner = sql.substring(start.start());
        return mayReadHypertable(inner) ? new ExplainTarget(inner, options, format) : null;
    }

    /**
     * @return true when {@link #explainHypertableRead} answers {@code sql} (decided without planning or
     *         running anything: a prepared EXPLAIN ANALYZE runs its query once, at Execute)
     */
    public boolean isHypertableExplain(String sql) {
        return explainTarget(sql) != null;
    }

    /**
     * @return true for a SELECT (or WITH …, or an EXPLAIN of one) that names a distributed hypertable of this
     *         database: a candidate for the fast read path (which then decides), so it must not be
     *         relayed blindly
     */
    public boolean mayReadHypertable(String sql) {
        io.timeshard.planner.parse.Tokens t = io.timeshard.planner.parse.Tokens.of(sql);
        if (!t.get(0).is("select") && !t.get(0).is("explain") && !t.get(0).is("with")) return false;
        for (io.timeshard.planner.parse.Tokens.Token tok : t.tokens()) {
            if (tok.isName() && catalog().isHypertableName(tok.text())) return true;
        }
        return false;
    }

    /** @return true when {@code text} names a distributed hypertable of this database anywhere */
    public boolean mayReadHypertableText(String text) {
        for (io.timeshard.planner.parse.Tokens.Token tok : io.timeshard.planner.parse.Tokens.of(text).tokens()) {
            if (tok.isName() && catalog().isHypertableName(tok.text())) return true;
        }
        return false;
    }

    /**
     * Notes a relayed statement that may change a setting the access node reads: a SET/RESET of
     * timeshard.enable_fast_path (from then on the read path asks the server for it), and anything naming
     * statement_timeout or resetting or discarding all settings (its value is read again).
     */
    private void noteFastPathSetting(String sql) {
        String s = sql.toLowerCase(java.util.Locale.ROOT);
        boolean all = (s.contains("reset") || s.contains("discard")) && s.contains("all");
        if (s.contains("timeshard.enable_fast_path") || all) session.setFastPathSettingTouched();
        if (s.contains("statement_timeout") || all) session.statementTimeoutMayHaveChanged();
    }

    /** Before DROP DATABASE or ALTER DATABASE … RENAME is relayed, closes the catalog pool that would hold the database open. */
    private void forgetDroppedDatabase(String sql) {
        io.timeshard.planner.parse.Tokens t = io.timeshard.planner.parse.Tokens.of(sql);
        if (t.startsWith("drop", "database")) {
            int i = t.get(2).is("if") ? 4 : 2;
            node.forgetDatabase(t.get(i).text());
        } else if (t.startsWith("alter", "database")) {
            node.forgetDatabase(t.get(2).text());
        }
    }

    /**
     * The safety net reads data nodes over postgres_fdw's own connections, which cannot see rows this
     * transaction wrote and has not committed yet: refuse such a read rather than answer without them.
     */
    private void refuseStaleRead(String sql) {
        if (!session.txn().hasDistributedWork()) return;
        for (io.timeshard.planner.parse.Tokens.Token t : io.timeshard.planner.parse.Tokens.of(sql).tokens()) {
            if (t.isName() && catalog().isHypertableName(t.text())) {
                throw PgException.notSupported("reading distributed hypertable \"" + t.text()
                                + "\" in a transaction that already wrote to distributed hypertables is not supported yet",
                        "Commit the transaction first, then read.");
            }
        }
    }

    /**
     * @return the distributed hypertable {@code name} refers to in this session (unqualified names
     *         through the session's search_path, as PostgreSQL resolves them; the answer is kept until
     *         any session may have changed relations or a search_path, see {@link AccessNode#schemaEpoch}),
     *         if any
     */
    public Optional<Hypertable> hypertableOf(QualifiedName name) {
        DatabaseCatalog cat = catalog();
        if (!cat.isHypertableName(name.name())) return Optional.empty();
        if (name.schema() != null) return cat.hypertable(name.schema(), name.name());
        long epoch = node.schemaEpoch();
        if (epoch != resolvedEpoch) {
            resolvedSchemas.clear();
            resolvedEpoch = epoch;
        }
        Optional<String> schema = resolvedSchemas.get(name.name());
        if (schema == null) {
            schema = Optional.ofNullable(session.backend().runForValue(
                    "SELECT n.nspname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                            + "WHERE c.oid = pg_catalog.to_regclass(" + Identifiers.literal(Identifiers.quote(name.name())) + ")"));
            resolvedSchemas.put(name.name(), schema);
        }
        return schema.flatMap(s -> cat.hypertable(s, name.name()));
    }

    /**
     * @return the session's {@code extra_float_digits}, kept like resolved names until any session ran a
     *         statement that may change settings (SET and set_config included, see {@link AccessNode#schemaEpoch})
     */
    public int extraFloatDigits() {
        long epoch = node.schemaEpoch();
        if (epoch != floatDigitsEpoch) {
            floatDigits = Integer.parseInt(session.backend().runForValue("SELECT current_setting('extra_float_digits')"));
            floatDigitsEpoch = epoch;
        }
        return floatDigits;
    }

    private int floatDigits;
    private long floatDigitsEpoch = -1;

    /** True from a statement that may change relations until the transaction that ran it ended. */
    private boolean schemaChangePending;

    /**
     * The backend is idle (its transaction committed or rolled back): after a statement that may have
     * changed relations, other sessions must resolve names again — they see the change only now.
     */
    public void backendIdle() {
        if (schemaChangePending) {
            schemaChangePending = false;
            node.schemaMayHaveChanged();
        }
    }

    /** Unqualified relation name → the schema it resolved to (empty: no relation), valid for {@link #resolvedEpoch}. */
    private final java.util.Map<String, Optional<String>> resolvedSchemas = new java.util.HashMap<>();
    private long resolvedEpoch = -1;

    /**
     * @return true unless {@code c} is a plain read or transaction control: DDL, SET, API calls, DROP of a
     *         hypertable, and anything that names search_path or set_config may change what an unqualified
     *         name resolves to (a function called from a SELECT that creates relations is not seen)
     */
    private static boolean mayChangeSchema(Classified c) {
        return switch (c) {
            case Classified.Transaction t -> false;
            case Classified.Copy copy -> false;
            case Classified.Write w -> w.kind() != Classified.WriteKind.INSERT && w.kind() != Classified.WriteKind.UPDATE
                    && w.kind() != Classified.WriteKind.DELETE && w.kind() != Classified.WriteKind.TRUNCATE;
            case Classified.Relay relay -> {
                String lower = relay.sql().toLowerCase(java.util.Locale.ROOT);
                if (lower.contains("search_path") || lower.contains("set_config")) yield true;
                io.timeshard.planner.parse.Tokens.Token first = io.timeshard.planner.parse.Tokens.of(relay.sql()).get(0);
                yield !(first.is("select") || first.is("with") || first.is("explain") || first.is("show") || first.is("values")
                        || first.is("fetch") || first.is("insert") || first.is("update") || first.is("delete")
                        || first.is("begin") || first.is("start") || first.is("commit") || first.is("end")
                        || first.is("rollback") || first.is("savepoint") || first.is("release") || first.is("copy"));
            }
            default -> true;
        };
    }

    /** @return the parameter types of a statement of ours prepared with {@code types} */
    public int[] describeParameters(Classified c, int[] types) {
        if (c instanceof Classified.Write w && w.kind() == Classified.WriteKind.INSERT) {
            Hypertable ht = requireHypertable(w);
            return InsertIngest.describeParameters(session, ht, w.sql(), types);
        }
        return types;
    }

    /** @return the result columns of a statement of ours, empty when it returns no rows */
    public List<ColumnDescription> describeResult(Classified c) {
        if (c instanceof Classified.ApiCall call) return ApiCalls.resultColumns(call);
        if (c instanceof Classified.Relay r && io.timeshard.planner.parse.Tokens.of(r.sql()).get(0).is("explain")) {
            ExplainTarget target = explainTarget(r.sql());
            return List.of(explainColumn(target == null ? null : target.format()));
        }
        return List.of();
    }

    /**
     * Runs a statement of ours.
     *
     * @param params        bound parameters (extended protocol), or {@link BoundParameters#NONE}
     * @param resultFormats requested result formats, or null (text)
     * @return the result to send; its rows are text-format values
     * @throws PgException with the statement's error; the caller reports it
     */
    public QueryResult execute(Classified c, BoundParameters params, short[] resultFormats) {
        if (session.txn().failed && !(c instanceof Classified.Transaction)) throw Session.abortedTransaction();
        Classified r = resolve(c);
        return switch (r) {
            case Classified.Relay relay -> {
                QueryResult explained = explainHypertableRead(relay.sql());
                if (explained != null) yield explained;
                if (mayReadHypertable(relay.sql()) && io.timeshard.accessnode.read.ReadPath.withRetry(node, session, this, read -> {
                    var planned = read.plan(relay.sql());
                    if (planned.isEmpty()) return false;
                    if (!read.execute(planned.get())) throw new io.timeshard.accessnode.session.RelayedError();
                    return true;
                })) {
                    yield null;
                }
                boolean failed = session.backend().relayQuery(relay.sql(), false);
                if (!session.txn().backendOpenedByUs) session.txn().inBlock = session.backend().status() != 'I';
                if (failed) throw new io.timeshard.accessnode.session.RelayedError();
                yield null;
            }
            case Classified.Transaction t -> coordinator.control(t.statement(), t.sql());
            case Classified.CreateExtension ce -> createExtension(ce);
            case Classified.UpdateExtension ue -> updateExtension(ue);
            case Classified.ApiCall call -> new ApiCalls(node, session, this).execute(call, params);
            case Classified.Copy copy -> new CopyIngest(node, session, this).run(
                    requireHypertable(new QualifiedName(copy.statement().schema(), copy.statement().table())), copy.statement());
            case Classified.Write w -> write(w, params);
        };
    }

    private QueryResult write(Classified.Write w, BoundParameters params) {
        Hypertable ht = requireHypertable(w);
        return switch (w.kind()) {
            case INSERT -> new InsertIngest(node, session, this).run(ht, w.sql(), params);
            case UPDATE, DELETE, TRUNCATE -> new RemoteModify(node, session, this).run(ht, w, params);
            case DROP_TABLE -> new RemoteModify(node, session, this).dropTable(ht, w);
            default -> throw PgException.notSupported(
                    "this statement is not supported on distributed hypertable \"" + ht.tableName() + "\" yet",
                    "Run it with distributed_exec() on the data nodes and on the access node database.");
        };
    }

    private Hypertable requireHypertable(Classified.Write w) {
        for (QualifiedName q : w.targets()) {
            Optional<Hypertable> h = hypertableOf(q);
            if (h.isPresent()) return h.get();
        }
        throw new PgException(SqlState.INTERNAL_ERROR, "statement no longer targets a distributed hypertable");
    }

    private Hypertable requireHypertable(QualifiedName q) {
        return hypertableOf(q).orElseThrow(() -> new PgException(SqlState.INTERNAL_ERROR,
                "table \"" + q.name() + "\" is no longer a distributed hypertable"));
    }

    private QueryResult createExtension(Classified.CreateExtension ce) {
        String installed = session.backend().runForValue("SELECT to_regclass('_timescaledb_catalog.hypertable') IS NOT NULL");
        if ("t".equals(installed)) {
            if (!ce.ifNotExists()) {
                throw new PgException(SqlState.DUPLICATE_OBJECT, "extension \"" + ce.name() + "\" already exists");
            }
            session.out().notice("extension \"" + ce.name() + "\" already exists, skipping");
            return QueryResult.command("CREATE EXTENSION");
        }
        session.backend().run(CatalogStore.nodeFunctionsSql());
        session.backend().run(CatalogStore.resource(CatalogStore.ACCESS_NODE_SQL));
        if (!session.txn().inBlock) catalog().reload();
        return QueryResult.command("CREATE EXTENSION");
    }

    private QueryResult updateExtension(Classified.UpdateExtension ue) {
        String installed = session.backend().runForValue("SELECT to_regclass('_timescaledb_catalog.hypertable') IS NOT NULL");
        if (!"t".equals(installed)) throw new PgException(SqlState.UNDEFINED_OBJECT, "extension \"" + ue.name() + "\" does not exist");
        io.timeshard.accessnode.api.ExtensionUpdate.run(node, catalog());
        return QueryResult.command("ALTER EXTENSION");
    }

    /** Commits the implicit transaction (end of a Query message or extended segment). */
    public void commitImplicit() {
        coordinator.commitImplicit();
    }

    /** Rolls back the implicit transaction after an error. */
    public void rollbackImplicit() {
        coordinator.rollbackImplicit();
    }

    /** Rolls back whatever is open when the session ends. */
    public void abandon() {
        coordinator.abandon();
    }

    /** @return the coordinator (for ingest: makes sure the backend is inside a block) */
    public TransactionCoordinator coordinator() {
        return coordinator;
    }

    /** @return the statement kind of a transaction statement, for logging */
    static String describe(TransactionStatement t) {
        return t.kind().name();
    }
}
