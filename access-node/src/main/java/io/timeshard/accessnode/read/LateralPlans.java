package io.timeshard.accessnode.read;

import io.timeshard.catalog.model.Chunk;
import io.timeshard.catalog.model.Hypertable;
import java.util.List;

/**
 * A session's last lateral join plan ({@link LateralJoins}), kept with what it was made from: the
 * statement's text, the hypertable, its reachable chunks and the outer table's probed rows. The same
 * statement over the same rows and chunks — TSBS's tags-form lastpoint, whose text never changes, with its
 * probe answered speculatively ({@link LocalSubqueries}) — takes that plan again instead of building
 * the remote SQL of every node, the first step's arrays and the merge anew (0.3–0.4 ms of 100 hosts).
 * The plan is immutable; only the probe's check and the reads run again. One per session, not
 * thread-safe (a session runs one statement at a time).
 */
public final class LateralPlans {
    /** What a plan was made from (the statement's described result columns: null when not known); equal keys give the same plan. */
    record Key(String sql, Hypertable hypertable, List<Chunk> chunks, boolean perChunk, List<List<String>> probed,
               List<io.timeshard.accessnode.wire.ColumnDescription> described) {}

    private Key key;
    private LateralJoins.Routed plan;

    /** @return the plan made from {@code key}, or null when the last one was made from something else */
    LateralJoins.Routed get(Key key) {
        return key.equals(this.key) ? plan : null;
    }

    /** Keeps {@code plan} as the one made from {@code key}, in place of the last. */
    void put(Key key, LateralJoins.Routed plan) {
        this.key = key;
        this.plan = plan;
    }
}
