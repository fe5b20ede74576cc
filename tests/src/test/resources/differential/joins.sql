-- Differential corpus: joins of the distributed hypertables with each other and with the regular
-- tables `devices` and `hosts` (which, on the cluster, live in the access node database), CTEs,
-- semi- and anti-joins, LATERAL.
--
-- Format: entries are separated by blank lines. An entry is one or more `--` comment lines, the
-- first of which is its label, followed by one SQL statement (no blank line inside) whose last line
-- ends with `;`. A block of comments only (like this one) is a note. Results compare exactly as text:
-- as ordered lists when the statement has a top-level ORDER BY, as multisets otherwise; `@unordered`
-- in a comment forces multiset comparison. Keep every top-level ORDER BY total.

-- the regular table alone
SELECT * FROM devices ORDER BY device;

-- inner join with the lookup table, grouped by its columns
SELECT d.name, d.kind, count(*), sum(c.temperature) FROM conditions c JOIN devices d USING (device)
GROUP BY d.name, d.kind ORDER BY d.name;

-- left join: devices 90-92 have no lookup row
SELECT c.device, d.name, count(*) FROM conditions c LEFT JOIN devices d ON d.device = c.device
WHERE c.device > 27 GROUP BY 1, 2 ORDER BY 1;

-- full join of the lookup table with per-device aggregates
SELECT device, d.name, s.n, s.t FROM devices d
FULL JOIN (SELECT device, count(*) AS n, sum(temperature) AS t FROM conditions GROUP BY device) s USING (device)
ORDER BY device;

-- a FROM subquery over the hypertable, pushed down, joined in the access node database
SELECT s.location, s.m, d.name FROM (SELECT location, device, max(temperature) AS m FROM conditions GROUP BY location, device) s
JOIN devices d ON d.device = s.device ORDER BY s.location NULLS FIRST, s.m DESC NULLS LAST, d.name;

-- a FROM subquery with ORDER BY and LIMIT inside
SELECT x.device, x.time FROM (SELECT time, device FROM conditions WHERE temperature > 20 ORDER BY time DESC, device LIMIT 7) x
ORDER BY x.device, x.time;

-- a JOIN subquery with a time filter, and a filter on the regular table
SELECT d.kind, sum(c.n) FROM devices d JOIN (SELECT device, count(*) AS n FROM conditions WHERE time < '2024-03-03 00:00:00+00' GROUP BY device) c
ON c.device = d.device WHERE d.kind IS NOT NULL GROUP BY d.kind ORDER BY d.kind;

-- a scalar subquery after IS DISTINCT FROM
SELECT d.device FROM devices d WHERE d.device IS DISTINCT FROM (SELECT max(device) FROM conditions) ORDER BY d.device;

-- a FROM subquery that names the enclosing query's table (correlated): the safety net answers
SELECT d.device, (SELECT max(m) FROM (SELECT max(temperature) AS m FROM conditions c WHERE c.device = d.device) x) AS m
FROM devices d ORDER BY d.device;

-- anti-join: lookup rows without readings
SELECT d.* FROM devices d WHERE NOT EXISTS (SELECT 1 FROM conditions c WHERE c.device = d.device) ORDER BY device;

-- semi-join with a time filter inside
SELECT d.device, d.name FROM devices d
WHERE EXISTS (SELECT 1 FROM conditions c WHERE c.device = d.device AND c.temperature > 99.5 AND c.time < '2024-03-04 00:00:00+00')
ORDER BY d.device;

-- IN (SELECT …) from the lookup table
SELECT device, count(*), max(humidity) FROM conditions WHERE device IN (SELECT device FROM devices WHERE kind = 'thermo')
GROUP BY device ORDER BY device;

-- NOT IN (SELECT …) with a NULL-free subquery
SELECT count(*) FROM conditions WHERE device NOT IN (SELECT device FROM devices);

-- filter on the lookup table's date column
SELECT d.installed, count(*), sum(c.temperature) FROM conditions c JOIN devices d ON d.device = c.device
WHERE d.installed >= '2022-01-01' GROUP BY d.installed ORDER BY d.installed;

-- LATERAL: the three hottest readings per known device
SELECT d.device, x.time, x.temperature FROM devices d CROSS JOIN LATERAL (
  SELECT time, temperature FROM conditions c WHERE c.device = d.device AND temperature IS NOT NULL
  ORDER BY temperature DESC, time DESC LIMIT 3) x
ORDER BY d.device, x.temperature DESC, x.time DESC;

-- LATERAL lastpoint per device (routed to the device's data node), TSBS's tags form on conditions
SELECT DISTINCT ON (d.name) * FROM devices d INNER JOIN LATERAL (SELECT * FROM conditions c WHERE c.device = d.device
  ORDER BY time DESC LIMIT 1) AS b ON true ORDER BY d.name, b.time DESC;

-- LEFT JOIN LATERAL with a time range some devices have no rows in, and a NULL-free correlation
SELECT d.device, d.kind, l.time, l.location FROM devices d LEFT JOIN LATERAL (SELECT time, location FROM conditions
  WHERE conditions.device = d.device AND time < '2024-01-01 06:00:00+00' AND location IS NOT NULL ORDER BY time, location LIMIT 2) l
  ON true ORDER BY d.device, l.time, l.location;

-- comma LATERAL without LIMIT: every matching row of each device
SELECT d.name, w.time, w.humidity FROM devices d, LATERAL (SELECT * FROM conditions c WHERE d.device = c.device
  AND c.temperature > 25) w;

-- LATERAL on the text space column of cpu (hostnames with tabs, quotes and backslashes are routed by their hash)
SELECT h.hostname, x.time, x.usage_user FROM hosts h CROSS JOIN LATERAL (SELECT * FROM cpu c WHERE c.hostname = h.hostname
  ORDER BY time DESC LIMIT 1) x ORDER BY h.hostname;

-- LATERAL correlated on a column that is not the space column: every value to every node (no row matches)
SELECT d.device, x.time FROM devices d CROSS JOIN LATERAL (SELECT * FROM conditions c WHERE c.location = d.name
  ORDER BY time DESC LIMIT 1) x ORDER BY d.device;

-- LATERAL off the space column with rows on both nodes: the two latest per value, double against integer
SELECT d.device, x.time, x.device AS source, x.temperature FROM devices d CROSS JOIN LATERAL (SELECT * FROM conditions c
  WHERE c.temperature = d.device ORDER BY time DESC, device, location, humidity LIMIT 2) x
  ORDER BY d.device, x.time DESC, source;

-- LATERAL off the space column over numeric values equal but written apart (25.0, 25.00): each fetched once
SELECT r.level::text AS level, x.time, x.device FROM thresholds r CROSS JOIN LATERAL (SELECT * FROM conditions c
  WHERE c.temperature = r.level ORDER BY time DESC, device, location, humidity LIMIT 2) x
  ORDER BY r.level, r.level::text, x.time DESC, x.device;

-- lastpoint per value off the space column (TSBS's tags form on conditions)
SELECT DISTINCT ON (d.name) * FROM devices d INNER JOIN LATERAL (SELECT * FROM conditions c WHERE c.temperature = d.device
  ORDER BY time DESC, device, location, humidity LIMIT 1) AS b ON true ORDER BY d.name, b.time DESC;

-- LATERAL off the space column whose values have rows on both nodes in the newest slice: each node's
-- latest two per place, the access node's latest two over both
SELECT p.name, x.time, x.device FROM places p CROSS JOIN LATERAL (SELECT time, device FROM conditions c
  WHERE c.location = p.name ORDER BY time DESC, device LIMIT 2) x
  ORDER BY p.name, x.time DESC, x.device;

-- LEFT JOIN LATERAL off the space column of cpu, in a time range some racks have no match in
SELECT h.hostname, h.rack, l.time, l.hostname AS source FROM hosts h LEFT JOIN LATERAL (SELECT time, hostname FROM cpu c
  WHERE c.usage_user = h.rack AND time < '2016-01-01 01:00:00+00' ORDER BY time DESC, hostname LIMIT 1) l ON true
  ORDER BY h.hostname;

-- LATERAL merged in the access node (each device's rows on one node): the outer row's own columns, the two
-- latest per device, LEFT for devices without rows, ordered by a text key descending
SELECT d.*, x.time, x.temperature FROM devices d LEFT JOIN LATERAL (SELECT time, temperature FROM conditions c
  WHERE c.device = d.device ORDER BY time DESC, temperature LIMIT 2) x ON true ORDER BY d.name DESC, x.time DESC, x.temperature;

-- LATERAL whose outer rows tie on the ORDER BY's outer key (kind): combined in the access node database
SELECT d.kind, x.time, x.device FROM devices d JOIN LATERAL (SELECT time, device FROM conditions c WHERE c.device = d.device
  ORDER BY time DESC LIMIT 1) x ON true ORDER BY d.kind NULLS FIRST, x.time DESC, x.device;

-- LATERAL without an ORDER BY, oldest first, merged: outer columns and the subquery's
-- @unordered
SELECT t.*, x.* FROM devices t CROSS JOIN LATERAL (SELECT time, location FROM conditions c WHERE c.device = t.device
  ORDER BY time, location LIMIT 1) x;

-- lastpoint off the space column by an integer outer value (rows of a value on both nodes: combined)
SELECT DISTINCT ON (d.device) d.device, d.name, b.time, b.device AS source FROM devices d JOIN LATERAL (SELECT * FROM conditions c
  WHERE c.temperature = d.device ORDER BY time DESC, device, location, humidity LIMIT 1) b ON true ORDER BY d.device, b.time DESC;

-- TSBS's tags-form lastpoint on cpu through hosts' racks, LEFT, with the rack's hostname first
SELECT h.hostname, h.rack, l.* FROM hosts h LEFT JOIN LATERAL (SELECT time, hostname, usage_user FROM cpu c WHERE c.usage_user = h.rack
  ORDER BY time DESC LIMIT 1) l ON true ORDER BY h.hostname;

-- comma LATERAL off the space column without LIMIT: every match of each value (the safety net's)
SELECT d.device, w.time, w.humidity FROM devices d, LATERAL (SELECT * FROM conditions c WHERE c.temperature = d.device
  AND c.humidity > 90) w;

-- join of the two hypertables on aligned time (2982 days apart) and a derived hostname
SELECT c.device, count(*), sum(p.usage_user), sum(c.temperature) FROM conditions c
JOIN cpu p ON p.time = c.time - INTERVAL '2982 days' AND p.hostname = 'host_' || (c.device % 20)
GROUP BY c.device ORDER BY c.device;

-- hypertable join hypertable, grouped by a column of each
SELECT p.hostname, c.location, count(*) FROM conditions c
JOIN cpu p ON p.time = c.time - INTERVAL '2982 days' AND p.hostname = 'host_' || (c.device % 20)
WHERE c.time < '2024-03-01 01:00:00+00' GROUP BY 1, 2 ORDER BY 1, 2 NULLS FIRST;

-- cpu joined with hosts, grouped by region
SELECT h.region, count(DISTINCT h.hostname), count(*), max(c.usage_user), avg(c.usage_idle)
FROM cpu c JOIN hosts h USING (hostname) GROUP BY h.region ORDER BY h.region;

-- two CTEs over both hypertables, combined
WITH a AS (SELECT date_trunc('hour', time) - INTERVAL '2982 days' AS hour, count(*) AS n, sum(temperature) AS t
           FROM conditions WHERE time < '2024-03-01 04:00:00+00' GROUP BY 1),
     b AS (SELECT date_trunc('hour', time) AS hour, count(*) AS n, sum(usage_user) AS u FROM cpu GROUP BY 1)
SELECT b.hour, a.n, a.t, b.n, b.u FROM a JOIN b ON a.hour = b.hour ORDER BY b.hour;

-- a regular table inner join where the hypertable side is filtered by time and space
SELECT d.name, c.time, c.temperature, c.humidity FROM conditions c JOIN devices d ON d.device = c.device
WHERE c.device IN (4, 8) AND c.time >= '2024-03-07 06:00:00+00' AND c.time < '2024-03-07 06:05:00+00'
ORDER BY d.name, c.time, c.temperature, c.humidity;

-- correlated scalar subquery per lookup row
SELECT d.device, (SELECT max(time) FROM conditions c WHERE c.device = d.device) AS last_seen,
       (SELECT count(*) FROM conditions c WHERE c.device = d.device AND c.location IS NULL) AS no_location
FROM devices d ORDER BY d.device;
