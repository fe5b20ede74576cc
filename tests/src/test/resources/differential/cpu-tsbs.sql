-- Differential corpus: the TSBS devops queries in their multi-node form (hostname in the cpu table,
-- no tags join) on the distributed hypertable `cpu` (text space column `hostname`), plus filters on
-- that text column. time_bucket(…) is written date_trunc/date_bin so that the oracle (plain
-- PostgreSQL) runs the same text. Data: 20 hosts, 2016-01-01 00:00–04:00 UTC every 10 s, 1-hour chunks.
--
-- Format: entries are separated by blank lines. An entry is one or more `--` comment lines, the
-- first of which is its label, followed by one SQL statement (no blank line inside) whose last line
-- ends with `;`. A block of comments only (like this one) is a note. Results compare exactly as text:
-- as ordered lists when the statement has a top-level ORDER BY, as multisets otherwise; `@unordered`
-- in a comment forces multiset comparison. Keep every top-level ORDER BY total.
--
-- Determinism: cpu fields are integers, so float8 sums and averages are exact whatever the row order.

-- every row, every column, as a multiset
SELECT * FROM cpu;

-- single-groupby-1-1-1
SELECT date_trunc('minute', time) AS minute, max(usage_user) AS max_usage_user FROM cpu
WHERE hostname IN ('host_3') AND time >= '2016-01-01 01:13:00.000000 +0000' AND time < '2016-01-01 02:13:00.000000 +0000'
GROUP BY minute ORDER BY minute ASC;

-- single-groupby-1-1-12 (window wider than the data)
SELECT date_bin('60 seconds', time, '2000-01-01') AS minute, max(usage_user) AS max_usage_user FROM cpu
WHERE hostname IN ('host_11') AND time >= '2015-12-31 20:00:00 +0000' AND time < '2016-01-01 08:00:00 +0000'
GROUP BY minute ORDER BY minute ASC;

-- single-groupby-1-8-1
SELECT date_trunc('minute', time) AS minute, max(usage_user) AS max_usage_user FROM cpu
WHERE hostname IN ('host_0', 'host_1', 'host_2', 'host_7', 'host_9', 'host_10', 'host_15', 'host_19')
  AND time >= '2016-01-01 02:40:00 +0000' AND time < '2016-01-01 03:40:00 +0000'
GROUP BY minute ORDER BY minute ASC;

-- single-groupby-5-1-1
SELECT date_trunc('minute', time) AS minute, max(usage_user) AS max_usage_user, max(usage_system) AS max_usage_system,
       max(usage_idle) AS max_usage_idle, max(usage_nice) AS max_usage_nice, max(usage_iowait) AS max_usage_iowait
FROM cpu WHERE hostname IN ('host_18') AND time >= '2016-01-01 00:30:00 +0000' AND time < '2016-01-01 01:30:00 +0000'
GROUP BY minute ORDER BY minute ASC;

-- single-groupby-5-8-1 in a time zone ahead of UTC
SELECT date_trunc('minute', time) AS minute, max(usage_user) AS max_usage_user, max(usage_system) AS max_usage_system,
       max(usage_idle) AS max_usage_idle, max(usage_nice) AS max_usage_nice, max(usage_iowait) AS max_usage_iowait
FROM cpu WHERE hostname IN ('host_4', 'host_5', 'host_6', 'host_8', 'host_12', 'host_13', 'host_14', 'host_16')
  AND time >= '2016-01-01 04:59:30 +0200' AND time < '2016-01-01 05:59:30 +0200'
GROUP BY minute ORDER BY minute ASC;

-- cpu-max-all-1
SELECT date_bin('3600 seconds', time, '2000-01-01') AS hour, max(usage_user) AS max_usage_user, max(usage_system) AS max_usage_system,
       max(usage_idle) AS max_usage_idle, max(usage_nice) AS max_usage_nice, max(usage_iowait) AS max_usage_iowait,
       max(usage_irq) AS max_usage_irq, max(usage_softirq) AS max_usage_softirq, max(usage_steal) AS max_usage_steal,
       max(usage_guest) AS max_usage_guest, max(usage_guest_nice) AS max_usage_guest_nice
FROM cpu WHERE hostname IN ('host_7') AND time >= '2015-12-31 22:00:00 +0000' AND time < '2016-01-01 06:00:00 +0000'
GROUP BY hour ORDER BY hour;

-- cpu-max-all-8
SELECT date_trunc('hour', time) AS hour, max(usage_user) AS max_usage_user, max(usage_system) AS max_usage_system,
       max(usage_idle) AS max_usage_idle, max(usage_nice) AS max_usage_nice, max(usage_iowait) AS max_usage_iowait,
       max(usage_irq) AS max_usage_irq, max(usage_softirq) AS max_usage_softirq, max(usage_steal) AS max_usage_steal,
       max(usage_guest) AS max_usage_guest, max(usage_guest_nice) AS max_usage_guest_nice
FROM cpu WHERE hostname IN ('host_1', 'host_3', 'host_5', 'host_7', 'host_11', 'host_13', 'host_17', 'host_19')
  AND time >= '2016-01-01 00:00:00 +0000' AND time < '2016-01-01 08:00:00 +0000'
GROUP BY hour ORDER BY hour;

-- double-groupby-1
WITH cpu_avg AS (SELECT date_trunc('hour', time) AS hour, hostname, avg(usage_user) AS mean_usage_user
  FROM cpu WHERE time >= '2016-01-01 00:00:00 +0000' AND time < '2016-01-01 12:00:00 +0000' GROUP BY 1, 2)
SELECT hour, hostname, mean_usage_user FROM cpu_avg ORDER BY hour, hostname;

-- double-groupby-5
WITH cpu_avg AS (SELECT date_trunc('hour', time) AS hour, hostname, avg(usage_user) AS mean_usage_user,
    avg(usage_system) AS mean_usage_system, avg(usage_idle) AS mean_usage_idle, avg(usage_nice) AS mean_usage_nice,
    avg(usage_iowait) AS mean_usage_iowait
  FROM cpu WHERE time >= '2016-01-01 01:30:00 +0000' AND time < '2016-01-01 13:30:00 +0000' GROUP BY 1, 2)
SELECT hour, hostname, mean_usage_user, mean_usage_system, mean_usage_idle, mean_usage_nice, mean_usage_iowait
FROM cpu_avg ORDER BY hour, hostname;

-- double-groupby-all
WITH cpu_avg AS (SELECT date_trunc('hour', time) AS hour, hostname, avg(usage_user) AS mean_usage_user,
    avg(usage_system) AS mean_usage_system, avg(usage_idle) AS mean_usage_idle, avg(usage_nice) AS mean_usage_nice,
    avg(usage_iowait) AS mean_usage_iowait, avg(usage_irq) AS mean_usage_irq, avg(usage_softirq) AS mean_usage_softirq,
    avg(usage_steal) AS mean_usage_steal, avg(usage_guest) AS mean_usage_guest, avg(usage_guest_nice) AS mean_usage_guest_nice
  FROM cpu WHERE time >= '2016-01-01 00:00:00 +0000' AND time < '2016-01-01 12:00:00 +0000' GROUP BY 1, 2)
SELECT hour, hostname, mean_usage_user, mean_usage_system, mean_usage_idle, mean_usage_nice, mean_usage_iowait,
       mean_usage_irq, mean_usage_softirq, mean_usage_steal, mean_usage_guest, mean_usage_guest_nice
FROM cpu_avg ORDER BY hour, hostname;

-- double-groupby-1 in the default form (tags table joined: the regular table `hosts`)
WITH cpu_avg AS (SELECT date_trunc('hour', time) AS hour, hostname, avg(usage_user) AS mean_usage_user
  FROM cpu WHERE time >= '2016-01-01 00:00:00 +0000' AND time < '2016-01-01 12:00:00 +0000' GROUP BY 1, 2)
SELECT hour, hosts.hostname, hosts.region, mean_usage_user FROM cpu_avg JOIN hosts ON cpu_avg.hostname = hosts.hostname
ORDER BY hour, hosts.hostname;

-- high-cpu-all
SELECT * FROM cpu WHERE usage_user > 90.0 AND time >= '2016-01-01 00:20:00 +0000' AND time < '2016-01-01 12:20:00 +0000';

-- high-cpu-1
SELECT * FROM cpu WHERE usage_user > 90.0 AND time >= '2016-01-01 00:00:00 +0000' AND time < '2016-01-01 12:00:00 +0000'
  AND hostname IN ('host_13');

-- lastpoint (multi-node form)
SELECT DISTINCT ON (hostname) * FROM cpu ORDER BY hostname, time DESC;

-- lastpoint (default form, LATERAL over the tags table)
SELECT DISTINCT ON (t.hostname) * FROM hosts t INNER JOIN LATERAL (SELECT * FROM cpu c
  WHERE c.hostname = t.hostname ORDER BY time DESC LIMIT 1) AS b ON true ORDER BY t.hostname, b.time DESC;

-- groupby-orderby-limit
SELECT date_trunc('minute', time) AS minute, max(usage_user) FROM cpu
WHERE time < '2016-01-01 02:37:00.000000 +0000' GROUP BY minute ORDER BY minute DESC LIMIT 5;

-- groupby-orderby-limit with a bucket function and an end inside the first chunk
SELECT date_bin('60 seconds', time, '2000-01-01') AS minute, max(usage_user) FROM cpu
WHERE time < '2016-01-01 00:03:10 +0000' GROUP BY minute ORDER BY minute DESC LIMIT 5;

-- equality on the text space column
SELECT count(*), sum(usage_user), avg(usage_idle), min(time), max(time) FROM cpu WHERE hostname = 'host_0';

-- range on the text space column (text order: host_15 < host_16 < … < host_2 < host_3 …)
SELECT hostname, count(*), sum(usage_system) FROM cpu WHERE hostname > 'host_15' AND hostname <= 'host_4'
GROUP BY hostname ORDER BY hostname;

-- LIKE on the text space column
SELECT hostname, max(usage_steal) FROM cpu WHERE hostname LIKE 'host\_1%' GROUP BY hostname ORDER BY hostname;

-- a host that does not exist, and one only in the tags table
SELECT count(*), max(usage_user) FROM cpu WHERE hostname IN ('host_20', 'host_99', 'HOST_1');

-- averages of every field per host
SELECT hostname, avg(usage_user), avg(usage_system), avg(usage_idle), avg(usage_nice), avg(usage_iowait),
       avg(usage_irq), avg(usage_softirq), avg(usage_steal), avg(usage_guest), avg(usage_guest_nice)
FROM cpu GROUP BY hostname ORDER BY hostname;

-- spread per host: float stddev rounded, numeric stddev exact, correlation rounded
SELECT hostname, round(stddev(usage_user)::numeric, 6), stddev(usage_system::numeric),
       round(corr(usage_user, usage_system)::numeric, 6), round(regr_slope(usage_idle, usage_user)::numeric, 6)
FROM cpu GROUP BY hostname ORDER BY hostname;

-- medians per host and hour
SELECT hostname, date_trunc('hour', time) AS hour, percentile_cont(0.5) WITHIN GROUP (ORDER BY usage_user),
       percentile_disc(0.95) WITHIN GROUP (ORDER BY usage_iowait)
FROM cpu WHERE hostname IN ('host_2', 'host_12') GROUP BY 1, 2 ORDER BY 1, 2;

-- top hosts by peak user CPU in a window, ties broken by name
SELECT hostname, max(usage_user) AS peak FROM cpu
WHERE time >= '2016-01-01 01:00:00 +0000' AND time < '2016-01-01 03:00:00 +0000'
GROUP BY hostname ORDER BY peak DESC, hostname LIMIT 5;

-- per-host change between consecutive points with lag, for one host and ten minutes
SELECT hostname, time, usage_user, usage_user - lag(usage_user) OVER (PARTITION BY hostname ORDER BY time) AS delta
FROM cpu WHERE hostname = 'host_6' AND time >= '2016-01-01 03:50:00 +0000' ORDER BY time;

-- count of points per hour chunk and host group
SELECT date_trunc('hour', time) AS hour, hostname < 'host_2' AS low, count(*) FROM cpu GROUP BY 1, 2 ORDER BY 1, 2;

-- odd hostnames: non-ASCII equality
SELECT time, hostname, usage_user, usage_guest_nice FROM cpu WHERE hostname = 'hôst_é' ORDER BY time;

-- odd hostnames: the empty string and near-duplicates of host_1 stay apart
SELECT hostname, count(*), sum(usage_user) FROM cpu WHERE hostname IN ('', 'HOST_1', 'host_1', 'host_1 ') GROUP BY hostname ORDER BY hostname;

-- odd hostnames: case-insensitive grouping over every host
SELECT lower(hostname) AS h, count(*), count(DISTINCT hostname) FROM cpu WHERE lower(hostname) LIKE 'host_1%' GROUP BY 1 ORDER BY 1;

-- the compressed 3 kB hostname, by equality and by prefix
SELECT length(hostname), md5(hostname), count(*) FROM cpu
WHERE hostname = 'long-' || repeat('ab', 1500) OR hostname LIKE 'long-%' GROUP BY hostname;

-- multi-byte hostnames through string functions
SELECT hostname, length(hostname), octet_length(hostname), upper(hostname), left(hostname, 3) FROM cpu
WHERE hostname !~ '^host_[0-9]+$' AND length(hostname) < 20 GROUP BY hostname ORDER BY hostname;

-- odd hostnames: a tab, a backslash, a newline and quotes come back intact, as rows and as group keys
SELECT time, hostname, usage_user FROM cpu WHERE hostname ~ '[\t\n\\''"]' ORDER BY hostname, time;

-- the same hostnames as FULL group keys, with escapes visible through quote_literal
SELECT hostname, quote_literal(hostname), count(*), max(usage_idle) FROM cpu
WHERE strpos(hostname, E'\\') > 0 OR strpos(hostname, E'\t') > 0 OR strpos(hostname, E'\n') > 0
GROUP BY hostname ORDER BY hostname;

-- lastpoint restricted to one host: one data node in play, the DISTINCT ON runs there whole
SELECT DISTINCT ON (hostname) * FROM cpu WHERE hostname = 'host_7' ORDER BY hostname, time DESC;

-- lastpoint with LIMIT and OFFSET: each node sends its first n + offset hosts
SELECT DISTINCT ON (hostname) hostname, time, usage_user FROM cpu ORDER BY hostname, time DESC LIMIT 5 OFFSET 3;

-- lastpoint of a few columns, the latest point before a time inside the data
SELECT DISTINCT ON (hostname) hostname, time, usage_idle, usage_system FROM cpu
WHERE time < '2016-01-01 02:30:00 +0000' ORDER BY hostname, time DESC;

-- lastpoint through a CTE joined with the tags table (the tags form without LATERAL)
WITH last AS (SELECT DISTINCT ON (hostname) hostname, time, usage_user FROM cpu ORDER BY hostname, time DESC)
SELECT h.region, l.hostname, l.time, l.usage_user FROM last l JOIN hosts h ON h.hostname = l.hostname ORDER BY 1, 2;

-- DISTINCT ON a key not selected, ordered by a field then time: each host's peak user CPU
SELECT DISTINCT ON (hostname) time, usage_user FROM cpu WHERE hostname LIKE 'host\_1%'
ORDER BY hostname, usage_user DESC, time;

-- DISTINCT ON an expression: each host's busiest point per hour, for the hosts host_1*
SELECT DISTINCT ON (hostname, date_trunc('hour', time)) hostname, date_trunc('hour', time) AS hour, time, usage_user FROM cpu
WHERE hostname LIKE 'host\_1%' ORDER BY hostname, date_trunc('hour', time), usage_user DESC, time;

-- DISTINCT ON an expression on one host: its busiest point per quarter hour, the latest first
SELECT DISTINCT ON (date_trunc('hour', time), extract(minute FROM time)::int / 15) date_trunc('hour', time) AS hour,
       extract(minute FROM time)::int / 15 AS quarter, time, usage_user FROM cpu
WHERE hostname = 'host_7' ORDER BY date_trunc('hour', time) DESC, extract(minute FROM time)::int / 15 DESC, usage_user DESC, time;

-- DISTINCT ON text keys in descending collation order: odd hostnames (empty, non-ASCII, case, trailing blank) included
SELECT DISTINCT ON (hostname) hostname, time, usage_idle FROM cpu ORDER BY hostname DESC, time;

-- DISTINCT ON lower(hostname): HOST_1 and host_1 fall together, the first by collation wins
SELECT DISTINCT ON (lower(hostname)) lower(hostname) AS h, hostname, time FROM cpu
WHERE length(hostname) < 20 ORDER BY lower(hostname), hostname, time DESC;

-- DISTINCT ON without ORDER BY: one row per host, keys only
SELECT DISTINCT ON (hostname) hostname FROM cpu;

-- single-groupby on one host: one data node in play, GROUP BY, ORDER BY, LIMIT and OFFSET all run there
SELECT date_trunc('minute', time) AS minute, max(usage_user) AS max_usage_user, avg(usage_system) FROM cpu
WHERE hostname IN ('host_7') AND time >= '2016-01-01 01:13:00 +0000' AND time < '2016-01-01 02:13:00 +0000'
GROUP BY minute ORDER BY minute DESC LIMIT 10 OFFSET 5;

-- one host: HAVING on the node
SELECT date_trunc('minute', time) AS minute, max(usage_user), count(*) FROM cpu WHERE hostname = 'host_7'
GROUP BY minute HAVING max(usage_user) > 50 AND count(*) = 6 ORDER BY minute;

-- one host: DISTINCT values, ordered and limited
SELECT DISTINCT usage_nice, usage_irq FROM cpu WHERE hostname = 'host_7' ORDER BY usage_nice DESC, usage_irq LIMIT 12;

-- one host: aggregates that cannot be split across nodes (count DISTINCT, numeric stddev) go down whole
SELECT date_trunc('hour', time) AS hour, count(DISTINCT usage_user), stddev(usage_system::numeric), variance(usage_idle::numeric)
FROM cpu WHERE hostname = 'host_7' GROUP BY hour ORDER BY hour;

-- one host: a global aggregate with count(DISTINCT)
SELECT count(*), count(DISTINCT usage_user), min(time), max(time), sum(usage_steal) FROM cpu WHERE hostname = 'host_7';

-- one host: percentile and string_agg (not taken by the fast path: the safety net answers)
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY usage_user), string_agg(usage_nice::text, ',' ORDER BY time)
FROM cpu WHERE hostname = 'host_7' AND time < '2016-01-01 00:05:00 +0000';

-- no chunk in play: a global count is still one row, 0
SELECT count(*), sum(usage_user), max(time) FROM cpu WHERE time < '2015-01-01 00:00:00 +0000';

-- no chunk in play: grouped, no rows
SELECT hostname, count(*) FROM cpu WHERE time >= '2017-01-01 00:00:00 +0000' GROUP BY hostname ORDER BY hostname;

-- no chunk in play: DISTINCT ON, no rows
SELECT DISTINCT ON (hostname) hostname, time FROM cpu WHERE time >= '2017-01-01 00:00:00 +0000' ORDER BY hostname, time DESC;

-- one host found by an expression of the space column (every node is asked, one answers): its partial max per minute is the answer
SELECT date_trunc('minute', time) AS minute, max(usage_user) AS max_usage_user FROM cpu
WHERE lower(hostname) = 'host_3' AND time >= '2016-01-01 01:13:00 +0000' AND time < '2016-01-01 02:13:00 +0000'
GROUP BY minute ORDER BY minute ASC;

-- one host by expression: count, sum, min and bool_and per minute, newest first
SELECT date_trunc('minute', time) AS minute, count(*), sum(usage_user), min(usage_idle), bool_and(usage_nice > 10) FROM cpu
WHERE lower(hostname) = 'host_12' AND time < '2016-01-01 00:30:00 +0000' GROUP BY minute ORDER BY minute DESC;

-- hosts by expression on both nodes: the groups are merged, the ORDER BY runs on each node too
SELECT date_trunc('minute', time) AS minute, max(usage_user), count(*) FROM cpu
WHERE lower(hostname) IN ('host_3', 'host_4', 'host_5', 'host_6') AND time < '2016-01-01 00:40:00 +0000' GROUP BY minute ORDER BY minute;

-- top 5 minutes by group key with partial aggregates: each node sends its first 5 + 2 groups
SELECT date_trunc('minute', time) AS minute, max(usage_user), avg(usage_system) FROM cpu
WHERE time < '2016-01-01 03:00:00 +0000' GROUP BY minute ORDER BY minute DESC LIMIT 5 OFFSET 2;

-- one host by expression, no ORDER BY: the node's groups in any order
SELECT date_trunc('hour', time) AS hour, max(usage_user), min(usage_user) FROM cpu WHERE lower(hostname) = 'host_9' GROUP BY hour;

-- no host matches the expression: no node answers, no rows
SELECT date_trunc('minute', time) AS minute, max(usage_user) FROM cpu WHERE lower(hostname) = 'nobody' GROUP BY minute ORDER BY minute;

-- first/last per hour for one host as a FILTER: the groups span both nodes (PARTIAL), the host's times are unique
SELECT date_trunc('hour', time) AS hour, first(usage_user, time) FILTER (WHERE hostname = 'host_3'),
       last(usage_system, time) FILTER (WHERE hostname = 'host_3'), count(*)
FROM cpu GROUP BY hour ORDER BY hour;

-- last value of every host (FULL), TimescaleDB's usual lastpoint form
SELECT hostname, last(usage_user, time), last(time, time) FROM cpu GROUP BY hostname ORDER BY hostname;
