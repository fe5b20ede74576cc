package io.timeshard.accessnode.api;

import io.timeshard.accessnode.session.Session;
import io.timeshard.accessnode.wire.BackendFrame;
import io.timeshard.catalog.errors.PgException;
import io.timeshard.catalog.errors.SqlState;
import io.timeshard.planner.parse.Classified;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The arguments of one API call, matched to the function's parameters (positional first, then
 * {@code name => value}) and evaluated by the access node database in the client's session, each
 * cast to its parameter's type, so that {@code 'conditions'}, {@code 'conditions'::regclass},
 * {@code INTERVAL '1 day'} or {@code 2::smallint} mean exactly what they mean in PostgreSQL.
 */
final class ApiArguments {
    private final Map<String, String> values = new HashMap<>();
    private final Map<String, String> types = new HashMap<>();
    private final ApiSignature signature;

    private ApiArguments(ApiSignature signature) {
        this.signature = signature;
    }

    /**
     * @throws PgException 42883 when an argument has no matching parameter or a required one is
     *                     missing; PostgreSQL's error when an argument does not evaluate
     */
    static ApiArguments bind(Session session, ApiSignature sig, Classified.ApiCall call) {
        ApiArguments a = new ApiArguments(sig);
        Map<String, String> exprs = new HashMap<>();
        int pos = 0;
        for (Classified.Argument arg : call.arguments()) {
            String name;
            if (arg.name() == null) {
                if (pos >= sig.parameters().size()) throw noSuchFunction(sig, call);
                name = sig.parameters().get(pos++).name();
            } else {
                name = arg.name();
                if (sig.parameters().stream().noneMatch(p -> p.name().equals(name))) throw noSuchFunction(sig, call);
            }
            if (arg.expression().contains("$")) {
                if (arg.expression().matches("(?s).*\\$\\d+.*")) {
                    throw PgException.notSupported("parameters ($n) in arguments of " + sig.name() + "() are not supported",
                            "Pass the values as literals.");
                }
            }
            exprs.put(name, arg.expression());
        }
        List<String> selects = new ArrayList<>();
        List<String> order = new ArrayList<>();
        for (ApiSignature.Param p : sig.parameters()) {
            String e = exprs.get(p.name());
            if (e == null) {
                if (p.defaultValue() == ApiSignature.REQUIRED) throw noSuchFunction(sig, call);
                a.values.put(p.name(), p.defaultValue());
                continue;
            }
            order.add(p.name());
            if (p.type().equals("any")) {
                selects.add("(" + e + ")::text");
                selects.add("pg_catalog.pg_typeof(" + e + ")::text");
            } else if (p.type().equals("regclass")) {
                selects.add("(SELECT pg_catalog.format('%s.%s', pg_catalog.quote_ident(n.nspname), pg_catalog.quote_ident(c.relname))"
                        + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = ("
                        + e + ")::regclass)");
                selects.add("'regclass'");
            } else {
                selects.add("((" + e + ")::" + p.type() + ")::text");
                selects.add("'" + p.type() + "'");
            }
        }
        if (!selects.isEmpty()) {
            List<BackendFrame> frames = session.backend().run("SELECT " + String.join(", ", selects));
            for (BackendFrame f : frames) {
                if (f.type() != 'D') continue;
                byte[][] row = f.dataRow();
                for (int i = 0; i < order.size(); i++) {
                    a.values.put(order.get(i), text(row[2 * i]));
                    a.types.put(order.get(i), text(row[2 * i + 1]));
                }
            }
        }
        return a;
    }

    private static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    private static PgException noSuchFunction(ApiSignature sig, Classified.ApiCall call) {
        return new PgException(SqlState.UNDEFINED_FUNCTION, "function " + sig.name() + "(" + call.arguments().size()
                + " arguments) does not exist")
                .hint("No function matches the given name and argument types. Parameters are: "
                        + sig.parameters().stream().map(ApiSignature.Param::name).toList() + ".");
    }

    /** @return the argument's value as text, null for SQL NULL */
    String text(String param) {
        return values.get(param);
    }

    /** @return true when the argument was given (not defaulted) */
    boolean given(String param) {
        return types.containsKey(param);
    }

    /** @return the PostgreSQL type name of an argument given for an {@code any} parameter */
    String type(String param) {
        return types.get(param);
    }

    /** @return the argument as a boolean, or {@code dflt} for NULL */
    boolean bool(String param, boolean dflt) {
        String v = values.get(param);
        return v == null ? dflt : v.equals("true") || v.equals("t");
    }

    /** @return the argument as an integer, or null for NULL */
    Integer integer(String param) {
        String v = values.get(param);
        return v == null ? null : Integer.valueOf(v);
    }

    /** @return the argument, or throws 22004 naming the parameter when it is NULL */
    String require(String param) {
        String v = values.get(param);
        if (v == null) throw new PgException("22004", param + " cannot be NULL");
        return v;
    }

    /** @return the elements of a {@code name[]} argument ({@code {a,b}}), or null for NULL */
    List<String> array(String param) {
        String v = values.get(param);
        if (v == null) return null;
        String body = v.substring(1, v.length() - 1);
        List<String> out = new ArrayList<>();
        if (body.isEmpty()) return out;
        for (String s : body.split(",")) out.add(s.startsWith("\"") ? s.substring(1, s.length() - 1).replace("\\\"", "\"") : s);
        return out;
    }

    /** @return the function's signature */
    ApiSignature signature() {
        return signature;
    }
}
