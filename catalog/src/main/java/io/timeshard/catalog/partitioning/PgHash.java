package io.timeshard.catalog.partitioning;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

/**
 * PostgreSQL 15's type hash functions, computed in Java bit for bit: every method returns the same
 * signed 32-bit value as the SQL function named in its Javadoc (which is also the support function 1
 * of the type's default hash operator class), as computed by a server on a little-endian machine
 * (x86-64, aarch64).
 *
 * <p>Sources: {@code src/common/hashfn.c} ({@code hash_bytes}, {@code hash_bytes_uint32}: Bob
 * Jenkins' lookup3 with PostgreSQL's fixed seed), {@code src/backend/access/hash/hashfunc.c}
 * ({@code hashint2}, {@code hashint4}, {@code hashint8}, {@code hashoid}, {@code hashchar},
 * {@code hashfloat4}, {@code hashfloat8}, {@code hashtext}, {@code hashname}),
 * {@code src/backend/utils/adt/varchar.c} ({@code hashbpchar}), {@code uuid.c} ({@code uuid_hash}),
 * {@code timestamp.c} ({@code timestamp_hash}), {@code date.c} ({@code time_hash}) and
 * {@code pg_amproc.dat} (which function each type's hash opclass uses: {@code bool} and
 * {@code "char"} use {@code hashchar}, {@code date} uses {@code hashint4}, {@code timestamptz} uses
 * {@code timestamp_hash}, {@code varchar} uses {@code hashtext}).
 *
 * <p>Not supported: {@code numeric} ({@code hash_numeric} hashes the normalised base-10000 digits)
 * and {@code interval} ({@code interval_hash} hashes the span as a 128-bit count), and text under
 * nondeterministic (ICU) collations, which hash the collation sort key. Stateless and thread-safe.
 */
public final class PgHash {
    /** {@code 0x9e3779b9 + 3923095}: lookup3's golden ratio plus PostgreSQL's seed. */
    private static final int SEED = 0x9e3779b9 + 3923095;
    /** {@code get_float8_nan()} on x86-64/aarch64: the quiet NaN with an empty payload. */
    private static final long CANONICAL_NAN_BITS = 0x7ff8000000000000L;
    /** NAMEDATALEN - 1: a {@code name} holds at most 63 bytes. */
    private static final int NAME_MAX_BYTES = 63;

    private PgHash() {}

    /**
     * {@code hash_bytes} (exposed in SQL through {@code hash_any}-based functions such as
     * {@code hashtext}): lookup3 over {@code len} bytes read as little-endian 32-bit words.
     *
     * @param b   the bytes; never null
     * @param off first byte to hash
     * @param len number of bytes, {@code >= 0}
     * @return the hash as PostgreSQL's {@code int4}
     * @throws IndexOutOfBoundsException if the range lies outside {@code b}
     */
    public static int hashBytes(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        int a = SEED + len;
        int bb = a;
        int c = a;
        int k = off;
        int rest = len;
        while (rest >= 12) {
            a += word(b, k);
            bb += word(b, k + 4);
            c += word(b, k + 8);
            // mix(a, b, c)
            a -= c; a ^= Integer.rotateLeft(c, 4); c += bb;
            bb -= a; bb ^= Integer.rotateLeft(a, 6); a += c;
            c -= bb; c ^= Integer.rotateLeft(bb, 8); bb += a;
            a -= c; a ^= Integer.rotateLeft(c, 16); c += bb;
            bb -= a; bb ^= Integer.rotateLeft(a, 19); a += c;
            c -= bb; c ^= Integer.rotateLeft(bb, 4); bb += a;
            k += 12;
            rest -= 12;
        }
        // the last 0..11 bytes, byte by byte as hashfn.c's little-endian switch (all cases fall through)
        switch (rest) {
            case 11: c += (b[k + 10] & 0xff) << 24;
            case 10: c += (b[k + 9] & 0xff) << 16;
            case 9: c += (b[k + 8] & 0xff) << 8;
            case 8: bb += (b[k + 7] & 0xff) << 24;
            case 7: bb += (b[k + 6] & 0xff) << 16;
            case 6: bb += (b[k + 5] & 0xff) << 8;
            case 5: bb += b[k + 4] & 0xff;
            case 4: a += (b[k + 3] & 0xff) << 24;
            case 3: a += (b[k + 2] & 0xff) << 16;
            case 2: a += (b[k + 1] & 0xff) << 8;
            case 1: a += b[k] & 0xff;
            default: // case 0: nothing left to add
        }
        return finalMix(a, bb, c);
    }

    /**
     * {@code hash_bytes_uint32}: lookup3 of one 32-bit word (the fast path behind {@code hashint4}).
     *
     * @param k the word, as an unsigned 32-bit value in a Java int
     */
    public static int hashUint32(int k) {
        int a = SEED + 4;
        return finalMix(a + k, a, a);
    }

    /** {@code hashint2}: the value sign-extended to 32 bits, then {@link #hashUint32}. */
    public static int hashInt2(short v) {
        return hashUint32(v);
    }

    /** {@code hashint4}; also {@code date}'s hash (date_ops) — see {@link #hashDate}. */
    public static int hashInt4(int v) {
        return hashUint32(v);
    }

    /**
     * {@code hashint8}: folds the high half into the low half ({@code lo ^= v >= 0 ? hi : ~hi}) so
     * that values that fit an int4 hash as {@code hashint4} does, then {@link #hashUint32}.
     */
    public static int hashInt8(long v) {
        int lo = (int) v;
        int hi = (int) (v >>> 32);
        lo ^= v >= 0 ? hi : ~hi;
        return hashUint32(lo);
    }

    /** {@code hashoid}: the OID as an unsigned 32-bit value in a Java int. */
    public static int hashOid(int oid) {
        return hashUint32(oid);
    }

    /**
     * {@code hashchar} applied to a {@code bool} (bool_ops' hash function): false hashes as 0,
     * true as 1.
     */
    public static int hashBool(boolean v) {
        return hashChar(v ? (byte) 1 : (byte) 0);
    }

    /**
     * {@code hashchar} of the one-byte {@code "char"} type: the byte sign-extended (C {@code char}
     * is signed on x86-64), then {@link #hashUint32}.
     */
    public static int hashChar(byte v) {
        return hashUint32(v);
    }

    /**
     * {@code hashfloat4}: zero and minus zero hash as 0; otherwise the value widened to float8 and
     * hashed as {@link #hashFloat8} does, so that equal float4 and float8 values hash alike; every
     * NaN hashes as the canonical float8 NaN.
     */
    public static int hashFloat4(float v) {
        if (v == 0.0f) {
            return 0;
        }
        return hashFloat8Bits(Float.isNaN(v) ? CANONICAL_NAN_BITS : Double.doubleToRawLongBits(v));
    }

    /**
     * {@code hashfloat8}: zero and minus zero hash as 0; every NaN as the canonical NaN
     * {@code 0x7ff8000000000000}; otherwise {@code hash_bytes} of the 8 IEEE bytes in little-endian
     * order.
     */
    public static int hashFloat8(double v) {
        if (v == 0.0) {
            return 0;
        }
        return hashFloat8Bits(Double.isNaN(v) ? CANONICAL_NAN_BITS : Double.doubleToRawLongBits(v));
    }

    /**
     * {@code hashtext} (also {@code varchar}'s hash) under a deterministic collation: {@code hash_bytes}
     * of the UTF-8 bytes. Assumes a UTF-8 server encoding.
     *
     * @param s the text; never null; PostgreSQL text cannot contain U+0000, and unpaired surrogates
     *          are encoded as {@code ?} by Java, so neither should be passed
     */
    public static int hashText(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        return hashBytes(utf8, 0, utf8.length);
    }

    /**
     * {@code hashbpchar}: as {@link #hashText} with trailing spaces (U+0020 only) ignored, as
     * {@code bcTruelen} does.
     *
     * @param s the value, padded or not; never null
     */
    public static int hashBpchar(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ' ') {
            end--;
        }
        return hashText(s.substring(0, end));
    }

    /**
     * {@code hashname}: {@code hash_bytes} of the UTF-8 bytes, after truncating to 63 bytes on a
     * character boundary as {@code namein} does (so the result is that of the stored name).
     *
     * @param s the name; never null
     */
    public static int hashName(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        int len = utf8.length;
        if (len > NAME_MAX_BYTES) {
            len = NAME_MAX_BYTES;
            while ((utf8[len] & 0xc0) == 0x80) { // utf8[len] continues the character cut at len
                len--;
            }
        }
        return hashBytes(utf8, 0, len);
    }

    /** {@code uuid_hash}: {@code hash_bytes} of the 16 bytes in network (big-endian) order. */
    public static int hashUuid(UUID u) {
        byte[] bytes = new byte[16];
        long hi = u.getMostSignificantBits();
        long lo = u.getLeastSignificantBits();
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (hi >>> (56 - 8 * i));
            bytes[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        return hashBytes(bytes, 0, 16);
    }

    /**
     * Hash of a {@code date} (date_ops uses {@code hashint4}).
     *
     * @param daysSince2000 PostgreSQL's {@code DateADT}: days since 2000-01-01
     */
    public static int hashDate(int daysSince2000) {
        return hashInt4(daysSince2000);
    }

    /**
     * {@code timestamp_hash}, used by both {@code timestamp} and {@code timestamptz}: it is
     * {@code hashint8} of the stored value.
     *
     * @param microsSince2000 PostgreSQL's stored {@code Timestamp}: microseconds since
     *                        2000-01-01 00:00 (UTC for timestamptz); infinities are
     *                        {@code Long.MIN_VALUE}/{@code Long.MAX_VALUE}
     */
    public static int hashTimestamp(long microsSince2000) {
        return hashInt8(microsSince2000);
    }

    /**
     * {@code time_hash} of a {@code time without time zone}: {@code hashint8} of the stored value.
     *
     * @param micros microseconds since midnight, 0..86400000000
     */
    public static int hashTime(long micros) {
        return hashInt8(micros);
    }

    private static int hashFloat8Bits(long bits) {
        byte[] le = new byte[8];
        for (int i = 0; i < 8; i++) {
            le[i] = (byte) (bits >>> (8 * i));
        }
        return hashBytes(le, 0, 8);
    }

    private static int word(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | (b[i + 3] & 0xff) << 24;
    }

    /** lookup3's {@code final(a, b, c)}; returns c. */
    private static int finalMix(int a, int b, int c) {
        c ^= b; c -= Integer.rotateLeft(b, 14);
        a ^= c; a -= Integer.rotateLeft(c, 11);
        b ^= a; b -= Integer.rotateLeft(a, 25);
        c ^= b; c -= Integer.rotateLeft(b, 16);
        a ^= c; a -= Integer.rotateLeft(c, 4);
        b ^= a; b -= Integer.rotateLeft(a, 14);
        c ^= b; c -= Integer.rotateLeft(b, 24);
        return c;
    }
}
