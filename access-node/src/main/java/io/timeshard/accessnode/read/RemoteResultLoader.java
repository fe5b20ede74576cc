package io.timeshard.accessnode.read;

import io.timeshard.accessnode.AccessNode;
import io.timeshard.accessnode.dispatch.Dispatcher;
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
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

/**
 * Runs a plan's remote query on every data node at once ({@code COPY (remote SQL) TO STDOUT}, one
 * virtual thread per node) and streams the rows, as they arrive, into {@code COPY … FROM STDIN} in the client's session on the access node database. Text format both ways: each data node
 * session takes the client's TimeZone, DateStyle and IntervalStyle, so values — and the remote
 * query's own date arithmetic — read exactly as in the client's session; floats travel
 * shortest-exact. Memory is bounded by a queue of {@value #QUEUE_ROWS} rows.
 */
final class RemoteResultLoader {
    private static final int QUEUE_ROWS = 4096;
    private static final Object END = new Object();

    private final AccessNode node;
    private final Session session;
    private final Dispatcher dispatcher;
    private volatile boolean abandoned;

    RemoteResultLoader(AccessNode node, Session session, Dispatcher dispatcher) {
        this.node = node;
        this.session = session;
        this.dispatcher = dispatcher;
    }

    /** A data node's failure, carried through the queue. */
    private record Failure(PgException error) {}

    /**
     * Creates the temporary table {@code table} (dropped at commit) and fills it with every node's rows.
     *
     * @throws PgException the first data node error, prefixed {@code [node]: }
     */
    void load(ReadPath.Planned planned, String table) {
        DistributedPlan plan = planned.plan();
        StringBuilder cols = new StringBuilder();
        for (ResultColumn c : plan.remoteColumns()) {
            if (!cols.isEmpty()) cols.append(", ");
            cols.append(Identifiers.quote(c.name())).append(' ').append(c.type());
        }
        // one round trip: the block (for an implicit transaction) and the table
        String begin = dispatcher.coordinator().beginBackendBlockSql();
        session.backend().run(begin + "CREATE TEMPORARY TABLE " + table + " (" + cols + ") ON COMMIT DROP");
        if (plan.dataNodes().isEmpty()) return;
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE_ROWS);
        String settings = settings();
        for (String name : plan.dataNodes()) {
            DataNode dn = dispatcher.catalog().dataNode(name);
            String remoteSql = planned.remoteSqlFor(name);
            Thread.ofVirtual().name("fetch-" + name).start(() -> fetch(dn, settings, remoteSql, queue));
        }
        int[] running = {plan.dataNodes().size()};
        try {
            session.backend().copyIn("COPY pg_temp." + table + " FROM STDIN", () -> next(queue, running));
        } finally {
            abandoned = true;
            queue.clear();
        }
    }

    /** @return the next row for the access node, or null when every node has finished */
    private byte[] next(BlockingQueue<Object> queue, int[] running) {
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
                return (byte[]) o;
            }
        }
        return null;
    }

    private void fetch(DataNode dn, String settings, String remoteSql, BlockingQueue<Object> queue) {
        try (Connection c = node.pools().connect(dn)) {
            try (Statement st = c.createStatement()) {
                st.execute(settings);
            }
            CopyOut out = c.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY (" + remoteSql + ") TO STDOUT");
            for (byte[] row = out.readFromCopy(); row != null; row = out.readFromCopy()) {
                if (!put(queue, row)) {
                    out.cancelCopy();
                    return;
                }
            }
            put(queue, END);
        } catch (SQLException e) {
            PgException pe = CatalogStore.translate(e);
            put(queue, new Failure(new PgException(pe.sqlState(), "[" + dn.name() + "]: " + pe.getMessage(), e)
                    .detail(pe.detail()).hint(pe.hint())));
        } catch (PgException e) {
            put(queue, new Failure(e));
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

    /** @return the SET statements that give a data node session the client's time zone and styles */
    private String settings() {
        Map<String, String> ps = session.backend().client().parameterStatus();
        return "SET TimeZone TO " + Identifiers.literal(ps.getOrDefault("TimeZone", "UTC"))
                + "; SET DateStyle TO " + Identifiers.literal(ps.getOrDefault("DateStyle", "ISO, MDY"))
                + "; SET IntervalStyle TO " + Identifiers.literal(ps.getOrDefault("IntervalStyle", "postgres"))
                + "; SET extra_float_digits TO 3";
    }
}
