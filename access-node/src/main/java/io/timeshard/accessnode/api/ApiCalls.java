package io.timeshard.accessnode.api;

import static io.timeshard.accessnode.api.ApiSignature.BOOL;
import static io.timeshard.accessnode.api.ApiSignature.INT4;
import static io.timeshard.accessnode.api.ApiSignature.INT8;
import static io.timeshard.accessnode.api.ApiSignature.NAME;
import static io.timeshard.accessnode.api.ApiSignature.RECORD;
import static io.timeshard.accessnode.api.ApiSignature.TEXT;
import static io.timeshard.accessnode.api.ApiSignature.VOID;
import static io.timeshard.accessnode.api.ApiSignature.col;
import static io.timeshard.accessnode.api.ApiSignature.optional;
import static io.timeshard.accessnode.api.ApiSignature.required;

import io.timeshard.accessnode.AccessNode;
import io.timeshard.accessnode.dispatch.Dispatcher;
import io.timeshard.accessnode.session.BoundParameters;
import io.timeshard.accessnode.session.QueryResult;
import io.timeshard.accessnode.session.Session;
import io.timeshard.accessnode.wire.ColumnDescription;
import io.timeshard.catalog.errors.PgException;
import io.timeshard.catalog.errors.SqlState;
import io.timeshard.planner.parse.Classified;
import io.timeshard.planner.parse.Tokens;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The multi-node API functions of TimescaleDB 2.13 (reference/timescaledb-2.13-api.md) with their
 * exact names, parameter names, defaults and result columns. A call's arguments are evaluated by
 * PostgreSQL ({@link ApiArguments}); the work is done by {@link DataNodeApi}, {@link HypertableApi}
 * and {@link SizeApi}; the result is shaped as PostgreSQL would show it: one column per field for
 * {@code SELECT * FROM f(…)}, one record column for {@code SELECT f(…)}.
 */
public final class ApiCalls {
    private static final String CTI_DEFAULT = null;

    static final List<ColumnDescription> HYPERTABLE_RESULT = List.of(col("hypertable_id", INT4, 4),
            col("schema_name", NAME, 64), col("table_name", NAME, 64), col("created", BOOL, 1));

    private static final List<ApiSignature.Param> CREATE_HT_PARAMS = List.of(
            required("relation", "regclass"), required("time_column_name", "name"),
            optional("partitioning_column", "name", null), optional("number_partitions", "integer", null),
            optional("associated_schema_name", "name", null), optional("associated_table_prefix", "name", null),
            optional("chunk_time_interval", "any", CTI_DEFAULT), optional("create_default_indexes", "boolean", "true"),
            optional("if_not_exists", "boolean", "false"), optional("partitioning_func", "regproc", null),
            optional("migrate_data", "boolean", "false"), optional("chunk_target_size", "text", null),
            optional("chunk_sizing_func", "regproc", "_timescaledb_functions.calculate_chunk_interval"),
            optional("time_partitioning_func", "regproc", null), optional("replication_factor", "integer", null),
            optional("data_nodes", "name[]", null));

    private static final Map<String, ApiSignature> SIGNATURES = Map.ofEntries(
            sig("add_data_node", List.of(required("node_name", "name"), required("host", "text"),
                    optional("database", "name", null), optional("port", "integer", null),
                    optional("if_not_exists", "boolean", "false"), optional("bootstrap", "boolean", "true"),
                    optional("password", "text", null)),
                    List.of(col("node_name", NAME, 64), col("host", TEXT, -1), col("port", INT4, 4), col("database", NAME, 64),
                            col("node_created", BOOL, 1), col("database_created", BOOL, 1), col("extension_created", BOOL, 1)), true),
            sig("delete_data_node", List.of(required("node_name", "name"), optional("if_exists", "boolean", "false"),
                    optional("force", "boolean", "false"), optional("repartition", "boolean", "true"),
                    optional("drop_database", "boolean", "false")), List.of(col("delete_data_node", BOOL, 1)), false),
            sig("create_distributed_hypertable", CREATE_HT_PARAMS, HYPERTABLE_RESULT, true),
            sig("create_hypertable", withDistributed(), HYPERTABLE_RESULT, true),
            sig("set_replication_factor", List.of(required("hypertable", "regclass"), required("replication_factor", "integer")),
                    List.of(col("set_replication_factor", VOID, 4)), false),
            sig("hypertable_detailed_size", List.of(required("hypertable", "regclass")),
                    List.of(col("table_bytes", INT8, 8), col("index_bytes", INT8, 8), col("toast_bytes", INT8, 8),
                            col("total_bytes", INT8, 8), col("node_name", NAME, 64)), true),
            sig("hypertable_size", List.of(required("hypertable", "regclass")), List.of(col("hypertable_size", INT8, 8)), false),
            sig("chunks_detailed_size", List.of(required("hypertable", "regclass")),
                    List.of(col("chunk_schema", NAME, 64), col("chunk_name", NAME, 64), col("table_bytes", INT8, 8),
                            col("index_bytes", INT8, 8), col("toast_bytes", INT8, 8), col("total_bytes", INT8, 8),
                            col("node_name", NAME, 64)), true),
            sig("attach_data_node", List.of(required("node_name", "name"), required("hypertable", "regclass"),
                    optional("if_not_attached", "boolean", "false"), optional("repartition", "boolean", "true")),
                    List.of(col("hypertable_id", INT4, 4), col("node_hypertable_id", INT4, 4), col("node_name", NAME, 64)), true),
            sig("detach_data_node", List.of(required("node_name", "name"), optional("hypertable", "regclass", null),
                    optional("if_attached", "boolean", "false"), optional("force", "boolean", "false"),
                    optional("repartition", "boolean", "true"), optional("drop_remote_data", "boolean", "false")),
                    List.of(col("detach_data_node", INT4, 4)), false),
            sig("block_new_chunks", List.of(required("data_node_name", "name"), optional("hypertable", "regclass", null),
                    optional("force", "boolean", "false")), List.of(col("block_new_chunks", INT4, 4)), false),
            sig("allow_new_chunks", List.of(required("data_node_name", "name"), optional("hypertable", "regclass", null)),
                    List.of(col("allow_new_chunks", INT4, 4)), false),
            Map.entry("distributed_exec", new ApiSignature("distributed_exec", List.of(required("query", "text"),
                    optional("node_list", "name[]", null), optional("transactional", "boolean", "true")), List.of(), false, true)));

    private static Map.Entry<String, ApiSignature> sig(String name, List<ApiSignature.Param> params,
                                                       List<ColumnDescription> result, boolean composite) {
        return Map.entry(name, new ApiSignature(name, params, result, composite, false));
    }

    private static List<ApiSignature.Param> withDistributed() {
        List<ApiSignature.Param> p = new ArrayList<>(CREATE_HT_PARAMS);
        p.add(optional("distributed", "boolean", null));
        return p;
    }

    private final AccessNode node;
    private final Session session;
    private final Dispatcher dispatcher;

    /** One per call. */
    public ApiCalls(AccessNode node, Session session, Dispatcher dispatcher) {
        this.node = node;
        this.session = session;
        this.dispatcher = dispatcher;
    }

    /** @return the result columns the call will return (for Describe) */
    public static List<ColumnDescription> resultColumns(Classified.ApiCall call) {
        ApiSignature s = SIGNATURES.get(call.function());
        if (s == null || s.procedure()) return List.of();
        if (call.projection() != null) {
            List<ColumnDescription> out = new ArrayList<>();
            for (String[] p : call.projection()) {
                ColumnDescription c = s.result().get(resultIndex(s, p[0]));
                out.add(ColumnDescription.of(p[1], c.typeOid(), c.typeSize()));
            }
            return out;
        }
        if (call.selectStar() || !s.composite()) {
            if (!call.selectStar()) {
                ColumnDescription c = s.result().getFirst();
                return List.of(ColumnDescription.of(call.alias(), c.typeOid(), c.typeSize()));
            }
            return s.result();
        }
        return List.of(col(call.alias(), RECORD, -1));
    }

    /**
     * Runs the call.
     *
     * @throws PgException 0A000 for API functions Timeshard does not implement yet, 42883 when the
     *                     extension is not installed, and each function's own errors
     */
    public QueryResult execute(Classified.ApiCall call, BoundParameters params) {
        ApiSignature sig = SIGNATURES.get(call.function());
        if (sig == null) {
            throw PgException.notSupported(call.function() + "() is not implemented by Timeshard yet",
                    "See docs/ARCHITECTURE.md for what is implemented.");
        }
        boolean isCall = Tokens.of(call.sql()).get(0).is("call");
        if (sig.procedure() != isCall) {
            throw sig.procedure()
                    ? new PgException(SqlState.WRONG_OBJECT_TYPE, call.function() + "(…) is a procedure").hint("To call a procedure, use CALL.")
                    : new PgException(SqlState.WRONG_OBJECT_TYPE, call.function() + "(…) is not a procedure").hint("To call a function, use SELECT.");
        }
        if (dispatcher.catalog().snapshot().hypertables().isEmpty() && !installed()) {
            throw new PgException(SqlState.UNDEFINED_FUNCTION, "function " + call.function() + " does not exist")
                    .hint("Install the multi-node API first: CREATE EXTENSION timescaledb;");
        }
        resultColumns(call); // unknown projected columns fail before any work is done
        ApiArguments args = ApiArguments.bind(session, sig, call);
        List<String[]> rows = switch (call.function()) {
            case "add_data_node" -> List.<String[]>of(new DataNodeApi(node, session, dispatcher).add(args));
            case "delete_data_node" -> List.<String[]>of(new DataNodeApi(node, session, dispatcher).delete(args));
            case "create_distributed_hypertable" -> List.<String[]>of(new HypertableApi(node, session, dispatcher).create(args, true));
            case "create_hypertable" -> List.<String[]>of(new HypertableApi(node, session, dispatcher).create(args, false));
            case "attach_data_node" -> List.<String[]>of(new HypertableDataNodesApi(node, session, dispatcher).attach(args));
            case "detach_data_node" -> List.<String[]>of(new HypertableDataNodesApi(node, session, dispatcher).detach(args));
            case "block_new_chunks" -> List.<String[]>of(new HypertableDataNodesApi(node, session, dispatcher).setBlocked(args, true));
            case "allow_new_chunks" -> List.<String[]>of(new HypertableDataNodesApi(node, session, dispatcher).setBlocked(args, false));
            case "set_replication_factor" -> List.<String[]>of(new HypertableApi(node, session, dispatcher).setReplicationFactor(args));
            case "hypertable_detailed_size" -> new SizeApi(node, session, dispatcher).hypertableDetailedSize(args);
            case "hypertable_size" -> new SizeApi(node, session, dispatcher).hypertableSize(args);
            case "chunks_detailed_size" -> new SizeApi(node, session, dispatcher).chunksDetailedSize(args);
            case "distributed_exec" -> {
                new DataNodeApi(node, session, dispatcher).distributedExec(args);
                yield null;
            }
            default -> throw new PgException(SqlState.INTERNAL_ERROR, "no implementation for " + call.function());
        };
        if (rows == null) return QueryResult.command("CALL");
        return shape(sig, call, rows);
    }

    /** @throws PgException 42703 when the function has no result column {@code name} */
    private static int resultIndex(ApiSignature s, String name) {
        for (int i = 0; i < s.result().size(); i++) {
            if (s.result().get(i).name().equals(name)) return i;
        }
        throw new PgException(SqlState.UNDEFINED_COLUMN, "column \"" + name + "\" does not exist");
    }

    private boolean installed() {
        return "t".equals(session.backend().runForValue("SELECT to_regclass('_timescaledb_catalog.hypertable') IS NOT NULL"));
    }

    private static QueryResult shape(ApiSignature sig, Classified.ApiCall call, List<String[]> rows) {
        List<ColumnDescription> cols = resultColumns(call);
        List<byte[][]> out = new ArrayList<>();
        for (String[] r : rows) {
            if (call.projection() != null) {
                byte[][] v = new byte[call.projection().size()][];
                for (int i = 0; i < v.length; i++) {
                    String f = r[resultIndex(sig, call.projection().get(i)[0])];
                    v[i] = f == null ? null : f.getBytes(StandardCharsets.UTF_8);
                }
                out.add(v);
            } else if (call.selectStar() || !sig.composite()) {
                byte[][] v = new byte[r.length][];
                for (int i = 0; i < r.length; i++) v[i] = r[i] == null ? null : r[i].getBytes(StandardCharsets.UTF_8);
                out.add(v);
            } else {
                out.add(new byte[][] {recordText(r).getBytes(StandardCharsets.UTF_8)});
            }
        }
        return new QueryResult(cols, out, "SELECT " + rows.size());
    }

    /** @return a row as PostgreSQL's record_out prints it: {@code (a,"b c",,t)} */
    static String recordText(String[] fields) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) sb.append(',');
            String f = fields[i];
            if (f == null) continue;
            boolean quote = f.isEmpty();
            for (int k = 0; k < f.length() && !quote; k++) {
                char c = f.charAt(k);
                quote = c == '"' || c == '\\' || c == '(' || c == ')' || c == ',' || Character.isWhitespace(c);
            }
            if (!quote) {
                sb.append(f);
                continue;
            }
            sb.append('"');
            for (int k = 0; k < f.length(); k++) {
                char c = f.charAt(k);
                if (c == '"' || c == '\\') sb.append(c);
                sb.append(c);
            }
            sb.append('"');
        }
        return sb.append(')').toString();
    }
}
