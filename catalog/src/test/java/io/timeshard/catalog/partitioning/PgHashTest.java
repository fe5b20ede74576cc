package io.timeshard.catalog.partitioning;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link PgHash} computes exactly what PostgreSQL 15's hash functions return. */
class PgHashTest {
    private static final int RANDOM_COUNT = 5000;
    private static ServerOracle pg;
    private final Random random = new Random(20240613);

    @BeforeAll
    static void startServer() throws Exception {
        pg = ServerOracle.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        pg.close();
    }

    /** The type's own hash, as TimescaleDB gets it from the type cache: hash_array = 31 * 1 + elthash. */
    private static String typeCacheHash(String x) {
        return "((hash_array(ARRAY[" + x + "])::int8 - 31) & 4294967295)::bit(32)::int4";
    }

    private <T> void assertHashes(List<T> values, String arrayType, String sqlExpr, Function<T, Integer> java)
            throws Exception {
        List<Integer> expected = pg.evalInts(sqlExpr, arrayType, values.toArray());
        for (int i = 0; i < values.size(); i++) {
            assertEquals(expected.get(i), java.apply(values.get(i)), () -> sqlExpr + " of " + values);
        }
    }

    @Test
    void hashArrayOracleGivesTheElementHash() throws Exception {
        List<Integer> values = List.of(0, 1, -1, 42, Integer.MIN_VALUE, Integer.MAX_VALUE);
        assertHashes(values, "int4", typeCacheHash("x"), PgHash::hashInt4);
        assertHashes(values, "int4", "hashint4(x)", PgHash::hashInt4);
    }

    @Test
    void hashInt2MatchesHashint2ForEverySmallint() throws Exception {
        List<Short> values = new ArrayList<>();
        for (int v = Short.MIN_VALUE; v <= Short.MAX_VALUE; v++) {
            values.add((short) v);
        }
        assertHashes(values, "int2", "hashint2(x)", PgHash::hashInt2);
    }

    @Test
    void hashInt4MatchesHashint4() throws Exception {
        List<Integer> values = new ArrayList<>(List.of(0, 1, -1, 2, -2, 255, 256, 65535, 65536,
                Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE + 1, Integer.MAX_VALUE - 1));
        random.ints(RANDOM_COUNT).forEach(values::add);
        assertHashes(values, "int4", "hashint4(x)", PgHash::hashInt4);
    }

    @Test
    void hashInt8MatchesHashint8() throws Exception {
        List<Long> values = new ArrayList<>(List.of(0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE,
                (long) Integer.MAX_VALUE, (long) Integer.MIN_VALUE, Integer.MAX_VALUE + 1L, Integer.MIN_VALUE - 1L,
                0xffffffffL, 0x100000000L, -0x100000000L, -0xffffffffL, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1));
        random.longs(RANDOM_COUNT).forEach(values::add);
        random.ints(1000).forEach(v -> values.add((long) v));
        assertHashes(values, "int8", "hashint8(x)", PgHash::hashInt8);
    }

    @Test
    void hashInt8OfAnInt4RangeValueEqualsHashInt4() {
        for (int v : new int[] {0, 1, -1, 12345, -98765, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            assertEquals(PgHash.hashInt4(v), PgHash.hashInt8(v));
        }
    }

    @Test
    void hashOidMatchesHashoid() throws Exception {
        List<Long> values = new ArrayList<>(List.of(0L, 1L, 0x7fffffffL, 0x80000000L, 0xffffffffL, 16384L));
        random.ints(2000).forEach(v -> values.add(Integer.toUnsignedLong(v)));
        assertHashes(values, "int8", "hashoid(x::oid)", v -> PgHash.hashOid((int) (long) v));
    }

    @Test
    void hashCharMatchesHashcharForEveryByte() throws Exception {
        List<Integer> values = new ArrayList<>();
        for (int v = -128; v <= 127; v++) {
            values.add(v);
        }
        assertHashes(values, "int4", "hashchar(x::\"char\")", v -> PgHash.hashChar((byte) (int) v));
    }

    @Test
    void hashBoolMatchesTheBooleanTypeHash() throws Exception {
        List<Boolean> values = List.of(false, true);
        assertHashes(values, "bool", typeCacheHash("x"), PgHash::hashBool);
        assertHashes(values, "bool", "hashchar(x::int::\"char\")", PgHash::hashBool);
    }

    @Test
    void hashFloat4MatchesHashfloat4() throws Exception {
        List<Float> values = new ArrayList<>(List.of(0.0f, -0.0f, 1.0f, -1.0f, Float.NaN, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE,
                Float.MIN_NORMAL, 0.1f, 3.14159f, 1e10f, 16777217f));
        for (int i = 0; i < RANDOM_COUNT; i++) {
            float f = Float.intBitsToFloat(random.nextInt());
            values.add(Float.isNaN(f) ? random.nextFloat() * 1000 : f);
        }
        assertHashes(values, "float4", "hashfloat4(x)", PgHash::hashFloat4);
    }

    @Test
    void hashFloat4OfAValueEqualsHashFloat8OfItsWidening() throws Exception {
        List<Float> values = List.of(0.5f, 0.1f, -7.25f, 1e-40f);
        assertHashes(values, "float4", "hashfloat8(x::float8)", PgHash::hashFloat4);
    }

    @Test
    void hashFloat8MatchesHashfloat8() throws Exception {
        List<Double> values = new ArrayList<>(List.of(0.0, -0.0, 1.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE,
                Double.MIN_NORMAL, 0.1, Math.PI, 1e300, 9007199254740993.0));
        for (int i = 0; i < RANDOM_COUNT; i++) {
            double d = Double.longBitsToDouble(random.nextLong());
            values.add(Double.isNaN(d) ? random.nextGaussian() : d);
        }
        assertHashes(values, "float8", "hashfloat8(x)", PgHash::hashFloat8);
    }

    @Test
    void nanWithAnyPayloadHashesAsTheCanonicalNaN() {
        int canonical = PgHash.hashFloat8(Double.NaN);
        assertEquals(canonical, PgHash.hashFloat8(Double.longBitsToDouble(0x7ff0000000000001L)));
        assertEquals(canonical, PgHash.hashFloat8(Double.longBitsToDouble(0xfff8000000000000L)));
        assertEquals(canonical, PgHash.hashFloat4(Float.intBitsToFloat(0x7fc00001)));
        assertEquals(canonical, PgHash.hashFloat4(Float.NaN));
    }

    @Test
    void hashBytesMatchesTheByteaHashForEveryTailLength() throws Exception {
        List<byte[]> values = new ArrayList<>();
        for (int len = 0; len <= 64; len++) {
            for (int k = 0; k < 8; k++) {
                byte[] b = new byte[len];
                random.nextBytes(b);
                values.add(b);
            }
        }
        for (int i = 0; i < 500; i++) {
            byte[] b = new byte[random.nextInt(2000)];
            random.nextBytes(b);
            values.add(b);
        }
        HexFormat hex = HexFormat.of();
        List<String> hexes = values.stream().map(hex::formatHex).toList();
        assertHashes(hexes, "text", typeCacheHash("decode(x, 'hex')"),
                h -> { byte[] b = hex.parseHex(h); return PgHash.hashBytes(b, 0, b.length); });
    }

    @Test
    void hashBytesHashesOnlyTheGivenRange() {
        byte[] framed = "xxhello worldyy".getBytes(StandardCharsets.US_ASCII);
        assertEquals(PgHash.hashText("hello world"), PgHash.hashBytes(framed, 2, 11));
    }

    @Test
    void hashTextMatchesHashtextForAsciiOfEveryLength() throws Exception {
        List<String> values = new ArrayList<>();
        for (int len = 0; len <= 64; len++) {
            for (int k = 0; k < 5; k++) {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < len; i++) {
                    sb.append((char) (' ' + random.nextInt(95)));
                }
                values.add(sb.toString());
            }
        }
        values.add("abc");
        values.add("a\tb\nc\\\"{},");
        assertHashes(values, "text", "hashtext(x)", PgHash::hashText);
        assertHashes(values, "text", "hashtext(x::varchar)", PgHash::hashText);
    }

    @Test
    void hashTextMatchesHashtextForNonAsciiText() throws Exception {
        List<String> values = new ArrayList<>(List.of("é", "日本語のテキスト", "😀", "Ωmega 😀 ünïcödé", "\u00a0"));
        for (int i = 0; i < 2000; i++) {
            values.add(randomUnicode(random.nextInt(80)));
        }
        assertHashes(values, "text", "hashtext(x)", PgHash::hashText);
    }

    @Test
    void hashBpcharIgnoresTrailingSpacesAsHashbpchar() throws Exception {
        List<String> values = new ArrayList<>(List.of("", " ", "   ", "a", "a ", "a   ", " a", " a ", "a b  ",
                "a\t", "a\t ", "é  ", "x".repeat(30) + "   "));
        for (int i = 0; i < 1000; i++) {
            values.add(randomUnicode(random.nextInt(20)) + " ".repeat(random.nextInt(4)));
        }
        assertHashes(values, "text", "hashbpchar(x::bpchar)", PgHash::hashBpchar);
        assertHashes(values, "text", "hashbpchar(x::char(40))", PgHash::hashBpchar);
    }

    @Test
    void hashNameMatchesHashnameIncludingTruncationTo63Bytes() throws Exception {
        List<String> values = new ArrayList<>(List.of("", "pg_class", "x".repeat(63), "x".repeat(64), "y".repeat(200),
                "é".repeat(40), "a" + "é".repeat(40), "日".repeat(30), "😀".repeat(20), "ab😀".repeat(20)));
        for (int i = 0; i < 500; i++) {
            values.add(randomUnicode(random.nextInt(90)));
        }
        assertHashes(values, "text", "hashname(x::name)", PgHash::hashName);
    }

    @Test
    void hashUuidMatchesUuidHash() throws Exception {
        List<UUID> values = new ArrayList<>(List.of(new UUID(0, 0), new UUID(-1, -1),
                UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")));
        for (int i = 0; i < 2000; i++) {
            values.add(new UUID(random.nextLong(), random.nextLong()));
        }
        assertHashes(values, "uuid", "uuid_hash(x)", PgHash::hashUuid);
    }

    @Test
    void hashDateMatchesTheDateTypeHash() throws Exception {
        List<LocalDate> dates = new ArrayList<>(List.of(LocalDate.of(2000, 1, 1), LocalDate.of(1970, 1, 1),
                LocalDate.of(1, 1, 1), LocalDate.of(9999, 12, 31), LocalDate.of(1999, 12, 31)));
        for (int i = 0; i < 2000; i++) {
            dates.add(LocalDate.ofEpochDay(random.nextInt(2_000_000) - 700_000));
        }
        List<String> texts = dates.stream().map(LocalDate::toString).toList();
        Function<String, Integer> java = t -> PgHash.hashDate((int) (LocalDate.parse(t).toEpochDay() - 10957));
        assertHashes(texts, "text", typeCacheHash("x::date"), java);
        assertHashes(texts, "text", "hashint4(x::date - date '2000-01-01')", java);
    }

    @Test
    void hashTimestampMatchesTimestampHashForTimestampAndTimestamptz() throws Exception {
        List<LocalDateTime> times = new ArrayList<>(List.of(LocalDateTime.of(2000, 1, 1, 0, 0),
                LocalDateTime.of(1970, 1, 1, 0, 0), LocalDateTime.of(1999, 12, 31, 23, 59, 59, 999_999_000),
                LocalDateTime.of(1, 1, 1, 0, 0), LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000)));
        long span = ChronoUnit.MICROS.between(times.get(3), times.get(4));
        for (int i = 0; i < RANDOM_COUNT; i++) {
            times.add(times.get(3).plus(Math.floorMod(random.nextLong(), span), ChronoUnit.MICROS));
        }
        List<String> texts = times.stream().map(LocalDateTime::toString).toList();
        Function<String, Integer> java = t -> PgHash.hashTimestamp(
                ChronoUnit.MICROS.between(LocalDateTime.of(2000, 1, 1, 0, 0), LocalDateTime.parse(t)));
        assertHashes(texts, "text", "timestamp_hash(x::timestamp)", java);
        assertHashes(texts, "text", typeCacheHash("x::timestamp"), java);
        assertHashes(texts, "text", typeCacheHash("(x || 'Z')::timestamptz"), java);
    }

    @Test
    void infiniteTimestampsHashAsTheInt64Limits() throws Exception {
        assertEquals(Integer.parseInt(pg.scalar("SELECT timestamp_hash('infinity')")), PgHash.hashTimestamp(Long.MAX_VALUE));
        assertEquals(Integer.parseInt(pg.scalar("SELECT timestamp_hash('-infinity')")), PgHash.hashTimestamp(Long.MIN_VALUE));
    }

    @Test
    void hashTimeMatchesTimeHash() throws Exception {
        List<Long> micros = new ArrayList<>(List.of(0L, 1L, 86_399_999_999L, 86_400_000_000L, 43_200_000_000L));
        for (int i = 0; i < 2000; i++) {
            micros.add(Math.floorMod(random.nextLong(), 86_400_000_000L));
        }
        List<String> texts = micros.stream()
                .map(m -> m == 86_400_000_000L ? "24:00:00" : LocalTime.ofNanoOfDay(m * 1000).toString()).toList();
        assertHashes(texts, "text", "time_hash(x::time)", t -> PgHash.hashTime(
                t.equals("24:00:00") ? 86_400_000_000L : LocalTime.parse(t).toNanoOfDay() / 1000));
        assertHashes(texts, "text", typeCacheHash("x::time"), t -> PgHash.hashTime(
                t.equals("24:00:00") ? 86_400_000_000L : LocalTime.parse(t).toNanoOfDay() / 1000));
    }

    private String randomUnicode(int codePoints) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < codePoints; i++) {
            int cp = switch (random.nextInt(4)) {
                case 0 -> 1 + random.nextInt(0x7f);
                case 1 -> 0x80 + random.nextInt(0x780);
                case 2 -> {
                    int c = 0x800 + random.nextInt(0x10000 - 0x800);
                    yield c >= 0xd800 && c <= 0xdfff ? 'x' : c;
                }
                default -> 0x10000 + random.nextInt(0x100000);
            };
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }

}
