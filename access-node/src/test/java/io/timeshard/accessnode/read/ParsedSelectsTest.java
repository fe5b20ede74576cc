package io.timeshard.accessnode.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.timeshard.planner.plan.PlanCache;
import java.util.List;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.statement.select.PlainSelect;
import org.junit.jupiter.api.Test;

class ParsedSelectsTest {
    private static final String SQL = "SELECT time_bucket('60 seconds', time) AS minute, max(usage_user) FROM cpu "
            + "WHERE hostname IN ('%s') AND time >= '%s' AND time < '2016-01-03 06:00:00 +0000' GROUP BY minute ORDER BY minute";

    private final ParsedSelects parsed = new ParsedSelects();

    /** @return the filter literals' values, each checked to stand at its position in {@code sql} */
    private static List<String> filterValues(PlainSelect select, String sql) {
        List<StringValue> literals = PlanCache.filterLiterals(select.getWhere(), sql);
        for (StringValue s : literals) assertEquals("'" + s.getValue() + "'", sql.substring(PlanCache.offset(s), PlanCache.offset(s) + s.getValue().length() + 2));
        return literals.stream().map(StringValue::getValue).toList();
    }

    @Test
    void aStatementOfAKnownShapeTakesTheTreeWithItsOwnValuesAndPositions() {
        String first = SQL.formatted("host_7", "2016-01-03 05:00:00 +0000");
        PlainSelect a = parsed.parse(first);
        assertEquals(List.of("host_7", "2016-01-03 05:00:00 +0000", "2016-01-03 06:00:00 +0000"), filterValues(a, first));
        String second = SQL.formatted("host_1234", "2016-01-03 05:30:00.5 +0000");
        PlainSelect b = parsed.parse(second);
        assertSame(a, b, "parsed once per shape");
        assertEquals(List.of("host_1234", "2016-01-03 05:30:00.5 +0000", "2016-01-03 06:00:00 +0000"), filterValues(b, second));
        assertEquals(ParsedSelects.parseFully(second).toString(), b.toString(), "the tree reads as the statement parsed anew");
    }

    @Test
    void anotherLiteralOutsideTheFiltersOrAValueThatIsNotPlainIsParsedAgain() {
        PlainSelect a = parsed.parse(SQL.formatted("host_7", "2016-01-03 05:00:00 +0000"));
        String otherBucket = SQL.formatted("host_7", "2016-01-03 05:00:00 +0000").replace("60 seconds", "10 minutes");
        PlainSelect b = parsed.parse(otherBucket);
        assertNotSame(a, b);
        assertEquals(ParsedSelects.parseFully(otherBucket).toString(), b.toString());
        String quoted = SQL.formatted("it''s", "2016-01-03 05:00:00 +0000").replace("60 seconds", "10 minutes");
        PlainSelect c = parsed.parse(quoted);
        assertNotSame(b, c);
        assertEquals(ParsedSelects.parseFully(quoted).toString(), c.toString());
    }

    @Test
    void notAPlainSelectIsNull() {
        assertNull(parsed.parse("SELECT 1 UNION SELECT 2"));
        assertNull(parsed.parse("SELEC nothing"));
    }
}
