package io.timeshard.catalog.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The chunks of one hypertable indexed by time slice start, for routing rows: a lookup costs a
 * {@link TreeMap#floorEntry} plus a scan of the few chunks (one per space slice) of that time slice.
 * Immutable: {@link #with(Chunk)} returns a new index, so readers never lock.
 */
public final class ChunkIndex {
    private final NavigableMap<Long, List<Chunk>> byTimeStart;
    private final int size;

    private ChunkIndex(NavigableMap<Long, List<Chunk>> byTimeStart, int size) {
        this.byTimeStart = byTimeStart;
        this.size = size;
    }

    /** @return an index holding {@code chunks} */
    public static ChunkIndex of(List<Chunk> chunks) {
        ChunkIndex index = new ChunkIndex(new TreeMap<>(), 0);
        for (Chunk c : chunks) index = index.with(c);
        return index;
    }

    /** @return a new index with {@code chunk} added */
    public ChunkIndex with(Chunk chunk) {
        TreeMap<Long, List<Chunk>> copy = new TreeMap<>(byTimeStart);
        List<Chunk> list = new ArrayList<>(copy.getOrDefault(chunk.timeSlice().start(), List.of()));
        list.add(chunk);
        copy.put(chunk.timeSlice().start(), List.copyOf(list));
        return new ChunkIndex(copy, size + 1);
    }

    /**
     * @param time      internal time value
     * @param spaceHash 31-bit space hash, ignored without a space dimension
     * @return the chunk whose hypercube holds the point, or null
     */
    public Chunk find(long time, int spaceHash) {
        // Time slices of one hypertable do not overlap, so only the greatest start ≤ time can match.
        Map.Entry<Long, List<Chunk>> e = byTimeStart.floorEntry(time);
        if (e == null) return null;
        for (Chunk c : e.getValue()) {
            if (c.contains(time, spaceHash)) return c;
        }
        return null;
    }

    /** @return the chunks of the time slice starting at {@code timeStart}, possibly empty */
    public List<Chunk> inTimeSlice(long timeStart) {
        return byTimeStart.getOrDefault(timeStart, List.of());
    }

    /** @return every chunk, ordered by time slice */
    public List<Chunk> all() {
        List<Chunk> out = new ArrayList<>(size);
        byTimeStart.values().forEach(out::addAll);
        return out;
    }

    /** @return the number of chunks */
    public int size() {
        return size;
    }
}
