-- Timeshard catalog and information views for an access node database.
-- Installed by CREATE EXTENSION timescaledb (or timeshard) through the access node.
-- Table and view names follow TimescaleDB 2.13 (_timescaledb_catalog, timescaledb_information).
-- Idempotent: every statement can run twice.

CREATE EXTENSION IF NOT EXISTS postgres_fdw;

DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_foreign_data_wrapper WHERE fdwname = 'timescaledb_fdw') THEN
    -- Data nodes are foreign servers of this wrapper, as in TimescaleDB; postgres_fdw does the work,
    -- so that chunk foreign tables (the safety net) can read from the data nodes.
    CREATE FOREIGN DATA WRAPPER timescaledb_fdw HANDLER postgres_fdw_handler VALIDATOR postgres_fdw_validator;
  END IF;
END $$;

CREATE SCHEMA IF NOT EXISTS _timescaledb_catalog;
CREATE SCHEMA IF NOT EXISTS _timescaledb_functions;
CREATE SCHEMA IF NOT EXISTS _timescaledb_internal;
CREATE SCHEMA IF NOT EXISTS timescaledb_information;
CREATE SCHEMA IF NOT EXISTS timescaledb_experimental;

CREATE TABLE IF NOT EXISTS _timescaledb_catalog.metadata (
  key name PRIMARY KEY,
  value text NOT NULL,
  include_in_telemetry boolean NOT NULL DEFAULT false
);
INSERT INTO _timescaledb_catalog.metadata (key, value)
  VALUES ('dist_uuid', gen_random_uuid()::text), ('timeshard_catalog_version', '1')
  ON CONFLICT (key) DO NOTHING;

CREATE TABLE IF NOT EXISTS _timescaledb_catalog.hypertable (
  id serial PRIMARY KEY,
  schema_name name NOT NULL,
  table_name name NOT NULL,
  associated_schema_name name NOT NULL,
  associated_table_prefix name NOT NULL,
  num_dimensions smallint NOT NULL,
  replication_factor smallint NOT NULL,   -- > 0: distributed on this access node
  status integer NOT NULL DEFAULT 0,
  UNIQUE (schema_name, table_name)
);

CREATE TABLE IF NOT EXISTS _timescaledb_catalog.dimension (
  id serial PRIMARY KEY,
  hypertable_id integer NOT NULL REFERENCES _timescaledb_catalog.hypertable (id) ON DELETE CASCADE,
  column_name name NOT NULL,
  column_type regtype NOT NULL,
  aligned boolean NOT NULL,              -- true: open (time) dimension
  num_slices smallint,                   -- closed (space) dimensions only
  partitioning_func_schema name,
  partitioning_func name,
  interval_length bigint,                -- open dimensions: microseconds, or integer units
  UNIQUE (hypertable_id, column_name)
);

CREATE TABLE IF NOT EXISTS _timescaledb_catalog.dimension_slice (
  id serial PRIMARY KEY,
  dimension_id integer NOT NULL REFERENCES _timescaledb_catalog.dimension (id) ON DELETE CASCADE,
  range_start bigint NOT NULL,
  range_end bigint NOT NULL,
  UNIQUE (dimension_id, range_start, range_end),
  CHECK (range_start < range_end)
);

CREATE SEQUENCE IF NOT EXISTS _timescaledb_catalog.chunk_id_seq;
CREATE TABLE IF NOT EXISTS _timescaledb_catalog.chunk (
  id integer PRIMARY KEY DEFAULT nextval('_timescaledb_catalog.chunk_id_seq'),
  hypertable_id integer NOT NULL REFERENCES _timescaledb_catalog.hypertable (id) ON DELETE CASCADE,
  schema_name name NOT NULL,
  table_name name NOT NULL,
  creation_time timestamptz NOT NULL DEFAULT now(),
  UNIQUE (schema_name, table_name)
);

CREATE TABLE IF NOT EXISTS _timescaledb_catalog.chunk_constraint (
  chunk_id integer NOT NULL REFERENCES _timescaledb_catalog.chunk (id) ON DELETE CASCADE,
  dimension_slice_id integer NOT NULL REFERENCES _timescaledb_catalog.dimension_slice (id),
  PRIMARY KEY (chunk_id, dimension_slice_id)
);

CREATE TABLE IF NOT EXISTS _timescaledb_catalog.hypertable_data_node (
  hypertable_id integer NOT NULL REFERENCES _timescaledb_catalog.hypertable (id) ON DELETE CASCADE,
  node_hypertable_id integer,
  node_name name NOT NULL,
  block_chunks boolean NOT NULL DEFAULT false,
  PRIMARY KEY (hypertable_id, node_name)
);

CREATE TABLE IF NOT EXISTS _timescaledb_catalog.chunk_data_node (
  chunk_id integer NOT NULL REFERENCES _timescaledb_catalog.chunk (id) ON DELETE CASCADE,
  node_chunk_id integer NOT NULL,
  node_name name NOT NULL,
  PRIMARY KEY (chunk_id, node_name)
);

-- Two-phase commit records: a row exists iff the distributed transaction committed
-- (written in the same local transaction that is the commit point; see DESIGN.md §6).
CREATE TABLE IF NOT EXISTS _timescaledb_catalog.remote_txn (
  data_node_name name NOT NULL,
  remote_transaction_id text PRIMARY KEY,
  created timestamptz NOT NULL DEFAULT now()
);

-- Information views (TimescaleDB 2.13 column names and types).
-- data_nodes.options: the servers' options as TimescaleDB shows them (host, port, dbname…), without the
-- two postgres_fdw options add_data_node sets for the safety net (async_capable, fetch_size).
CREATE OR REPLACE VIEW timescaledb_information.data_nodes AS
  SELECT s.srvname AS node_name, pg_catalog.pg_get_userbyid(s.srvowner) AS owner,
         ARRAY(SELECT o FROM pg_catalog.unnest(s.srvoptions) AS o
               WHERE pg_catalog.split_part(o, '=', 1) NOT IN ('async_capable', 'fetch_size'))::text[] AS options
  FROM pg_catalog.pg_foreign_server s
  JOIN pg_catalog.pg_foreign_data_wrapper w ON w.oid = s.srvfdw
  WHERE w.fdwname = 'timescaledb_fdw';

CREATE OR REPLACE VIEW timescaledb_information.hypertables AS
  SELECT h.schema_name AS hypertable_schema,
         h.table_name AS hypertable_name,
         pg_catalog.pg_get_userbyid(c.relowner) AS owner,
         h.num_dimensions,
         (SELECT count(*) FROM _timescaledb_catalog.chunk ch WHERE ch.hypertable_id = h.id) AS num_chunks,
         false AS compression_enabled,
         h.replication_factor > 0 AS is_distributed,
         h.replication_factor,
         (SELECT array_agg(hdn.node_name ORDER BY hdn.node_name) FROM _timescaledb_catalog.hypertable_data_node hdn
           WHERE hdn.hypertable_id = h.id) AS data_nodes,
         NULL::name[] AS tablespaces
  FROM _timescaledb_catalog.hypertable h
  LEFT JOIN pg_catalog.pg_class c
    ON c.oid = pg_catalog.to_regclass(pg_catalog.quote_ident(h.schema_name) || '.' || pg_catalog.quote_ident(h.table_name));

CREATE OR REPLACE VIEW timescaledb_information.dimensions AS
  SELECT h.schema_name AS hypertable_schema,
         h.table_name AS hypertable_name,
         (row_number() OVER (PARTITION BY d.hypertable_id ORDER BY d.id))::integer AS dimension_number,
         d.column_name,
         d.column_type,
         CASE WHEN d.aligned THEN 'Time' ELSE 'Space' END AS dimension_type,
         CASE WHEN d.aligned AND d.column_type IN ('timestamptz'::regtype, 'timestamp'::regtype, 'date'::regtype)
              THEN d.interval_length * interval '1 microsecond' END AS time_interval,
         CASE WHEN d.aligned AND d.column_type NOT IN ('timestamptz'::regtype, 'timestamp'::regtype, 'date'::regtype)
              THEN d.interval_length END AS integer_interval,
         NULL::name AS integer_now_func,
         d.num_slices AS num_partitions
  FROM _timescaledb_catalog.dimension d
  JOIN _timescaledb_catalog.hypertable h ON h.id = d.hypertable_id;

-- Internal time (microseconds since the Unix epoch, or the integer value) back to the column's type.
CREATE OR REPLACE FUNCTION _timescaledb_functions.internal_to_time_text(v bigint, t regtype) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN v IS NULL OR v = 9223372036854775807 OR v = -9223372036854775808 THEN NULL
    WHEN t = 'timestamptz'::regtype THEN (timestamptz '1970-01-01 00:00:00+00' + v * interval '1 microsecond')::text
    WHEN t = 'timestamp'::regtype THEN (timestamp '1970-01-01 00:00:00' + v * interval '1 microsecond')::text
    WHEN t = 'date'::regtype THEN (date '1970-01-01' + (v / 86400000000)::integer)::text
    ELSE v::text END
$$;

CREATE OR REPLACE VIEW timescaledb_information.chunks AS
  SELECT h.schema_name AS hypertable_schema,
         h.table_name AS hypertable_name,
         ch.schema_name AS chunk_schema,
         ch.table_name AS chunk_name,
         d.column_name AS primary_dimension,
         d.column_type AS primary_dimension_type,
         CASE WHEN d.column_type IN ('timestamptz'::regtype, 'timestamp'::regtype, 'date'::regtype)
              THEN _timescaledb_functions.internal_to_time_text(ds.range_start, d.column_type)::timestamptz END AS range_start,
         CASE WHEN d.column_type IN ('timestamptz'::regtype, 'timestamp'::regtype, 'date'::regtype)
              THEN _timescaledb_functions.internal_to_time_text(ds.range_end, d.column_type)::timestamptz END AS range_end,
         CASE WHEN d.column_type NOT IN ('timestamptz'::regtype, 'timestamp'::regtype, 'date'::regtype)
              THEN ds.range_start END AS range_start_integer,
         CASE WHEN d.column_type NOT IN ('timestamptz'::regtype, 'timestamp'::regtype, 'date'::regtype)
              THEN ds.range_end END AS range_end_integer,
         false AS is_compressed,
         NULL::name AS chunk_tablespace,
         (SELECT array_agg(cdn.node_name ORDER BY cdn.node_name) FROM _timescaledb_catalog.chunk_data_node cdn
           WHERE cdn.chunk_id = ch.id) AS data_nodes,
         ch.creation_time AS chunk_creation_time
  FROM _timescaledb_catalog.chunk ch
  JOIN _timescaledb_catalog.hypertable h ON h.id = ch.hypertable_id
  JOIN _timescaledb_catalog.dimension d ON d.hypertable_id = h.id AND d.aligned
  JOIN _timescaledb_catalog.chunk_constraint cc ON cc.chunk_id = ch.id
  JOIN _timescaledb_catalog.dimension_slice ds ON ds.id = cc.dimension_slice_id AND ds.dimension_id = d.id;

CREATE OR REPLACE VIEW timescaledb_experimental.chunk_replication_status AS
  SELECT h.schema_name AS hypertable_schema, h.table_name AS hypertable_name,
         ch.schema_name AS chunk_schema, ch.table_name AS chunk_name,
         h.replication_factor AS desired_num_replicas,
         (SELECT count(*) FROM _timescaledb_catalog.chunk_data_node cdn WHERE cdn.chunk_id = ch.id) AS num_replicas,
         (SELECT array_agg(cdn.node_name ORDER BY cdn.node_name) FROM _timescaledb_catalog.chunk_data_node cdn WHERE cdn.chunk_id = ch.id) AS replica_nodes,
         (SELECT array_agg(hdn.node_name ORDER BY hdn.node_name) FROM _timescaledb_catalog.hypertable_data_node hdn
           WHERE hdn.hypertable_id = h.id AND hdn.node_name NOT IN
             (SELECT cdn.node_name FROM _timescaledb_catalog.chunk_data_node cdn WHERE cdn.chunk_id = ch.id)) AS non_replica_nodes
  FROM _timescaledb_catalog.chunk ch JOIN _timescaledb_catalog.hypertable h ON h.id = ch.hypertable_id;

-- show_chunks: the chunks' foreign tables on this access node, ordered by chunk id. older_than /
-- newer_than take a value of the time column's type or an interval (relative to now()), as in TimescaleDB.
CREATE OR REPLACE FUNCTION public.show_chunks(relation regclass, older_than anyelement DEFAULT NULL::timestamptz,
                                              newer_than anycompatible DEFAULT NULL::timestamptz)
RETURNS SETOF regclass LANGUAGE plpgsql STABLE AS $fn$
DECLARE
  ht record;
  lo bigint := NULL;
  hi bigint := NULL;
BEGIN
  SELECT h.id, d.column_type INTO ht
    FROM _timescaledb_catalog.hypertable h
    JOIN _timescaledb_catalog.dimension d ON d.hypertable_id = h.id AND d.aligned
    JOIN pg_catalog.pg_class c ON c.relname = h.table_name
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace AND n.nspname = h.schema_name
   WHERE c.oid = relation;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'table "%" is not a hypertable', relation USING ERRCODE = 'TS001';
  END IF;
  IF older_than IS NOT NULL THEN
    hi := _timescaledb_functions.show_chunks_bound(older_than, ht.column_type);
  END IF;
  IF newer_than IS NOT NULL THEN
    lo := _timescaledb_functions.show_chunks_bound(newer_than, ht.column_type);
  END IF;
  RETURN QUERY
    SELECT format('%I.%I', ch.schema_name, ch.table_name)::regclass
      FROM _timescaledb_catalog.chunk ch
      JOIN _timescaledb_catalog.chunk_constraint cc ON cc.chunk_id = ch.id
      JOIN _timescaledb_catalog.dimension_slice ds ON ds.id = cc.dimension_slice_id
      JOIN _timescaledb_catalog.dimension d ON d.id = ds.dimension_id AND d.aligned
     WHERE ch.hypertable_id = ht.id
       AND (hi IS NULL OR ds.range_end <= hi)
       AND (lo IS NULL OR ds.range_start >= lo)
     ORDER BY ch.id;
END
$fn$;

-- A show_chunks bound (a value of the time type, or an interval before now()) in internal time units.
CREATE OR REPLACE FUNCTION _timescaledb_functions.show_chunks_bound(v anycompatible, t regtype) RETURNS bigint
LANGUAGE plpgsql STABLE AS $fn$
BEGIN
  IF pg_typeof(v) = 'interval'::regtype THEN
    RETURN _timescaledb_functions.time_to_internal(now() - v::text::interval);
  ELSIF t IN ('timestamptz'::regtype, 'timestamp'::regtype, 'date'::regtype) THEN
    RETURN _timescaledb_functions.time_to_internal(v::text::timestamptz);
  ELSE
    RETURN v::text::bigint;
  END IF;
END
$fn$;

-- Statement trigger on every distributed hypertable root in the access node database: writes must go
-- through the access node's ingest path (routing, chunk creation, two-phase commit); a write that
-- reaches the root here directly is refused rather than half done through postgres_fdw.
CREATE OR REPLACE FUNCTION _timescaledb_functions.block_direct_writes() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION 'cannot % distributed hypertable "%" in the access node database directly', lower(TG_OP), TG_TABLE_NAME
    USING ERRCODE = '0A000',
          HINT = 'Connect through the Timeshard access node, which routes writes to the data nodes.';
END
$fn$;
