-- Objects a data node needs (installed by add_data_node's bootstrap; idempotent). Data nodes run
-- stock PostgreSQL: the partition hash and time functions come from partitioning.sql, installed first.
CREATE SCHEMA IF NOT EXISTS _timescaledb_catalog;
CREATE SCHEMA IF NOT EXISTS _timescaledb_internal;
CREATE TABLE IF NOT EXISTS _timescaledb_catalog.metadata (
  key name PRIMARY KEY,
  value text NOT NULL,
  include_in_telemetry boolean NOT NULL DEFAULT false
);
