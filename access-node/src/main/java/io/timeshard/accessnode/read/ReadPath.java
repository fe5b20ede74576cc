package io.timeshard.accessnode.read;

import io.timeshard.accessnode.AccessNode;
import io.timeshard.accessnode.dispatch.Dispatcher;
import io.timeshard.accessnode.metadata.DatabaseCatalog;
import io.timeshard.accessnode.session.Session;
import io.timeshard.catalog.errors.PgException;
import io.timeshard.catalog.model.Chunk;
import io.timeshard.catalog.model.Hypertable;
import io.timeshard.planner.parse.QualifiedName;
import io.timeshard.planner.plan.DistributedPlan;
import io.timeshard.planner.plan.DistributedPlanner;
import io.timeshard.planner.plan.PlanContext;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.StringProvider;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.select.PlainSelect;

/**
 * The fast read path (DESIGN.md §5): a SELECT whose only relation is a distributed hypertable is
 * planned by the {@link DistributedPlanner} into one remote query per data node and a combine query;
 * the data nodes holding reachable chunks ({@link ChunkExclusion}) run the remote query in parallel,
 * their rows are loaded into a temporary table {@code _ts_remote} in the client's own session, and
 * the combine query runs there — so the answer is formatted by PostgreSQL itself, exactly as for
 * any other query of the session. What the planner declines goes to the safety net.
 *
 * <p>Taken only when it is certain to be right: a replication factor of 1 (a data node's root holds
 * each of its rows once), no statement parameters, and the session setting
 * {@code timeshard.enable_fast_path} not off.
 */
public final class ReadPath {
    private static final DistributedPlanner PLANNER = new DistributedPlanner();
    private static final int PLAN_CACHE_SIZE = 2048;
    /**
     * Plans by statement text, hypertable (its id, dimensions, columns) and context (nodes in play,
     * FULL safety): a repeated or prepared statement is planned once while its chunks' placement stays
     * the same. Cleared whole when full; safe to share between sessions.
     */
    private static final java.util.Map<PlanKey, Optional<DistributedPlan>> PLANS = new java.util.concurrent.ConcurrentHashMap<>();

    /** What a plan depends on. */
    private record PlanKey(String sql, Hypertable hypertable, PlanContext context) {}

    private final AccessNode node;
    private final Session session;
    private final Dispatcher dispatcher;

    /** One per statement. */
    public ReadPath(AccessNode node, Session session, Dispatcher dispatcher) {
        this.node = node;
        this.session = session;
        this.dispatcher = dispatcher;
    }

    /**
     * A planned read.
     *
     * @param plan         the planner's plan
     * @param hypertable   the hypertable it reads
     * @param chunksByNode the reachable chunks' names per data node that will be queried
     */
    public record Planned(DistributedPlan plan, Hypertable hypertable, java.util.Map<String, List<String>> chunksByNode) {}

    /**
     * @return the plan when the fast path takes {@code sql}, else empty (the safety net answers)
     */
    public Optional<Planned> plan(String sql) {
        if (session.fastPathDisabled()) return Optional.empty();
        PlainSelect select = parse(sql);
        if (select == null || !(select.getFromItem() instanceof Table table) || select.getJoins() != null) return Optional.empty();
        String schema = table.getSchemaName() == null ? null : unquote(table.getSchemaName());
        Optional<Hypertable> ht = dispatcher.hypertableOf(new QualifiedName(schema, unquote(table.getName())));
        if (ht.isEmpty() || ht.get().replicationFactor() != 1) return Optional.empty();
        DatabaseCatalog catalog = dispatcher.catalog();
        List<Chunk> chunks = ChunkExclusion.reachable(ht.get(), catalog.snapshot().chunks().get(ht.get().id()),
                select.getWhere(), sessionZone());
        Set<String> nodes = new LinkedHashSet<>();
        for (Chunk c : chunks) nodes.add(c.dataNodes().getFirst());
        PlanContext context = new PlanContext(List.copyOf(nodes), spaceValuesStayOnOneNode(chunks));
        java.util.Map<String, List<String>> byNode = new java.util.LinkedHashMap<>();
        for (Chunk c : chunks) byNode.computeIfAbsent(c.dataNodes().getFirst(), k -> new java.util.ArrayList<>()).add(c.tableName());
        PlanKey key = new PlanKey(sql, ht.get(), context);
        Optional<DistributedPlan> plan = PLANS.get(key);
        if (plan == null) {
            plan = PLANNER.plan(sql, ht.get(), context);
            if (PLANS.size() >= PLAN_CACHE_SIZE) PLANS.clear();
            PLANS.put(key, plan);
        }
        return plan.map(p -> new Planned(p, ht.get(), byNode));
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
     * Runs the remote queries and loads their rows into a temporary table of this query in the client's
     * session (dropped at commit; a table per query, so an open cursor over one never blocks the next).
     *
     * @return the combine query, reading that table
     * @throws PgException a data node's error
     */
    public String loadForCombine(Planned planned) {
        String table = "_ts_remote_" + TABLES.incrementAndGet();
        new RemoteResultLoader(node, session, dispatcher).load(planned.plan(), table);
        return REMOTE_TABLE.matcher(planned.plan().combineSql()).replaceAll(table);
    }

    private static final java.util.concurrent.atomic.AtomicLong TABLES = new java.util.concurrent.atomic.AtomicLong();
    private static final java.util.regex.Pattern REMOTE_TABLE = java.util.regex.Pattern.compile("\\b_ts_remote\\b");

    /**
     * @return the plan as EXPLAIN shows it, in the spirit of TimescaleDB's DataNodeScan: the combine step
     *         on the access node, then one scan per data node with its chunks and (VERBOSE) its remote SQL
     */
    public static List<String> explain(Planned p, boolean verbose) {
        List<String> lines = new java.util.ArrayList<>();
        lines.add("Timeshard Combine (push-down: " + p.plan().pushDown() + ")");
        if (verbose) lines.add("  Combine SQL: " + p.plan().combineSql());
        lines.add("  ->  Parallel Append on " + p.plan().dataNodes().size() + " data node" + (p.plan().dataNodes().size() == 1 ? "" : "s"));
        for (String n : p.plan().dataNodes()) {
            lines.add("        ->  DataNodeScan on " + p.hypertable().qualifiedName().replace("\"", ""));
            lines.add("              Data node: " + n);
            lines.add("              Chunks: " + String.join(", ", p.chunksByNode().getOrDefault(n, List.of())));
            if (verbose) lines.add("              Remote SQL: " + p.plan().remoteSql());
        }
        return lines;
    }

    /** True when no two chunks that can hold the same space value live on different data nodes. */
    static boolean spaceValuesStayOnOneNode(List<Chunk> chunks) {
        for (int i = 0; i < chunks.size(); i++) {
            for (int j = i + 1; j < chunks.size(); j++) {
                Chunk a = chunks.get(i);
                Chunk b = chunks.get(j);
                if (a.dataNodes().getFirst().equals(b.dataNodes().getFirst())) continue;
                if (a.spaceSlice() == null || b.spaceSlice() == null || a.spaceSlice().overlaps(b.spaceSlice())) return false;
            }
        }
        return true;
    }

    private ZoneId sessionZone() {
        try {
            return ZoneId.of(session.backend().client().parameterStatus().getOrDefault("TimeZone", "UTC"));
        } catch (DateTimeException e) {
            return null; // exclusion then keeps every chunk
        }
    }

    private static PlainSelect parse(String sql) {
        try {
            Statement st = new CCJSqlParser(new StringProvider(sql)).withAllowComplexParsing(true).Statement();
            return st instanceof PlainSelect ps ? ps : null;
        } catch (Exception | Error e) {
            return null;
        }
    }

    private static String unquote(String name) {
        if (name.startsWith("\"") && name.endsWith("\"")) return name.substring(1, name.length() - 1).replace("\"\"", "\"");
        return name.toLowerCase(Locale.ROOT);
    }
}
