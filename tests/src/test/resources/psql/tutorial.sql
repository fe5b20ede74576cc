-- The seeds' tutorial (seeds/002, "Scaling out TimescaleDB") as a user types it into psql, with only
-- host names and ports changed (and a database name of its own per run, :db, so runs do not collide).
-- TimescaleDB 2.x renamed the tutorial's views and functions, and Timeshard follows 2.13:
--   timescaledb_information.data_node  -> timescaledb_information.data_nodes
--   timescaledb_information.hypertable -> timescaledb_information.hypertables
--   hypertable_data_node_relation_size('distributed') (gone) -> hypertable_detailed_size('conditions')
-- Variables: db, dn1_port, dn2_port.
CREATE DATABASE :db;
\c :db postgres
CREATE EXTENSION timescaledb;

SELECT add_data_node('dn1', host=>'127.0.0.1', port=>:dn1_port);

SELECT add_data_node('dn2', host=>'127.0.0.1', port=>:dn2_port);

SELECT * FROM timescaledb_information.data_nodes;

CREATE TABLE conditions (time timestamptz NOT NULL, device integer, temp float);

SELECT create_distributed_hypertable('conditions', 'time', 'device');

INSERT INTO conditions
SELECT time, (random()*30)::int, random()*80
FROM generate_series('2019-01-01 00:00:00'::timestamptz, '2019-02-01 00:00:00', '1 min') AS time;

SELECT * FROM timescaledb_information.hypertables;

SELECT * FROM hypertable_detailed_size('conditions');

SELECT * FROM timescaledb_information.data_nodes;

SELECT * FROM conditions LIMIT 10;
