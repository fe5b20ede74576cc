package io.timeshard.accessnode.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** Statements share a description exactly when they differ in string literals' contents only. */
class StatementDescriptionsTest {
    private static final int[] NONE = new int[0];

    private static String key(String sql) {
        return StatementDescriptions.key(sql, NONE);
    }

    @Test
    void stringLiteralsOfAnyContentShareAKey() {
        assertEquals(key("SELECT max(x) FROM cpu WHERE host IN ('a', 'b') AND time >= '2016-01-01'"),
                key("SELECT max(x) FROM cpu WHERE host IN ('host_99', 'it''s') AND time >= '2017-12-31 23:59'"));
        assertEquals(key("SELECT E'a\\'b;' AS s"), key("SELECT E'' AS s"));
    }

    @Test
    void everythingElseIsPartOfTheKey() {
        assertNotEquals(key("SELECT 1 AS a"), key("SELECT 10000000000 AS a"));
        assertNotEquals(key("SELECT 1e5"), key("SELECT 1 e5"));
        assertNotEquals(key("SELECT x AS \"A\" FROM t"), key("SELECT x AS \"B\" FROM t"));
        assertNotEquals(key("SELECT $$a$$ AS s"), key("SELECT $$bb$$ AS s"));
        assertNotEquals(key("SELECT 'a' AS s"), key("SELECT 'a'::varchar(3) AS s"));
        assertNotEquals(StatementDescriptions.key("SELECT $1", new int[] {23}), StatementDescriptions.key("SELECT $1", new int[] {25}));
    }

    @Test
    void aCommentCannotHideALiteralBoundary() {
        assertNotEquals(key("SELECT 'a' -- ' AS b\n, 1"), key("SELECT 'a' -- ' AS c\n, 1"));
        assertNotEquals(key("SELECT /* ' */ 1"), key("SELECT /* '' */ 2"));
    }
}
