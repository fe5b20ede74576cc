package io.timeshard.catalog.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.timeshard.catalog.partitioning.SliceRange;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link ChunkIndex}'s lookups give the same answers as a scan of every chunk. */
class ChunkIndexTest {
    private static final long HASH_END = 1L << 31;

    @Test
    void overlappingAgreesWithAScanOfEveryChunk() {
        Random rng = new Random(42);
        for (int round = 0; round < 200; round++) {
            long interval = 1 + rng.nextInt(1000);
            List<Chunk> chunks = randomChunks(rng, interval);
            ChunkIndex index = rng.nextBoolean() ? ChunkIndex.of(chunks) : built(chunks);
            for (int q = 0; q < 200; q++) {
                long low = randomBound(rng, interval, Long.MIN_VALUE);
                long high = randomBound(rng, interval, Long.MAX_VALUE);
                assertEquals(scan(index, low, high), index.overlapping(low, high),
                        () -> "range [" + low + ", " + high + "] over " + chunks);
            }
        }
    }

    @Test
    void overlappingFindsTheSliceThatStartsBeforeTheRange() {
        ChunkIndex index = ChunkIndex.of(List.of(chunk(1, 0, 100, null, "dn1"), chunk(2, 100, 200, null, "dn1")));
        assertEquals(List.of(1), ids(index.overlapping(99, 99)));
        assertEquals(List.of(2), ids(index.overlapping(100, 150)));
        assertEquals(List.of(1, 2), ids(index.overlapping(50, 100)));
        assertEquals(List.of(), ids(index.overlapping(200, Long.MAX_VALUE)));
        assertEquals(List.of(), ids(index.overlapping(150, 120)));
    }

    @Test
    void findAgreesWithAScanOfEveryChunk() {
        Random rng = new Random(7);
        for (int round = 0; round < 100; round++) {
            long interval = 1 + rng.nextInt(1000);
            ChunkIndex index = ChunkIndex.of(randomChunks(rng, interval));
            for (int q = 0; q < 200; q++) {
                long time = randomBound(rng, interval, 0);
                int hash = rng.nextInt(Integer.MAX_VALUE);
                Chunk expected = index.all().stream().filter(c -> c.contains(time, hash)).findFirst().orElse(null);
                assertEquals(expected, index.find(time, hash));
            }
        }
    }

    @Test
    void replicatedWhenAnyChunkHasTwoDataNodes() {
        Chunk single = chunk(1, 0, 100, null, "dn1");
        Chunk pair = chunk(2, 100, 200, null, "dn1", "dn2");
        assertFalse(ChunkIndex.of(List.of()).replicated());
        assertFalse(ChunkIndex.of(List.of(single)).replicated());
        assertTrue(ChunkIndex.of(List.of(single, pair)).replicated());
        assertFalse(ChunkIndex.of(List.of(single)).with(chunk(3, 200, 300, null, "dn2")).replicated());
        assertTrue(ChunkIndex.of(List.of(single)).with(pair).with(chunk(3, 200, 300, null, "dn2")).replicated());
    }

    @Test
    void ofAndWithHoldTheSameChunksInTheSameOrder() {
        List<Chunk> chunks = randomChunks(new Random(3), 10);
        ChunkIndex index = ChunkIndex.of(chunks);
        assertEquals(built(chunks).all(), index.all());
        assertEquals(chunks.size(), index.size());
    }

    /**
     * Chunks of random time slices aligned to {@code interval} (some missing, sometimes an unbounded
     * first or last one), each cut into 1–4 space slices or none, in shuffled order, some replicated.
     */
    private static List<Chunk> randomChunks(Random rng, long interval) {
        List<Chunk> out = new ArrayList<>();
        boolean space = rng.nextBoolean();
        int slices = rng.nextInt(40);
        int id = 0;
        for (int i = -slices / 2; i < slices / 2; i++) {
            if (rng.nextInt(4) == 0) continue;
            long start = i == -slices / 2 && rng.nextInt(4) == 0 ? Long.MIN_VALUE : i * interval;
            long end = i == slices / 2 - 1 && rng.nextInt(4) == 0 ? Long.MAX_VALUE : (i + 1) * interval;
            int parts = space ? 1 + rng.nextInt(4) : 1;
            for (int p = 0; p < parts; p++) {
                if (parts > 1 && rng.nextInt(5) == 0) continue;
                SliceRange spaceSlice = space ? new SliceRange(HASH_END * p / parts, HASH_END * (p + 1) / parts) : null;
                String[] nodes = rng.nextInt(10) == 0 ? new String[] {"dn1", "dn2"} : new String[] {"dn" + (1 + p % 2)};
                out.add(chunk(++id, start, end, spaceSlice, nodes));
            }
        }
        Collections.shuffle(out, rng);
        return out;
    }

    /** A time bound near the chunks: a slice edge, one off it, anywhere, or the unbounded value. */
    private static long randomBound(Random rng, long interval, long unbounded) {
        return switch (rng.nextInt(5)) {
            case 0 -> unbounded;
            case 1 -> (rng.nextInt(50) - 25) * interval;
            case 2 -> (rng.nextInt(50) - 25) * interval - 1;
            default -> rng.nextLong(-25 * interval, 25 * interval);
        };
    }

    /** The chunks sharing a value with {@code [low, high]}: none when the range is empty. */
    private static List<Chunk> scan(ChunkIndex index, long low, long high) {
        return index.all().stream().filter(c -> low <= high && c.timeSlice().end() > low && c.timeSlice().start() <= high).toList();
    }

    private static ChunkIndex built(List<Chunk> chunks) {
        ChunkIndex index = ChunkIndex.of(List.of());
        for (Chunk c : chunks) index = index.with(c);
        return index;
    }

    private static Chunk chunk(int id, long start, long end, SliceRange space, String... nodes) {
        return new Chunk(id, 1, "_timescaledb_internal", "_dist_hyper_1_" + id + "_chunk", id, new SliceRange(start, end),
                space == null ? 0 : id, space, List.of(nodes));
    }

    private static List<Integer> ids(List<Chunk> chunks) {
        return chunks.stream().map(Chunk::id).toList();
    }
}
