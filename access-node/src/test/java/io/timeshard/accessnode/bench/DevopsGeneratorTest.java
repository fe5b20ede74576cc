package io.timeshard.accessnode.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DevopsGeneratorTest {
    private static final Instant START = DevopsGenerator.DEFAULT_START;

    private static List<String> lines(DevopsGenerator g) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        g.writeCpuCopyText(out, rows -> { });
        return out.toString(StandardCharsets.US_ASCII).lines().toList();
    }

    @Test
    void sameSeedGivesTheSameRowsAndTags() throws IOException {
        DevopsGenerator a = new DevopsGenerator(5, START, Duration.ofHours(1), 42);
        DevopsGenerator b = new DevopsGenerator(5, START, Duration.ofHours(1), 42);
        assertEquals(lines(a), lines(b));
        assertEquals(a.hosts(), b.hosts());
        assertEquals(lines(a), lines(a), "a second write starts again from the seed");
    }

    @Test
    void anotherSeedGivesOtherValues() throws IOException {
        assertNotEquals(lines(new DevopsGenerator(5, START, Duration.ofHours(1), 1)),
                lines(new DevopsGenerator(5, START, Duration.ofHours(1), 2)));
    }

    @Test
    void oneRowPerHostEvery10SecondsInHostOrder() throws IOException {
        DevopsGenerator g = new DevopsGenerator(3, START, Duration.ofMinutes(1), 7);
        List<String> lines = lines(g);
        assertEquals(18, g.rows());
        assertEquals(18, lines.size());
        assertEquals(Instant.parse("2016-01-01T00:01:00Z"), g.end());
        for (int i = 0; i < lines.size(); i++) {
            String[] f = lines.get(i).split("\t", -1);
            assertEquals(13, f.length, "time, tags_id, hostname and ten fields: " + lines.get(i));
            int epoch = i / 3;
            int host = i % 3;
            assertEquals(String.format("2016-01-01 00:00:%02d+00", epoch * 10), f[0]);
            assertEquals(Integer.toString(host + 1), f[1]);
            assertEquals("host_" + host, f[2]);
        }
    }

    @Test
    void valuesAreIntegersInZeroToHundredThatWalk() throws IOException {
        List<String> lines = lines(new DevopsGenerator(10, START, Duration.ofHours(6), 3));
        Set<Integer> seen = new java.util.HashSet<>();
        for (String line : lines) {
            String[] f = line.split("\t");
            for (int i = 3; i < 13; i++) {
                int v = Integer.parseInt(f[i]);
                assertTrue(v >= 0 && v <= 100, "value out of [0, 100]: " + line);
                seen.add(v);
            }
        }
        assertTrue(seen.contains(0) || seen.contains(100) || seen.size() > 50, "6 hours of walks should spread: " + seen.size());
        // a walk with N(0,1) steps: consecutive values of one host and field differ by little
        String[] first = lines.get(0).split("\t");
        String[] next = lines.get(10).split("\t");
        for (int i = 3; i < 13; i++) {
            assertTrue(Math.abs(Integer.parseInt(first[i]) - Integer.parseInt(next[i])) <= 6, "a step of more than 6σ");
        }
    }

    @Test
    void theWalkIsClampedToZeroAndHundred() {
        assertEquals(100.0, DevopsGenerator.step(99.5, 2.0));
        assertEquals(0.0, DevopsGenerator.step(0.3, -1.0));
        assertEquals(50.5, DevopsGenerator.step(50.0, 0.5));
        assertEquals(100.0, DevopsGenerator.step(100.0, 0.0));
    }

    @Test
    void tagsHaveTsbsValues() {
        List<DevopsGenerator.Host> hosts = new DevopsGenerator(200, START, Duration.ofHours(1), 9).hosts();
        assertEquals(200, hosts.size());
        assertEquals("host_0", hosts.getFirst().hostname());
        assertEquals(1, hosts.getFirst().id());
        Set<String> regions = hosts.stream().map(DevopsGenerator.Host::region).collect(Collectors.toSet());
        assertEquals(9, regions.size(), "200 hosts cover the 9 regions");
        for (DevopsGenerator.Host h : hosts) {
            assertTrue(h.datacenter().startsWith(h.region()) && h.datacenter().length() == h.region().length() + 1, h.toString());
            assertTrue(Set.of("Ubuntu16.10", "Ubuntu16.04LTS", "Ubuntu15.10").contains(h.os()));
            assertTrue(Set.of("x64", "x86").contains(h.arch()));
            assertTrue(Set.of("SF", "NYC", "LON", "CHI").contains(h.team()));
            assertTrue(Set.of("production", "staging", "test").contains(h.serviceEnvironment()));
            int rack = Integer.parseInt(h.rack());
            int service = Integer.parseInt(h.service());
            assertTrue(rack >= 0 && rack < 100 && service >= 0 && service < 20);
            assertTrue(Set.of("0", "1").contains(h.serviceVersion()));
        }
    }

    @Test
    void refusesASpanThatIsNotWholeIntervals() {
        assertThrows(IllegalArgumentException.class, () -> new DevopsGenerator(1, START, Duration.ofSeconds(15), 1));
        assertThrows(IllegalArgumentException.class, () -> new DevopsGenerator(0, START, Duration.ofHours(1), 1));
    }
}
