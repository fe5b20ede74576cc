package io.timeshard.accessnode.read;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.timeshard.catalog.model.Chunk;
import io.timeshard.catalog.partitioning.SliceRange;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link ReadPath#place}: its linear "every space value stays on one node" against the definition —
 * no two chunks read from different nodes may hold the same space value (overlapping space slices, or
 * no space slice at all) — on random chunk sets with repartitionings, replicas and chunks without space.
 */
class PlacementTest {
    private static final List<String> NODES = List.of("dn1", "dn2", "dn3");

    @Test
    void linearPlacementAgreesWithThePairwiseDefinition() {
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 2_000; round++) {
            List<Chunk> chunks = randomChunks(random);
            boolean expected = true;
            for (int i = 0; i < chunks.size(); i++) {
                for (int j = i + 1; j < chunks.size(); j++) {
                    Chunk a = chunks.get(i);
                    Chunk b = chunks.get(j);
                    if (ReadPath.readReplica(a).equals(ReadPath.readReplica(b))) continue;
                    if (a.spaceSlice() == null || b.spaceSlice() == null || a.spaceSlice().overlaps(b.spaceSlice())) expected = false;
                }
            }
            ReadPath.Placement p = ReadPath.place(chunks);
            assertEquals(expected, p.context().spaceValuesStayOnOneNode(), chunks.toString());
            assertEquals(chunks.stream().map(ReadPath::readReplica).distinct().toList(), p.context().dataNodes());
            assertEquals(chunks.size(), p.chunksByNode().values().stream().mapToInt(List::size).sum());
        }
    }

    /** Up to 12 chunks over 1–3 partitionings of the space hash (2, 3 or 4 slices), some without space. */
    private static List<Chunk> randomChunks(SplittableRandom random) {
        List<Chunk> chunks = new ArrayList<>();
        int n = random.nextInt(13);
        long hashRange = 1L << 31;
        for (int id = 1; id <= n; id++) {
            SliceRange space = null;
            if (random.nextInt(10) > 0) {
                int slices = 2 + random.nextInt(3);
                int s = random.nextInt(slices);
                space = new SliceRange(s * hashRange / slices, (s + 1) * hashRange / slices);
            }
            List<String> nodes = new ArrayList<>(NODES.subList(0, 1 + random.nextInt(NODES.size())));
            java.util.Collections.rotate(nodes, random.nextInt(3));
            SliceRange time = new SliceRange(id * 1000L, id * 1000L + 1000);
            chunks.add(new Chunk(id, 1, "_timescaledb_internal", "_dist_hyper_1_" + id + "_chunk", id, time,
                    space == null ? 0 : id, space, nodes));
        }
        return chunks;
    }
}
