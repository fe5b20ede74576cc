package io.timeshard.planner.parse;

import io.timeshard.catalog.errors.PgException;
import io.timeshard.catalog.errors.SqlState;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.OracleNamedFunctionParameter;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.StringProvider;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.TableFunction;

/**
 * Classifies one statement for dispatch. Cheap by design: transaction control, COPY, CREATE
 * EXTENSION and write targets are read with {@link Tokens}; JSqlParser (called directly, without
 * its thread-per-call helper) parses only SELECT/CALL statements that mention an API function.
 * Stateless and thread-safe.
 */
public final class StatementClassifier {
    /** Multi-node API functions implemented by the access node (TimescaleDB 2.13 names). */
    public static final Set<String> API_FUNCTIONS = Set.of(
            "add_data_node", "delete_data_node", "attach_data_node", "detach_data_node", "alter_data_node",
            "create_distributed_hypertable", "create_hypertable", "set_replication_factor",
            "hypertable_detailed_size", "hypertable_size", "chunks_detailed_size", "hypertable_index_size",
            "block_new_chunks", "allow_new_chunks", "distributed_exec", "remote_txn_heal_data_node",
            "ping_data_node", "approximate_row_count", "drop_chunks");

    private StatementClassifier() {}

    /** @return the classification of one statement (as split by {@link StatementSplitter}) */
    public static Classified classify(String sql) {
        Tokens t = Tokens.of(sql);
        Tokens.Token first = t.get(0);
        TransactionStatement txn = TransactionStatement.parse(sql);
        if (txn != null) return new Classified.Transaction(txn, sql);
        if (first.is("copy")) {
            CopyStatement copy = CopyStatement.parseFromStdin(sql);
            return copy == null ? new Classified.Relay(sql) : new Classified.Copy(copy, sql);
        }
        if (t.startsWith("create", "extension")) {
            int i = 2;
            boolean ifNotExists = false;
            if (t.get(i).is("if")) {
                ifNotExists = true;
                i += 3;
            }
            String name = t.get(i).text();
            if (name.equals("timescaledb") || name.equals("timeshard")) return new Classified.CreateExtension(name, ifNotExists, sql);
            return new Classified.Relay(sql);
        }
        if (t.startsWith("alter", "extension") && t.get(3).is("update")
                && (t.get(2).text().equals("timescaledb") || t.get(2).text().equals("timeshard"))) {
            return new Classified.UpdateExtension(t.get(2).text(), sql);
        }
        if ((first.is("select") || first.is("call")) && mentionsApiFunction(t)) {
            Classified api = apiCall(sql);
            if (api != null) return api;
        }
        Classified write = write(t, sql);
        return write != null ? write : new Classified.Relay(sql);
    }

    private static boolean mentionsApiFunction(Tokens t) {
        for (Tokens.Token tok : t.tokens()) {
            if (tok.kind() == Tokens.Kind.WORD && API_FUNCTIONS.contains(tok.text())) return true;
        }
        return false;
    }

    private static Classified apiCall(String sql) {
        Classified.ApiCall direct = ApiCallParser.parse(sql, API_FUNCTIONS);
        if (direct != null) return direct;
        Statement st;
        try {
            st = new CCJSqlParser(new StringProvider(sql)).withAllowComplexParsing(true).Statement();
        } catch (Exception | Error e) {
            return null; // not a form we recognise: the access node database answers (or refuses) it
        }
        if (st instanceof net.sf.jsqlparser.statement.execute.Execute ex) {
            String name = lastPart(ex.getName());
            if (!API_FUNCTIONS.contains(name)) return null;
            List<Classified.Argument> args = new ArrayList<>();
            if (ex.getExprList() != null) for (Object o : ex.getExprList()) args.add(argument((Expression) o));
            return new Classified.ApiCall(name, args, true, name, null, sql);
        }
        if (!(st instanceof PlainSelect ps)) return null;
        if (ps.getWhere() != null || ps.getGroupBy() != null || ps.getOrderByElements() != null || ps.getJoins() != null) {
            return refuseComplex(sql);
        }
        List<SelectItem<?>> items = ps.getSelectItems();
        if (ps.getFromItem() == null && items.size() == 1 && items.getFirst().getExpression() instanceof Function f) {
            String name = lastPart(f.getName());
            if (!API_FUNCTIONS.contains(name)) return null;
            Alias alias = items.getFirst().getAlias();
            return new Classified.ApiCall(name, arguments(f), false, alias == null ? name : alias.getName(), null, sql);
        }
        if (ps.getFromItem() instanceof TableFunction tf) {
            String name = lastPart(tf.getFunction().getName());
            if (!API_FUNCTIONS.contains(name)) return null;
            if (items.size() == 1 && items.getFirst().getExpression() instanceof AllColumns) {
                return new Classified.ApiCall(name, arguments(tf.getFunction()), true, name, null, sql);
            }
            List<String[]> projection = new ArrayList<>();
            for (SelectItem<?> item : items) {
                if (!(item.getExpression() instanceof net.sf.jsqlparser.schema.Column col)) return refuseComplex(sql);
                String column = unquote(col.getColumnName());
                projection.add(new String[] {column, item.getAlias() == null ? column : unquote(item.getAlias().getName())});
            }
            return new Classified.ApiCall(name, arguments(tf.getFunction()), true, name, projection, sql);
        }
        return refuseComplex(sql);
    }

    private static Classified refuseComplex(String sql) {
        // A statement that mentions an API function in another shape: refuse clearly rather than let the
        // access node database run the SQL placeholder of the function.
        for (String fn : API_FUNCTIONS) {
            if (sql.toLowerCase(Locale.ROOT).matches("(?s).*\\b" + fn + "\\s*\\(.*")) {
                throw PgException.notSupported("function " + fn + "() can only be called on its own",
                        "Call it as SELECT " + fn + "(...) or SELECT * FROM " + fn + "(...).");
            }
        }
        return null;
    }

    private static String unquote(String identifier) {
        if (identifier.startsWith("\"") && identifier.endsWith("\"")) {
            return identifier.substring(1, identifier.length() - 1).replace("\"\"", "\"");
        }
        return identifier.toLowerCase(Locale.ROOT);
    }

    private static List<Classified.Argument> arguments(Function f) {
        List<Classified.Argument> args = new ArrayList<>();
        if (f.getParameters() != null) {
            for (Object o : f.getParameters()) args.add(argument((Expression) o));
        }
        return args;
    }

    private static Classified.Argument argument(Expression e) {
        if (e instanceof OracleNamedFunctionParameter np) {
            return new Classified.Argument(np.getName().toLowerCase(Locale.ROOT), np.getExpression().toString());
        }
        return new Classified.Argument(null, e.toString());
    }

    private static String lastPart(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        return dot < 0 ? n : n.substring(dot + 1);
    }

    private static Classified write(Tokens t, String sql) {
        List<QualifiedName> targets = new ArrayList<>();
        if (t.startsWith("insert", "into")) {
            readName(t, 2, targets);
            return new Classified.Write(Classified.WriteKind.INSERT, targets, sql);
        }
        if (t.startsWith("update")) {
            readName(t, t.get(1).is("only") ? 2 : 1, targets);
            return new Classified.Write(Classified.WriteKind.UPDATE, targets, sql);
        }
        if (t.startsWith("delete", "from")) {
            readName(t, t.get(2).is("only") ? 3 : 2, targets);
            return new Classified.Write(Classified.WriteKind.DELETE, targets, sql);
        }
        if (t.startsWith("truncate")) {
            int i = 1;
            if (t.get(i).is("table")) i++;
            readNameList(t, i, targets);
            return new Classified.Write(Classified.WriteKind.TRUNCATE, targets, sql);
        }
        if (t.startsWith("drop", "table")) {
            int i = 2;
            if (t.get(i).is("if")) i += 2;
            readNameList(t, i, targets);
            return new Classified.Write(Classified.WriteKind.DROP_TABLE, targets, sql);
        }
        if (t.startsWith("alter", "table")) {
            int i = 2;
            if (t.get(i).is("if")) i += 2;
            if (t.get(i).is("only")) i++;
            readName(t, i, targets);
            return new Classified.Write(Classified.WriteKind.ALTER_TABLE, targets, sql);
        }
        if (t.startsWith("create") && (t.get(1).is("index") || (t.get(1).is("unique") && t.get(2).is("index")))) {
            for (int i = 2; i < t.size(); i++) {
                if (t.get(i).is("on")) {
                    readName(t, t.get(i + 1).is("only") ? i + 2 : i + 1, targets);
                    break;
                }
            }
            return new Classified.Write(Classified.WriteKind.CREATE_INDEX, targets, sql);
        }
        return null;
    }

    private static int readName(Tokens t, int i, List<QualifiedName> out) {
        if (!t.get(i).isName()) return i;
        String a = t.get(i).text();
        if (t.get(i + 1).isPunct(".") && t.get(i + 2).isName()) {
            out.add(new QualifiedName(a, t.get(i + 2).text()));
            return i + 3;
        }
        out.add(new QualifiedName(null, a));
        return i + 1;
    }

    private static void readNameList(Tokens t, int i, List<QualifiedName> out) {
        while (true) {
            if (t.get(i).is("only")) i++;
            int next = readName(t, i, out);
            if (next == i) return;
            i = next;
            if (t.get(i).isPunct("*")) i++;
            if (!t.get(i).isPunct(",")) return;
            i++;
        }
    }

    /** @return a syntax error naming the token, as PostgreSQL words it */
    static PgException syntaxError(String near) {
        return new PgException(SqlState.SYNTAX_ERROR, "syntax error at or near \"" + near + "\"");
    }
}
