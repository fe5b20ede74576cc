package io.timeshard.planner.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Splitting a simple-query string at top-level semicolons, as PostgreSQL's lexer sees them. */
class StatementSplitterTest {
    @Test
    void splitsAtTopLevelSemicolonsAndTrims() {
        assertEquals(List.of("SELECT 1", "SELECT 2"), StatementSplitter.split(" SELECT 1; SELECT 2 ;"));
    }

    @Test
    void keepsSemicolonsInsideStringsIdentifiersAndDollarQuotes() {
        String sql = "SELECT 'a;b', \"c;d\", $$e;f$$, $tag$g;$$;h$tag$; SELECT 2";
        assertEquals(List.of("SELECT 'a;b', \"c;d\", $$e;f$$, $tag$g;$$;h$tag$", "SELECT 2"), StatementSplitter.split(sql));
    }

    @Test
    void doubledQuoteInsideAStringDoesNotEndIt() {
        assertEquals(List.of("SELECT 'it''s;here'"), StatementSplitter.split("SELECT 'it''s;here'"));
    }

    @Test
    void backslashEscapesOnlyInEscapeStrings() {
        assertEquals(List.of("SELECT E'a\\';b'", "SELECT 2"), StatementSplitter.split("SELECT E'a\\';b'; SELECT 2"));
        assertEquals(List.of("SELECT 'a\\'", "b'"), StatementSplitter.split("SELECT 'a\\'; b'"));
    }

    @Test
    void commentsDoNotSplitAndCommentOnlyStatementsVanish() {
        assertEquals(List.of("SELECT 1 -- a; comment"), StatementSplitter.split("SELECT 1 -- a; comment\n"));
        assertEquals(List.of("SELECT /* a; /* nested; */ b; */ 1"), StatementSplitter.split("SELECT /* a; /* nested; */ b; */ 1"));
        assertTrue(StatementSplitter.split("-- ping").isEmpty());
        assertTrue(StatementSplitter.split(" ; ;\n/* x */ ;").isEmpty());
    }

    @Test
    void parameterSymbolsAreNotDollarQuotes() {
        assertEquals(List.of("SELECT $1", "SELECT $2"), StatementSplitter.split("SELECT $1; SELECT $2"));
    }

    @Test
    void semicolonInsideParenthesesIsKeptForRuleBodies() {
        assertEquals(1, StatementSplitter.split("CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2))").size());
    }
}
