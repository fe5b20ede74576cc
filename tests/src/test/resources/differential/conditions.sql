-- Differential corpus: reads of the distributed hypertable `conditions` (see DifferentialData).
--
-- Format: entries are separated by blank lines. An entry is one or more `--` comment lines, the
-- first of which is its label, followed by one SQL statement (no blank line inside) whose last line
-- ends with `;`. A block of comments only (like this one) is a note. Results compare exactly as text:
-- as ordered lists when the statement has a top-level ORDER BY, as multisets otherwise; `@unordered`
-- in a comment forces multiset comparison. Keep every top-level ORDER BY total (tie-break on every
-- selected column), above all with LIMIT/OFFSET.
--
-- Determinism: temperatures are multiples of 1/16 so float8 sums of them are exact whatever the
-- order of rows; humidity has two decimals, so aggregate it through numeric (or round it).

-- count of every row
SELECT count(*) FROM conditions;

-- every row, every column, as a multiset
SELECT * FROM conditions;

-- counts of non-null values per column
SELECT count(*), count(device), count(location), count(temperature), count(humidity) FROM conditions;

-- rows where both measurements are NULL
SELECT count(*) FROM conditions WHERE temperature IS NULL AND humidity IS NULL;

-- one whole chunk interval, half-open at midnight boundaries
SELECT count(*), sum(temperature), min(time), max(time) FROM conditions
WHERE time >= '2024-03-02 00:00:00+00' AND time < '2024-03-03 00:00:00+00';

-- rows exactly on a chunk boundary
SELECT * FROM conditions WHERE time = '2024-03-05 00:00:00+00'
ORDER BY device, location, temperature, humidity;

-- rows one microsecond before a chunk boundary
SELECT * FROM conditions WHERE time = '2024-03-04 23:59:59.999999+00'
ORDER BY device, location, temperature, humidity;

-- BETWEEN straddling a chunk boundary by one microsecond each side
SELECT * FROM conditions WHERE time BETWEEN '2024-03-03 23:59:59.999999+00' AND '2024-03-04 00:00:00+00'
ORDER BY time, device, location, temperature, humidity;

-- open-closed range written in other time zones
SELECT count(*), sum(temperature), count(DISTINCT device) FROM conditions
WHERE time > '2024-03-06 01:00:00+01' AND time <= '2024-03-06 02:30:00-03';

-- a range before any data: count 0, sums NULL
SELECT count(*), sum(temperature), max(time) FROM conditions WHERE time < '2024-02-01 00:00:00+00';

-- the last hour of data, up to the final chunk boundary
SELECT count(*), min(time), max(time), sum(temperature) FROM conditions WHERE time >= '2024-03-10 23:00:00+00';

-- a day range on the time cast to date (no chunk exclusion possible)
SELECT count(*), sum(temperature) FROM conditions WHERE time::date = '2024-03-05';

-- group by which side of a boundary the row is on
SELECT time >= '2024-03-05 00:00:00+00' AS late, count(*), sum(temperature) FROM conditions GROUP BY 1 ORDER BY 1;

-- equality on the space column
SELECT count(*), sum(temperature), avg(temperature), min(temperature), max(temperature), min(humidity), max(humidity)
FROM conditions WHERE device = 7;

-- IN list on the space column, including sparse and absent devices
SELECT device, count(*), sum(temperature), min(time), max(time) FROM conditions
WHERE device IN (3, 90, 91, 92, 999) GROUP BY device ORDER BY device;

-- range on the space column together with a time range
SELECT device, count(*), sum(temperature) FROM conditions
WHERE device BETWEEN 10 AND 12 AND time >= '2024-03-04 12:00:00+00' AND time < '2024-03-06 06:00:00+00'
GROUP BY device ORDER BY device;

-- OR of ranges on the space column
SELECT device, count(*) FROM conditions WHERE device > 28 OR device < 2 GROUP BY device ORDER BY device;

-- NOT IN on the space column
SELECT count(*), sum(temperature) FROM conditions WHERE device NOT IN (1, 2, 3, 4, 5, 90);

-- the space column is never NULL in this data
SELECT count(*) FROM conditions WHERE device IS NULL;

-- whole-table float and numeric aggregates
SELECT sum(temperature), avg(temperature), min(temperature), max(temperature),
       sum(humidity::numeric), avg(humidity::numeric), min(humidity), max(humidity)
FROM conditions;

-- stddev and variance, exact through numeric
SELECT stddev(temperature::numeric), stddev_pop(temperature::numeric), variance(humidity::numeric),
       var_pop(humidity::numeric), stddev_samp(humidity::numeric), var_samp(temperature::numeric)
FROM conditions;

-- float8 stddev and variance per device, rounded (the float algorithm depends on row order in the last bits)
SELECT device, round(stddev(temperature)::numeric, 6), round(variance(temperature)::numeric, 4),
       round(stddev_pop(humidity)::numeric, 6)
FROM conditions GROUP BY device ORDER BY device;

-- count(DISTINCT …) on each kind of column
SELECT count(DISTINCT device), count(DISTINCT location), count(DISTINCT temperature), count(DISTINCT humidity),
       count(DISTINCT time), count(DISTINCT date_trunc('day', time))
FROM conditions;

-- bool_and, bool_or and every per device
SELECT device, bool_and(temperature > -20), bool_or(humidity > 99.9), every(location IS NOT NULL), bool_or(temperature IS NULL)
FROM conditions GROUP BY device ORDER BY device;

-- aggregate FILTER clauses
SELECT device, count(*) FILTER (WHERE temperature < 0), sum(temperature) FILTER (WHERE humidity > 50),
       max(humidity) FILTER (WHERE location = 'office'), avg(temperature) FILTER (WHERE time < '2024-03-03 00:00:00+00')
FROM conditions GROUP BY device ORDER BY device;

-- DISTINCT aggregates with FILTER clauses, PARTIAL: the condition joins the nodes' GROUP BY
SELECT location, count(DISTINCT device) FILTER (WHERE temperature > 20), count(DISTINCT device),
       sum(DISTINCT device) FILTER (WHERE humidity IS NULL OR humidity < 40), count(*) FILTER (WHERE temperature > 20)
FROM conditions GROUP BY location ORDER BY location NULLS FIRST;

-- group by the text column, with NULL and the empty string as groups
SELECT location, count(*), sum(temperature), max(humidity) FROM conditions GROUP BY location ORDER BY location NULLS FIRST;

-- group by day (date_trunc)
SELECT date_trunc('day', time) AS day, count(*), sum(temperature), min(humidity), max(humidity), count(DISTINCT device)
FROM conditions GROUP BY day ORDER BY day;

-- group by hour over a range crossing a chunk boundary
SELECT date_trunc('hour', time) AS hour, count(*), max(temperature), min(temperature) FROM conditions
WHERE time >= '2024-03-06 20:00:00+00' AND time < '2024-03-07 04:00:00+00' GROUP BY hour ORDER BY hour;

-- date_bin 15 minutes for one device
SELECT date_bin('15 minutes', time, '2024-03-01 00:00:00+00') AS bucket, count(*), avg(temperature), max(humidity)
FROM conditions WHERE device = 5 AND time >= '2024-03-02 00:00:00+00' AND time < '2024-03-02 06:00:00+00'
GROUP BY bucket ORDER BY bucket;

-- date_bin 7 hours (not dividing a day) by device, origin not on a chunk boundary
SELECT date_bin('7 hours', time, '2000-01-01 03:30:00+00') AS bucket, device, count(*), sum(temperature)
FROM conditions WHERE device IN (1, 2, 91) GROUP BY bucket, device ORDER BY bucket, device;

-- HAVING on a count
SELECT device, count(*) FROM conditions GROUP BY device HAVING count(*) > 1660 ORDER BY device;

-- HAVING on an average and a minimum
SELECT device, avg(temperature), min(temperature) FROM conditions GROUP BY device
HAVING avg(temperature) > 37.4 AND min(temperature) < -24 ORDER BY device;

-- ORDER BY NULLS FIRST with LIMIT
SELECT * FROM conditions ORDER BY temperature NULLS FIRST, time, device, location, humidity LIMIT 10;

-- ORDER BY DESC NULLS LAST with LIMIT and OFFSET
SELECT * FROM conditions ORDER BY humidity DESC NULLS LAST, time DESC, device, location, temperature LIMIT 15 OFFSET 5;

-- ORDER BY the text column DESC NULLS FIRST with a large OFFSET
SELECT location, time, device FROM conditions ORDER BY location DESC NULLS FIRST, time, device LIMIT 20 OFFSET 1000;

-- ORDER BY ASC NULLS LAST on the tail
SELECT time, device, temperature FROM conditions WHERE device = 30
ORDER BY temperature ASC NULLS LAST, time DESC, device LIMIT 8 OFFSET 1600;

-- the latest row overall
SELECT * FROM conditions ORDER BY time DESC, device DESC, location, temperature, humidity LIMIT 1;

-- OFFSET past the end
SELECT * FROM conditions ORDER BY time, device, location, temperature, humidity LIMIT 5 OFFSET 100000;

-- LIMIT in a subquery, counted
SELECT count(*) FROM (SELECT * FROM conditions LIMIT 100) s;

-- DISTINCT on the text column
SELECT DISTINCT location FROM conditions;

-- DISTINCT pairs, ordered
SELECT DISTINCT device, location FROM conditions ORDER BY device, location NULLS FIRST;

-- DISTINCT ON over groups: per location, the device (FULL) or the day (PARTIAL) with the most rows
SELECT DISTINCT ON (location) location, device, count(*) AS n, max(humidity) FROM conditions
GROUP BY location, device ORDER BY location NULLS FIRST, n DESC, device;

-- the same per day, with a LIMIT
SELECT DISTINCT ON (location) location, date_trunc('day', time) AS d, count(*) AS n, avg(temperature) FROM conditions
GROUP BY location, d ORDER BY location NULLS FIRST, n DESC, d LIMIT 3;

-- DISTINCT ON: latest reading per device
SELECT DISTINCT ON (device) device, time, temperature, humidity, location FROM conditions
ORDER BY device, time DESC, temperature DESC NULLS LAST, humidity DESC NULLS LAST, location NULLS LAST;

-- DISTINCT ON the text column: first reading per location
SELECT DISTINCT ON (location) location, time, device, temperature FROM conditions
ORDER BY location NULLS FIRST, time, device, temperature;

-- DISTINCT ON a key with NULLs, descending (NULLs first), for one device: one data node in play
SELECT DISTINCT ON (temperature) temperature, time, device FROM conditions WHERE device = 5
ORDER BY temperature DESC, time, device LIMIT 20;

-- DISTINCT ON the text column descending, NULLs last, then a nullable float NULLs first
SELECT DISTINCT ON (location) location, temperature, time FROM conditions
ORDER BY location DESC NULLS LAST, temperature NULLS FIRST, time DESC;

-- DISTINCT ON a NULL space value
SELECT DISTINCT ON (device) device, time, value FROM nullspace ORDER BY device NULLS FIRST, time DESC;

-- DISTINCT ON two keys, ORDER BY only one: the other follows ascending
SELECT DISTINCT ON (location, device) location, device FROM conditions WHERE device > 25 ORDER BY location;

-- DISTINCT ON a hidden key with OFFSET and no LIMIT
SELECT DISTINCT ON (device) time, temperature FROM conditions WHERE time < '2024-03-03 00:00:00+00'
ORDER BY device, time DESC, temperature NULLS FIRST OFFSET 10;

-- DISTINCT ON a time bucket: the warmest reading per day of one device
SELECT DISTINCT ON (date_trunc('day', time)) date_trunc('day', time) AS day, time, temperature FROM conditions
WHERE device = 11 ORDER BY date_trunc('day', time), temperature DESC NULLS LAST, time;

-- one device: every aggregate, HAVING, ORDER BY and LIMIT on its one data node
SELECT date_trunc('hour', time) AS h, count(*), count(DISTINCT location), sum(temperature), max(humidity) FROM conditions
WHERE device = 7 GROUP BY 1 HAVING count(*) > 5 ORDER BY h DESC LIMIT 4;

-- row_number per device for the sparse devices
SELECT device, time, temperature, row_number() OVER (PARTITION BY device ORDER BY time, temperature, humidity, location) AS rn
FROM conditions WHERE device >= 90 ORDER BY device, rn;

-- lag and lead per device in a 10-minute slice
SELECT device, time, temperature,
       lag(temperature) OVER w AS prev, lead(temperature, 2, -1) OVER w AS next2, first_value(humidity) OVER w AS first_h
FROM conditions WHERE time >= '2024-03-08 12:00:00+00' AND time < '2024-03-08 12:10:00+00' AND device <= 6
WINDOW w AS (PARTITION BY device ORDER BY time, temperature NULLS FIRST, humidity NULLS FIRST, location NULLS FIRST)
ORDER BY device, time, temperature NULLS FIRST, prev NULLS FIRST, next2, first_h NULLS FIRST;

-- running float sum per device (exact: temperatures are multiples of 1/16)
SELECT device, time, sum(temperature) OVER (PARTITION BY device ORDER BY time, temperature ROWS UNBOUNDED PRECEDING) AS running
FROM conditions WHERE device IN (1, 2) AND time >= '2024-03-03 00:00:00+00' AND time < '2024-03-03 02:00:00+00'
ORDER BY device, time, running;

-- rank and dense_rank of daily averages
WITH daily AS (
  SELECT date_trunc('day', time) AS day, device, avg(temperature) AS t FROM conditions GROUP BY 1, 2)
SELECT day, device, t, rank() OVER (PARTITION BY day ORDER BY t DESC NULLS LAST) AS r,
       dense_rank() OVER (ORDER BY t DESC NULLS LAST) AS dr
FROM daily ORDER BY day, r, device;

-- ntile, percent_rank and cume_dist over per-device counts
WITH c AS (SELECT device, count(*) AS n FROM conditions GROUP BY device)
SELECT device, n, ntile(4) OVER (ORDER BY n, device), percent_rank() OVER (ORDER BY n), cume_dist() OVER (ORDER BY n)
FROM c ORDER BY device;

-- moving average over a range frame
SELECT device, time, avg(temperature) OVER (PARTITION BY device ORDER BY time RANGE BETWEEN INTERVAL '5 minutes' PRECEDING AND CURRENT ROW) AS mavg
FROM conditions WHERE device = 91 OR (device = 3 AND time < '2024-03-01 01:00:00+00')
ORDER BY device, time, mavg;

-- ordered-set aggregates per device
SELECT device, percentile_cont(0.5) WITHIN GROUP (ORDER BY temperature),
       percentile_cont(ARRAY[0.25, 0.75]) WITHIN GROUP (ORDER BY humidity),
       percentile_disc(0.9) WITHIN GROUP (ORDER BY temperature), mode() WITHIN GROUP (ORDER BY location)
FROM conditions GROUP BY device ORDER BY device;

-- percentile_cont over the whole table
SELECT percentile_cont(0.1) WITHIN GROUP (ORDER BY temperature), percentile_cont(0.999) WITHIN GROUP (ORDER BY humidity),
       percentile_disc(0.5) WITHIN GROUP (ORDER BY time)
FROM conditions;

-- CTE with a filter on its aggregate
WITH hot AS (SELECT device, max(temperature) AS m, count(*) AS n FROM conditions GROUP BY device)
SELECT device, m, n FROM hot WHERE m >= 99.5 ORDER BY device;

-- IN (SELECT …) on the same hypertable
SELECT count(*), sum(temperature) FROM conditions WHERE device IN (SELECT device FROM conditions WHERE temperature > 99.8);

-- scalar subquery in WHERE
SELECT device, count(*) FROM conditions WHERE temperature > (SELECT avg(temperature) FROM conditions)
GROUP BY device ORDER BY device;

-- ROLLUP over location and a small device set
SELECT location, device, count(*), sum(temperature) FROM conditions WHERE device IN (1, 2, 3)
GROUP BY ROLLUP (location, device) ORDER BY location NULLS LAST, device NULLS LAST;

-- GROUPING SETS with grouping()
SELECT device, date_trunc('day', time) AS day, grouping(device, date_trunc('day', time)) AS g, count(*)
FROM conditions WHERE device IN (90, 91, 92)
GROUP BY GROUPING SETS ((device), (date_trunc('day', time)), ()) ORDER BY g, device, day;

-- CASE buckets of temperature
SELECT CASE WHEN temperature IS NULL THEN 'unknown' WHEN temperature < 0 THEN 'freezing'
            WHEN temperature < 25 THEN 'mild' ELSE 'hot' END AS band, count(*), avg(temperature)
FROM conditions GROUP BY 1 ORDER BY 1;

-- UNION of two ranges and EXCEPT
SELECT device FROM conditions WHERE temperature > 99.9
UNION SELECT device FROM conditions WHERE humidity = 0
EXCEPT SELECT device FROM conditions WHERE device > 25
ORDER BY device;

-- UNION ALL of aggregates over two chunks
SELECT 'day2' AS d, count(*), sum(temperature) FROM conditions WHERE time >= '2024-03-02' AND time < '2024-03-03'
UNION ALL
SELECT 'day9', count(*), sum(temperature) FROM conditions WHERE time >= '2024-03-09' AND time < '2024-03-10';

-- most common (device, location) pairs
SELECT device, location, count(*) FROM conditions GROUP BY device, location
ORDER BY count(*) DESC, device, location NULLS LAST LIMIT 10;

-- min and max of text and time
SELECT min(location), max(location), min(time), max(time) FROM conditions;

-- exact duplicate rows
SELECT time, device, location, temperature, humidity, count(*) FROM conditions
GROUP BY 1, 2, 3, 4, 5 HAVING count(*) > 1 ORDER BY 1, 2, 3, 4, 5;

-- rows sharing a timestamp, by device pair, in the first hours
SELECT count(*) FROM conditions a JOIN conditions b ON a.time = b.time AND a.device < b.device
WHERE a.time < '2024-03-01 06:00:00+00' AND b.time < '2024-03-01 06:00:00+00';

-- gap filling with generate_series for a sparse device
SELECT h, count(c.time), max(c.temperature)
FROM generate_series('2024-03-01 00:00:00+00'::timestamptz, '2024-03-01 05:00:00+00', '1 hour') AS h
LEFT JOIN conditions c ON date_trunc('hour', c.time) = h AND c.device = 92
GROUP BY h ORDER BY h;

-- the extreme space values
SELECT device, time, location, temperature, humidity FROM conditions
WHERE device IN (-2147483648, -1, 0, 2147483647) ORDER BY device;

-- equality on the smallest int4 space value
SELECT count(*), min(time) FROM conditions WHERE device = -2147483648;

-- negative and zero space values by range
SELECT device, count(*) FROM conditions WHERE device <= 0 GROUP BY device ORDER BY device;

-- rows before the PostgreSQL epoch (2000) and before the Unix epoch (1970)
SELECT time, device, location, temperature, humidity, time < '1970-01-01 00:00:00+00' AS before_unix
FROM conditions WHERE time < '2000-01-01 00:00:00+00' ORDER BY time;

-- a day range far before the main data
SELECT count(*), sum(temperature) FROM conditions WHERE time >= '1999-12-31 00:00:00+00' AND time < '2000-01-01 00:00:00+00';

-- a NULL space value is kept (TimescaleDB puts it in the first space slice; timescale/timescaledb#278)
SELECT device, value, time FROM nullspace;

-- NULL space values are counted
SELECT count(*), count(device), sum(value) FROM nullspace;

-- now() is constified on the access node before push-down
SELECT device, count(*) FROM conditions WHERE time < now() GROUP BY device ORDER BY device;

-- current_timestamp and an interval relative to it
SELECT count(*), min(time) FROM conditions WHERE time > current_timestamp - interval '100 years';

-- current_date and localtimestamp in a filter and a projection
SELECT count(*) FILTER (WHERE time::date < current_date), count(*) FILTER (WHERE time::timestamp < localtimestamp) FROM conditions;

-- first/last over the whole table (PARTIAL: each node's (first, min(time)) pair, merged on the access node);
-- the earliest and latest times are unique
SELECT first(location, time), first(temperature, time), last(device, time), last(humidity, time), first(time, time)
FROM conditions;

-- first/last per device (FULL: the space column), with a NULL value kept when it is the chosen row's;
-- devices 1 and 13 have two different rows at their first or last time, where first/last take
-- whichever the scan meets first (in TimescaleDB too)
SELECT device, first(temperature, time), last(temperature, time), last(location, time), count(*)
FROM conditions WHERE device NOT IN (1, 13) GROUP BY device ORDER BY device;

-- first/last per location (PARTIAL), a bigint time, and FILTER; without the one tie at a location's
-- first or last time (field-7 at 00:04, devices 6 and 28)
SELECT location, first(device, time), last(device, time),
       last(device, (extract(epoch FROM time) * 1000000)::bigint),
       first(temperature, time) FILTER (WHERE temperature > 50), last(humidity, time) FILTER (WHERE device < 10)
FROM conditions WHERE NOT (location = 'field-7' AND time = '2024-03-01 00:04:00+00') GROUP BY location ORDER BY location;

-- first/last with HAVING and ORDER BY on the result, across both nodes
SELECT location, last(temperature, time) AS latest FROM conditions
WHERE NOT (location = 'field-7' AND time = '2024-03-01 00:04:00+00') GROUP BY location
HAVING last(temperature, time) IS NOT NULL ORDER BY latest, location;

-- first/last next to an aggregate the fast path does not take (the safety net runs first/last itself)
SELECT location, first(temperature, time), percentile_disc(0.5) WITHIN GROUP (ORDER BY device)
FROM conditions WHERE NOT (location = 'field-7' AND time = '2024-03-01 00:04:00+00') GROUP BY location ORDER BY location;

-- DISTINCT aggregates per location (PARTIAL: each node returns its distinct values per location), the
-- first three locations: the nodes' groups are finer than the answer's, so no LIMIT goes down
SELECT location, count(DISTINCT device), sum(DISTINCT temperature), count(*) FROM conditions
GROUP BY location ORDER BY location LIMIT 3;

-- DISTINCT aggregates with HAVING and ORDER BY on an aggregate
SELECT location, count(DISTINCT device) AS devices, avg(DISTINCT humidity::numeric), max(temperature) FROM conditions
GROUP BY location HAVING count(DISTINCT device) > 5 ORDER BY devices DESC, location;

-- thousands of groups from a statement the plan cache knows from the second session on: each node runs it
-- as a prepared statement and its rows, more than the combine query inlines, go to a temporary table
SELECT time, device, max(temperature), count(*) FROM conditions
WHERE time >= '2024-03-02 00:00:00+00' AND time < '2024-03-03 00:00:00+00' GROUP BY time, device;

-- more groups than a prepared read holds (10,000): from the second session on each node's prepared
-- statement stops there and the node is read again through COPY
SELECT time, device, count(*), min(humidity) FROM conditions WHERE time >= '2024-03-01 00:00:00+00' GROUP BY time, device;
