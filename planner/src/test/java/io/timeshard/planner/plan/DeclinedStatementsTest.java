package io.timeshard.planner.plan;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Statements outside the fast path give Optional.empty(): the safety net answers them. */
class DeclinedStatementsTest {
    private final DistributedPlanner planner = new DistributedPlanner();

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT * FROM conditions c JOIN other o ON c.device = o.id",
            "SELECT * FROM conditions WHERE device IN (SELECT id FROM other)",
            "WITH x AS (SELECT * FROM conditions) SELECT * FROM x",
            "SELECT avg(temperature) OVER (PARTITION BY device) FROM conditions",
            "SELECT DISTINCT ON (device) device, time FROM conditions ORDER BY time, device",
            "SELECT DISTINCT ON (device, location) device FROM conditions ORDER BY device, time",
            "SELECT DISTINCT ON (device) device, random() FROM conditions ORDER BY device",
            "SELECT DISTINCT ON (device AS d) device FROM conditions",
            "SELECT device FROM conditions UNION SELECT device FROM conditions",
            "SELECT * FROM conditions WHERE time > now() - interval '1 day'",
            "SELECT random() FROM conditions",
            "SELECT my_function(temperature) FROM conditions",
            "SELECT * FROM conditions WHERE device = $1",
            "SELECT * FROM conditions WHERE device = ?",
            "SELECT nope FROM conditions",
            "SELECT device, temperature FROM conditions GROUP BY device",
            "SELECT * FROM other_table",
            "SELECT * FROM other_schema.conditions",
            "SELECT * FROM (SELECT * FROM conditions) s",
            "SELECT device, count(*) FROM conditions GROUP BY ROLLUP (device)",
            "SELECT * FROM conditions FOR UPDATE",
            "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY temperature) FROM conditions",
            "SELECT string_agg(location, ',') FROM conditions",
            "SELECT location, count(DISTINCT device), stddev(temperature) FROM conditions GROUP BY location",
            "SELECT max(temperature, time) FILTER (WHERE device > 1) FROM conditions",
            "SELECT first(temperature) FROM conditions",
            "SELECT first(temperature, location) FROM conditions",
            "SELECT first('x', time) FROM conditions",
            "SELECT max(count(*)) FROM conditions",
            "SELECT * FROM conditions WHERE count(*) > 1",
            "SELECT temperature % 2 FROM conditions",
            "SELECT time - '1 hour' FROM conditions",
            "SELECT location FROM conditions ORDER BY location LIMIT $1",
            "SELECT * FROM conditions FETCH FIRST 3 ROWS ONLY",
            "SELECT DISTINCT location FROM conditions ORDER BY temperature",
            "INSERT INTO conditions VALUES (now(), 1)",
            "not sql at all"})
    void isDeclined(String sql) {
        assertTrue(planner.plan(sql, Conditions.hypertable(), Conditions.context(true)).isEmpty(), sql);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT location, stddev(reading) FROM conditions GROUP BY location",
            "SELECT location, stddev_pop(amount) FROM conditions GROUP BY location"})
    void isDeclinedWhenGroupsSpanNodesButPushedWholeOtherwise(String sql) {
        assertTrue(planner.plan(sql, Conditions.hypertable(), Conditions.context(false)).isEmpty(), sql);
        String byDevice = sql.replace("GROUP BY location", "GROUP BY device").replace("SELECT location", "SELECT device");
        assertTrue(planner.plan(byDevice, Conditions.hypertable(), Conditions.context(true)).isPresent(), byDevice);
    }
}
