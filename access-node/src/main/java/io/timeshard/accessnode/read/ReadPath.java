package io.timeshard.accessnode.read;

import io.timeshard.accessnode.AccessNode;
import io.timeshard.accessnode.dispatch.Dispatcher;
import io.timeshard.accessnode.session.Session;
import io.timeshard.catalog.errors.PgException;
import io.timeshard.catalog.model.Chunk;
import io.timeshard.catalog.model.Hypertable;
import io.timeshard.catalog.model.Identifiers;
import io.timeshard.catalog.partitioning.ColumnType;
import io.timeshard.planner.parse.QualifiedName;
import io.timeshard.planner.plan.DistributedPlan;
import io.timeshard.planner.plan.DistributedPlanner;
import io.timeshard.planner.plan.PlanCache;
import io.timeshard.planner.plan.PlanContext;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.PlainSelect;

/**
 * The fast read path (DESIGN.md §5): a SELECT whose only relation is a distributed hypertable is
 * planned by the {@link DistributedPlanner} into one remote query per data node and a combine query;
 * the data nodes holding reachable chunks ({@link ChunkExclusion}) run the remote query in parallel,
 * their rows are handed to the client's own session ({@link RemoteResultLoader}: inline when few,
 * else in a temporary table), and the combine query runs there — so the answer is formatted by
 * PostgreSQL itself, exactly as for any other query of the session. What the planner declines goes to
 * the safety net.
 *
 * <p>Each reachable chunk is read from one replica; with replication, a node's remote query reads
 * exactly its chosen chunk tables (its root would also hold replicas read elsewhere). Not taken when
 * the session setting {@code timeshard.enable_fast_path} is off, or in a session whose DateStyle is not
 * ISO; a prepared statement's parameters are planned as the literals they are bound to.
 */
public final class ReadPath {
    /**
     * Plans by statement shape (the text without its filter literals), hypertable and context (nodes in
     * play, FULL safety): a repeated or prepared statement, or the same query with other filter values,
     * is planned once while its chunks' placement stays the same. Shared between sessions.
     */
    private static final PlanCache PLANS = new PlanCache(new DistributedPlanner());

    private final AccessNode node;
    private final Session session;
    private final Dispatcher dispatcher;

    /** One per statement. */
    private final boolean speculating;
    /** The result columns and formats of the statement being planned ({@link #plan(String, List, short[])}); null when not known. */
    private List<io.timeshard.accessnode.wire.ColumnDescription> described;
    private short[] formats;
    private final List<LocalSubqueries.Speculated> speculated = new java.util.ArrayList<>();

    /** A read path that answers the probes of local tables the session ran before speculatively ({@link LocalSubqueries}). */
    public ReadPath(AccessNode node, Session session, Dispatcher dispatcher) {
        this(node, session, dispatcher, true);
    }

    /**
     * @param speculating whether the probes of local tables (IN-subqueries, a lateral join's outer values)
     *                    the session ran before are answered by what they returned then, and run again
     *                    while the data nodes work (false: each runs before planning)
     */
    public ReadPath(AccessNode node, Session session, Dispatcher dispatcher, boolean speculating) {
        this.node = node;
        this.session = session;
        this.dispatcher = dispatcher;
        this.speculating = speculating;
    }

    /**
     * Plans and runs a read through {@code attempt}, with a speculating read path first; when a speculated
     * subquery's answer changed ({@link LocalSubqueries.StaleSubquery}, raised before any data node row
     * was used or anything sent to the client), once more with one that runs every subquery first — those
     * the check ran already give their rows instead of running again.
     *
     * @return what {@code attempt} returned
     */
    public static <T> T withRetry(AccessNode node, Session session, Dispatcher dispatcher, java.util.function.Function<ReadPath, T> attempt) {
        try {
            return attempt.apply(new ReadPath(node, session, dispatcher, true));
        } catch (LocalSubqueries.StaleSubquery e) {
            return attempt.apply(new ReadPath(node, session, dispatcher, false));
        } finally {
            session.subqueryResults().clearFresh();
        }
    }

    /** @return a loader for this read: it checks the speculated probes once the data nodes are asked */
    private RemoteResultLoader loader() {
        return new RemoteResultLoader(node, session, dispatcher, () -> {
            LocalSubqueries.verify(speculated, session);
            speculated.clear();
        });
    }

    /**
     * A planned read.
     *
     * @param plan         the planner's plan
     * @param hypertable   the hypertable it reads
     * @param chunksByNode the reachable chunks' names per data node that will be queried (each chunk
     *                     under the one replica chosen to read it)
     * @param perChunk     true when each node must read exactly its chosen chunks (replicated
     *                     hypertables: a node's root also holds replicas read elsewhere)
     * @param remoteSqlByNode per node, its own remote SQL (a lateral join over the values routed to it), or
     *                     null when every node runs the plan's
     * @param firstSlice   a lateral join's first step over the first time slice, or null (then every node runs
     *                     its remote SQL at once)
     * @param rescanned    whether the combine query reads the remote rows once per outer row (a lateral
     *                     subquery with an ORDER BY and no LIMIT, {@link LateralJoins.Routed#rescanned}):
     *                     they then go to a temporary table whatever their number, not into arrays that
     *                     each read would scan again
     */
    public record Planned(DistributedPlan plan, Hypertable hypertable, java.util.Map<String, List<String>> chunksByNode,
                          boolean perChunk, java.util.Map<String, String> remoteSqlByNode, LateralJoins.FirstSlice firstSlice,
                          boolean rescanned) {
        /** A read where every node runs the plan's remote SQL. */
        public Planned(DistributedPlan plan, Hypertable hypertable, java.util.Map<String, List<String>> chunksByNode, boolean perChunk) {
            this(plan, hypertable, chunksByNode, perChunk, null, null, false);
        }

        /** @return this read with {@code remoteSqlByNode} as the nodes' remote SQL and no first step */
        Planned withRemoteSql(java.util.Map<String, String> remoteSqlByNode) {
            DistributedPlan p = new DistributedPlan(List.copyOf(remoteSqlByNode.keySet()), plan.remoteSql(), plan.remoteColumns(),
                    plan.combineSql(), plan.pushDown(), plan.explain());
            return new Planned(p, hypertable, chunksByNode, perChunk, remoteSqlByNode, null, rescanned);
        }

        /**
         * @return the remote SQL for one node: the plan's (or the node's own), reading the node's root table; or, when the
         *         node reads one chunk, with the hypertable replaced by that chunk's table under the
         *         hypertable's name (the node plans no partition tree); or — per chunk — by the UNION ALL of
         *         the node's chosen chunk tables under that name
         * @throws PgException 0A000 when a node must read per chunk but the remote SQL names the
         *         hypertable more than once (a string literal holding its quoted name)
         */
        public String remoteSqlFor(String node) {
            return forNode(remoteSqlByNode == null ? plan.remoteSql() : remoteSqlByNode.get(node), node);
        }

        /**
         * @return {@link #remoteSqlFor} as parameterized SQL with its parameters' values
         *         ({@link DistributedPlan#parameterized}), or null when the plan has none or is a lateral
         *         join's
         */
        public DistributedPlan.Parameterized parameterizedFor(String node) {
            DistributedPlan.Parameterized p = plan.parameterized();
            return p == null || remoteSqlByNode != null ? null : new DistributedPlan.Parameterized(forNode(p.remoteSql(), node), p.values());
        }

        /** @return {@code sql}, a remote SQL of this read, as {@code node} runs it (see {@link #remoteSqlFor}) */
        private String forNode(String sql, String node) {
            List<String> chunks = chunksByNode.getOrDefault(node, List.of());
            if (!perChunk && chunks.size() != 1) return sql;
            String root = hypertable.qualifiedName();
            int at = sql.indexOf(root);
            if (at < 0 || sql.indexOf(root, at + 1) >= 0) {
                if (!perChunk) return sql;
                throw PgException.notSupported("a query whose text names replicated hypertable " + root
                        + " more than once is not supported", "Leave the hypertable's quoted name out of string literals.");
            }
            String from = unionAll(chunks.stream().map(c -> Identifiers.quote("_timescaledb_internal") + "." + Identifiers.quote(c)).toList())
                    + " AS " + Identifiers.quote(hypertable.tableName());
            return sql.substring(0, at) + from + sql.substring(at + root.length());
        }
    }

    /**
     * @param tables qualified, quoted table names of one row type, at least one
     * @return the table itself when there is one, else {@code (SELECT * FROM a UNION ALL SELECT * FROM b …)}
     *         (a subquery that still needs an alias)
     */
    static String unionAll(List<String> tables) {
        if (tables.size() == 1) return tables.getFirst();
        return "(" + String.join(" UNION ALL ", tables.stream().map(t -> "SELECT * FROM " + t).toList()) + ")";
    }

    /**
     * @return the plan when the fast path takes {@code sql}, else empty (the safety net answers)
     */
    public Optional<Planned> plan(String sql) {
        return plan(sql, null, null);
    }

    /**
     * {@link #plan(String)} for a statement whose result columns and formats are known (an extended-protocol
     * portal): a lateral join the access node merges then probes its outer table for what those formats need.
     *
     * @param described the statement's result columns as the access node database describes them, or null
     * @param formats   the client's result format codes (Bind), or null
     */
    public Optional<Planned> plan(String sql, List<io.timeshard.accessnode.wire.ColumnDescription> described, short[] formats) {
        this.described = described;
        this.formats = formats;
        if (session.fastPathDisabled() || !isoDateStyle()) return Optional.empty();
        if (Constify.needed(sql)) sql = Constify.apply(sql, session.backend());
        for (CommonTableExpressions.Body cte : CommonTableExpressions.bodies(sql)) {
            Optional<Planned> inner = planSelect(sql.substring(cte.start(), cte.end()));
            if (inner.isPresent()) return Optional.of(withinStatement(inner.get(), sql, cte));
        }
        Optional<Planned> whole = planSelect(sql);
        if (whole.isPresent()) return whole;
        for (CommonTableExpressions.Body sub : CommonTableExpressions.fromSubqueries(sql)) {
            Optional<Planned> inner = planSelect(sql.substring(sub.start(), sub.end()));
            if (inner.isPresent()) return Optional.of(withinStatement(inner.get(), sql, sub));
        }
        return Optional.empty();
    }

    /**
     * @return {@code inner} — the plan of one CTE's or FROM subquery's body — as the plan of the whole
     *         statement: the combine step is the statement with that body replaced by the inner combine
     *         query, so the rest of the statement (joins with regular tables, ORDER BY, other CTEs) runs in
     *         the access node database over the pushed-down result
     */
    private static Planned withinStatement(Planned inner, String sql, CommonTableExpressions.Body cte) {
        DistributedPlan p = inner.plan();
        String combine = sql.substring(0, cte.start()) + p.combineSql() + sql.substring(cte.end());
        DistributedPlan whole = new DistributedPlan(p.dataNodes(), p.remoteSql(), p.remoteColumns(), combine, p.pushDown(),
                p.explain()).withParameterized(p.parameterized());
        return new Planned(whole, inner.hypertable(), inner.chunksByNode(), inner.perChunk(), inner.remoteSqlByNode(),
                inner.firstSlice() == null ? null : inner.firstSlice().withoutMerge(), inner.rescanned());
    }

    private Optional<Planned> planSelect(String sql) {
        sql = LocalSubqueries.inline(sql, session, dispatcher::mayReadHypertableText, speculating ? speculated : null);
        PlainSelect select = session.parsedSelects().parse(sql);
        if (select == null) return Optional.empty();
        if (select.getJoins() != null) return planLateral(select, sql);
        if (!(select.getFromItem() instanceof Table table)) return Optional.empty();
        String schema = table.getSchemaName() == null ? null : unquote(table.getSchemaName());
        Optional<Hypertable> ht = dispatcher.hypertableOf(new QualifiedName(schema, unquote(table.getName())));
        if (ht.isEmpty()) return Optional.empty();
        Placement placement = place(reachable(ht.get(), select.getWhere()));
        Optional<DistributedPlan> plan = PLANS.plan(select, sql, ht.get(), placement.context());
        return plan.map(p -> new Planned(p, ht.get(), placement.chunksByNode(), replicated(ht.get())));
    }

    /** A regular table joined LATERAL with a lookup in a hypertable ({@link LateralJoins}). */
    private Optional<Planned> planLateral(PlainSelect select, String sql) {
        Optional<LateralJoins.Shape> shape = LateralJoins.recognise(select, sql, dispatcher::hypertableOf);
        if (shape.isEmpty()) return Optional.empty();
        Hypertable ht = shape.get().hypertable();
        List<Chunk> chunks = reachable(ht, shape.get().body().getWhere());
        java.util.function.Function<String, List<String>> nodesOf = value -> {
            Integer hash = ChunkExclusion.spaceHash(ht, value);
            Set<String> nodes = new LinkedHashSet<>();
            for (Chunk c : chunks) {
                if (hash == null || c.spaceSlice() == null || c.spaceSlice().contains(hash)) nodes.add(readReplica(c));
            }
            return List.copyOf(nodes);
        };
        Placement placement = place(chunks);
        List<String> nodesInPlay = chunks.stream().map(ReadPath::readReplica).distinct().toList();
        boolean perChunk = replicated(ht);
        boolean record = shape.get().merging() != null && LateralMerge.needsRecord(shape.get().merging(), described, formats);
        LateralJoins.Probed probed = LateralJoins.probe(shape.get(), probe -> LocalSubqueries.probe(probe, session, speculating ? speculated : null),
                record);
        if (probed == null) return Optional.empty();
        LateralPlans.Key key = new LateralPlans.Key(sql, ht, chunks, perChunk, probed.probed(), described);
        LateralJoins.Routed r = session.lateralPlans().get(key);
        if (r == null) {
            r = LateralJoins.plan(shape.get(), sql, probed, described, nodesOf, nodesInPlay,
                    perChunk ? null : descending -> firstTimeSlice(chunks, descending));
            session.lateralPlans().put(key, r);
        }
        return Optional.of(new Planned(r.plan(), ht, placement.chunksByNode(), perChunk, r.remoteSqlByNode(), r.firstSlice(), r.rescanned()));
    }

    /**
     * @param descending true for the newest slice, false for the oldest
     * @return the chunk tables (qualified, quoted) of the first time slice of {@code chunks} in that order, per read replica
     *         node; null when there are no chunks or another chunk's time range reaches into that slice's
     *         (slices of different widths after a chunk interval change), so its rows would not all sort
     *         before the others'
     */
    static java.util.Map<String, List<String>> firstTimeSlice(List<Chunk> chunks, boolean descending) {
        if (chunks.isEmpty()) return null;
        java.util.Comparator<Chunk> order = java.util.Comparator.comparingLong(c -> c.timeSlice().start());
        Chunk first = descending ? java.util.Collections.max(chunks, order) : java.util.Collections.min(chunks, order);
        java.util.Map<String, List<String>> byNode = new java.util.LinkedHashMap<>();
        for (Chunk c : chunks) {
            if (c.timeSlice().equals(first.timeSlice())) {
                byNode.computeIfAbsent(readReplica(c), k -> new java.util.ArrayList<>()).add(c.qualifiedName());
            } else if (descending ? c.timeSlice().end() > first.timeSlice().start() : c.timeSlice().start() < first.timeSlice().end()) {
                return null;
            }
        }
        return byNode;
    }

    /** @return the chunks of {@code ht} that {@code where} does not exclude */
    private List<Chunk> reachable(Hypertable ht, net.sf.jsqlparser.expression.Expression where) {
        return ChunkExclusion.reachable(ht, dispatcher.catalog().snapshot().chunks().get(ht.id()), where, sessionZone());
    }

    /**
     * @return whether any chunk of {@code ht} has two replicas: a node's root then holds every replica it
     *         stores, so reads go chunk by chunk (the replication factor alone is not enough:
     *         set_replication_factor leaves old chunks as they are)
     */
    private boolean replicated(Hypertable ht) {
        var index = dispatcher.catalog().snapshot().chunks().get(ht.id());
        return index != null && index.replicated();
    }

    /**
     * Runs a planned read and writes its result to the client (RowDescription, DataRows,
     * CommandComplete).
     *
     * @return false when the combine query failed on the access node database (its error was relayed)
     * @throws PgException a data node's error
     */
    public boolean execute(Planned planned) {
        return !session.backend().relayQuery(loadForCombine(planned), false);
    }

    /**
     * @param described the statement's result columns as the access node database describes them
     *                  (null when not known)
     * @param formats   the result formats the client asked for (Bind's codes)
     * @return whether {@link #passThrough} may answer: the plan passes the data nodes' rows through, the
     *         client's encoding is UTF8, and every column has a built-in type (the one the statement is
     *         described with) whose text the data node prints exactly as the client's session would
     *         (booleans, integers, floats, numeric, text, dates and times, intervals, uuid, json) — the
     *         data node session has the client's TimeZone, DateStyle and IntervalStyle; floats in text need
     *         the client's extra_float_digits above 0, as the data node's is. Columns wanted in binary are
     *         made by the data node's send functions ({@link BinaryResults}); no remote column may be wanted
     *         in both formats.
     */
    public boolean passesThrough(Planned planned, List<io.timeshard.accessnode.wire.ColumnDescription> described, short[] formats) {
        return passesThrough(planned.plan(), planned.plan().passThrough(), described, formats, true);
    }

    /**
     * @return whether {@link #loadOrPassThrough} may pass one node's rows through: as {@link
     *         #passesThrough}, for the plan's {@link DistributedPlan#oneNodePassThrough} columns, all in text
     *         (when several nodes answer, the rows go to the combine query as they were read); or, for a
     *         lateral join the access node may merge ({@link LateralMerge}), for the result columns that come
     *         from the data nodes (the others are the client's session's own, text or binary)
     */
    public boolean passesThroughFromOneNode(Planned planned, List<io.timeshard.accessnode.wire.ColumnDescription> described,
                                            short[] formats) {
        List<Integer> merged = mergedSources(planned);
        if (merged != null) {
            return BinaryResults.valid(formats, merged.size()) && planned.firstSlice().merge().answers(BinaryResults.binary(formats, merged.size()))
                    && passesThrough(planned.plan(), merged, described, formats, true);
        }
        return passesThrough(planned.plan(), planned.plan().oneNodePassThrough(), described, formats, false);
    }

    /** @return for a lateral join the access node may merge, per result column the remote column it passes through (null for an outer one); else null */
    private static List<Integer> mergedSources(Planned planned) {
        LateralMerge.Merge merge = planned.firstSlice() == null ? null : planned.firstSlice().merge();
        if (merge == null) return null;
        List<Integer> columns = new java.util.ArrayList<>();
        for (int c : merge.columns()) columns.add(c >= 0 ? null : -c - 1);
        return columns;
    }

    /**
     * @param columns per result column, the remote column it passes through, or null for one that does not
     *                come from the data nodes
     * @param binary  whether columns may be wanted in binary
     */
    private boolean passesThrough(DistributedPlan plan, List<Integer> columns, List<io.timeshard.accessnode.wire.ColumnDescription> described,
                                  short[] formats, boolean binary) {
        if (columns.isEmpty() || plan.dataNodes().isEmpty() || described == null || described.size() != columns.size()) return false;
        if (!BinaryResults.valid(formats, columns.size())) return false;
        boolean[] wanted = BinaryResults.binary(formats, columns.size());
        if (wanted != null && (!binary || BinaryResults.remote(columns, wanted, plan.remoteColumns().size()) == null)) return false;
        if (!"UTF8".equalsIgnoreCase(session.backend().client().parameterStatus().get("client_encoding"))) return false;
        boolean floats = false;
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i) == null) continue;
            int oid = passThroughType(plan.remoteColumns().get(columns.get(i)).type());
            if (oid < 0 || oid != described.get(i).typeOid()) return false;
            floats |= (wanted == null || !wanted[i]) && (oid == ColumnType.FLOAT4.oid() || oid == ColumnType.FLOAT8.oid());
        }
        return !floats || dispatcher.extraFloatDigits() > 0;
    }

    /**
     * @return the OID of a remote column's type whose text output depends on no setting but TimeZone,
     *         DateStyle, IntervalStyle and extra_float_digits; -1 for any other type
     */
    private static int passThroughType(String typeName) {
        String n = typeName.toLowerCase(Locale.ROOT);
        if (n.equals("numeric") || n.startsWith("numeric(")) return NUMERIC_OID;
        if (n.equals("interval")) return INTERVAL_OID;
        if (n.equals("json")) return JSON_OID;
        if (n.equals("jsonb")) return JSONB_OID;
        return ColumnType.fromTypeName(typeName).map(ColumnType::oid).orElse(-1);
    }

    private static final int NUMERIC_OID = 1700;
    private static final int INTERVAL_OID = 1186;
    private static final int JSON_OID = 114;
    private static final int JSONB_OID = 3802;

    /**
     * Answers a plan that {@link #passesThrough}: the data nodes' rows go to the client as DataRows (text
     * format) as they arrive; the caller writes the CommandComplete.
     *
     * @return the number of rows
     * @throws PgException the data node's error
     */
    public long passThrough(Planned planned, short[] formats) {
        boolean[] wanted = BinaryResults.binary(formats, planned.plan().passThrough().size());
        return loader().passThrough(planned, this::sendRow, BinaryResults.remote(planned.plan().passThrough(), wanted, planned.plan().remoteColumns().size()));
    }

    /**
     * Runs the remote queries of a plan that {@link #passesThroughFromOneNode}. When at most one data node
     * returned rows they are the answer: they go to the client as DataRows (text format), and the
     * caller writes the CommandComplete. Otherwise the rows are made readable by the combine query, as
     * {@link #loadForCombine} does.
     *
     * @return the combine query to run in the client's session, or null when the rows were sent
     * @throws PgException a data node's error
     */
    public RemoteResultLoader.Loaded loadOrPassThrough(Planned planned, short[] formats) {
        List<Integer> merged = mergedSources(planned);
        boolean[] wanted = merged == null ? null : BinaryResults.binary(formats, merged.size());
        return loader().load(planned, this::sendRow, wanted, wanted == null ? null : BinaryResults.remote(merged, wanted, planned.plan().remoteColumns().size()));
    }

    /** Writes one result row to the client: a DataRow of text values. */
    private void sendRow(byte[][] values) {
        session.out().write(b -> io.timeshard.accessnode.wire.BackendMessages.dataRow(b, values));
    }

    /**
     * Runs the remote queries and makes their rows readable in the client's session: inline in the
     * combine query when few, else in a temporary table of this query (see {@link RemoteResultLoader}).
     *
     * @return the combine query to run in the client's session
     * @throws PgException a data node's error
     */
    public String loadForCombine(Planned planned) {
        return loader().load(planned, null, null, null).combineSql();
    }

    /**
     * @return the plan as EXPLAIN shows it, in the spirit of TimescaleDB's DataNodeScan: the combine step
     *         on the access node, then one scan per data node with its chunks and (VERBOSE) its remote SQL
     */
    public static List<String> explain(Planned p, boolean verbose) {
        return explain(p, verbose, null);
    }

    /**
     * EXPLAIN ANALYZE: runs the planned read (remote queries and combine query; the rows are counted and
     * dropped) and shows the plan with what each part did, as PostgreSQL's {@code (actual time=start..end
     * rows=n loops=1)} in milliseconds since the execution started, then the planning and execution times.
     *
     * @param planningMs milliseconds the planning took
     * @throws PgException a data node's or the combine query's error
     */
    public List<String> explainAnalyze(Planned p, boolean verbose, double planningMs) {
        Analyzed a = analyze(p);
        List<String> lines = explain(p, verbose, a);
        lines.add(String.format(Locale.ROOT, "Planning Time: %.3f ms", planningMs));
        lines.add(String.format(Locale.ROOT, "Execution Time: %.3f ms", a.totalMs()));
        return lines;
    }

    /**
     * The plan as EXPLAIN writes it in {@code format} ({@link ExplainDocument}): a Custom Scan "Timeshard
     * Combine" with its push-down kind (and, VERBOSE, its combine SQL), over an Append of one Custom Scan
     * "DataNodeScan" per data node with its data node, chunks and (VERBOSE) remote SQL. With {@code analyze}
     * the read runs as for {@link #explainAnalyze}, and each node gets its actual times (ms), rows and loops.
     *
     * @param planningMs milliseconds the planning took (written with {@code analyze} only)
     * @return the document, EXPLAIN's one row
     * @throws PgException with {@code analyze}: a data node's or the combine query's error
     */
    public String explain(Planned p, boolean verbose, boolean analyze, double planningMs, ExplainDocument.Format format) {
        Analyzed a = analyze ? analyze(p) : null;
        java.util.Map<String, Object> statement = new java.util.LinkedHashMap<>();
        if (a != null) {
            statement.put("Planning Time", planningMs);
            statement.put("Execution Time", a.totalMs());
        }
        return ExplainDocument.write(format, document(p, verbose, a), statement);
    }

    /** Runs the planned read — remote queries and combine query, its rows counted and dropped — and times it. */
    private Analyzed analyze(Planned p) {
        long start = System.nanoTime();
        RemoteResultLoader loader = loader();
        String combine = loader.load(p, null, null, null).combineSql();
        double combineStart = (System.nanoTime() - start) / 1e6;
        long rows = 0;
        for (io.timeshard.accessnode.wire.BackendFrame f : session.backend().run(combine)) if (f.type() == 'D') rows++;
        return new Analyzed(loader.stats(), combineStart, (System.nanoTime() - start) / 1e6, rows);
    }

    /** @return the plan tree of {@link #explain(Planned, boolean, boolean, double, ExplainDocument.Format)} */
    private static ExplainDocument.Node document(Planned p, boolean verbose, Analyzed a) {
        ExplainDocument.Node combine = new ExplainDocument.Node().with("Node Type", "Custom Scan")
                .with("Custom Plan Provider", "Timeshard Combine").with("Push-down", p.plan().pushDown().toString());
        if (a != null) actual(combine, a.combineStartMs(), a.totalMs(), a.rows());
        if (verbose) combine.with("Combine SQL", p.plan().combineSql());
        ExplainDocument.Node append = new ExplainDocument.Node().with("Node Type", "Append").with("Parent Relationship", "Outer")
                .with("Parallel Aware", true).with("Data Nodes", (long) p.plan().dataNodes().size());
        if (a != null) actual(append, a.appendStartMs(), a.appendTotalMs(), a.appendRows());
        combine.plans.add(append);
        for (String n : p.plan().dataNodes()) {
            ExplainDocument.Node scan = new ExplainDocument.Node().with("Node Type", "Custom Scan").with("Parent Relationship", "Member")
                    .with("Custom Plan Provider", "DataNodeScan").with("Relation Name", p.hypertable().tableName())
                    .with("Schema", p.hypertable().schemaName());
            RemoteResultLoader.ScanStats stats = a == null ? null : a.scans().get(n);
            if (stats != null) actual(scan, stats.firstRowMs(), stats.totalMs(), stats.rows());
            scan.with("Data Node", n).with("Chunks", String.join(", ", p.chunksByNode().getOrDefault(n, List.of())));
            LateralJoins.FirstSlice first = p.firstSlice();
            if (first != null && first.chunksByNode().containsKey(n)) {
                scan.with("First Step Slice", first.newest() ? "newest" : "oldest")
                        .with("First Step Chunks", String.join(", ", first.chunksByNode().get(n)).replace("\"", ""));
                if (verbose) scan.with("First Step Remote SQL", first.remoteSqlByNode().get(n));
            }
            if (verbose) scan.with("Remote SQL", p.remoteSqlFor(n));
            append.plans.add(scan);
        }
        return combine;
    }

    private static void actual(ExplainDocument.Node node, double startMs, double endMs, long rows) {
        node.with("Actual Startup Time", startMs).with("Actual Total Time", endMs).with("Actual Rows", rows).with("Actual Loops", 1L);
    }

    /** What an analyzed execution did: per data node scan, and the combine step (ms since the start). */
    private record Analyzed(java.util.Map<String, RemoteResultLoader.ScanStats> scans, double combineStartMs, double totalMs,
                            long rows) {
        /** @return the parallel append's start (the first node's first row), end (the last node's end) and rows */
        double appendStartMs() {
            return scans.values().stream().mapToDouble(RemoteResultLoader.ScanStats::firstRowMs).min().orElse(0);
        }

        double appendTotalMs() {
            return scans.values().stream().mapToDouble(RemoteResultLoader.ScanStats::totalMs).max().orElse(0);
        }

        long appendRows() {
            return scans.values().stream().mapToLong(RemoteResultLoader.ScanStats::rows).sum();
        }
    }

    private static List<String> explain(Planned p, boolean verbose, Analyzed a) {
        List<String> lines = new java.util.ArrayList<>();
        int nodes = p.plan().dataNodes().size();
        lines.add("Timeshard Combine (push-down: " + p.plan().pushDown() + ")"
                + (a == null ? "" : actual(a.combineStartMs(), a.totalMs(), a.rows())));
        if (verbose) lines.add("  Combine SQL: " + p.plan().combineSql());
        String append = "  ->  Parallel Append on " + nodes + " data node" + (nodes == 1 ? "" : "s");
        if (a != null) append += actual(a.appendStartMs(), a.appendTotalMs(), a.appendRows());
        lines.add(append);
        for (String n : p.plan().dataNodes()) {
            RemoteResultLoader.ScanStats scan = a == null ? null : a.scans().get(n);
            lines.add("        ->  DataNodeScan on " + p.hypertable().qualifiedName().replace("\"", "")
                    + (scan == null ? "" : actual(scan.firstRowMs(), scan.totalMs(), scan.rows())));
            lines.add("              Data node: " + n);
            lines.add("              Chunks: " + String.join(", ", p.chunksByNode().getOrDefault(n, List.of())));
            LateralJoins.FirstSlice first = p.firstSlice();
            if (first != null && first.chunksByNode().containsKey(n)) {
                lines.add("              First step (the " + (first.newest() ? "newest" : "oldest") + " time slice): "
                        + String.join(", ", first.chunksByNode().get(n)).replace("\"", ""));
                if (verbose) lines.add("              First step remote SQL: " + first.remoteSqlByNode().get(n));
            }
            if (verbose) lines.add("              Remote SQL: " + p.remoteSqlFor(n));
        }
        return lines;
    }

    private static String actual(double startMs, double endMs, long rows) {
        return String.format(Locale.ROOT, " (actual time=%.3f..%.3f rows=%d loops=1)", startMs, endMs, rows);
    }

    /**
     * @return the replica a chunk is read from: its only one, or — replicated — one chosen by chunk id so
     *         that reads spread over the replicas (DESIGN.md §7)
     */
    static String readReplica(Chunk c) {
        return c.dataNodes().get(Math.floorMod(c.id(), c.dataNodes().size()));
    }

    /**
     * Where the reachable chunks are read.
     *
     * @param chunksByNode per data node (in order of first appearance), the names of the chunks read there
     * @param context      the planner's context: those nodes, and whether every space value stays on one
     */
    record Placement(java.util.Map<String, List<String>> chunksByNode, PlanContext context) {}

    /** @return the placement of {@code chunks}, each read from its {@link #readReplica}; linear in the chunks */
    static Placement place(List<Chunk> chunks) {
        java.util.Map<String, List<String>> byNode = new java.util.LinkedHashMap<>();
        // per distinct space slice, the node it is read from; null key: chunks without a space slice
        java.util.Map<io.timeshard.catalog.partitioning.SliceRange, String> nodeOfSlice = new java.util.HashMap<>();
        boolean oneNodePerSlice = true;
        for (Chunk c : chunks) {
            String replica = readReplica(c);
            byNode.computeIfAbsent(replica, k -> new java.util.ArrayList<>()).add(c.tableName());
            String before = nodeOfSlice.putIfAbsent(c.spaceSlice(), replica);
            if (before != null && !before.equals(replica)) oneNodePerSlice = false;
        }
        boolean stay = byNode.size() <= 1 || oneNodePerSlice && spaceSlicesStayOnOneNode(nodeOfSlice);
        return new Placement(byNode, new PlanContext(List.copyOf(byNode.keySet()), stay));
    }

    /**
     * @param nodeOfSlice the one node each distinct space slice is read from (several nodes in play)
     * @return true when no two overlapping slices — slices of different partitionings, before and after
     *         a repartitioning — are read from different nodes; a chunk without a space slice is read
     *         from one node while others are read elsewhere, so that is false. Quadratic in the distinct
     *         slices only (a few per partitioning).
     */
    private static boolean spaceSlicesStayOnOneNode(java.util.Map<io.timeshard.catalog.partitioning.SliceRange, String> nodeOfSlice) {
        if (nodeOfSlice.containsKey(null)) return false;
        var slices = new java.util.ArrayList<>(nodeOfSlice.entrySet());
        for (int i = 0; i < slices.size(); i++) {
            for (int j = i + 1; j < slices.size(); j++) {
                var a = slices.get(i);
                var b = slices.get(j);
                if (!a.getValue().equals(b.getValue()) && a.getKey().overlaps(b.getKey())) return false;
            }
        }
        return true;
    }

    /**
     * pgjdbc, which reads the data nodes, closes a connection whose DateStyle stops beginning with ISO;
     * a session with another DateStyle is answered by the safety net (which formats on the access node).
     */
    private boolean isoDateStyle() {
        return session.backend().client().parameterStatus().getOrDefault("DateStyle", "ISO").regionMatches(true, 0, "ISO", 0, 3);
    }

    private ZoneId sessionZone() {
        try {
            return ZoneId.of(session.backend().client().parameterStatus().getOrDefault("TimeZone", "UTC"));
        } catch (DateTimeException e) {
            return null; // exclusion then keeps every chunk
        }
    }

    private static String unquote(String name) {
        if (name.startsWith("\"") && name.endsWith("\"")) return name.substring(1, name.length() - 1).replace("\"\"", "\"");
        return name.toLowerCase(Locale.ROOT);
    }
}
