package io.timeshard.accessnode.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.LongConsumer;

/**
 * The TSBS devops cpu-only data (TSBS {@code pkg/data/usecases/devops}, summarised in
 * {@code shared/reference/tsbs-devops.md} §A1): hosts {@code host_0 … host_<n-1>}, one row per host
 * every 10 s, ten fields that are random walks with N(0,1) steps clamped to [0, 100] and written as
 * truncated integers, and nine tags per host.
 *
 * <p>Random numbers: one {@link java.util.Random} seeded with {@code seed} makes every draw, in
 * TSBS's call order (per host: the ten initial values uniform in [0, 100), then region, datacenter,
 * rack, arch, os, service, service_version, service_environment, team; after each epoch every field
 * of every host takes one N(0,1) step, one generator shared by all). The output is therefore
 * deterministic for a seed, but it is <b>not</b> a bit-exact clone of TSBS: Go's {@code math/rand}
 * produces other numbers than Java's. The distributions and the shape are the same.
 *
 * <p>Rows are streamed as COPY text ({@link #COPY_COLUMNS}), epoch by epoch, host by host; nothing is
 * kept in memory but the current values. Instances are immutable; {@link #writeCpuCopyText} may run
 * several times (each run starts again from the seed) but is not meant for concurrent use of one
 * output.
 */
public final class DevopsGenerator {
    /** TSBS's default {@code --timestamp-start}. */
    public static final Instant DEFAULT_START = Instant.parse("2016-01-01T00:00:00Z");
    /** TSBS's default {@code --log-interval}. */
    public static final Duration INTERVAL = Duration.ofSeconds(10);
    /** The ten cpu fields, in TSBS's order. */
    public static final List<String> FIELDS = List.of("usage_user", "usage_system", "usage_idle", "usage_nice",
            "usage_iowait", "usage_irq", "usage_softirq", "usage_steal", "usage_guest", "usage_guest_nice");
    /** The columns of the COPY text {@link #writeCpuCopyText} writes, in order. */
    public static final String COPY_COLUMNS = "time, tags_id, hostname, " + String.join(", ", FIELDS);

    private static final String[][] REGIONS = {
            {"us-east-1", "us-east-1a", "us-east-1b", "us-east-1c", "us-east-1e"},
            {"us-west-1", "us-west-1a", "us-west-1b"},
            {"us-west-2", "us-west-2a", "us-west-2b", "us-west-2c"},
            {"eu-west-1", "eu-west-1a", "eu-west-1b", "eu-west-1c"},
            {"eu-central-1", "eu-central-1a", "eu-central-1b"},
            {"ap-southeast-1", "ap-southeast-1a", "ap-southeast-1b"},
            {"ap-southeast-2", "ap-southeast-2a", "ap-southeast-2b"},
            {"ap-northeast-1", "ap-northeast-1a", "ap-northeast-1c"},
            {"sa-east-1", "sa-east-1a", "sa-east-1b", "sa-east-1c"},
    };
    private static final String[] OS = {"Ubuntu16.10", "Ubuntu16.04LTS", "Ubuntu15.10"};
    private static final String[] ARCH = {"x64", "x86"};
    private static final String[] TEAM = {"SF", "NYC", "LON", "CHI"};
    private static final String[] SERVICE_ENVIRONMENT = {"production", "staging", "test"};
    private static final DateTimeFormatter COPY_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'+00'").withZone(ZoneOffset.UTC);
    private static final byte[][] INTEGERS = new byte[101][];

    static {
        for (int i = 0; i <= 100; i++) INTEGERS[i] = Integer.toString(i).getBytes(StandardCharsets.US_ASCII);
    }

    private final int hosts;
    private final Instant start;
    private final long epochs;
    private final long seed;

    /**
     * @param hosts number of hosts, at least 1 (TSBS's {@code --scale})
     * @param start the first timestamp (TSBS's {@code --timestamp-start}); never null
     * @param span  the length of the data, a positive multiple of 10 s; {@code span / 10 s} epochs
     * @param seed  the seed of every random draw
     * @throws IllegalArgumentException if {@code hosts < 1} or the span is not a positive multiple of 10 s
     */
    public DevopsGenerator(int hosts, Instant start, Duration span, long seed) {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(span, "span");
        if (hosts < 1) throw new IllegalArgumentException("hosts must be 1 or more, was " + hosts);
        if (span.isNegative() || span.isZero() || span.toMillis() % INTERVAL.toMillis() != 0) {
            throw new IllegalArgumentException("span must be a positive multiple of 10 s, was " + span);
        }
        this.hosts = hosts;
        this.start = start;
        this.epochs = span.toMillis() / INTERVAL.toMillis();
        this.seed = seed;
    }

    /** @return the number of hosts */
    public int hostCount() {
        return hosts;
    }

    /** @return the first timestamp, inclusive */
    public Instant start() {
        return start;
    }

    /** @return the end of the data, exclusive: {@code start + epochs × 10 s} */
    public Instant end() {
        return start.plus(INTERVAL.multipliedBy(epochs));
    }

    /** @return the number of cpu rows: epochs × hosts */
    public long rows() {
        return epochs * hosts;
    }

    /** One host's tags; {@code id} is its {@code tags.id} and the cpu rows' {@code tags_id} (1-based). */
    public record Host(int id, String hostname, String region, String datacenter, String rack, String os, String arch,
                       String team, String service, String serviceVersion, String serviceEnvironment) {
        /** The tags columns, in the order of {@link #values()}. */
        public static final List<String> COLUMNS = List.of("hostname", "region", "datacenter", "rack", "os", "arch",
                "team", "service", "service_version", "service_environment");

        /** @return the tag values in the order of {@link #COLUMNS} */
        public List<String> values() {
            return List.of(hostname, region, datacenter, rack, os, arch, team, service, serviceVersion, serviceEnvironment);
        }
    }

    /** @return every host's tags, in host order (draws from a fresh generator, as the cpu rows do) */
    public List<Host> hosts() {
        List<Host> out = new ArrayList<>(hosts);
        Random rng = new Random(seed);
        for (int h = 0; h < hosts; h++) out.add(newHost(rng, h, new double[FIELDS.size()]));
        return out;
    }

    /**
     * Writes every cpu row as COPY text in the columns {@link #COPY_COLUMNS}, e.g.
     * {@code 2016-01-01 00:00:00+00<TAB>1<TAB>host_0<TAB>58<TAB>2…}, one line per row.
     *
     * @param out      receives the bytes (ASCII); not closed
     * @param progress told the number of rows written so far, once per epoch; never null
     * @throws IOException from {@code out}
     */
    public void writeCpuCopyText(OutputStream out, LongConsumer progress) throws IOException {
        Random rng = new Random(seed);
        double[][] state = new double[hosts][FIELDS.size()];
        byte[][] prefix = new byte[hosts][];
        for (int h = 0; h < hosts; h++) {
            Host host = newHost(rng, h, state[h]);
            prefix[h] = ("\t" + host.id() + "\t" + host.hostname()).getBytes(StandardCharsets.US_ASCII);
        }
        byte[] buffer = new byte[64 * 1024];
        int used = 0;
        for (long e = 0; e < epochs; e++) {
            byte[] time = COPY_TIME.format(start.plus(INTERVAL.multipliedBy(e))).getBytes(StandardCharsets.US_ASCII);
            for (int h = 0; h < hosts; h++) {
                if (used + 256 > buffer.length) {
                    out.write(buffer, 0, used);
                    used = 0;
                }
                System.arraycopy(time, 0, buffer, used, time.length);
                used += time.length;
                System.arraycopy(prefix[h], 0, buffer, used, prefix[h].length);
                used += prefix[h].length;
                for (double v : state[h]) {
                    buffer[used++] = '\t';
                    byte[] digits = INTEGERS[(int) v]; // truncation, as TSBS's int64(state)
                    System.arraycopy(digits, 0, buffer, used, digits.length);
                    used += digits.length;
                }
                buffer[used++] = '\n';
            }
            for (double[] fields : state) {
                for (int f = 0; f < fields.length; f++) fields[f] = step(fields[f], rng.nextGaussian());
            }
            progress.accept((e + 1) * hosts);
        }
        out.write(buffer, 0, used);
    }

    /** One step of TSBS's clamped random walk ({@code ClampedRandomWalkDistribution}): add, then clamp to [0, 100]. */
    static double step(double state, double delta) {
        double next = state + delta;
        if (next > 100) return 100;
        if (next < 0) return 0;
        return next;
    }

    private static Host newHost(Random rng, int index, double[] initial) {
        for (int f = 0; f < initial.length; f++) initial[f] = rng.nextDouble() * 100;
        String[] region = REGIONS[rng.nextInt(REGIONS.length)];
        String datacenter = region[1 + rng.nextInt(region.length - 1)];
        String rack = Integer.toString(rng.nextInt(100));
        String arch = ARCH[rng.nextInt(ARCH.length)];
        String os = OS[rng.nextInt(OS.length)];
        String service = Integer.toString(rng.nextInt(20));
        String serviceVersion = Integer.toString(rng.nextInt(2));
        String serviceEnvironment = SERVICE_ENVIRONMENT[rng.nextInt(SERVICE_ENVIRONMENT.length)];
        String team = TEAM[rng.nextInt(TEAM.length)];
        return new Host(index + 1, "host_" + index, region[0], datacenter, rack, os, arch, team, service, serviceVersion,
                serviceEnvironment);
    }
}
