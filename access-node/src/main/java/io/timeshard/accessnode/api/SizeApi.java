package io.timeshard.accessnode.api;

import io.timeshard.accessnode.AccessNode;
import io.timeshard.accessnode.dispatch.Dispatcher;
import io.timeshard.accessnode.metadata.DatabaseCatalog;
import io.timeshard.accessnode.session.Session;
import io.timeshard.catalog.errors.PgException;
import io.timeshard.catalog.model.DataNode;
import io.timeshard.catalog.model.Hypertable;
import io.timeshard.catalog.model.Identifiers;
import io.timeshard.catalog.store.CatalogStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Size functions of distributed hypertables, computed from each data node's partition tree of the
 * hypertable (PostgreSQL's {@code pg_partition_tree}, {@code pg_table_size}, {@code pg_indexes_size},
 * {@code pg_total_relation_size}): table bytes exclude TOAST, which is reported apart, as TimescaleDB
 * does. Sizes are bytes. A data node that cannot be reached is an error (TS502), as in TimescaleDB.
 */
final class SizeApi {
    private static final String LEAF_SIZES = "SELECT c.relname, "
            + "pg_table_size(c.oid) - coalesce(pg_total_relation_size(NULLIF(c.reltoastrelid, 0)), 0), "
            + "pg_indexes_size(c.oid), coalesce(pg_total_relation_size(NULLIF(c.reltoastrelid, 0)), 0), "
            + "pg_total_relation_size(c.oid) FROM pg_partition_tree(%s::regclass) t JOIN pg_class c ON c.oid = t.relid "
            + "WHERE t.isleaf ORDER BY c.relname";

    private final AccessNode node;
    private final Session session;
    private final Dispatcher dispatcher;

    SizeApi(AccessNode node, Session session, Dispatcher dispatcher) {
        this.node = node;
        this.session = session;
        this.dispatcher = dispatcher;
    }

    /** @return one row per data node (table, index, toast, total bytes, node name) and one for the access node (node_name NULL) */
    List<String[]> hypertableDetailedSize(ApiArguments a) {
        Optional<Hypertable> ht = hypertable(a);
        if (ht.isEmpty()) return List.of();
        List<String[]> rows = new ArrayList<>();
        for (DataNode dn : dataNodes(ht.get())) {
            long[] sum = new long[4];
            for (Object[] leaf : leaves(dn, ht.get())) {
                for (int i = 0; i < 4; i++) sum[i] += (Long) leaf[i + 1];
            }
            rows.add(new String[] {Long.toString(sum[0]), Long.toString(sum[1]), Long.toString(sum[2]), Long.toString(sum[3]), dn.name()});
        }
        String local = session.backend().runForValue("SELECT pg_table_size(" + Identifiers.literal(ht.get().qualifiedName()) + "::regclass)");
        rows.add(new String[] {local, "0", "0", local, null});
        return rows;
    }

    /** @return one row: the total bytes of the hypertable over every data node */
    List<String[]> hypertableSize(ApiArguments a) {
        long total = 0;
        boolean any = false;
        for (String[] r : hypertableDetailedSize(a)) {
            total += Long.parseLong(r[3]);
            any = true;
        }
        return List.<String[]>of(new String[] {any ? Long.toString(total) : null});
    }

    /** @return one row per chunk replica */
    List<String[]> chunksDetailedSize(ApiArguments a) {
        Optional<Hypertable> ht = hypertable(a);
        if (ht.isEmpty()) return List.of();
        List<String[]> rows = new ArrayList<>();
        for (DataNode dn : dataNodes(ht.get())) {
            for (Object[] leaf : leaves(dn, ht.get())) {
                rows.add(new String[] {"_timescaledb_internal", (String) leaf[0], leaf[1].toString(), leaf[2].toString(),
                        leaf[3].toString(), leaf[4].toString(), dn.name()});
            }
        }
        rows.sort((x, y) -> x[1].compareTo(y[1]) != 0 ? x[1].compareTo(y[1]) : x[6].compareTo(y[6]));
        return rows;
    }

    private Optional<Hypertable> hypertable(ApiArguments a) {
        String[] rel = HypertableApi.splitQualified(a.require("hypertable"));
        return dispatcher.catalog().hypertable(rel[0], rel[1]);
    }

    private List<DataNode> dataNodes(Hypertable ht) {
        DatabaseCatalog catalog = dispatcher.catalog();
        return ht.dataNodes().stream().sorted().map(catalog::dataNode).toList();
    }

    /** @return per leaf table on the node: name, table bytes, index bytes, toast bytes, total bytes */
    private List<Object[]> leaves(DataNode dn, Hypertable ht) {
        List<Object[]> out = new ArrayList<>();
        try (Connection c = node.pools().connect(dn); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(String.format(LEAF_SIZES, Identifiers.literal(ht.qualifiedName())))) {
            while (rs.next()) {
                out.add(new Object[] {rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)});
            }
        } catch (SQLException e) {
            PgException pe = CatalogStore.translate(e);
            throw new PgException(pe.sqlState(), "[" + dn.name() + "]: " + pe.getMessage(), e);
        }
        return out;
    }
}
