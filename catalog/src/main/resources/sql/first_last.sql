-- first(value, time) and last(value, time): TimescaleDB 2.13's aggregates, installed on the access
-- node database and on every data node, in plain SQL and PL/pgSQL so that stock PostgreSQL runs
-- them. Idempotent: safe to run again.
--
-- Source: TimescaleDB 2.13 sql/aggregates.sql (CREATE AGGREGATE first/last) and src/agg_bookend.c
-- (bookend_sfunc, bookend_combinefunc, bookend_finalfunc) for the semantics:
--   * first(value, time) is the value of the row with the smallest time, last(value, time) of the
--     row with the largest; a tie keeps the row seen first (strict < and >);
--   * rows with a NULL time are skipped, except that the group's first row is kept until a row with
--     a time replaces it (so a group whose times are all NULL gives its first row's value);
--   * a NULL value is a value like any other: the answer is NULL when the chosen row's value is;
--   * an empty group gives NULL.
--
-- How, without C: TimescaleDB's state is an internal struct holding the value and the time. A SQL
-- aggregate's state must be one type, and the only polymorphic state that can hold any value is an
-- array of it (anyarray). So the state is a one-element array of the value, and the time travels in
-- that array's lower bounds: the time is mapped to a bigint key that sorts as the time does
-- (timestamps: microseconds since 2000-01-01, as PostgreSQL stores them, ±infinity below and above
-- every finite value; dates: days since 2000-01-01; integers: the value), and the key's 64 bits are
-- split over three dimensions (22, 21 and 21 bits), so that no lower bound + 1 overflows an integer.
-- A row kept with a NULL time is a one-dimensional array. The value is stored as itself, so it comes
-- back exactly, whatever the type and whatever the session's extra_float_digits or DateStyle.
--
-- Deviations from TimescaleDB 2.13:
--   * the time is declared "any" there (any type with a < operator); here it is timestamptz,
--     timestamp, date, smallint, integer or bigint. Another type is PostgreSQL's 42883 "function
--     first(…) does not exist".
--   * an array value (first(int[], time)) is refused: anyarray has no array of arrays. PostgreSQL
--     says "could not find array type for data type integer[]" (42704).
--   * about 1 µs per row (PL/pgSQL) where TimescaleDB's C takes a few tens of nanoseconds.
--
-- The access node splits first/last across data nodes as (first(value, time), min(time)) per node
-- and first() again over those pairs (last: max), which is exact because the pair is the row first
-- would keep (io.timeshard.planner.rules.BookendSplit).

CREATE SCHEMA IF NOT EXISTS _timescaledb_functions;

-- The state's bigint key, from its three lower bounds; NULL for a state without a time.
CREATE OR REPLACE FUNCTION _timescaledb_functions.bookend_key(state anyarray) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN pg_catalog.array_ndims(state) = 3
                THEN (pg_catalog.array_lower(state, 1)::bigint << 42) | (pg_catalog.array_lower(state, 2)::bigint << 21)
                     | pg_catalog.array_lower(state, 3)::bigint END $$;

-- The state's value (NULL for no state).
CREATE OR REPLACE FUNCTION _timescaledb_functions.bookend_value(state anyarray) RETURNS anyelement
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN pg_catalog.array_ndims(state) = 3
                THEN state[pg_catalog.array_lower(state, 1)][pg_catalog.array_lower(state, 2)][pg_catalog.array_lower(state, 3)]
                ELSE state[1] END $$;

-- Combine functions (parallel aggregation): the state first/last keeps; the left one on a tie.
CREATE OR REPLACE FUNCTION _timescaledb_functions.first_combinefunc(state1 anyarray, state2 anyarray) RETURNS anyarray
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN state1 IS NULL THEN state2
                WHEN state2 IS NULL OR _timescaledb_functions.bookend_key(state2) IS NULL THEN state1
                WHEN _timescaledb_functions.bookend_key(state1) IS NULL
                     OR _timescaledb_functions.bookend_key(state2) < _timescaledb_functions.bookend_key(state1) THEN state2
                ELSE state1 END $$;
CREATE OR REPLACE FUNCTION _timescaledb_functions.last_combinefunc(state1 anyarray, state2 anyarray) RETURNS anyarray
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN state1 IS NULL THEN state2
                WHEN state2 IS NULL OR _timescaledb_functions.bookend_key(state2) IS NULL THEN state1
                WHEN _timescaledb_functions.bookend_key(state1) IS NULL
                     OR _timescaledb_functions.bookend_key(state2) > _timescaledb_functions.bookend_key(state1) THEN state2
                ELSE state1 END $$;

-- Per time type: the transition functions, the final function (FINALFUNC_EXTRA passes the input
-- types, which resolve the result type) and the two aggregates. One template, one key expression
-- per type (%1$s: the time argument).
DO $do$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES
        ('timestamp with time zone', $k$CASE WHEN pg_catalog.isfinite(%1$s)
             THEN (EXTRACT(epoch FROM %1$s) * 1000000 - 946684800000000)::bigint
             WHEN %1$s > '2000-01-01 00:00:00+00'::timestamptz THEN 9223372036854775807 ELSE -9223372036854775808 END$k$),
        ('timestamp without time zone', $k$CASE WHEN pg_catalog.isfinite(%1$s)
             THEN (EXTRACT(epoch FROM %1$s) * 1000000 - 946684800000000)::bigint
             WHEN %1$s > '2000-01-01 00:00:00'::timestamp THEN 9223372036854775807 ELSE -9223372036854775808 END$k$),
        ('date', $k$CASE WHEN pg_catalog.isfinite(%1$s) THEN (%1$s - '2000-01-01'::date)::bigint
             WHEN %1$s > '2000-01-01'::date THEN 9223372036854775807 ELSE -9223372036854775808 END$k$),
        ('smallint', '%1$s::bigint'),
        ('integer', '%1$s::bigint'),
        ('bigint', '%1$s')) AS v(type, key)
    LOOP
        FOR i IN 1..2 LOOP
            EXECUTE format($f$
                CREATE OR REPLACE FUNCTION _timescaledb_functions.%1$s_sfunc(state anyarray, value anyelement, "time" %2$s)
                    RETURNS anyarray LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $body$
                DECLARE
                    key bigint;
                BEGIN
                    IF "time" IS NULL THEN
                        RETURN coalesce(state, pg_catalog.array_fill(value, ARRAY[1]));
                    END IF;
                    key := %3$s;
                    -- bookend_key written out, and the state made here (the key's 64 bits as lower bounds of
                    -- 22, 21 and 21 bits): PL/pgSQL does not inline SQL functions
                    IF state IS NULL OR pg_catalog.array_ndims(state) = 1
                       OR key %4$s ((pg_catalog.array_lower(state, 1)::bigint << 42)
                                   | (pg_catalog.array_lower(state, 2)::bigint << 21) | pg_catalog.array_lower(state, 3)::bigint) THEN
                        RETURN pg_catalog.array_fill(value, ARRAY[1, 1, 1],
                            ARRAY[(key >> 42)::integer, ((key >> 21) & 2097151)::integer, (key & 2097151)::integer]);
                    END IF;
                    RETURN state;
                END $body$;
                CREATE OR REPLACE FUNCTION _timescaledb_functions.bookend_finalfunc(state anyarray, value anyelement, "time" %2$s)
                    RETURNS anyelement LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $body$
                    SELECT _timescaledb_functions.bookend_value(state) $body$;
                CREATE OR REPLACE AGGREGATE public.%1$s(anyelement, %2$s) (
                    SFUNC = _timescaledb_functions.%1$s_sfunc, STYPE = anyarray,
                    FINALFUNC = _timescaledb_functions.bookend_finalfunc, FINALFUNC_EXTRA,
                    COMBINEFUNC = _timescaledb_functions.%1$s_combinefunc, PARALLEL = SAFE)$f$,
                (ARRAY['first', 'last'])[i], t.type, format(t.key, '"time"'), (ARRAY['<', '>'])[i]);
        END LOOP;
    END LOOP;
END $do$;
