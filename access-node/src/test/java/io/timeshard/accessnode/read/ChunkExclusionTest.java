package io.timeshard.accessnode.read;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.timeshard.catalog.model.Chunk;
import io.timeshard.catalog.model.ChunkIndex;
import io.timeshard.catalog.model.Hypertable;
import java.time.ZoneId;
import java.util.List;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import org.junit.jupiter.api.Test;

/** Chunk exclusion through the index reaches exactly the chunks a scan of every chunk admits. */
class ChunkExclusionTest {
    private static final Hypertable CPU = DevopsCatalog.cpu(4);
    private static final ChunkIndex CHUNKS = DevopsCatalog.chunks(40, 4);
    private static final ZoneId ZONE = ZoneId.of("America/New_York");

    @Test
    void reachableAgreesWithAScanOfEveryChunk() throws Exception {
        for (String where : List.of(
                "usage_user > 90",
                "time >= '2016-01-03 07:00:00+00' AND time < '2016-01-03 08:00:00+00'",
                "hostname IN ('host_3','host_7') AND time >= '2016-01-05 12:00:00' AND time < '2016-01-06'",
                "hostname = 'host_1' AND usage_user > 90",
                "time < '2016-01-04'",
                "'2016-01-18' <= time",
                "time > '2016-01-21'",
                "time BETWEEN '2016-01-02 11:59:59.999999+00' AND '2016-01-02 12:00:00+00'",
                "time = '2016-01-10 00:00:00+00'",
                "time >= '2016-01-05' OR hostname = 'host_1'",
                "(time >= '2016-01-05' AND hostname = 'host_2') AND time < '2016-01-07'")) {
            Expression e = CCJSqlParserUtil.parseCondExpression(where);
            assertEquals(scan(e), ChunkExclusion.reachable(CPU, CHUNKS, e, ZONE), where);
        }
    }

    @Test
    void oneHostInOneHourReachesOneChunk() throws Exception {
        Expression e = CCJSqlParserUtil.parseCondExpression(
                "hostname IN ('host_5') AND time >= '2016-01-03 07:00:00+00' AND time < '2016-01-03 08:00:00+00'");
        List<Chunk> reached = ChunkExclusion.reachable(CPU, CHUNKS, e, ZONE);
        assertEquals(1, reached.size());
        assertEquals(scan(e), reached);
    }

    @Test
    void contradictoryTimeRangeReachesNoChunk() throws Exception {
        Expression e = CCJSqlParserUtil.parseCondExpression("time >= '2016-01-05 12:00:00' AND time < '2016-01-05 06:00:00'");
        assertEquals(List.of(), ChunkExclusion.reachable(CPU, CHUNKS, e, ZONE));
    }

    @Test
    void noChunkIndexReachesNoChunk() {
        assertEquals(List.of(), ChunkExclusion.reachable(CPU, null, null, ZONE));
    }

    private static List<Chunk> scan(Expression where) {
        ChunkExclusion.Bounds b = ChunkExclusion.bounds(CPU, where, ZONE);
        return CHUNKS.all().stream().filter(b::admits).toList();
    }
}
