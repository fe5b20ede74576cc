package io.timeshard.accessnode.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Constification of the current-time functions before push-down, and what it must leave alone. */
class ConstifyTest {
    private static String apply(String sql) {
        return Constify.replace(sql, "2024-05-01 12:00:00.000001+00", "2024-05-01 14:00:00.000001", "2024-05-01");
    }

    @Test
    void everyCurrentTimeFunctionBecomesALiteral() {
        assertEquals("SELECT '2024-05-01 12:00:00.000001+00'::timestamptz, '2024-05-01 12:00:00.000001+00'::timestamptz, "
                        + "'2024-05-01 12:00:00.000001+00'::timestamptz, '2024-05-01 14:00:00.000001'::timestamp, '2024-05-01'::date",
                apply("SELECT now(), CURRENT_TIMESTAMP, transaction_timestamp( ), localtimestamp, current_date"));
    }

    @Test
    void literalsIdentifiersCommentsAndLongerNamesAreLeftAlone() {
        String sql = "SELECT 'now()', \"now\", $$current_date$$, nowhere, my_now() -- now()\nFROM t /* current_date */";
        assertEquals(sql, apply(sql));
        assertFalse(Constify.needed(sql));
    }

    @Test
    void neededOnlyForCallsInCode() {
        assertTrue(Constify.needed("SELECT count(*) FROM t WHERE time > now() - interval '1 hour'"));
        assertTrue(Constify.needed("select * from t where d = CURRENT_DATE"));
        assertFalse(Constify.needed("SELECT now FROM t"));
    }
}
