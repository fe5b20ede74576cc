package io.timeshard.planner.functions;

import io.timeshard.catalog.errors.PgException;
import io.timeshard.catalog.errors.SqlState;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;
import java.util.Objects;

/**
 * TimescaleDB 2.13's {@code time_bucket} in all its forms, for the access node's combine step: the
 * same answers as the SQL functions of {@code sql/time_bucket.sql} installed on every node. Source:
 * TimescaleDB's {@code src/time_bucket.c} ({@code TIME_BUCKET}, {@code TIME_BUCKET_TS},
 * {@code bucket_month}, {@code ts_*_bucket}) and the "time_bucket()" API page.
 *
 * <p>Values are in TimescaleDB's internal representation: {@code timestamptz} and {@code timestamp}
 * as microseconds since 1970-01-01 00:00 (UTC, or the wall clock read as if in UTC), {@code date}
 * as days since 1970-01-01, integers as themselves. {@code -infinity} and {@code infinity} are
 * {@link Long#MIN_VALUE} and {@link Long#MAX_VALUE} and come back unchanged. Widths and offsets are
 * PostgreSQL intervals given by their three fields (months, days, microseconds).
 *
 * <p>Semantics: buckets are found by floor division, so values before the origin fall in the
 * bucket below it. Widths without months are {@code days * 24h + micros} long and aligned to the
 * origin, by default 2000-01-03 00:00 (a Monday); {@code timestamptz} is bucketed in UTC unless a
 * time zone is given. Month widths (no day or time part allowed) count months from 2000-01 or from
 * the origin's month; the origin's day and time are ignored, as TimescaleDB's {@code bucket_month}
 * does. Date widths without months must be whole days.
 *
 * <p>Errors are {@link PgException}s with TimescaleDB's SQLSTATE and message: 22023 "period must be
 * greater than 0"; 0A000 "month intervals cannot have day or time component"; for dates 0A000
 * "interval must not have sub-day precision" and "interval must be a multiple of a day"; for
 * integers 22003 "timestamp out of range" (the SQL functions raise PostgreSQL's "smallint/integer/
 * bigint out of range", also 22003, in exactly the same cases). Where the SQL functions fail inside
 * a PostgreSQL built-in this class throws that built-in's error: 22008 "timestamp out of range"
 * (a result, or the SQL's intermediate {@code bucket start - width}, before 4714-11-24 BC), 22008
 * "date out of range", 22008 "interval out of range" (timestamp minus origin overflows), 22008
 * "origin out of range" (an infinite origin; for month widths the SQL functions return NULL there).
 *
 * <p>Stateless and thread-safe.
 */
public final class TimeBucket {
    /** Microseconds in a day. */
    public static final long MICROS_PER_DAY = 86_400_000_000L;
    /** The default origin, 2000-01-03 00:00 (a Monday), in µs since the Unix epoch. */
    public static final long DEFAULT_ORIGIN_MICROS = 946_857_600_000_000L;
    /** The default origin, 2000-01-03, in days since the Unix epoch. */
    public static final long DEFAULT_ORIGIN_DAYS = 10_959L;
    /** Lowest timestamp PostgreSQL accepts, 4714-11-24 00:00 BC, in µs since the Unix epoch. */
    public static final long MIN_TIMESTAMP_MICROS = -210_866_803_200_000_000L;
    /** Lowest date PostgreSQL accepts, 4714-11-24 BC, in days since the Unix epoch. */
    public static final long MIN_DATE_DAYS = MIN_TIMESTAMP_MICROS / MICROS_PER_DAY;

    private static final long MICROS_PER_SECOND = 1_000_000L;
    private static final BigInteger BIG_MICROS_PER_DAY = BigInteger.valueOf(MICROS_PER_DAY);

    /**
     * A PostgreSQL interval's fields.
     *
     * @param months months (years are 12 months)
     * @param days   days
     * @param micros the time part in microseconds
     */
    public record Interval(long months, long days, long micros) {
        /** The zero interval. */
        public static final Interval ZERO = new Interval(0, 0, 0);

        /** An interval of only a time part, in microseconds. */
        public static Interval ofMicros(long micros) {
            return new Interval(0, 0, micros);
        }

        Interval negated() {
            return new Interval(-months, -days, -micros);
        }
    }

    private TimeBucket() {}

    // ---------------------------------------------------------------------------------------------
    // timestamp, and timestamptz bucketed in UTC
    // ---------------------------------------------------------------------------------------------

    /**
     * {@code time_bucket(bucket_width interval, ts timestamp|timestamptz, origin timestamp|timestamptz)}.
     *
     * @param months       the width's months; when non-zero, days and micros must be 0
     * @param days         the width's days
     * @param micros       the width's time part, µs
     * @param tsMicros     the value, µs since the Unix epoch; ±infinity returned unchanged
     * @param originMicros the origin, µs since the Unix epoch (for month widths only its month counts)
     * @return the start of the bucket holding {@code tsMicros}, µs since the Unix epoch
     * @throws PgException 22023, 0A000 or 22008 as described on the class
     */
    public static long bucketTimestamp(long months, long days, long micros, long tsMicros, long originMicros) {
        if (isInfinite(tsMicros)) {
            return tsMicros;
        }
        if (months != 0) {
            checkMonthWidth(months, days, micros);
            requireFiniteOrigin(originMicros);
            long start = bucketMonthDays(months, Math.floorDiv(tsMicros, MICROS_PER_DAY),
                    Math.floorDiv(originMicros, MICROS_PER_DAY)) * MICROS_PER_DAY;
            return checkTimestamp(start);
        }
        long period = periodMicros(days, micros);
        requireFiniteOrigin(originMicros);
        long diff;
        try {
            diff = Math.subtractExact(tsMicros, originMicros);
        } catch (ArithmeticException e) {
            throw new PgException(SqlState.DATETIME_FIELD_OVERFLOW, "interval out of range");
        }
        long start = tsMicros - Math.floorMod(diff, period);
        // time_bucket.sql computes date_bin(w, ts, start - w): start - w must be a valid timestamp
        if (start < MIN_TIMESTAMP_MICROS + period) {
            throw new PgException(SqlState.DATETIME_FIELD_OVERFLOW, "timestamp out of range");
        }
        return start;
    }

    /**
     * {@code time_bucket(bucket_width interval, ts timestamp|timestamptz)}: origin 2000-01-03 00:00
     * (UTC for timestamptz), months counted from 2000-01. As {@link #bucketTimestamp(long, long, long, long, long)}.
     */
    public static long bucketTimestamp(long months, long days, long micros, long tsMicros) {
        return bucketTimestamp(months, days, micros, tsMicros, DEFAULT_ORIGIN_MICROS);
    }

    /** As {@link #bucketTimestamp(long, long, long, long, long)} with the width as an {@link Interval}. */
    public static long bucketTimestamp(Interval width, long tsMicros, long originMicros) {
        return bucketTimestamp(width.months(), width.days(), width.micros(), tsMicros, originMicros);
    }

    /** As {@link #bucketTimestamp(long, long, long, long)} with the width as an {@link Interval}. */
    public static long bucketTimestamp(Interval width, long tsMicros) {
        return bucketTimestamp(width.months(), width.days(), width.micros(), tsMicros, DEFAULT_ORIGIN_MICROS);
    }

    /**
     * {@code time_bucket(bucket_width interval, ts timestamp, "offset" interval)}: bucket
     * {@code ts - offset} with the default origin, then add {@code offset} back, with timestamp
     * (calendar, no time zone) arithmetic ({@code ts_timestamp_offset_bucket}).
     *
     * @param width    the width; never null
     * @param tsMicros the wall-clock value, µs since the Unix epoch; ±infinity returned unchanged
     * @param offset   the offset; never null
     * @return the bucket start plus the offset, µs since the Unix epoch
     * @throws PgException as {@link #bucketTimestamp(long, long, long, long, long)}; 22008 when
     *                     {@code ts ∓ offset} leaves the timestamp range
     */
    public static long bucketTimestampOffset(Interval width, long tsMicros, Interval offset) {
        if (isInfinite(tsMicros)) {
            return tsMicros;
        }
        long shifted = plusInterval(tsMicros, offset.negated(), null);
        return plusInterval(bucketTimestamp(width, shifted), offset, null);
    }

    /**
     * {@code time_bucket(bucket_width interval, ts timestamptz, "offset" interval)}: as
     * {@link #bucketTimestampOffset} but the offset is subtracted and added with timestamptz
     * arithmetic in the session time zone, as TimescaleDB's {@code ts_timestamptz_offset_bucket}
     * does ({@code timestamptz_mi_interval}): an offset with days or months depends on the zone.
     *
     * @param sessionZone the session's TimeZone setting; never null
     */
    public static long bucketTimestamptzOffset(Interval width, long tsMicros, Interval offset, ZoneId sessionZone) {
        Objects.requireNonNull(sessionZone, "sessionZone");
        if (isInfinite(tsMicros)) {
            return tsMicros;
        }
        long shifted = plusInterval(tsMicros, offset.negated(), sessionZone);
        return plusInterval(bucketTimestamp(width, shifted), offset, sessionZone);
    }

    /**
     * {@code time_bucket(bucket_width interval, ts timestamptz, timezone text, origin timestamptz
     * DEFAULT NULL, "offset" interval DEFAULT NULL)} ({@code ts_timestamptz_timezone_bucket}): the
     * wall-clock time of {@code ts} in {@code zone} is bucketed (minus the offset, with the origin's
     * wall-clock time in {@code zone}, by default 2000-01-03 00:00 local), the offset added back,
     * and the result read as a wall-clock time in {@code zone}. A wall-clock time that does not
     * exist (spring forward) takes the UTC offset before the change, an ambiguous one (fall back)
     * the offset after it, as PostgreSQL's {@code DetermineTimeZoneOffset} does.
     *
     * <p>{@code zone} must be the zone PostgreSQL understands by the name: the same for IANA region
     * names, but PostgreSQL reads POSIX-style names such as {@code UTC+5} as five hours west, the
     * opposite of {@link ZoneId#of}.
     *
     * @param width        the width; never null
     * @param tsMicros     µs since the Unix epoch; ±infinity returned unchanged
     * @param zone         the time zone; never null
     * @param originMicros the origin, µs since the Unix epoch, or null for the default
     * @param offset       the offset, or null for none
     * @return the bucket start, µs since the Unix epoch
     * @throws PgException as {@link #bucketTimestamp(long, long, long, long, long)}
     */
    public static long bucketTimestamptz(Interval width, long tsMicros, ZoneId zone, Long originMicros,
                                         Interval offset) {
        Objects.requireNonNull(zone, "zone");
        if (isInfinite(tsMicros)) {
            return tsMicros;
        }
        long local = wallClock(tsMicros, zone);
        if (offset != null) {
            local = plusInterval(local, offset.negated(), null);
        }
        long start = originMicros == null
                ? bucketTimestamp(width, local)
                : bucketTimestamp(width, local, isInfinite(originMicros) ? originMicros : wallClock(originMicros, zone));
        if (offset != null) {
            start = plusInterval(start, offset, null);
        }
        return fromWallClock(start, zone);
    }

    // ---------------------------------------------------------------------------------------------
    // date
    // ---------------------------------------------------------------------------------------------

    /**
     * {@code time_bucket(bucket_width interval, ts date, origin date)} ({@code ts_date_bucket}).
     *
     * @param months     the width's months; when non-zero, days and micros must be 0
     * @param days       the width's days
     * @param micros     the width's time part, µs; days*24h + micros must be whole days
     * @param dateDays   days since the Unix epoch; ±infinity returned unchanged
     * @param originDays the origin, days since the Unix epoch (for month widths only its month counts)
     * @return the bucket start, days since the Unix epoch
     * @throws PgException 22023 or 0A000 as described on the class; 22008 "date out of range"
     */
    public static long bucketDate(long months, long days, long micros, long dateDays, long originDays) {
        if (isInfinite(dateDays)) {
            return dateDays;
        }
        if (months != 0) {
            checkMonthWidth(months, days, micros);
            requireFiniteOrigin(originDays);
            long start = bucketMonthDays(months, dateDays, originDays);
            checkTimestamp(start * MICROS_PER_DAY);
            return start;
        }
        long period = periodDays(days, micros);
        if (isInfinite(originDays)) {
            throw new PgException(SqlState.DATETIME_FIELD_OVERFLOW, "cannot subtract infinite dates");
        }
        long start = dateDays - Math.floorMod(dateDays - originDays, period);
        if (start < MIN_DATE_DAYS) {
            throw new PgException(SqlState.DATETIME_FIELD_OVERFLOW, "date out of range");
        }
        return start;
    }

    /** {@code time_bucket(bucket_width interval, ts date)}: origin 2000-01-03, months from 2000-01. */
    public static long bucketDate(long months, long days, long micros, long dateDays) {
        return bucketDate(months, days, micros, dateDays, DEFAULT_ORIGIN_DAYS);
    }

    /** As {@link #bucketDate(long, long, long, long)} with the width as an {@link Interval}. */
    public static long bucketDate(Interval width, long dateDays) {
        return bucketDate(width.months(), width.days(), width.micros(), dateDays, DEFAULT_ORIGIN_DAYS);
    }

    /**
     * {@code time_bucket(bucket_width interval, ts date, "offset" interval)}
     * ({@code ts_date_offset_bucket}): the date of {@code ts - offset} (a timestamp) is bucketed and
     * the result is the date of {@code bucket + offset}.
     *
     * @return the result, days since the Unix epoch; ±infinity returned unchanged
     */
    public static long bucketDateOffset(Interval width, long dateDays, Interval offset) {
        if (isInfinite(dateDays)) {
            return dateDays;
        }
        long shifted = Math.floorDiv(plusInterval(dateDays * MICROS_PER_DAY, offset.negated(), null), MICROS_PER_DAY);
        long start = bucketDate(width, shifted);
        return Math.floorDiv(plusInterval(start * MICROS_PER_DAY, offset, null), MICROS_PER_DAY);
    }

    // ---------------------------------------------------------------------------------------------
    // integers (TIME_BUCKET)
    // ---------------------------------------------------------------------------------------------

    /**
     * {@code time_bucket(bucket_width bigint, ts bigint, "offset" bigint)} ({@code ts_int64_bucket}):
     * {@code floor((value - offset % width) / width) * width + offset % width}.
     *
     * @throws PgException 22023 "period must be greater than 0" when {@code width <= 0}; 22003
     *                     "timestamp out of range" when {@code value - offset % width} or the result
     *                     leaves the bigint range
     */
    public static long bucketInteger(long width, long value, long offset) {
        return bucketIntegral(width, value, offset, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** {@code time_bucket(bucket_width bigint, ts bigint)}: buckets aligned to 0. */
    public static long bucketInteger(long width, long value) {
        return bucketIntegral(width, value, 0, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** As {@link #bucketInteger(long, long, long)} for {@code integer} ({@code ts_int32_bucket}). */
    public static int bucketInt32(int width, int value, int offset) {
        return (int) bucketIntegral(width, value, offset, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** As {@link #bucketInteger(long, long, long)} for {@code smallint} ({@code ts_int16_bucket}). */
    public static short bucketInt16(short width, short value, short offset) {
        return (short) bucketIntegral(width, value, offset, Short.MIN_VALUE, Short.MAX_VALUE);
    }

    private static long bucketIntegral(long width, long value, long offset, long min, long max) {
        if (width <= 0) {
            throw new PgException(SqlState.INVALID_PARAMETER_VALUE, "period must be greater than 0");
        }
        long shift = offset % width;
        if ((shift > 0 && value < min + shift) || (shift < 0 && value > max + shift)) {
            throw integerOutOfRange();
        }
        long shifted = value - shift;
        long start = shifted / width * width;
        if (shifted < 0 && shifted % width != 0) {
            if (start < min + width) {
                throw integerOutOfRange();
            }
            start -= width;
        }
        return start + shift;
    }

    private static PgException integerOutOfRange() {
        return new PgException("22003", "timestamp out of range"); // numeric_value_out_of_range, as TIME_BUCKET
    }

    // ---------------------------------------------------------------------------------------------
    // shared pieces
    // ---------------------------------------------------------------------------------------------

    private static boolean isInfinite(long value) {
        return value == Long.MIN_VALUE || value == Long.MAX_VALUE;
    }

    private static void requireFiniteOrigin(long originMicros) {
        if (isInfinite(originMicros)) {
            throw new PgException(SqlState.DATETIME_FIELD_OVERFLOW, "origin out of range");
        }
    }

    private static void checkMonthWidth(long months, long days, long micros) {
        if (days != 0 || micros != 0) {
            throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, "month intervals cannot have day or time component");
        }
        if (months < 0) {
            throw new PgException(SqlState.INVALID_PARAMETER_VALUE, "period must be greater than 0");
        }
    }

    /** A width without months in µs, checked as TIME_BUCKET_TS does (and date_bin for overflow). */
    private static long periodMicros(long days, long micros) {
        BigInteger period = BigInteger.valueOf(days).multiply(BIG_MICROS_PER_DAY).add(BigInteger.valueOf(micros));
        if (period.signum() <= 0) {
            throw new PgException(SqlState.INVALID_PARAMETER_VALUE, "period must be greater than 0");
        }
        if (period.bitLength() > 63) {
            throw new PgException(SqlState.DATETIME_FIELD_OVERFLOW, "interval out of range");
        }
        return period.longValueExact();
    }

    /** A width without months in days, checked as check_period_is_daily does. */
    private static long periodDays(long days, long micros) {
        BigInteger period = BigInteger.valueOf(days).multiply(BIG_MICROS_PER_DAY).add(BigInteger.valueOf(micros));
        if (period.compareTo(BIG_MICROS_PER_DAY) < 0) {
            throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, "interval must not have sub-day precision");
        }
        BigInteger[] qr = period.divideAndRemainder(BIG_MICROS_PER_DAY);
        if (qr[1].signum() != 0) {
            throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, "interval must be a multiple of a day");
        }
        return qr[0].longValueExact();
    }

    /**
     * The first day of the {@code months}-wide bucket holding {@code dateDays}, buckets aligned on
     * the month of {@code originDays} ({@code bucket_month}); days since the Unix epoch.
     */
    private static long bucketMonthDays(long months, long dateDays, long originDays) {
        long index = monthIndex(dateDays);
        long start = index - Math.floorMod(index - monthIndex(originDays), months);
        return LocalDate.of(Math.toIntExact(Math.floorDiv(start, 12)), (int) Math.floorMod(start, 12) + 1, 1).toEpochDay();
    }

    /** year * 12 + month - 1, astronomical years (1 BC is 0), as bucket_month counts. */
    private static long monthIndex(long epochDay) {
        LocalDate d = LocalDate.ofEpochDay(epochDay);
        return d.getYear() * 12L + d.getMonthValue() - 1;
    }

    private static long checkTimestamp(long micros) {
        if (micros < MIN_TIMESTAMP_MICROS) {
            throw new PgException(SqlState.DATETIME_FIELD_OVERFLOW, "timestamp out of range");
        }
        return micros;
    }

    /**
     * PostgreSQL's {@code timestamp_pl_interval} (zone null: wall-clock arithmetic) or
     * {@code timestamptz_pl_interval} (months, then days, added to the wall-clock time in
     * {@code zone}; the time part added to the instant).
     */
    private static long plusInterval(long micros, Interval interval, ZoneId zone) {
        if (isInfinite(micros)) {
            return micros;
        }
        if (interval.months() != 0) {
            micros = zone == null
                    ? toMicros(toDateTime(micros).plusMonths(interval.months()))
                    : fromWallClock(toMicros(toDateTime(wallClock(micros, zone)).plusMonths(interval.months())), zone);
            checkTimestamp(micros);
        }
        if (interval.days() != 0) {
            micros = zone == null
                    ? toMicros(toDateTime(micros).plusDays(interval.days()))
                    : fromWallClock(toMicros(toDateTime(wallClock(micros, zone)).plusDays(interval.days())), zone);
            checkTimestamp(micros);
        }
        try {
            return checkTimestamp(Math.addExact(micros, interval.micros()));
        } catch (ArithmeticException e) {
            throw new PgException(SqlState.DATETIME_FIELD_OVERFLOW, "timestamp out of range");
        }
    }

    /** The wall-clock time in {@code zone} of an instant, both in µs since the Unix epoch. */
    private static long wallClock(long instantMicros, ZoneId zone) {
        ZoneOffset offset = zone.getRules().getOffset(Instant.ofEpochSecond(Math.floorDiv(instantMicros, MICROS_PER_SECOND)));
        return instantMicros + offset.getTotalSeconds() * MICROS_PER_SECOND;
    }

    /**
     * The instant of a wall-clock time in {@code zone} as PostgreSQL's {@code DetermineTimeZoneOffset}
     * finds it: in a gap the offset before the transition, in an overlap the offset after it.
     */
    private static long fromWallClock(long wallMicros, ZoneId zone) {
        if (isInfinite(wallMicros)) {
            return wallMicros;
        }
        ZoneRules rules = zone.getRules();
        LocalDateTime local = toDateTime(wallMicros);
        List<ZoneOffset> valid = rules.getValidOffsets(local);
        ZoneOffset offset;
        if (valid.size() == 1) {
            offset = valid.get(0);
        } else {
            ZoneOffsetTransition transition = rules.getTransition(local);
            offset = valid.isEmpty() ? transition.getOffsetBefore() : transition.getOffsetAfter();
        }
        return wallMicros - offset.getTotalSeconds() * MICROS_PER_SECOND;
    }

    private static LocalDateTime toDateTime(long micros) {
        return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, MICROS_PER_SECOND),
                (int) Math.floorMod(micros, MICROS_PER_SECOND) * 1000, ZoneOffset.UTC);
    }

    private static long toMicros(LocalDateTime dateTime) {
        try {
            return Math.addExact(Math.multiplyExact(dateTime.toEpochSecond(ZoneOffset.UTC), MICROS_PER_SECOND),
                    dateTime.getNano() / 1000);
        } catch (ArithmeticException e) {
            throw new PgException(SqlState.DATETIME_FIELD_OVERFLOW, "timestamp out of range");
        }
    }
}
