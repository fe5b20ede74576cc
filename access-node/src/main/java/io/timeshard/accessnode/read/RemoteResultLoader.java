package io.timeshard.accessnode.read;

import io.timeshard.accessnode.AccessNode;
import io.timeshard.accessnode.dispatch.Dispatcher;
import io.timeshard.accessnode.ingest.CopyFields;
import io.timeshard.accessnode.session.Session;
import io.timeshard.catalog.errors.PgException;
import io.timeshard.catalog.errors.SqlState;
import io.timeshard.catalog.model.DataNode;
import io.timeshard.catalog.model.Identifiers;
import io.timeshard.catalog.store.CatalogStore;
import io.timeshard.planner.plan.DistributedPlan;
import io.timeshard.planner.plan.ResultColumn;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

/**
 * Runs a plan's remote query on every data node at once ({@code COPY (remote SQL) TO STDOUT}, one
 * pooled thread per node) and hands the rows to the combine step in the client's session on the
 * access node database. Text format: each data node session takes the client's TimeZone, DateStyle
 * and IntervalStyle, so values — and the remote query's own date arithmetic — read exactly as in the
 * client's session; floats travel shortest-exact.
 *
 * <p>A small result (at most {@value #INLINE_VALUES} values and {@value #INLINE_BYTES} bytes) is inlined
 * into the combine query as one array literal per column ({@code unnest('{…}'::type[], …)}): one round
 * trip to the access node database, no DDL, no transaction of ours. A larger one streams, as it
 * arrives, into a temporary table ({@code COPY … FROM STDIN}, dropped at commit) that the combine query
 * reads; memory is then bounded by a queue of {@value #QUEUE_ROWS} rows. Either way each value goes through its type's input function
 * in the client's session, as PostgreSQL's COPY would.
 */
final class RemoteResultLoader {
    private static final int QUEUE_ROWS = 4096;
    /**
     * Values (rows × columns) inlined at most. A temporary table costs about 2.5 ms before its first row
     * (CREATE, COPY's round trip, the drop at commit) and then about 0.2 µs a value; the arrays cost about
     * 0.25 µs a value and nothing fixed: 100 rows of 14 columns went in 0.2 ms against 2.1 ms for the
     * table. At 5,000 such rows both took 18-19 ms, at 15,000 the arrays 61-78 ms and the table 53 ms;
     * past this limit the table also bounds the memory held. (VALUES of typed literals, the form before
     * the arrays, took about 1.6 µs a value.)
     */
    private static final int INLINE_VALUES = 20_000;
    private static final int INLINE_BYTES = 512 * 1024;
    /** Rows a prepared remote read holds at most (in memory); a larger result is read again with COPY, streaming. */
    private static final int PREPARED_ROWS = 10_000;
    /**
     * Parameters of a statement run prepared at most: one value and a time range ({@code device = ? AND
     * time >= ? AND time < ?}). A generic plan estimates parameter ranges with default selectivities; with an
     * IN list of eight values over an 8-hour range it chose the time index, 44 ms against 12 ms for the
     * custom plan (TSBS single-groupby-5-8-1 in the tags form), and cpu-max-all-8 took twice as long.
     */
    private static final int PREPARED_PARAMETERS = 3;
    /** A remote SQL whose rows are bounded by its own LIMIT. */
    private static final java.util.regex.Pattern ENDS_WITH_LIMIT = java.util.regex.Pattern.compile("\\sLIMIT \\d+$");
    /** Bytes of remote rows held at most while waiting to see whether one node's rows are the answer. */
    private static final int HOLD_BYTES = 1024 * 1024;
    private static final Object END = new Object();
    private static final java.util.concurrent.atomic.AtomicLong TABLES = new java.util.concurrent.atomic.AtomicLong();

    private final AccessNode node;
    private final Session session;
    private final Dispatcher dispatcher;
    private final Runnable beforeRows;
    private volatile boolean abandoned;

    /**
     * @param beforeRows run on the calling thread once the data nodes are asked and before any of their
     *                   rows is used (the check of speculated subqueries); what it throws abandons the read
     */
    RemoteResultLoader(AccessNode node, Session session, Dispatcher dispatcher, Runnable beforeRows) {
        this.node = node;
        this.session = session;
        this.dispatcher = dispatcher;
        this.beforeRows = beforeRows;
    }

    /** A data node's failure, carried through the queue. */
    private record Failure(PgException error) {}

    /**
     * What one data node's remote query did, for EXPLAIN ANALYZE.
     *
     * @param node        the data node's name
     * @param firstRowMs  milliseconds from the start of the load to the node's first row (or its end, if none)
     * @param totalMs     milliseconds from the start of the load to the node's last row
     * @param rows        rows the node returned
     */
    record ScanStats(String node, double firstRowMs, double totalMs, long rows) {}

    private final Map<String, ScanStats> stats = new java.util.concurrent.ConcurrentHashMap<>();
    private long started;

    /** @return per data node, what its remote query did in the last {@link #load} (complete once load returned) */
    Map<String, ScanStats> stats() {
        return stats;
    }

    /**
     * What {@link #load} did.
     *
     * @param combineSql the combine query over the remote rows (inline, or in a temporary table of this
     *                   query), or null when one node's rows went to the client
     * @param rowsSent   the rows sent to the client (0 unless combineSql is null)
     */
    public record Loaded(String combineSql, long rowsSent) {}

    /**
     * Runs the remote queries and makes their rows readable by the combine query. With {@code oneNodeRows}
     * and a plan with {@link DistributedPlan#oneNodePassThrough} columns, the rows are held (up to
     * {@value #HOLD_BYTES} bytes) until every node has finished: when at most one node returned any, its
     * rows are the answer and go to {@code oneNodeRows} (the result columns, text format) instead.
     *
     * <p>The remote reads run under the session's statement timer ({@link Session#statementTimer}).
     *
     * @param oneNodeRows where one node's rows go as the answer, or null to always combine
     * @param binary      for a lateral join the access node merges, per result column whether the client wants it
     *                    in binary ({@link BinaryResults}); null when all are text (always, for other plans)
     * @param remoteBinary per remote column whether it is wanted in binary ({@link BinaryResults#remote}), or null
     * @throws PgException the first data node error, prefixed {@code [node]: } (57014 when the client
     *         cancelled or statement_timeout passed)
     */
    Loaded load(ReadPath.Planned planned, java.util.function.Consumer<byte[][]> oneNodeRows, boolean[] binary, boolean[] remoteBinary) {
        try (var timer = session.statementTimer()) {
            return loadTimed(planned, oneNodeRows, binary, remoteBinary);
        }
    }

    private Loaded loadTimed(ReadPath.Planned planned, java.util.function.Consumer<byte[][]> oneNodeRows, boolean[] binary,
                             boolean[] remoteBinary) {
        if (planned.firstSlice() != null) return loadFirstSliceFirst(planned, oneNodeRows, binary, remoteBinary);
        DistributedPlan plan = planned.plan();
        boolean hold = oneNodeRows != null && !plan.oneNodePassThrough().isEmpty();
        started = System.nanoTime();
        BlockingQueue<Object> queue = start(planned, settings());
        int[] running = {plan.dataNodes().size()};
        try {
            beforeRows.run();
            // rescanned rows always go to a table: made while the nodes run
            String table = planned.rescanned() ? createTable(plan) : null;
            List<Object> head = new ArrayList<>();
            long bytes = 0;
            for (Object row = next(queue, running); row != null; row = next(queue, running)) {
                head.add(row);
                bytes += size(row);
                if (!inline(plan, head.size(), bytes, planned.rescanned()) && !(hold && bytes <= HOLD_BYTES)) {
                    return new Loaded(loadTable(plan, table == null ? createTable(plan) : table, head, queue, running), 0);
                }
            }
            if (hold && stats.values().stream().filter(s -> s.rows() > 0).count() <= 1) {
                int[] pick = plan.oneNodePassThrough().stream().mapToInt(Integer::intValue).toArray();
                for (Object row : head) oneNodeRows.accept(pick(row, plan.remoteColumns().size(), pick, null));
                return new Loaded(null, head.size());
            }
            if (!inline(plan, head.size(), bytes, planned.rescanned())) {
                return new Loaded(loadTable(plan, table == null ? createTable(plan) : table, head, queue, running), 0);
            }
            return new Loaded(plan.combineSqlOver(inline(plan.remoteColumns(), head), columnAliases(plan.remoteColumns())), 0);
        } finally {
            abandoned = true;
            queue.clear();
        }
    }

    /**
     * Runs a lateral join's two steps ({@link LateralJoins.FirstSlice}): the first time slice's rows, held
     * in memory and counted per outer value, then — for the values with fewer rows than the LIMIT — the
     * nodes' whole roots, also held. When the access node may merge ({@link LateralMerge}), {@code mergedRows}
     * is given and each value's rows came from one node, the result goes to {@code mergedRows}; otherwise the
     * first step's rows of the values that are done and the second step's rows are what the combine query
     * reads (inline when few, else from a temporary table). Remote columns wanted in binary are read so only
     * while the access node may merge; when it then cannot, both steps are read again in text for the combine
     * query (nothing has been sent).
     *
     * @param mergedRows where the merged result goes, or null to always combine
     * @param binary       per result column whether it is wanted in binary, or null
     * @param remoteBinary per remote column whether it is wanted in binary, or null
     * @throws PgException the first data node error, prefixed {@code [node]: }
     */
    private Loaded loadFirstSliceFirst(ReadPath.Planned planned, java.util.function.Consumer<byte[][]> mergedRows, boolean[] binary,
                                       boolean[] remoteBinary) {
        LateralJoins.FirstSlice first = planned.firstSlice();
        boolean[] readBinary = mergedRows != null && first.merge() != null && BinaryResults.any(remoteBinary) ? remoteBinary : null;
        Map<String, String> settings = settings();
        started = System.nanoTime();
        Map<String, RemoteQuery> queries = new java.util.LinkedHashMap<>();
        first.remoteSqlByNode().forEach((name, sql) -> queries.put(name, inBinary(new RemoteQuery(sql, first.preparedByNode().get(name)), 1, readBinary)));
        int values = first.tuples().size();
        int[] found = new int[values];
        Labelled firstRows = new Labelled();
        readLabelled(startQueries(queries, settings), first.remoteSqlByNode().size(), firstRows, true);
        for (int i = 0; i < firstRows.labels.size(); i++) found[first.ordinal(firstRows.labels.get(i))]++;
        Labelled rows = new Labelled();
        for (int i = 0; i < firstRows.labels.size(); i++) {
            if (!first.open(found, first.ordinal(firstRows.labels.get(i)))) rows.add(firstRows.labels.get(i), firstRows.rows.get(i));
        }
        Map<String, String> rest = first.rest(found);
        if (!rest.isEmpty()) {
            ReadPath.Planned second = planned.withRemoteSql(rest);
            Map<String, RemoteQuery> restQueries = new java.util.LinkedHashMap<>();
            for (String name : second.plan().dataNodes()) restQueries.put(name, inBinary(query(second, name), 1, readBinary));
            readLabelled(startQueries(restQueries, settings), rest.size(), rows, false);
        }
        if (mergedRows != null && first.merge() != null) {
            List<List<byte[][]>> byOrdinal = new ArrayList<>(values);
            int[] node = new int[values];
            for (int o = 0; o < values; o++) byOrdinal.add(new ArrayList<>(first.limit()));
            java.util.Arrays.fill(node, -1);
            boolean oneNodeEach = true;
            for (int i = 0; i < rows.labels.size() && oneNodeEach; i++) {
                int label = rows.labels.get(i);
                int o = first.ordinal(label);
                oneNodeEach = node[o] < 0 || node[o] == first.node(label);
                node[o] = first.node(label);
                byOrdinal.get(o).add(values(rows.rows.get(i), planned.plan().remoteColumns().size(), readBinary));
            }
            if (oneNodeEach) return new Loaded(null, first.merge().write(byOrdinal, mergedRows, binary));
            if (readBinary != null) return loadFirstSliceFirst(planned, null, null, null);
        }
        DistributedPlan plan = rest.isEmpty() ? first.combineFor(planned.plan(), found) : planned.plan();
        return new Loaded(combineOver(plan, rows.rows, new ArrayBlockingQueue<>(1), new int[] {0}), 0);
    }

    /** Rows of a lateral join's steps, each without the label that led it (COPY text, or {@link Values}). */
    private static final class Labelled {
        final List<Integer> labels = new ArrayList<>();
        final List<Object> rows = new ArrayList<>();

        void add(int label, Object row) {
            labels.add(label);
            rows.add(row);
        }
    }

    /**
     * Reads every row of {@code running} nodes' labelled remote queries into {@code into}, the label cut off.
     *
     * @param checks whether the speculated probes are checked first ({@code beforeRows}; once per load)
     * @throws PgException a data node's error (the other nodes' reads then stop)
     */
    private void readLabelled(BlockingQueue<Object> queue, int running, Labelled into, boolean checks) {
        int[] left = {running};
        try {
            if (checks) beforeRows.run();
            for (Object o = next(queue, left); o != null; o = next(queue, left)) {
                if (o instanceof Values v) {
                    int label = 0;
                    for (byte b : v.values()[0]) label = label * 10 + (b - '0');
                    into.add(label, new Values(java.util.Arrays.copyOfRange(v.values(), 1, v.values().length)));
                    continue;
                }
                byte[] row = (byte[]) o;
                int tab = 0;
                int label = 0;
                while (row[tab] != '\t') label = label * 10 + (row[tab++] - '0');
                into.add(label, java.util.Arrays.copyOfRange(row, tab + 1, row.length));
            }
        } finally {
            if (left[0] > 0) { // the other nodes' fetches stop
                abandoned = true;
                queue.clear();
            }
        }
    }

    /**
     * @param head the rows read so far
     * @return the combine query over {@code head} and the rest of {@code queue}'s rows: inline while they
     *         fit ({@link #inline(DistributedPlan, int, long, boolean)}), else streamed into a new temporary table
     */
    private String combineOver(DistributedPlan plan, List<Object> head, BlockingQueue<Object> queue, int[] running) {
        long bytes = 0;
        for (Object row : head) bytes += size(row);
        if (!inline(plan, head.size(), bytes, false)) return loadTable(plan, createTable(plan), head, queue, running);
        for (Object row = next(queue, running); row != null; row = next(queue, running)) {
            head.add(row);
            bytes += size(row);
            if (!inline(plan, head.size(), bytes, false)) return loadTable(plan, createTable(plan), head, queue, running);
        }
        return plan.combineSqlOver(inline(plan.remoteColumns(), head), columnAliases(plan.remoteColumns()));
    }

    /**
     * @param rescanned whether the combine query reads the rows once per outer row ({@link ReadPath.Planned#rescanned})
     * @return whether {@code rows} remote rows of {@code bytes} may be inlined into the combine query
     */
    private static boolean inline(DistributedPlan plan, int rows, long bytes, boolean rescanned) {
        return (long) rows * plan.remoteColumns().size() <= INLINE_VALUES && bytes <= INLINE_BYTES && !rescanned;
    }

    /**
     * @param binary per remote column whether the row holds it in binary ({@link BinaryResults#remoteSql}), or null
     * @return the result columns {@code pick} names of one remote row of {@code width} columns ({@link #values}),
     *         text or binary as read
     */
    private static byte[][] pick(Object row, int width, int[] pick, boolean[] binary) {
        byte[][] fields = values(row, width, binary);
        byte[][] values = new byte[pick.length][];
        for (int i = 0; i < pick.length; i++) values[i] = fields[pick[i]];
        return values;
    }

    /** Starts the remote query on every node of the plan, each on a thread of {@link #FETCH_THREADS}. */
    private BlockingQueue<Object> start(ReadPath.Planned planned, Map<String, String> settings) {
        Map<String, RemoteQuery> queries = new java.util.LinkedHashMap<>();
        for (String name : planned.plan().dataNodes()) queries.put(name, query(planned, name));
        return startQueries(queries, settings);
    }

    /** Starts each node's remote query ({@code sqlByNode}: node → remote SQL), each on a thread of {@link #FETCH_THREADS}. */
    private BlockingQueue<Object> start(Map<String, String> sqlByNode, Map<String, String> settings) {
        Map<String, RemoteQuery> queries = new java.util.LinkedHashMap<>();
        sqlByNode.forEach((name, sql) -> queries.put(name, new RemoteQuery(sql, null)));
        return startQueries(queries, settings);
    }

    /**
     * The threads that read the data nodes: platform threads, kept between statements. A virtual thread
     * per read woke through the I/O poller and the carrier pool on every socket read, which cost more CPU
     * than the read itself on a 2-core machine.
     */
    private static final java.util.concurrent.ExecutorService FETCH_THREADS =
            java.util.concurrent.Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name("fetch-", 1).factory());

    private BlockingQueue<Object> startQueries(Map<String, RemoteQuery> queries, Map<String, String> settings) {
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE_ROWS);
        queries.forEach((name, query) -> {
            DataNode dn = dispatcher.catalog().dataNode(name);
            FETCH_THREADS.execute(() -> fetch(dn, settings, query, queue));
        });
        return queue;
    }

    /**
     * What one data node runs: the remote SQL, and — for a plan from the plan cache whose result is bounded
     * (an aggregate, or a LIMIT) and whose filter has at most {@value #PREPARED_PARAMETERS} parameters — its
     * parameterized form, run first as a prepared statement.
     *
     * @param sql      the remote SQL with its literals, run as {@code COPY (…) TO STDOUT}
     * @param prepared the same with parameters, or null
     * @param record   whether the last column is the binary columns' {@code record_send} value ({@link BinaryResults#remoteSql}),
     *                 which a prepared read keeps as pgjdbc reads it (binary)
     */
    private record RemoteQuery(String sql, DistributedPlan.Parameterized prepared, boolean record) {
        RemoteQuery(String sql, DistributedPlan.Parameterized prepared) {
            this(sql, prepared, false);
        }
    }

    /**
     * @param leading columns before the remote columns (a lateral join's label)
     * @param binary  per remote column whether it is wanted in binary, or null
     * @return {@code q}, its remote columns wanted in binary read so ({@link BinaryResults#remoteSql})
     */
    private static RemoteQuery inBinary(RemoteQuery q, int leading, boolean[] binary) {
        if (!BinaryResults.any(binary)) return q;
        DistributedPlan.Parameterized p = q.prepared() == null ? null
                : new DistributedPlan.Parameterized(BinaryResults.remoteSql(q.prepared().remoteSql(), leading, binary), q.prepared().values());
        return new RemoteQuery(BinaryResults.remoteSql(q.sql(), leading, binary), p, true);
    }

    private static RemoteQuery query(ReadPath.Planned planned, String node) {
        DistributedPlan plan = planned.plan();
        boolean bounded = plan.pushDown() != io.timeshard.planner.plan.PushDown.NONE || ENDS_WITH_LIMIT.matcher(plan.remoteSql()).find();
        DistributedPlan.Parameterized p = bounded ? planned.parameterizedFor(node) : null;
        return new RemoteQuery(planned.remoteSqlFor(node), p != null && p.values().size() <= PREPARED_PARAMETERS ? p : null);
    }

    /**
     * @return the rows as a relation for the combine query's FROM: {@code unnest('{…}'::type[], …)} — one
     *         {@link ArrayLiteral} per column — or a zero-row SELECT when there are none. PostgreSQL converts
     *         each literal once, with the column type's input function and type modifier as COPY does; a
     *         column of a type {@link ArrayLiteral#unfit} for it travels as {@code text[]} and is cast to its type.
     */
    static String inline(List<ResultColumn> columns, List<?> rows) {
        StringBuilder b = new StringBuilder("(");
        if (rows.isEmpty()) {
            b.append("SELECT ");
            for (int i = 0; i < columns.size(); i++) b.append(i == 0 ? "" : ", ").append("NULL::").append(columns.get(i).type());
            return b.append(" LIMIT 0)").toString();
        }
        StringBuilder[] arrays = new StringBuilder[columns.size()];
        for (int i = 0; i < arrays.length; i++) arrays[i] = new StringBuilder(rows.size() * 8).append('{');
        for (int r = 0; r < rows.size(); r++) {
            byte[][] fields = values(rows.get(r), columns.size(), null);
            for (int i = 0; i < fields.length; i++) {
                if (r > 0) arrays[i].append(',');
                ArrayLiteral.appendElement(arrays[i], fields[i] == null ? null : new String(fields[i], java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        boolean casts = columns.stream().anyMatch(c -> ArrayLiteral.unfit(c.type()));
        if (casts) {
            b.append("SELECT ");
            for (int i = 0; i < columns.size(); i++) {
                b.append(i == 0 ? "" : ", ").append("\"_ts_array\".\"").append(i + 1).append('"');
                if (ArrayLiteral.unfit(columns.get(i).type())) b.append("::").append(columns.get(i).type());
            }
            b.append(" FROM ");
        }
        b.append("unnest(");
        for (int i = 0; i < arrays.length; i++) {
            String type = ArrayLiteral.unfit(columns.get(i).type()) ? "text" : columns.get(i).type();
            b.append(i == 0 ? "" : ", ").append(Identifiers.literal(arrays[i].append('}').toString())).append("::").append(type).append("[]");
        }
        b.append(')');
        if (casts) {
            b.append(" AS \"_ts_array\"(");
            for (int i = 0; i < columns.size(); i++) b.append(i == 0 ? "" : ", ").append('"').append(i + 1).append('"');
            b.append(')');
        } else {
            b.insert(1, "SELECT * FROM ");
        }
        return b.append(')').toString();
    }

    /**
     * A remote row as a prepared read gives it ({@link #prepared}): each value as the server sent it (text,
     * null for NULL), not put into COPY's text format unless a temporary table or the arrays need that.
     */
    private record Values(byte[][] values) {}

    /** @return the bytes a remote row ({@code byte[]} in COPY's text format, or {@link Values}) takes, about */
    private static long size(Object row) {
        if (row instanceof byte[] b) return b.length;
        long n = 0;
        for (byte[] v : ((Values) row).values()) n += v == null ? 2 : v.length + 1;
        return n;
    }

    /**
     * @param binary per remote column whether the row holds it in binary ({@link BinaryResults#remoteSql}), or null
     * @return the values of one remote row ({@code byte[]} in COPY's text format, or {@link Values}), text or binary
     * @throws PgException XX000 when the row does not have {@code width} fields
     */
    private static byte[][] values(Object row, int width, boolean[] binary) {
        byte[][] fields = row instanceof Values v ? v.values() : CopyFields.textRow((byte[]) row);
        if (binary != null) return BinaryResults.values(fields, binary);
        if (fields.length != width) {
            throw new PgException(SqlState.INTERNAL_ERROR, "a data node returned " + fields.length + " columns, expected " + width);
        }
        return fields;
    }

    private static String columnAliases(List<ResultColumn> columns) {
        StringBuilder b = new StringBuilder("(");
        for (ResultColumn c : columns) b.append(b.length() > 1 ? ", " : "").append(Identifiers.quote(c.name()));
        return b.append(')').toString();
    }

    /**
     * Creates a temporary table of this query (dropped at commit; one per query, so that an open cursor
     * over one never blocks the next).
     *
     * @return the name of a new temporary table for {@code plan}'s remote rows
     */
    private String createTable(DistributedPlan plan) {
        String table = "_ts_remote_" + TABLES.incrementAndGet();
        StringBuilder cols = new StringBuilder();
        for (ResultColumn c : plan.remoteColumns()) {
            if (!cols.isEmpty()) cols.append(", ");
            cols.append(Identifiers.quote(c.name())).append(' ').append(c.type());
        }
        // one round trip: the block (for an implicit transaction) and the table
        String begin = dispatcher.coordinator().beginBackendBlockSql();
        session.backend().run(begin + "CREATE TEMPORARY TABLE " + table + " (" + cols + ") ON COMMIT DROP");
        return table;
    }

    /**
     * Streams {@code head}, then the rest of the rows, into {@code table} ({@link #createTable}).
     *
     * @return the combine query reading that table
     */
    private String loadTable(DistributedPlan plan, String table, List<Object> head, BlockingQueue<Object> queue, int[] running) {
        java.util.Iterator<Object> buffered = head.iterator();
        session.backend().copyIn("COPY pg_temp." + table + " FROM STDIN", () -> {
            Object row = buffered.hasNext() ? buffered.next() : next(queue, running);
            return row == null ? null : copyText(row);
        });
        return plan.combineSqlOver("pg_temp." + table, "");
    }

    /** @return the next row for the access node ({@code byte[]} in COPY's text format, or {@link Values}), or null when every node has finished */
    private Object next(BlockingQueue<Object> queue, int[] running) {
        while (running[0] > 0) {
            Object o;
            try {
                o = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PgException(SqlState.QUERY_CANCELED, "canceling statement due to user request");
            }
            if (o == END) {
                running[0]--;
            } else if (o instanceof Failure f) {
                throw f.error();
            } else {
                return o;
            }
        }
        return null;
    }

    private void fetch(DataNode dn, Map<String, String> settings, RemoteQuery query, BlockingQueue<Object> queue) {
        try {
            if (copyOut(dn, settings, query, row -> put(queue, row))) put(queue, END);
        } catch (PgException e) {
            put(queue, new Failure(e));
        }
    }

    /**
     * Runs {@code query} on a pooled session of {@code dn} with the client's settings — its prepared form
     * when it has one and that returns at most {@value #PREPARED_ROWS} rows, else {@code COPY (sql) TO
     * STDOUT} — and hands each row (COPY's text format, one CopyData payload; or the prepared form's {@link Values}) to {@code rows}; stops when it
     * returns false.
     *
     * @return false when {@code rows} stopped the copy
     * @throws PgException the node's error, prefixed {@code [node]: }
     */
    private boolean copyOut(DataNode dn, Map<String, String> settings, RemoteQuery query, java.util.function.Predicate<Object> rows) {
        try (Connection c = node.pools().connect(dn)) {
            session.remoteReadStarted(c);
            try {
                return copyOut(c, dn, settings, query, rows);
            } finally {
                session.remoteReadEnded(c);
            }
        } catch (SQLException e) {
            PgException pe = CatalogStore.translate(e);
            String message = SqlState.QUERY_CANCELED.equals(pe.sqlState()) && session.statementTimedOut()
                    ? "canceling statement due to statement timeout" : pe.getMessage();
            throw new PgException(pe.sqlState(), "[" + dn.name() + "]: " + message, e).detail(pe.detail()).hint(pe.hint());
        }
    }

    /**
     * {@link #copyOut(DataNode, Map, RemoteQuery, java.util.function.Predicate)} on a connection of {@code dn}'s
     * pool: the prepared form first when there is one, the COPY when it has none or returned too many rows.
     */
    private boolean copyOut(Connection c, DataNode dn, Map<String, String> settings, RemoteQuery query,
                            java.util.function.Predicate<Object> rows) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        String set = changedSettings(pg, settings);
        if (!set.isEmpty()) {
            try (Statement st = c.createStatement()) {
                st.execute(set);
            }
        }
        if (query.prepared() != null) {
            List<Values> held = prepared(c, query.prepared(), query.record());
            if (held != null) {
                long first = System.nanoTime();
                boolean complete = true;
                for (Values row : held) {
                    if (!rows.test(row)) {
                        complete = false;
                        break;
                    }
                }
                long end = System.nanoTime();
                double firstMs = ((held.isEmpty() ? end : first) - started) / 1e6;
                stats.put(dn.name(), new ScanStats(dn.name(), firstMs, (end - started) / 1e6, held.size()));
                return complete;
            }
        }
        CopyOut out = pg.getCopyAPI().copyOut("COPY (" + query.sql() + ") TO STDOUT");
        long count = 0;
        long first = 0;
        for (byte[] row = out.readFromCopy(); row != null; row = out.readFromCopy()) {
            if (count++ == 0) first = System.nanoTime();
            boolean more;
            try {
                more = rows.test(row);
            } catch (RuntimeException e) {
                out.cancelCopy(); // the pooled session must not stay in COPY
                throw e;
            }
            if (!more) {
                out.cancelCopy();
                return false;
            }
        }
        long end = System.nanoTime();
        stats.put(dn.name(), new ScanStats(dn.name(), ((count == 0 ? end : first) - started) / 1e6, (end - started) / 1e6, count));
        return true;
    }

    /**
     * Runs {@code p} as a prepared statement (server-side from its first run: pgjdbc keeps it per pooled
     * session by its text, and after five runs PostgreSQL may keep one generic plan of it, so the node
     * no longer parses and plans the query — nor inlines time_bucket — every time), its parameters untyped
     * as the literals they stand for, at most {@value #PREPARED_ROWS} rows.
     *
     * @param record whether the last column is a binary record ({@link RemoteQuery#record}): kept as its bytes
     * @return the rows, each value as the server printed it (the pool's sessions take text results but for bytea,
     *         which comes in binary from a statement's second run: pgjdbc hands over the bytes undecoded, a bytea's
     *         as {@code \x} and hex, as PostgreSQL prints it, but for the binary record), put into COPY's text format only
     *         where a consumer needs that ({@link #copyText}); or null — nothing
     *         read — when there were more rows (the COPY then streams them), or when PostgreSQL refused the
     *         kept statement because a table's columns changed type (pgjdbc prepares it again next time)
     * @throws SQLException the node's error
     */
    private static List<Values> prepared(Connection c, DistributedPlan.Parameterized p, boolean record) throws SQLException {
        List<Values> held = new ArrayList<>();
        try (java.sql.PreparedStatement ps = c.prepareStatement(p.remoteSql())) {
            ps.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(1);
            ps.setMaxRows(PREPARED_ROWS + 1);
            for (int i = 0; i < p.values().size(); i++) ps.setObject(i + 1, p.values().get(i), java.sql.Types.OTHER);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                java.sql.ResultSetMetaData md = rs.getMetaData();
                boolean[] bytea = new boolean[md.getColumnCount()];
                for (int i = 0; i < bytea.length; i++) bytea[i] = "bytea".equals(md.getColumnTypeName(i + 1));
                if (record) bytea[bytea.length - 1] = false;
                while (rs.next()) {
                    if (held.size() == PREPARED_ROWS) return null;
                    byte[][] values = new byte[bytea.length][];
                    for (int i = 0; i < bytea.length; i++) {
                        values[i] = rs.getBytes(i + 1);
                        if (bytea[i] && values[i] != null) values[i] = byteaText(values[i]);
                    }
                    held.add(new Values(values));
                }
            }
        } catch (SQLException e) {
            boolean stale = SqlState.FEATURE_NOT_SUPPORTED.equals(e.getSQLState())
                    && String.valueOf(e.getMessage()).contains("cached plan must not change result type");
            if (stale) return null;
            throw e;
        }
        return held;
    }

    /** @return a bytea value's text as PostgreSQL prints it with {@code bytea_output = hex} (its default): {@code \x} and lower-case hex */
    private static byte[] byteaText(byte[] value) {
        return ("\\x" + java.util.HexFormat.of().formatHex(value)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** @return a remote row in COPY's text format: a row in that format as it is, {@link Values} encoded ({@link CopyFields#textRowBytes}) */
    private static byte[] copyText(Object row) {
        return row instanceof Values values ? CopyFields.textRowBytes(values.values()) : (byte[]) row;
    }

    /**
     * Runs a pass-through plan ({@link DistributedPlan#passThrough}): the data nodes' rows are the
     * answer, so each goes to {@code rows} as it arrives — one node's in this thread, with nothing in
     * between; several nodes' in the order they come — holding the result columns in text format
     * (decoded from COPY's text format), or in binary where wanted.
     *
     * @param binary per remote column whether the client wants it in binary ({@link BinaryResults#remote}), or null
     * @return the number of rows
     * @throws PgException a data node's error, prefixed {@code [node]: } (rows before it were handed on)
     */
    long passThrough(ReadPath.Planned planned, java.util.function.Consumer<byte[][]> rows, boolean[] binary) {
        try (var timer = session.statementTimer()) {
            return passThroughTimed(planned, rows, BinaryResults.any(binary) ? binary : null);
        }
    }

    private long passThroughTimed(ReadPath.Planned planned, java.util.function.Consumer<byte[][]> rows, boolean[] binary) {
        DistributedPlan plan = planned.plan();
        int[] pick = plan.passThrough().stream().mapToInt(Integer::intValue).toArray();
        int width = plan.remoteColumns().size();
        java.util.function.Predicate<Object> send = row -> {
            rows.accept(pick(row, width, pick, binary));
            return true;
        };
        Map<String, String> settings = settings();
        started = System.nanoTime();
        if (plan.dataNodes().size() == 1) {
            beforeRows.run();
            String name = plan.dataNodes().getFirst();
            copyOut(dispatcher.catalog().dataNode(name), settings, inBinary(query(planned, name), 0, binary), send);
            return stats.get(name).rows();
        }
        Map<String, RemoteQuery> queries = new java.util.LinkedHashMap<>();
        for (String name : plan.dataNodes()) queries.put(name, inBinary(query(planned, name), 0, binary));
        BlockingQueue<Object> queue = startQueries(queries, settings);
        int[] running = {plan.dataNodes().size()};
        long count = 0;
        try {
            beforeRows.run();
            for (Object row = next(queue, running); row != null; row = next(queue, running)) {
                send.test(row);
                count++;
            }
            return count;
        } finally {
            abandoned = true;
            queue.clear();
        }
    }

    private boolean put(BlockingQueue<Object> queue, Object o) {
        try {
            while (!queue.offer(o, 50, TimeUnit.MILLISECONDS)) {
                if (abandoned) return false;
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * @return the client's TimeZone, DateStyle and IntervalStyle — the settings a data node session needs
     *         to read literals and print values as the client's session does (extra_float_digits is 3 on
     *         every pgjdbc connection already)
     */
    private Map<String, String> settings() {
        Map<String, String> ps = session.backend().client().parameterStatus();
        return Map.of("TimeZone", ps.getOrDefault("TimeZone", "UTC"), "DateStyle", ps.getOrDefault("DateStyle", "ISO, MDY"),
                "IntervalStyle", ps.getOrDefault("IntervalStyle", "postgres"));
    }

    /**
     * @return the SET statements that give a pooled data node session {@code settings}: only those whose
     *         current value — as the server last reported it (all three are GUC_REPORT parameters) —
     *         differs, so a connection that served this kind of client before needs no round trip
     */
    private static String changedSettings(PGConnection pg, Map<String, String> settings) {
        StringBuilder set = new StringBuilder();
        for (Map.Entry<String, String> e : settings.entrySet()) {
            if (e.getValue().equals(pg.getParameterStatus(e.getKey()))) continue;
            set.append("SET ").append(e.getKey()).append(" TO ").append(Identifiers.literal(e.getValue())).append("; ");
        }
        return set.toString();
    }
}
