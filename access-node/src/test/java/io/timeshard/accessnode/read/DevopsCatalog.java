package io.timeshard.accessnode.read;

import io.timeshard.accessnode.bench.DevopsGenerator;
import io.timeshard.catalog.model.Chunk;
import io.timeshard.catalog.model.ChunkIndex;
import io.timeshard.catalog.model.Column;
import io.timeshard.catalog.model.Dimension;
import io.timeshard.catalog.model.Hypertable;
import io.timeshard.catalog.partitioning.ClosedDimensionSlicer;
import io.timeshard.catalog.partitioning.SliceRange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The catalog of {@code ./timeshard bench}'s TSBS devops cluster without its servers: the distributed
 * hypertable {@code cpu} (time {@code time}, 12-hour chunks; space {@code hostname}) on two data
 * nodes, and as many chunks as a test or benchmark asks for.
 */
final class DevopsCatalog {
    /** TSBS's first timestamp, where the first chunk starts. */
    static final Instant START = Instant.parse("2016-01-01T00:00:00Z");
    /** The chunk interval, in microseconds. */
    static final long INTERVAL = 12L * 3600 * 1_000_000;
    static final List<String> DATA_NODES = List.of("dn1", "dn2");

    private DevopsCatalog() {}

    /** @return {@code cpu} with {@code spaceSlices} space slices, as {@code create_distributed_hypertable} makes it */
    static Hypertable cpu(int spaceSlices) {
        List<Column> columns = new ArrayList<>();
        columns.add(new Column("time", "timestamp with time zone", 1184, true, null));
        columns.add(new Column("tags_id", "integer", 23, false, null));
        columns.add(new Column("hostname", "text", 25, false, null));
        for (String f : DevopsGenerator.FIELDS) columns.add(new Column(f, "double precision", 701, false, null));
        columns.add(new Column("additional_tags", "jsonb", 3802, false, "NULL::jsonb"));
        Dimension time = new Dimension(1, "time", "timestamp with time zone", true, 0, INTERVAL);
        Dimension space = new Dimension(2, "hostname", "text", false, spaceSlices, 0);
        return new Hypertable(1, "public", "cpu", 1, time, space, DATA_NODES, List.of(), columns);
    }

    /**
     * @return {@code timeSlices × spaceSlices} chunks of {@code cpu} from {@link #START}, each space
     *         slice on a data node in turn (as placement does), without replicas
     */
    static ChunkIndex chunks(int timeSlices, int spaceSlices) {
        long first = START.getEpochSecond() * 1_000_000;
        List<SliceRange> spaces = ClosedDimensionSlicer.allSlices(spaceSlices);
        List<Chunk> chunks = new ArrayList<>(timeSlices * spaceSlices);
        for (int t = 0; t < timeSlices; t++) {
            SliceRange time = new SliceRange(first + t * INTERVAL, first + (t + 1) * INTERVAL);
            for (int s = 0; s < spaceSlices; s++) {
                int id = chunks.size() + 1;
                chunks.add(new Chunk(id, 1, "_timescaledb_internal", "_dist_hyper_1_" + id + "_chunk", t + 1, time,
                        timeSlices + s + 1, spaces.get(s), List.of(DATA_NODES.get(s % DATA_NODES.size()))));
            }
        }
        return ChunkIndex.of(chunks);
    }
}
