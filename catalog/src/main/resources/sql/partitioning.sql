-- Timeshard partitioning helpers, installed on every node (data nodes and the access node database).
-- Idempotent: safe to run again. Mirrors TimescaleDB 2.13:
--   get_partition_hash(x)  = the type's default hash opclass function & 0x7fffffff
--                            (ts_get_partition_hash, src/partitioning.c; pg_amproc.dat for the function)
--   time_to_internal(x)    = microseconds since the Unix epoch for timestamptz/timestamp/date,
--                            the value for integers (ts_time_value_to_internal, src/time_utils.c)
-- The Java twins are io.timeshard.catalog.partitioning.SpaceHash and TimeValues.

CREATE SCHEMA IF NOT EXISTS _timescaledb_functions;

CREATE OR REPLACE FUNCTION _timescaledb_functions.get_partition_hash(smallint) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT pg_catalog.hashint2($1) & 2147483647 $$;
CREATE OR REPLACE FUNCTION _timescaledb_functions.get_partition_hash(integer) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT pg_catalog.hashint4($1) & 2147483647 $$;
CREATE OR REPLACE FUNCTION _timescaledb_functions.get_partition_hash(bigint) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT pg_catalog.hashint8($1) & 2147483647 $$;
CREATE OR REPLACE FUNCTION _timescaledb_functions.get_partition_hash(text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT pg_catalog.hashtext($1) & 2147483647 $$;
CREATE OR REPLACE FUNCTION _timescaledb_functions.get_partition_hash(character varying) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT pg_catalog.hashtext($1) & 2147483647 $$;
CREATE OR REPLACE FUNCTION _timescaledb_functions.get_partition_hash(bpchar) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT pg_catalog.hashbpchar($1) & 2147483647 $$;
CREATE OR REPLACE FUNCTION _timescaledb_functions.get_partition_hash(name) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT pg_catalog.hashname($1) & 2147483647 $$;
CREATE OR REPLACE FUNCTION _timescaledb_functions.get_partition_hash(uuid) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT pg_catalog.uuid_hash($1) & 2147483647 $$;
CREATE OR REPLACE FUNCTION _timescaledb_functions.get_partition_hash(date) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    -- date_ops hashes the stored DateADT (days since 2000-01-01; ±infinity are INT32_MIN/MAX) with hashint4
    SELECT pg_catalog.hashint4(CASE WHEN pg_catalog.isfinite($1) THEN $1 - DATE '2000-01-01'
                                    WHEN $1 = DATE '-infinity' THEN '-2147483648'::integer
                                    ELSE 2147483647 END) & 2147483647 $$;
CREATE OR REPLACE FUNCTION _timescaledb_functions.get_partition_hash(timestamp without time zone) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT pg_catalog.timestamp_hash($1) & 2147483647 $$;
CREATE OR REPLACE FUNCTION _timescaledb_functions.get_partition_hash(timestamp with time zone) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    -- timestamptz_ops uses timestamp_hash on the stored UTC value; AT TIME ZONE 'UTC' reads it unchanged
    SELECT pg_catalog.timestamp_hash($1 AT TIME ZONE 'UTC') & 2147483647 $$;
CREATE OR REPLACE FUNCTION _timescaledb_functions.get_partition_hash(real) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT pg_catalog.hashfloat4($1) & 2147483647 $$;
CREATE OR REPLACE FUNCTION _timescaledb_functions.get_partition_hash(double precision) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT pg_catalog.hashfloat8($1) & 2147483647 $$;
CREATE OR REPLACE FUNCTION _timescaledb_functions.get_partition_hash(boolean) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT pg_catalog.hashchar($1::integer::"char") & 2147483647 $$;
CREATE OR REPLACE FUNCTION _timescaledb_functions.get_partition_hash(oid) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT pg_catalog.hashoid($1) & 2147483647 $$;

-- time_to_internal: exact (extract(epoch) is numeric since PostgreSQL 14); -infinity and infinity map to
-- the bigint limits as TimescaleDB's ts_time_value_to_internal (pg_timestamp_to_unix_microseconds) does.
-- Exact below 294247-01-02 00:00 UTC, the end of TimescaleDB's time range (TS_TIMESTAMP_END); later
-- values overflow bigint or, at exactly 2^63-1 µs, are rounded by extract's numeric division.
CREATE OR REPLACE FUNCTION _timescaledb_functions.time_to_internal(timestamp with time zone) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT CASE WHEN pg_catalog.isfinite($1) THEN (EXTRACT(epoch FROM $1) * 1000000)::bigint
                WHEN $1 = '-infinity'::timestamptz THEN '-9223372036854775808'::bigint
                ELSE '9223372036854775807'::bigint END $$;
CREATE OR REPLACE FUNCTION _timescaledb_functions.time_to_internal(timestamp without time zone) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT CASE WHEN pg_catalog.isfinite($1) THEN (EXTRACT(epoch FROM $1) * 1000000)::bigint
                WHEN $1 = '-infinity'::timestamp THEN '-9223372036854775808'::bigint
                ELSE '9223372036854775807'::bigint END $$;
CREATE OR REPLACE FUNCTION _timescaledb_functions.time_to_internal(date) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT CASE WHEN pg_catalog.isfinite($1) THEN ($1 - DATE '1970-01-01')::bigint * 86400000000
                WHEN $1 = '-infinity'::date THEN '-9223372036854775808'::bigint
                ELSE '9223372036854775807'::bigint END $$;
CREATE OR REPLACE FUNCTION _timescaledb_functions.time_to_internal(smallint) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT $1::bigint $$;
CREATE OR REPLACE FUNCTION _timescaledb_functions.time_to_internal(integer) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT $1::bigint $$;
CREATE OR REPLACE FUNCTION _timescaledb_functions.time_to_internal(bigint) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT $1 $$;
