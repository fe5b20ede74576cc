-- time_bucket: TimescaleDB 2.13's function in all its forms, installed on the access node database
-- and on every data node. Idempotent: safe to run again. The Java twin, used by the access node's
-- combine step, is io.timeshard.planner.functions.TimeBucket; the two must give the same answers.
--
-- Source: TimescaleDB 2.13 sql/time_bucket.sql (signatures, parameter names, volatility, STRICT)
-- and src/time_bucket.c (semantics and error messages); the "time_bucket()" API page for examples.
--
-- Semantics (all "floor" division, so values before the origin fall in the bucket below):
--   * widths without months: buckets of days*24h + time, aligned to the origin; default origin
--     2000-01-03 00:00 (a Monday); timestamptz is bucketed in UTC.
--   * month widths (no day or time part allowed): months counted from 2000-01, or from the
--     origin's month; the origin's day and time are ignored, as in TimescaleDB's bucket_month.
--   * date widths without months must be whole days.
--   * ±infinity is returned unchanged.
--   * integers: floor((ts - offset) / width) * width + offset, with offset taken modulo width.
--
-- How, so that the planner can inline every call into built-ins (plain SQL, one expression, no
-- FROM): widths are checked by small PL/pgSQL helpers that return their argument or raise
-- TimescaleDB's error; with a constant width the planner folds them away at plan time (an invalid
-- constant width is therefore reported at plan time, even over an empty table). Sub-month widths
-- use date_bin twice: date_bin(w, ts, date_bin(w, ts, origin) - w) floors whatever date_bin does
-- for timestamps before its origin (rounded toward the origin in some PostgreSQL 15 minor
-- releases, floored in later ones), because the second call's origin is never after ts.
--
-- Deviations from TimescaleDB 2.13, all outside ordinary use:
--   * the overloads with an interval width are declared without STRICT (TimescaleDB: STRICT, except
--     the timezone form): PostgreSQL never inlines a STRICT SQL function whose body, once the calls
--     in it are inlined, holds a CASE, and month and sub-month widths need one. They still return
--     NULL whenever an argument is NULL. The integer overloads are STRICT, as in TimescaleDB.
--   * integer overflow near the type's limits raises PostgreSQL's "smallint/integer/bigint out of
--     range" (22003) where TimescaleDB says "timestamp out of range" (also 22003), in the same cases.
--   * results before 4714-11-24 BC raise "timestamp out of range" (22008) instead of returning an
--     out-of-range value; an infinite origin raises instead of being used as a number.
--   * month buckets before 1 BC are correct here; TimescaleDB's bucket_month garbles them.
--   * time_bucket(interval, timestamptz, "offset" interval) adds and subtracts the offset in the
--     session time zone, exactly as TimescaleDB's C function does; that makes its body STABLE, so
--     although declared IMMUTABLE like TimescaleDB's, it is not inlined.

CREATE SCHEMA IF NOT EXISTS _timescaledb_functions;

-- ---------------------------------------------------------------------------------------------
-- Helpers (not TimescaleDB API)
-- ---------------------------------------------------------------------------------------------

-- The months of an interval (years * 12 + months), without any check.
CREATE OR REPLACE FUNCTION _timescaledb_functions.time_bucket_months(bucket_width interval) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT (EXTRACT(year FROM bucket_width) * 12 + EXTRACT(month FROM bucket_width))::integer $$;

-- A width for timestamp/timestamptz buckets, checked as ts_timestamp_bucket does; returned unchanged.
CREATE OR REPLACE FUNCTION _timescaledb_functions.time_bucket_width(bucket_width interval) RETURNS interval
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT AS $$
DECLARE
    months numeric := EXTRACT(year FROM bucket_width) * 12 + EXTRACT(month FROM bucket_width);
    days numeric := EXTRACT(day FROM bucket_width);
    micros numeric := EXTRACT(hour FROM bucket_width) * 3600000000
                      + EXTRACT(minute FROM bucket_width) * 60000000
                      + EXTRACT(microseconds FROM bucket_width);
BEGIN
    IF months <> 0 THEN
        IF days <> 0 OR micros <> 0 THEN
            RAISE EXCEPTION USING ERRCODE = '0A000', MESSAGE = 'month intervals cannot have day or time component';
        END IF;
        IF months < 0 THEN
            RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'period must be greater than 0';
        END IF;
    ELSIF days * 86400000000 + micros <= 0 THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'period must be greater than 0';
    END IF;
    RETURN bucket_width;
END $$;

-- The number of days of a width without months for date buckets, checked as ts_date_bucket does
-- (check_period_is_daily).
CREATE OR REPLACE FUNCTION _timescaledb_functions.time_bucket_days(bucket_width interval) RETURNS bigint
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT AS $$
DECLARE
    period numeric := EXTRACT(day FROM bucket_width) * 86400000000
                      + EXTRACT(hour FROM bucket_width) * 3600000000
                      + EXTRACT(minute FROM bucket_width) * 60000000
                      + EXTRACT(microseconds FROM bucket_width);
BEGIN
    IF period < 86400000000 THEN
        RAISE EXCEPTION USING ERRCODE = '0A000', MESSAGE = 'interval must not have sub-day precision';
    END IF;
    IF period % 86400000000 <> 0 THEN
        RAISE EXCEPTION USING ERRCODE = '0A000', MESSAGE = 'interval must be a multiple of a day';
    END IF;
    RETURN (period / 86400000000)::bigint;
END $$;

-- Integer widths, checked as TIME_BUCKET does; returned unchanged.
CREATE OR REPLACE FUNCTION _timescaledb_functions.time_bucket_width(bucket_width smallint) RETURNS smallint
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT AS $$
BEGIN
    IF bucket_width <= 0 THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'period must be greater than 0';
    END IF;
    RETURN bucket_width;
END $$;
CREATE OR REPLACE FUNCTION _timescaledb_functions.time_bucket_width(bucket_width integer) RETURNS integer
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT AS $$
BEGIN
    IF bucket_width <= 0 THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'period must be greater than 0';
    END IF;
    RETURN bucket_width;
END $$;
CREATE OR REPLACE FUNCTION _timescaledb_functions.time_bucket_width(bucket_width bigint) RETURNS bigint
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT AS $$
BEGIN
    IF bucket_width <= 0 THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'period must be greater than 0';
    END IF;
    RETURN bucket_width;
END $$;

-- Months from 2000-01 to the month of ts (astronomical years: 1 BC is year 0, as j2date counts).
CREATE OR REPLACE FUNCTION _timescaledb_functions.time_bucket_month_index(ts timestamp) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT ((EXTRACT(year FROM ts) + (EXTRACT(year FROM ts) < 0)::integer - 2000) * 12
            + EXTRACT(month FROM ts) - 1)::integer $$;

-- The start of the months-wide bucket holding ts, buckets aligned on the origin's month
-- (bucket_month in src/time_bucket.c): floor division on month numbers.
CREATE OR REPLACE FUNCTION _timescaledb_functions.time_bucket_month(months integer, ts timestamp, origin timestamp)
    RETURNS timestamp LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT TIMESTAMP '2000-01-01' + pg_catalog.make_interval(months => (
        _timescaledb_functions.time_bucket_month_index(ts)
        - ((_timescaledb_functions.time_bucket_month_index(ts)::bigint
            - _timescaledb_functions.time_bucket_month_index(origin)) % months + months) % months)::integer) $$;

-- ---------------------------------------------------------------------------------------------
-- timestamp
-- ---------------------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION public.time_bucket(bucket_width interval, ts timestamp, origin timestamp)
    RETURNS timestamp LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN NOT pg_catalog.isfinite(ts) THEN ts
        WHEN _timescaledb_functions.time_bucket_months(bucket_width) = 0 THEN
            pg_catalog.date_bin(_timescaledb_functions.time_bucket_width(bucket_width), ts,
                pg_catalog.date_bin(_timescaledb_functions.time_bucket_width(bucket_width), ts, origin)
                - bucket_width)
        ELSE _timescaledb_functions.time_bucket_month(
            _timescaledb_functions.time_bucket_months(_timescaledb_functions.time_bucket_width(bucket_width)),
            ts, origin)
    END $$;

CREATE OR REPLACE FUNCTION public.time_bucket(bucket_width interval, ts timestamp) RETURNS timestamp
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT public.time_bucket(bucket_width, ts, TIMESTAMP '2000-01-03 00:00:00') $$;

CREATE OR REPLACE FUNCTION public.time_bucket(bucket_width interval, ts timestamp, "offset" interval)
    RETURNS timestamp LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT public.time_bucket(bucket_width, ts - "offset") + "offset" $$;

-- ---------------------------------------------------------------------------------------------
-- timestamptz: bucketed in UTC (month buckets start at UTC midnight)
-- ---------------------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION public.time_bucket(bucket_width interval, ts timestamptz, origin timestamptz)
    RETURNS timestamptz LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT public.time_bucket(bucket_width, ts AT TIME ZONE 'UTC', origin AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' $$;

CREATE OR REPLACE FUNCTION public.time_bucket(bucket_width interval, ts timestamptz) RETURNS timestamptz
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT public.time_bucket(bucket_width, ts, TIMESTAMPTZ '2000-01-03 00:00:00+00') $$;

-- The offset is applied with timestamptz arithmetic, i.e. in the session time zone, as
-- ts_timestamptz_offset_bucket does (timestamptz_mi_interval / timestamptz_pl_interval).
CREATE OR REPLACE FUNCTION public.time_bucket(bucket_width interval, ts timestamptz, "offset" interval)
    RETURNS timestamptz LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT public.time_bucket(bucket_width, ts - "offset") + "offset" $$;

-- In the named time zone: local wall time is bucketed (default origin 2000-01-03 00:00 local), then
-- turned back into a timestamptz in that zone (ts_timestamptz_timezone_bucket). NULL origin or
-- offset means none; NULL width, ts or timezone gives NULL.
CREATE OR REPLACE FUNCTION public.time_bucket(bucket_width interval, ts timestamptz, timezone text,
                                              origin timestamptz DEFAULT NULL, "offset" interval DEFAULT NULL)
    RETURNS timestamptz LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (CASE WHEN origin IS NULL
                 THEN public.time_bucket(bucket_width,
                                         (ts AT TIME ZONE timezone) - COALESCE("offset", INTERVAL '0'))
                 ELSE public.time_bucket(bucket_width,
                                         (ts AT TIME ZONE timezone) - COALESCE("offset", INTERVAL '0'),
                                         origin AT TIME ZONE timezone)
            END + COALESCE("offset", INTERVAL '0')) AT TIME ZONE timezone $$;

-- ---------------------------------------------------------------------------------------------
-- date: no time zone; widths without months must be whole days
-- ---------------------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION public.time_bucket(bucket_width interval, ts date, origin date)
    RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN NOT pg_catalog.isfinite(ts) THEN ts
        WHEN _timescaledb_functions.time_bucket_months(bucket_width) = 0 THEN
            ts - (((ts - origin) % _timescaledb_functions.time_bucket_days(bucket_width)
                   + _timescaledb_functions.time_bucket_days(bucket_width))
                  % _timescaledb_functions.time_bucket_days(bucket_width))::integer
        ELSE _timescaledb_functions.time_bucket_month(
            _timescaledb_functions.time_bucket_months(_timescaledb_functions.time_bucket_width(bucket_width)),
            ts::timestamp, origin::timestamp)::date
    END $$;

CREATE OR REPLACE FUNCTION public.time_bucket(bucket_width interval, ts date) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT public.time_bucket(bucket_width, ts, DATE '2000-01-03') $$;

-- ts - offset is a timestamp; its date is bucketed and the offset added back (ts_date_offset_bucket).
CREATE OR REPLACE FUNCTION public.time_bucket(bucket_width interval, ts date, "offset" interval)
    RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (public.time_bucket(bucket_width, (ts - "offset")::date) + "offset")::date $$;

-- ---------------------------------------------------------------------------------------------
-- integers: computed in the argument type, so overflow errors arise exactly where TimescaleDB's do
-- ---------------------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION public.time_bucket(bucket_width smallint, ts smallint, "offset" smallint)
    RETURNS smallint LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT (ts - "offset" % _timescaledb_functions.time_bucket_width(bucket_width))
               / bucket_width * bucket_width
           - bucket_width * (((ts - "offset" % bucket_width) % bucket_width) < 0)::integer::smallint
           + "offset" % bucket_width $$;

CREATE OR REPLACE FUNCTION public.time_bucket(bucket_width integer, ts integer, "offset" integer)
    RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT (ts - "offset" % _timescaledb_functions.time_bucket_width(bucket_width))
               / bucket_width * bucket_width
           - bucket_width * (((ts - "offset" % bucket_width) % bucket_width) < 0)::integer
           + "offset" % bucket_width $$;

CREATE OR REPLACE FUNCTION public.time_bucket(bucket_width bigint, ts bigint, "offset" bigint)
    RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT (ts - "offset" % _timescaledb_functions.time_bucket_width(bucket_width))
               / bucket_width * bucket_width
           - bucket_width * (((ts - "offset" % bucket_width) % bucket_width) < 0)::integer
           + "offset" % bucket_width $$;

CREATE OR REPLACE FUNCTION public.time_bucket(bucket_width smallint, ts smallint) RETURNS smallint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT public.time_bucket(bucket_width, ts, 0::smallint) $$;
CREATE OR REPLACE FUNCTION public.time_bucket(bucket_width integer, ts integer) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT public.time_bucket(bucket_width, ts, 0) $$;
CREATE OR REPLACE FUNCTION public.time_bucket(bucket_width bigint, ts bigint) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT public.time_bucket(bucket_width, ts, 0::bigint) $$;
