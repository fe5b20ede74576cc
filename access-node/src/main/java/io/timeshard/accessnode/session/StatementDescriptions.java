package io.timeshard.accessnode.session;

import io.timeshard.accessnode.AccessNode;
import io.timeshard.planner.parse.StatementSplitter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The descriptions (parameter types, result columns) of the fast read statements a session prepared,
 * by statement text with the contents of its string literals left out. PostgreSQL derives a
 * statement's description from its text and the schema, never from a string literal's value (a
 * literal's type comes from its context, PostgreSQL docs "Type Conversion"), so the same query with
 * other hosts or times is described without asking the access node database — which spares the
 * Parse its round trip, and the Sync its own when nothing else touched the backend.
 *
 * <p>Kept until any session may have changed relations or settings ({@link AccessNode#schemaEpoch});
 * at most {@value #SIZE} statements, least recently used dropped first. A statement whose literal
 * value PostgreSQL would reject at Parse (such as {@code 'x'::integer}) then fails at Execute instead.
 * Used by the session thread only.
 */
final class StatementDescriptions {
    private static final int SIZE = 256;

    private final AccessNode node;
    private final Map<String, BackendSession.Described> known = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, BackendSession.Described> eldest) {
            return size() > SIZE;
        }
    };
    private long epoch = -1;

    StatementDescriptions(AccessNode node) {
        this.node = node;
    }

    /**
     * @param sql            the statement's text
     * @param parameterTypes the parameter type OIDs the client's Parse gave
     * @return the key of the statement: its text with every {@code '…'} literal emptied (quoted
     *         identifiers, dollar-quoted strings and comments kept), and the given parameter types
     */
    static String key(String sql, int[] parameterTypes) {
        return StatementSplitter.emptyStringLiterals(sql, StatementSplitter.stringLiterals(sql)) + '\u0000' + Arrays.toString(parameterTypes);
    }

    /** @return the description kept for {@code key}, or null */
    BackendSession.Described get(String key) {
        sync(node.schemaEpoch());
        return known.get(key);
    }

    /**
     * Keeps a description the backend gave.
     *
     * @param epoch {@link AccessNode#schemaEpoch} read before the backend was asked: when it changed
     *              since, the description may be stale already and is not kept
     */
    void put(String key, BackendSession.Described described, long epoch) {
        sync(node.schemaEpoch());
        if (epoch == this.epoch) known.put(key, described);
    }

    private void sync(long current) {
        if (current != epoch) {
            known.clear();
            epoch = current;
        }
    }
}
